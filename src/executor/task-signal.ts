/**
 * The abort signal of one task, aborted when the task's deadline passes or when the executor
 * releases its in-flight tasks (the shutdown grace expired), whichever comes first.
 *
 * One controller and one timer per task: `AbortSignal.timeout` with `AbortSignal.any` cost about
 * as much as the rest of a task's own work, and waiting for the abort needs no event listener,
 * because the abort comes from here.
 */
export class TaskSignal {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private rejectWait: ((reason: Error) => void) | undefined;
  private timedOutFlag = false;
  private releasedFlag = false;

  constructor(timeoutMs: number) {
    this.timer = setTimeout(() => this.expire(), timeoutMs);
    // Like AbortSignal.timeout: a pending deadline alone does not keep the process running.
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

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
    if (this.signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(this.reason());
    }
    return new Promise<T>((resolve, reject) => {
      this.rejectWait = reject;
      promise.then(
        (value) => {
          this.rejectWait = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.rejectWait = undefined;
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Aborts the task for redelivery, with `reason` as the signal's reason. */
  release(reason: Error): void {
    if (this.signal.aborted) {
      // Past its deadline already: still released, as the task is not finished.
      this.releasedFlag = true;
      return;
    }
    this.releasedFlag = true;
    this.abort(reason);
  }

  /** Stops the deadline timer; call once the task has ended. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  private expire(): void {
    if (this.signal.aborted) {
      return;
    }
    this.timedOutFlag = true;
    // The reason AbortSignal.timeout gives, which providers may look for.
    this.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }

  private abort(reason: Error): void {
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

/**
 * The signals of the tasks in flight in one executor run, so that the executor can release them
 * all when the shutdown grace expires (with no listener per task on a shared signal).
 */
export class InFlightTasks {
  private readonly signals = new Set<TaskSignal>();
  private releasedBy: Error | undefined;

  constructor(private readonly timeoutMs: number) {}

  /** The signal of a task starting now; released at once when the run released its tasks. */
  start(): TaskSignal {
    const signal = new TaskSignal(this.timeoutMs);
    if (this.releasedBy === undefined) {
      this.signals.add(signal);
    } else {
      signal.release(this.releasedBy);
    }
    return signal;
  }

  /** The task ended: its deadline no longer runs. */
  end(signal: TaskSignal): void {
    signal.dispose();
    this.signals.delete(signal);
  }

  /** Aborts every task in flight and every task started from now on, with `reason`. */
  releaseAll(reason: Error): void {
    this.releasedBy = reason;
    for (const signal of this.signals) {
      signal.release(reason);
    }
    this.signals.clear();
  }
}
