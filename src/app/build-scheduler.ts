import type { SchedulerConfig } from '../config/resolve.js';
import type { ProviderRegistry } from '../registry/registry.js';
import type { TaskQueue } from '../interfaces/index.js';
import type { Logger } from '../logging/logger.js';
import { Scheduler, type SchedulerOptions } from '../scheduler/scheduler.js';
import { createSlotGrid } from '../scheduler/slots.js';
import type { Clock } from '../util/clock.js';
import { checkOrClose, type Closable } from './lifecycle.js';

export interface BuiltScheduler {
  readonly scheduler: Scheduler;
  readonly taskQueue: TaskQueue;
  readonly parts: readonly (readonly [string, Closable])[];
}

export interface BuildSchedulerOptions {
  readonly clock: Clock;
  readonly backFillFrom: SchedulerOptions['backFillFrom'];
  /** Use this queue instead of building one (the embedded mode shares its memory queue). */
  readonly taskQueue?: TaskQueue;
}

/** Builds the scheduler and its providers from config, and runs their start-up checks. */
export async function buildScheduler(
  config: SchedulerConfig,
  registry: ProviderRegistry,
  logger: Logger,
  options: BuildSchedulerOptions,
  signal: AbortSignal,
): Promise<BuiltScheduler> {
  const context = (component: string) => ({
    logger: logger.child({ component }),
    role: 'scheduler' as const,
  });
  const taskQueue =
    options.taskQueue ?? (await registry.create(config.taskQueue, context('task-queue')));
  const modelInfo = await registry.create(config.modelInfo, context('model-info'));
  const projectsSource = await registry.create(config.projects, context('projects'));
  const parts = [
    [config.taskQueue.section, taskQueue],
    [config.modelInfo.section, modelInfo],
    [config.projects.section, projectsSource],
  ] as const;
  await checkOrClose(parts, signal, logger);

  const section = config.scheduler;
  const listed = section.projects;
  const projects =
    config.projects.type === 'none'
      ? () => Promise.resolve(listed)
      : (stop: AbortSignal) => projectsSource.getProjects(stop);
  const scheduler = new Scheduler(
    { taskQueue, modelInfo, projects, clock: options.clock },
    {
      grid: createSlotGrid({
        startMinutes: section.continuous_prediction_start_time,
        intervalMs: section.continuous_prediction_interval,
        delayMs: section.continuous_prediction_delay,
        timeZone: section.continuous_prediction_timezone,
      }),
      backFillMaxMs: section.back_fill_max_interval,
      runAtOnce: section.run_at_once,
      restartIntervalMs:
        section.restart_interval_sec >= 1 ? section.restart_interval_sec * 1000 : 0,
      backFillFrom: options.backFillFrom,
      retryDelayMs: 5_000,
      retryMaxDelayMs: 60_000,
    },
    logger.child({ component: 'scheduler' }),
  );
  return { scheduler, taskQueue, parts };
}
