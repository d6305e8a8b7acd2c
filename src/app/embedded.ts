import type { ExecutorConfig, SchedulerConfig } from '../config/resolve.js';
import { describeError, LatigoError } from '../errors/index.js';
import { formatRange, isoUtc } from '../domain/time-range.js';
import type { TaskQueue } from '../interfaces/index.js';
import type { Logger } from '../logging/logger.js';
import type { ProviderRegistry } from '../registry/registry.js';
import type { TaskReport } from '../executor/executor.js';
import type { Clock } from '../util/clock.js';
import { buildExecutor } from './build-executor.js';
import { buildScheduler } from './build-scheduler.js';
import { closeAll } from './lifecycle.js';

/** What the embedded run reports to its caller (the CLI draws it). */
export interface EmbeddedObserver {
  /** The catch-up is about to schedule `slots` slots (one window per model each). */
  catchUpStarted(slots: number): void;
  /** A window of the catch-up or of a later slot finished. */
  taskFinished(report: TaskReport, counts: EmbeddedCounts): void;
  /** Every catch-up window is done. */
  catchUpFinished(summary: EmbeddedSummary): void;
  /** A later slot was scheduled. */
  slotScheduled(slotIso: string, windows: number): void;
}

export interface EmbeddedCounts {
  /** Windows scheduled so far. */
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Slots scheduled so far (the catch-up's first, then the schedule's). */
  readonly slots: number;
}

export interface EmbeddedSummary extends EmbeddedCounts {
  readonly rows: number;
  readonly points: number;
  readonly skipped: number;
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

  const counts = { total: 0, succeeded: 0, failed: 0, rows: 0, points: 0, skipped: 0, slots: 0 };
  const failures: string[] = [];
  let catchUpPending = true;
  /** The catch-up's slots are still being scheduled: `counts.total` may grow. */
  let scheduling = true;
  let catchUpDone: (() => void) | undefined;
  const catchUpFinished = new Promise<void>((resolve) => {
    catchUpDone = resolve;
  });
  const summary = (): EmbeddedSummary => ({
    ...counts,
    location: providers.storage.location?.(),
    failures: [...failures],
  });

  executor.onTask((report) => {
    if (report.status === 'succeeded') {
      counts.succeeded += 1;
      counts.rows += report.result.rows;
      counts.points += report.result.points;
      counts.skipped += report.result.skipped;
    } else if (report.status === 'failed') {
      counts.failed += 1;
      if (failures.length < 10) {
        failures.push(
          `${report.task.project}/${report.task.model} ${formatRange(report.task.window)}: ${describeError(report.error)}`,
        );
      }
    }
    observer.taskFinished(report, counts);
    if (catchUpPending && !scheduling && counts.succeeded + counts.failed >= counts.total) {
      catchUpPending = false;
      catchUpDone?.();
    }
  });

  const executorStop = new AbortController();
  const onStop = (): void => executorStop.abort();
  stop.addEventListener('abort', onStop, { once: true });
  let executorRun: Promise<void> = Promise.resolve();
  try {
    const startingPoint = await scheduler.startingPoint(clock.now(), stop);
    scheduler.onSlot((report) => {
      counts.total += report.tasks.length;
      counts.slots += 1;
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
    if (counts.total === 0 || counts.succeeded + counts.failed >= counts.total) {
      catchUpPending = false;
      catchUpDone?.();
    }
    await Promise.race([catchUpFinished, abortPromise(stop)]);
    observer.catchUpFinished(summary());
    if (!options.once && done !== undefined && !stop.aborted) {
      await scheduler.run(stop, done);
    }
  } finally {
    executorStop.abort();
    stop.removeEventListener('abort', onStop);
    await executorRun;
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
  if (scheduler !== executor && (scheduler === 'memory' || executor === 'memory')) {
    const files = `${schedulerConfig.files.at(-1) ?? 'scheduler config'} and ${executorConfig.files.at(-1) ?? 'executor config'}`;
    throw new LatigoError(
      'CONFIG_INVALID',
      `task_queue: the scheduler's is ${scheduler} and the executor's is ${executor} (${files}); in one process both must be memory, or both the same real queue`,
      { context: { scheduler, executor } },
    );
  }
}
