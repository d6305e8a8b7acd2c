import { getEventListeners } from 'node:events';
import { performance } from 'node:perf_hooks';

import { Fifo } from '../util/fifo.js';
import { MAX_TIMER_MS } from '../util/timers.js';

/**
 * The abort signal of one task, aborted when the task's deadline passes or when the executor
 * releases its in-flight tasks (the shutdown grace expired), whichever comes first. Made by
 * `InFlightTasks.start`, which watches every deadline with one timer.
 */
export class TaskSignal {
  private rejectWait: ((reason: Error) => void) | undefined;
  private timedOutFlag = false;
  private releasedFlag = false;
  /**
   * Whether this signal aborted the controller. Only a TaskSignal aborts its controller (a
   * controller is used again only when never aborted), and this field is cheaper to read than
   * the signal's `aborted`, which is checked on every task.
   */
  private abortedFlag = false;
  /** Set once the task ended: its deadline no longer matters. */
  ended = false;

  constructor(
    readonly controller: AbortController,
    /** When the task started, on the clock of the InFlightTasks that made it. */
    readonly startedAt: number,
    /** When the deadline passes, on the same clock. */
    readonly deadline: number,
  ) {
    this.signal = controller.signal;
  }

  /** The controller's signal, read once: the getter is checked on every call. */
  readonly signal: AbortSignal;

  /** Whether the deadline passed (and the signal aborted for it). */
  get timedOut(): boolean {
    return this.timedOutFlag;
  }

  /** Whether the executor released the task (and the signal aborted for it). */
  get released(): boolean {
    return this.releasedFlag;
  }

  /**
   * Settles like `promise`, or rejects with the abort reason as soon as the signal aborts, so a
   * provider that ignores its signal cannot hold the task past its deadline. The promise keeps
   * running; its late result is dropped. One wait at a time.
   */
  wait<T>(promise: Promise<T>): Promise<T> {
    if (this.abortedFlag) {
      promise.catch(() => undefined);
      return Promise.reject(this.reason());
    }
    // Settling twice is harmless: whichever of the promise and the abort comes second is
    // ignored. No wrapper closures: they were a measurable part of a task.
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      promise.then(resolve, reject);
    });
  }

  /** Aborts the task for redelivery, with `reason` as the signal's reason. */
  release(reason: Error): void {
    if (this.abortedFlag) {
      // Past its deadline already: still released, as the task is not finished.
      this.releasedFlag = true;
      return;
    }
    this.releasedFlag = true;
    this.abort(reason);
  }

  /** The deadline passed. */
  expire(): void {
    if (this.ended || this.abortedFlag) {
      return;
    }
    this.timedOutFlag = true;
    // The reason AbortSignal.timeout gives, which providers may look for.
    this.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  /** Whether the signal was aborted (deadline or release). */
  get aborted(): boolean {
    return this.abortedFlag;
  }

  private abort(reason: Error): void {
    this.abortedFlag = true;
    this.controller.abort(reason);
    const reject = this.rejectWait;
    this.rejectWait = undefined;
    reject?.(reason);
  }

  private reason(): Error {
    const reason: unknown = this.signal.reason;
    return reason instanceof Error ? reason : new Error(String(reason));
  }
}

export interface InFlightTasksOptions {
  /** Deadline of each task from its start. */
  readonly timeoutMs: number;
  /** A monotonic clock in milliseconds. */
  readonly now?: () => number;
}

/**
 * The tasks in flight in one executor run: their deadlines, and releasing them all when the
 * shutdown grace expires.
 *
 * Cheap per task, as an executor runs thousands a slot: every task has the same timeout, so
 * deadlines come in the order tasks start, and one timer set for the oldest deadline watches them
 * all (no timer per task). A worker hands its previous task's controller back to `start`, which
 * uses it again when that task ended without an abort and nothing listens on its signal any more;
 * a new AbortController per task cost about as much as the rest of a task's own work.
 */
export class InFlightTasks {
  /** Started tasks by deadline, oldest first; ended ones are dropped when they reach the front. */
  private readonly queue = new Fifo<TaskSignal>();
  private readonly running = new Set<TaskSignal>();
  private timer: NodeJS.Timeout | undefined;
  private releasedBy: Error | undefined;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(options: InFlightTasksOptions) {
    this.timeoutMs = options.timeoutMs;
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The signal of a task starting now; released at once when the run released its tasks.
   * `previous` is the signal of the worker's last task, whose controller may be used again.
   */
  start(previous?: TaskSignal): TaskSignal {
    const controller =
      previous !== undefined && reusable(previous) ? previous.controller : new AbortController();
    const now = this.now();
    const signal = new TaskSignal(controller, now, now + this.timeoutMs);
    if (this.releasedBy !== undefined) {
      signal.release(this.releasedBy);
      return signal;
    }
    this.running.add(signal);
    this.queue.push(signal);
    this.dropEnded();
    if (this.timer === undefined) {
      this.arm();
    }
    return signal;
  }

  /** The task ended: its deadline no longer runs. */
  end(signal: TaskSignal): void {
    signal.ended = true;
    this.running.delete(signal);
    if (this.running.size === 0) {
      // The timer stays set: it does not hold the process (unref), and every later task's
      // deadline is later than the one it waits for, so it serves them too (firing re-arms it).
      // Clearing and setting it again each time the executor ran out of tasks cost more than
      // the rest of a task's deadline.
      this.queue.clear();
    }
  }

  /** Aborts every task in flight and every task started from now on, with `reason`. */
  releaseAll(reason: Error): void {
    this.releasedBy = reason;
    for (const signal of this.running) {
      signal.release(reason);
    }
    this.running.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.clear();
  }

  /** Tasks started and not ended. */
  get size(): number {
    return this.running.size;
  }

  private arm(): void {
    const next = this.queue.peek();
    if (next === undefined) {
      return;
    }
    // A deadline beyond the longest timer is reached in steps: `fire` re-arms until it is due.
    const delayMs = Math.min(MAX_TIMER_MS, Math.max(0, next.deadline - this.now()));
    this.timer = setTimeout(() => this.fire(), delayMs);
    // Like AbortSignal.timeout: a pending deadline alone does not keep the process running.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.now();
    for (let next = this.queue.peek(); next !== undefined; next = this.queue.peek()) {
      if (!next.ended && next.deadline > now) {
        break;
      }
      this.queue.shift();
      next.expire();
    }
    this.dropEnded();
    this.arm();
  }

  /** Drops ended tasks from the front. */
  private dropEnded(): void {
    while (this.queue.peek()?.ended === true) {
      this.queue.shift();
    }
  }
}

/** Whether a finished task's controller can serve the next task: never aborted, no listener left. */
function reusable(previous: TaskSignal): boolean {
  const { signal } = previous;
  return previous.ended && !previous.aborted && getEventListeners(signal, 'abort').length === 0;
}
