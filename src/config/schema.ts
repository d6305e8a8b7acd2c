import { z } from 'zod';

import { booleanFlag, durationMs, integer, projectName, timeOfDayMinutes } from './fields.js';
import { timeZoneName } from '../timeseries/iso-instant.js';
import { MAX_TIMER_SECONDS } from '../util/timers.js';

/** The `scheduler` section (spec: scheduler parameters). */
export const schedulerSectionSchema = z
  .object({
    /** First slot of the grid, quoted "HH:MM". */
    continuous_prediction_start_time: timeOfDayMinutes().prefault('08:00'),
    /** Slot spacing and window length. */
    continuous_prediction_interval: durationMs({
      max: Number.MAX_SAFE_INTEGER,
      min: 1000,
      wholeSeconds: true,
    }).prefault('30m'),
    /** How far back from the slot the window starts. */
    continuous_prediction_delay: durationMs({
      max: Number.MAX_SAFE_INTEGER,
      wholeSeconds: true,
    }).prefault('3h'),
    /** IANA time zone of the start time; UTC by default. */
    continuous_prediction_timezone: timeZoneName().prefault('UTC'),
    /** Projects to schedule when no projects source is configured. */
    projects: z.array(projectName()).prefault(['lat-lit']),
    /** How far back missed slots are back-filled at start-up. */
    back_fill_max_interval: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('7d'),
    /** Restart on opportunity after this many seconds; below 1 disables. */
    restart_interval_sec: integer({ max: MAX_TIMER_SECONDS }).prefault(604800),
    /** Schedule once right at start-up, whatever the time. */
    run_at_once: booleanFlag().prefault(false),
  })
  .strict();

/** The `executor` section (spec: executor parameters, plus task handling). */
export const executorSectionSchema = z
  .object({
    /** Tasks in flight per process. */
    instance_count: integer({ min: 1, max: 256 }).prefault(1),
    /** Restart on opportunity after this many seconds; below 1 disables. */
    restart_interval_sec: integer({ max: MAX_TIMER_SECONDS }).prefault(21600),
    /** Deadline of one task, all attempts included. */
    task_timeout: durationMs().prefault('10m'),
    /** Attempts of one task on retriable errors before it is given up. */
    task_attempts: integer({ min: 1, max: 100 }).prefault(3),
    /** Wait before the first retry; doubles each attempt. */
    task_retry_delay: durationMs().prefault('5s'),
    /** Longest window a task may ask for. */
    max_window: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('1d'),
    /** On SIGTERM/SIGINT, how long in-flight tasks may take to finish. */
    shutdown_grace: durationMs().prefault('30s'),
  })
  .strict();

const providerSection = z.looseObject({ type: z.unknown() });

export const schedulerConfigSchema = z
  .object({
    scheduler: schedulerSectionSchema.prefault({}),
    task_queue: providerSection,
    model_info: providerSection,
    /** Source of project names; `none` uses scheduler.projects. */
    models_metadata_info: providerSection.prefault({ type: 'none' }),
  })
  .strict();

export const executorConfigSchema = z
  .object({
    executor: executorSectionSchema.prefault({}),
    task_queue: providerSection,
    model_info: providerSection,
    predictor: providerSection,
    sensor_data: providerSection,
    prediction_storage: providerSection,
    prediction_metadata_storage: providerSection.prefault({ type: 'none' }),
  })
  .strict();

export type SchedulerSection = Readonly<z.output<typeof schedulerSectionSchema>>;
export type ExecutorSection = Readonly<z.output<typeof executorSectionSchema>>;
