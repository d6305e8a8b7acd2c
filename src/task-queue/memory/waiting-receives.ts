import type { Delivery } from '../../interfaces/index.js';

interface Waiting {
  readonly resolve: (delivery: Delivery | undefined) => void;
  readonly signal: AbortSignal;
}

/**
 * The `receive` calls of a memory task queue waiting for a task, oldest first. An executor gives
 * all its workers one stop signal, so the signal gets one abort listener however many receives
 * wait on it: a listener each would trip Node's MaxListenersExceededWarning with more than ten
 * workers, and adding and removing them was a cost of its own.
 */
export class WaitingReceives {
  private readonly queue: Waiting[] = [];
  private readonly watched = new Map<AbortSignal, { count: number; onAbort: () => void }>();

  /** A new waiting receive; resolves with the delivery handed to it, or undefined on abort. */
  wait(signal: AbortSignal): Promise<Delivery | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ resolve, signal });
      const watch = this.watched.get(signal);
      if (watch !== undefined) {
        watch.count += 1;
        return;
      }
      const onAbort = (): void => this.abort(signal);
      this.watched.set(signal, { count: 1, onAbort });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The oldest waiting receive, no longer waiting (its resolve); undefined when none waits. */
  take(): ((delivery: Delivery | undefined) => void) | undefined {
    const waiting = this.queue.shift();
    if (waiting === undefined) {
      return undefined;
    }
    this.unwatch(waiting.signal);
    return waiting.resolve;
  }

  /** Ends every waiting receive with undefined (closing). */
  resolveAll(): void {
    for (const [signal, watch] of this.watched) {
      signal.removeEventListener('abort', watch.onAbort);
    }
    this.watched.clear();
    for (const waiting of this.queue.splice(0)) {
      waiting.resolve(undefined);
    }
  }

  /** `signal` aborted: every receive waiting on it ends with undefined. */
  private abort(signal: AbortSignal): void {
    this.watched.delete(signal);
    const aborted = this.queue.filter((waiting) => waiting.signal === signal);
    const others = this.queue.filter((waiting) => waiting.signal !== signal);
    this.queue.splice(0, this.queue.length, ...others);
    for (const waiting of aborted) {
      waiting.resolve(undefined);
    }
  }

  private unwatch(signal: AbortSignal): void {
    const watch = this.watched.get(signal);
    if (watch === undefined) {
      return;
    }
    watch.count -= 1;
    if (watch.count === 0) {
      signal.removeEventListener('abort', watch.onAbort);
      this.watched.delete(signal);
    }
  }
}
