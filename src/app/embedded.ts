import type { ExecutorConfig, SchedulerConfig } from '../config/resolve.js';
import { LatigoError } from '../errors/index.js';
import { isoUtc } from '../domain/time-range.js';
import type { TaskQueue } from '../interfaces/index.js';
import type { Logger } from '../logging/logger.js';
import type { ProviderRegistry } from '../registry/registry.js';
import type { KafkaTaskQueueConfig } from '../task-queue/kafka/kafka-config.js';
import { resolveKafkaSettings, type KafkaSettings } from '../task-queue/kafka/kafka-settings.js';
import type { Clock } from '../util/clock.js';
import { buildExecutor } from './build-executor.js';
import { buildScheduler } from './build-scheduler.js';
import { closeAll } from './lifecycle.js';
import {
  emptyCounts,
  TaskTally,
  type FinishedTaskReport,
  type TaskOrigin,
  type TallyCounts,
} from './task-tally.js';

export type { FinishedTaskReport, TaskOrigin } from './task-tally.js';

/** What the embedded run reports to its caller (the CLI draws it). */
export interface EmbeddedObserver {
  /** The catch-up is about to schedule `slots` slots (one window per model each). */
  catchUpStarted(slots: number): void;
  /**
   * A task finished (succeeded or failed): a window this run scheduled, an older task taken from
   * the queue, or a repeat of one already reported (see `TaskOrigin`). Only `scheduled` ones
   * count as windows done or failed.
   */
  taskFinished(report: FinishedTaskReport, counts: EmbeddedCounts, origin: TaskOrigin): void;
  /** Every window the catch-up scheduled is done (or the run was stopped first). */
  catchUpFinished(summary: EmbeddedSummary): void;
  /** A later slot was scheduled. */
  slotScheduled(slotIso: string, windows: number): void;
}

/**
 * Windows this run scheduled (the catch-up's first, then the schedule's) and how they ended,
 * counted by task id; tasks from the queue that the run did not schedule count as `older`.
 */
export type EmbeddedCounts = TallyCounts;

export interface EmbeddedSummary extends EmbeddedCounts {
  /** Where the predictions are, as the storage describes it. */
  readonly location: string | undefined;
  /** Up to ten failures: model, window and reason. */
  readonly failures: readonly string[];
}

export interface EmbeddedOptions {
  readonly schedulerConfig: SchedulerConfig;
  readonly executorConfig: ExecutorConfig;
  readonly registry: ProviderRegistry;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly observer: EmbeddedObserver;
  /** Stop after the catch-up instead of going on with the schedule. */
  readonly once: boolean;
}

/**
 * The scheduler and the executor in one process. At start the scheduler back-fills every slot of
 * `back_fill_max_interval` (the sample's history) and the executor works through them; then both
 * go on with the schedule until stopped, unless `once`.
 */
export async function runEmbedded(
  options: EmbeddedOptions,
  stop: AbortSignal,
): Promise<EmbeddedSummary> {
  const { schedulerConfig, executorConfig, registry, logger, clock, observer } = options;
  checkQueuesMeet(schedulerConfig, executorConfig);
  const executorBuilt = await buildExecutor(executorConfig, registry, logger, stop);
  const sharedQueue: TaskQueue | undefined =
    schedulerConfig.taskQueue.type === executorConfig.taskQueue.type &&
    executorConfig.taskQueue.type === 'memory'
      ? executorBuilt.providers.taskQueue
      : undefined;
  let schedulerBuilt;
  try {
    schedulerBuilt = await buildScheduler(
      schedulerConfig,
      registry,
      logger,
      {
        clock,
        backFillFrom: 'full',
        ...(sharedQueue === undefined ? {} : { taskQueue: sharedQueue }),
      },
      stop,
    );
  } catch (error) {
    await closeAll(executorBuilt.parts, logger);
    throw error;
  }
  const { scheduler } = schedulerBuilt;
  const { executor, providers } = executorBuilt;

  let tally: TaskTally | undefined;
  let catchUpPending = true;
  /** The catch-up's slots are still being scheduled: more windows may come. */
  let scheduling = true;
  let catchUpDone: (() => void) | undefined;
  const catchUpFinished = new Promise<void>((resolve) => {
    catchUpDone = resolve;
  });
  const endCatchUpWhenDone = (): void => {
    if (catchUpPending && !scheduling && tally !== undefined && tally.outstanding === 0) {
      catchUpPending = false;
      catchUpDone?.();
    }
  };
  const summary = (): EmbeddedSummary => ({
    ...(tally?.counts ?? emptyCounts()),
    location: providers.storage.location?.(),
    failures: tally?.failures ?? [],
  });

  const executorStop = new AbortController();
  const onStop = (): void => executorStop.abort();
  stop.addEventListener('abort', onStop, { once: true });
  let executorRun: Promise<void> = Promise.resolve();
  try {
    const startingPoint = await scheduler.startingPoint(clock.now(), stop);
    // Only the tasks this run schedules count as windows, told by their ids: a real queue may
    // hold older tasks (an earlier run's, another scheduler's) that the executor takes as well.
    const counting = new TaskTally(scheduler.grid, startingPoint, clock.now(), (report, origin) => {
      observer.taskFinished(report, counting.counts, origin);
      endCatchUpWhenDone();
    });
    tally = counting;
    executor.onTask((report) => counting.taskFinished(report));
    scheduler.onSlot((report) => {
      counting.slotScheduled(report);
      if (!catchUpPending) {
        observer.slotScheduled(isoUtc(report.slot.slotMs), report.tasks.length);
      }
    });
    observer.catchUpStarted(scheduler.dueSlots(startingPoint).length);
    // The executor works while the catch-up is scheduled: a task queue smaller than the
    // catch-up (task_queue.capacity) fills up, and only the executor can make room in it.
    executorRun = executor.run(executorStop.signal);
    const done = await scheduler.catchUp(startingPoint, stop);
    scheduling = false;
    endCatchUpWhenDone();
    await Promise.race([catchUpFinished, abortPromise(stop)]);
    const goOn = !options.once && done !== undefined && !stop.aborted;
    if (!goOn) {
      counting.endOfSlots();
    }
    observer.catchUpFinished(summary());
    if (goOn) {
      await scheduler.run(stop, done);
    }
  } finally {
    executorStop.abort();
    stop.removeEventListener('abort', onStop);
    await executorRun;
    tally?.endOfSlots();
    await closeAll([...schedulerBuilt.parts, ...executorBuilt.parts], logger);
  }
  return summary();
}

function abortPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/**
 * In one process the scheduler's tasks reach the executor through one shared memory queue, or
 * through a real queue both use. A memory queue on one side only would be private to it: the
 * run would wait for ever, so it is a configuration error.
 */
function checkQueuesMeet(schedulerConfig: SchedulerConfig, executorConfig: ExecutorConfig): void {
  const scheduler = schedulerConfig.taskQueue.type;
  const executor = executorConfig.taskQueue.type;
  const files = `${schedulerConfig.files.at(-1) ?? 'scheduler config'} and ${executorConfig.files.at(-1) ?? 'executor config'}`;
  if (scheduler !== executor && (scheduler === 'memory' || executor === 'memory')) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `task_queue: the scheduler's is ${scheduler} and the executor's is ${executor} (${files}); in one process both must be memory, or both the same real queue`,
      { context: { scheduler, executor } },
    );
  }
  if (scheduler === 'kafka' && executor === 'kafka') {
    checkKafkaQueuesMeet(
      resolveKafkaSettings(schedulerConfig.taskQueue.options as KafkaTaskQueueConfig),
      resolveKafkaSettings(executorConfig.taskQueue.options as KafkaTaskQueueConfig),
      files,
    );
  }
}

/**
 * The run waits until the executor finished every window the scheduler published, so the
 * executor must read what the scheduler writes: the same topic on the same brokers, from the
 * earliest offset (with `latest`, a new consumer group skips the slots published before it
 * joined, and the run would wait for them for ever).
 */
function checkKafkaQueuesMeet(
  scheduler: KafkaSettings,
  executor: KafkaSettings,
  files: string,
): void {
  const brokers = (settings: KafkaSettings): string => [...settings.brokers].sort().join(',');
  if (scheduler.topic !== executor.topic || brokers(scheduler) !== brokers(executor)) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `task_queue: the scheduler publishes to topic "${scheduler.topic}" on ${scheduler.brokerLabel} and the executor reads topic "${executor.topic}" on ${executor.brokerLabel} (${files}); in one process both must name the same topic on the same brokers`,
      { context: { schedulerTopic: scheduler.topic, executorTopic: executor.topic } },
    );
  }
  if (!executor.fromBeginning) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `task_queue: the executor's auto.offset.reset reads only messages published after it joined its group (${files}); in one process the executor must read from the earliest offset (smallest, earliest or beginning: the default), or it misses the slots the scheduler published first`,
      { context: { topic: executor.topic } },
    );
  }
}
