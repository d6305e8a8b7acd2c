import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

import { formatDuration } from '../config/duration.js';
import { describeError, LatigoError, toLatigoError } from '../errors/index.js';
import { formatRange } from '../domain/time-range.js';
import { taskLogFields, type Task } from '../domain/task.js';
import type { Delivery, TaskOutcome } from '../interfaces/index.js';
import type { Logger } from '../logging/logger.js';
import type { ExecutorProviders } from './providers.js';
import { isAbortError, runTask, type TaskResult } from './run-task.js';
import { InFlightTasks, type TaskSignal } from './task-signal.js';

export interface ExecutorOptions {
  /** Tasks in flight at once. */
  readonly instanceCount: number;
  /** Deadline of one task, every attempt included. */
  readonly taskTimeoutMs: number;
  /** Attempts on retriable errors before the task is given up. */
  readonly taskAttempts: number;
  /** Wait before the first retry; doubles with each attempt. */
  readonly taskRetryDelayMs: number;
  /** Longest window a task may ask for. */
  readonly maxWindowMs: number;
  /** After a stop is asked, how long in-flight tasks may take before they are aborted. */
  readonly shutdownGraceMs: number;
}

/** How one delivered task ended, as logged and reported to listeners. */
export type TaskReport =
  | {
      readonly status: 'succeeded';
      readonly task: Task;
      readonly result: TaskResult;
      readonly attempts: number;
      readonly durationMs: number;
    }
  | {
      readonly status: 'failed';
      readonly task: Task;
      readonly error: LatigoError;
      readonly attempts: number;
      readonly durationMs: number;
    }
  | { readonly status: 'released'; readonly task: Task; readonly durationMs: number };

export type ExecutorState = 'idle' | 'running' | 'draining' | 'stopped';

type TaskLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The executor loop: `instanceCount` workers each take a task from the queue, run it with retries
 * and a deadline, and acknowledge it. A failing task is logged and given up; the loop goes on.
 */
export class Executor {
  private state: ExecutorState = 'idle';
  private readonly listeners: ((report: TaskReport) => void)[] = [];
  /** Which task levels the logger writes, read once: asking pino costs per line at every task. */
  private readonly logs: Readonly<Record<TaskLogLevel, boolean>>;

  constructor(
    private readonly providers: ExecutorProviders,
    private readonly options: ExecutorOptions,
    private readonly logger: Logger,
  ) {
    this.logs = {
      debug: logger.isLevelEnabled('debug'),
      info: logger.isLevelEnabled('info'),
      warn: logger.isLevelEnabled('warn'),
      error: logger.isLevelEnabled('error'),
    };
  }

  /** Called after every task with how it ended. */
  onTask(listener: (report: TaskReport) => void): void {
    this.listeners.push(listener);
  }

  getState(): ExecutorState {
    return this.state;
  }

  /**
   * Runs until `stop` aborts: then stops taking tasks, lets in-flight tasks finish within the
   * shutdown grace, aborts (releases) the rest, and resolves.
   */
  async run(stop: AbortSignal): Promise<void> {
    this.transition('running');
    const inFlight = new InFlightTasks({ timeoutMs: this.options.taskTimeoutMs });
    let stopped = (): void => undefined;
    // Workers pausing after a failed receive wait for this, not each with a listener on `stop`.
    const whenStopped = new Promise<void>((resolve) => {
      stopped = resolve;
    });
    const onStop = (): void => {
      this.transition('draining');
      stopped();
      const timer = setTimeout(
        () => inFlight.releaseAll(new LatigoError('TASK_ABORTED', 'shutdown grace expired')),
        this.options.shutdownGraceMs,
      );
      timer.unref();
    };
    if (stop.aborted) {
      onStop();
    } else {
      stop.addEventListener('abort', onStop, { once: true });
    }
    const workers = Array.from({ length: this.options.instanceCount }, (_unused, index) =>
      this.worker(index, stop, whenStopped, inFlight),
    );
    await Promise.all(workers);
    stop.removeEventListener('abort', onStop);
    this.transition('stopped');
  }

  /**
   * One worker: receives a task, runs it, acknowledges it and reports it, until stopped. All in
   * this one async function: a second one per task was a measurable part of a task's cost.
   */
  private async worker(
    index: number,
    stop: AbortSignal,
    whenStopped: Promise<void>,
    inFlight: InFlightTasks,
  ): Promise<void> {
    // The signal of this worker's last task; its controller may serve the next one.
    let previous: TaskSignal | undefined;
    while (!stop.aborted) {
      let delivery: Delivery | undefined;
      try {
        delivery = await this.providers.taskQueue.receive(stop);
      } catch (error) {
        this.logger.error({ err: toLatigoError(error), worker: index }, 'receiving a task failed');
        if (!stop.aborted) {
          await pause(1_000, whenStopped);
        }
        continue;
      }
      if (delivery === undefined) {
        return;
      }
      const { task } = delivery;
      this.logTask('debug', task, { redeliveries: delivery.redeliveries }, 'task started');
      let report: TaskReport;
      const windowMs = task.window.toMs - task.window.fromMs;
      if (windowMs > this.options.maxWindowMs) {
        report = this.tooLong(task, windowMs);
      } else {
        const control = inFlight.start(previous);
        previous = control;
        const started = control.startedAt;
        try {
          // The first attempt runs here rather than in `retry`: one async step less per task.
          const result = await control.wait(runTask(task, this.providers, control.signal));
          report = {
            status: 'succeeded',
            task,
            result,
            attempts: 1,
            durationMs: elapsedSince(started),
          };
        } catch (caught) {
          report = await this.retry(task, control, started, caught);
        } finally {
          inFlight.end(control);
        }
      }
      try {
        await this.providers.taskQueue.acknowledge(delivery, outcomeOf(report));
      } catch (error) {
        this.logTask('error', task, { err: toLatigoError(error) }, 'acknowledging a task failed');
      }
      this.log(report);
      for (const listener of this.listeners) {
        listener(report);
      }
    }
  }

  private tooLong(task: Task, windowMs: number): TaskReport {
    const error = new LatigoError(
      'TASK_INVALID',
      `the window ${formatRange(task.window)} is longer than executor.max_window`,
      {
        context: { windowMs, maxWindowMs: this.options.maxWindowMs },
      },
    );
    return { status: 'failed', task, error, attempts: 0, durationMs: 0 };
  }

  /**
   * After the first attempt failed with `firstCaught`: retries the task until it succeeds, fails
   * for good, times out or is released.
   */
  private async retry(
    task: Task,
    control: TaskSignal,
    started: number,
    firstCaught: unknown,
  ): Promise<TaskReport> {
    const elapsed = (): number => elapsedSince(started);
    const { signal } = control;
    let attempt = 1;
    let caught = firstCaught;
    /** The error of the last attempt that failed and was retried, for a timeout's reason. */
    let lastFailure: LatigoError | undefined;
    for (;;) {
      if (control.released) {
        return { status: 'released', task, durationMs: elapsed() };
      }
      const error = control.timedOut
        ? this.timeoutError(caught, lastFailure)
        : isAbortError(caught)
          ? toLatigoError(caught, 'TASK_ABORTED')
          : toLatigoError(caught);
      if (!error.retriable || attempt >= this.options.taskAttempts || control.timedOut) {
        return { status: 'failed', task, error, attempts: attempt, durationMs: elapsed() };
      }
      lastFailure = error;
      const delayMs = this.options.taskRetryDelayMs * 2 ** (attempt - 1);
      this.logTask(
        'info',
        task,
        { attempt, delayMs, code: error.code, reason: describeError(error) },
        'task attempt failed, retrying',
      );
      try {
        await sleep(delayMs, undefined, { signal });
      } catch {
        if (control.released) {
          return { status: 'released', task, durationMs: elapsed() };
        }
      }
      attempt += 1;
      try {
        const result = await control.wait(runTask(task, this.providers, signal));
        return { status: 'succeeded', task, result, attempts: attempt, durationMs: elapsed() };
      } catch (next) {
        caught = next;
      }
    }
  }

  /** TASK_TIMEOUT, saying the deadline and how the attempt before went, if one failed. */
  private timeoutError(caught: unknown, lastFailure: LatigoError | undefined): LatigoError {
    const { taskTimeoutMs } = this.options;
    const before =
      lastFailure === undefined
        ? ''
        : `; the attempt before failed with ${describeError(lastFailure)}`;
    return new LatigoError(
      'TASK_TIMEOUT',
      `the task did not finish within executor.task_timeout (${formatDuration(taskTimeoutMs)})${before}`,
      {
        cause: caught,
        context: {
          taskTimeoutMs,
          ...(lastFailure === undefined ? {} : { lastCode: lastFailure.code }),
        },
      },
    );
  }

  /** The outcome line of a task: one per task. */
  private log(report: TaskReport): void {
    const { task } = report;
    if (report.status === 'succeeded') {
      if (!this.logs.info) {
        return;
      }
      this.logTask(
        'info',
        task,
        {
          attempts: report.attempts,
          rows: report.result.rows,
          points: report.result.points,
          skipped: report.result.skipped,
          durationMs: report.durationMs,
        },
        'task succeeded',
      );
    } else if (report.status === 'failed') {
      this.logTask(
        'warn',
        task,
        {
          attempts: report.attempts,
          durationMs: report.durationMs,
          code: report.error.code,
          retriable: report.error.retriable,
          reason: `model ${task.project}/${task.model} window ${formatRange(task.window)}: ${describeError(report.error)}`,
        },
        'task failed',
      );
    } else {
      this.logTask('info', task, { durationMs: report.durationMs }, 'task released for redelivery');
    }
  }

  /**
   * Logs one line about a task, with the task's fields (id, project, model, window) before
   * `fields`. Nothing is built when the level is off: at thousands of tasks a slot, a child
   * logger per task or fields formatted for nothing are a large part of a task's cost.
   */
  private logTask(level: TaskLogLevel, task: Task, fields: object, message: string): void {
    if (this.logs[level]) {
      // Object.assign: spreading both into a new literal cost microseconds a line.
      this.logger[level](Object.assign(taskLogFields(task), fields), message);
    }
  }

  private transition(next: ExecutorState): void {
    if (this.state === next) {
      return;
    }
    this.logger.info({ from: this.state, to: next }, 'executor state changed');
    this.state = next;
  }
}

/** The outcome of every task that succeeded. */
const SUCCEEDED: TaskOutcome = { status: 'succeeded' };

/** What the queue is told of a task that ended with `report`. */
function outcomeOf(report: TaskReport): TaskOutcome {
  return report.status === 'succeeded'
    ? SUCCEEDED
    : report.status === 'failed'
      ? { status: 'failed', error: report.error, attempts: report.attempts }
      : { status: 'released' };
}

/** Whole milliseconds since `started` (a `performance.now()` reading). */
function elapsedSince(started: number): number {
  return Math.round(performance.now() - started);
}

/** Waits `ms`, or less when the executor is stopped first. */
async function pause(ms: number, whenStopped: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([elapsed, whenStopped]);
  } finally {
    clearTimeout(timer);
  }
}
