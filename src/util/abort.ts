/** The callbacks waiting for one signal's abort, and the one listener that serves them all. */
interface Watch {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const watches = new WeakMap<AbortSignal, Watch>();

/**
 * Calls `callback` once when `signal` aborts; the returned function stops waiting. However many
 * wait at once, the signal carries one abort listener: with one listener per waiting call (as
 * `AbortSignal.any` or a listener per request gives) a scheduler listing many projects under one
 * stop signal made Node warn about a listener leak past ten.
 */
export function whenAborted(signal: AbortSignal, callback: () => void): () => void {
  let watch = watches.get(signal);
  if (watch === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      watches.delete(signal);
      const waiting = [...callbacks];
      callbacks.clear();
      for (const waiter of waiting) {
        waiter();
      }
    };
    watch = { callbacks, listener };
    watches.set(signal, watch);
    signal.addEventListener('abort', listener, { once: true });
  }
  const current = watch;
  current.callbacks.add(callback);
  return () => {
    if (!current.callbacks.delete(callback) || current.callbacks.size > 0) {
      return;
    }
    if (watches.get(signal) === current) {
      watches.delete(signal);
      signal.removeEventListener('abort', current.listener);
    }
  };
}

/** A controller that also aborts, with the same reason, when `parent` does. */
export interface FollowingController {
  readonly controller: AbortController;
  /** Stops following `parent`; call once the work is over. */
  release(): void;
}

/**
 * An AbortController whose signal aborts when `parent` aborts or when it is aborted itself: what
 * `AbortSignal.any([own, parent])` does, with one listener on `parent` for all of them.
 */
export function followSignal(parent: AbortSignal | undefined): FollowingController {
  const controller = new AbortController();
  if (parent === undefined) {
    return { controller, release: () => undefined };
  }
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, release: () => undefined };
  }
  const release = whenAborted(parent, () => controller.abort(parent.reason));
  return { controller, release };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as `signal` aborts, so a
 * provider that ignores its signal cannot hold a task past its deadline. The promise keeps
 * running; its late result is dropped.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const stopWaiting = whenAborted(signal, () => reject(abortReason(signal)));
    promise.then(
      (value) => {
        stopWaiting();
        resolve(value);
      },
      (error: unknown) => {
        stopWaiting();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Whether `error` came from an abort: an AbortError, a TASK_ABORTED error, or an error caused by
 * one (a client wraps the abort of its request). What a stop request leaves behind, as opposed
 * to a failure of its own.
 */
export function causedByAbort(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current instanceof Error; depth += 1) {
    if (current.name === 'AbortError' || (current as { code?: unknown }).code === 'TASK_ABORTED') {
      return true;
    }
    current = current.cause;
  }
  return false;
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) {
    return reason;
  }
  const error = new Error('aborted');
  error.name = 'AbortError';
  return error;
}
