import type { Delivery } from '../interfaces/index.js';

/** One `receive` call waiting for a task. */
export interface WaitingReceiver {
  resolve(delivery: Delivery | undefined): void;
  reject(error: Error): void;
}

interface Entry extends WaitingReceiver {
  readonly signal: AbortSignal;
}

/**
 * The `receive` calls waiting for a task, oldest first. An executor passes the same stop signal
 * to all its concurrent calls, so each signal gets one abort listener however many calls share
 * it; an abort resolves that signal's calls with undefined.
 */
export class WaitingReceivers {
  private readonly queue: Entry[] = [];
  private readonly bySignal = new Map<AbortSignal, { entries: Set<Entry>; onAbort: () => void }>();

  get size(): number {
    return this.queue.length;
  }

  /** A new waiting call; resolves with the delivery handed to it, or undefined on abort. */
  wait(signal: AbortSignal): Promise<Delivery | undefined> {
    return new Promise((resolve, reject) => {
      const entry: Entry = { signal, resolve, reject };
      this.queue.push(entry);
      let watched = this.bySignal.get(signal);
      if (watched === undefined) {
        const entries = new Set<Entry>();
        const onAbort = (): void => {
          this.bySignal.delete(signal);
          for (const aborted of entries) {
            this.removeFromQueue(aborted);
            aborted.resolve(undefined);
          }
        };
        watched = { entries, onAbort };
        this.bySignal.set(signal, watched);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      watched.entries.add(entry);
    });
  }

  /** The oldest waiting call, no longer waiting; undefined when there is none. */
  take(): WaitingReceiver | undefined {
    const entry = this.queue.shift();
    if (entry !== undefined) {
      this.unwatch(entry);
    }
    return entry;
  }

  /** Ends every waiting call with undefined (closing). */
  resolveAll(): void {
    for (let entry = this.take(); entry !== undefined; entry = this.take()) {
      entry.resolve(undefined);
    }
  }

  /** Ends every waiting call with `error`. */
  rejectAll(error: Error): void {
    for (let entry = this.take(); entry !== undefined; entry = this.take()) {
      entry.reject(error);
    }
  }

  private unwatch(entry: Entry): void {
    const watched = this.bySignal.get(entry.signal);
    if (watched === undefined) {
      return;
    }
    watched.entries.delete(entry);
    if (watched.entries.size === 0) {
      entry.signal.removeEventListener('abort', watched.onAbort);
      this.bySignal.delete(entry.signal);
    }
  }

  private removeFromQueue(entry: Entry): void {
    const index = this.queue.indexOf(entry);
    if (index >= 0) {
      this.queue.splice(index, 1);
    }
  }
}
