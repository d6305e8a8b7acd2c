import { LatigoError, isLatigoError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { whenAborted } from '../util/abort.js';

/** How an operation is retried. All durations in milliseconds. */
export interface RetryPolicy {
  /** Total attempts, at least 1 (1 means no retry). */
  readonly attempts: number;
  /** Backoff before the second attempt; doubles each further attempt. */
  readonly baseDelayMs: number;
  /** Cap of one backoff. */
  readonly maxDelayMs: number;
  /** Cap on a server's Retry-After; a longer wait is cut to this. */
  readonly maxRetryAfterMs: number;
  /** Share (0..1) of each backoff that is random, so many clients do not retry in step. */
  readonly jitter: number;
}

/** 4 attempts, 500 ms doubling up to 30 s, Retry-After honoured up to 60 s, 20 % jitter. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
  jitter: 0.2,
};

export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  readonly signal?: AbortSignal | undefined;
  readonly logger?: Logger | undefined;
  /** Replaces the real wait, e.g. to record delays. */
  readonly sleep?: SleepFunction | undefined;
  /** Source of randomness in [0, 1) for jitter; Math.random by default. */
  readonly random?: (() => number) | undefined;
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retriable, or runs out of
 * attempts. Only LatigoErrors with `retriable: true` are retried; anything else is thrown at once.
 * A `retryAfterMs` number in the error's context (a server's Retry-After) replaces the backoff,
 * capped at `maxRetryAfterMs`. On exhaustion the last error is thrown as it was. An abort stops
 * the waiting and throws TASK_ABORTED.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? abortableSleep;
  const attempts = Math.max(1, Math.floor(policy.attempts));

  for (let attempt = 1; ; attempt += 1) {
    throwIfAborted(options.signal);
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isLatigoError(error) || !error.retriable || attempt >= attempts) {
        throw error;
      }
      if (options.signal?.aborted === true) {
        throw abortedError(options.signal);
      }
      const delayMs = retryDelayMs(attempt, policy, error, options.random ?? Math.random);
      options.logger?.debug(
        { err: error, attempt, attempts, delayMs, code: error.code },
        'retrying after a retriable failure',
      );
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * The wait before attempt `attempt + 1`: the server's Retry-After when the error carries one
 * (capped), else exponential backoff with jitter (capped).
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  error: LatigoError,
  random: () => number = Math.random,
): number {
  const retryAfterMs = error.context['retryAfterMs'];
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) {
    return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  }
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  const capped = Math.min(exponential, policy.maxDelayMs);
  const jitter = Math.min(Math.max(policy.jitter, 0), 1);
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}

/** Resolves after `ms`, or rejects with TASK_ABORTED as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortedError(signal));
      return;
    }
    const timer = setTimeout(() => {
      stopWaiting();
      resolve();
    }, ms);
    const stopWaiting =
      signal === undefined
        ? () => undefined
        : whenAborted(signal, () => {
            clearTimeout(timer);
            reject(abortedError(signal));
          });
  });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw abortedError(signal);
  }
}

function abortedError(signal: AbortSignal | undefined): LatigoError {
  return new LatigoError('TASK_ABORTED', 'operation aborted while retrying', {
    cause: signal?.reason,
  });
}
