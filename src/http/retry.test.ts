import { describe, expect, it } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, withRetry, type RetryPolicy } from './retry.js';

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, jitter: 0, ...overrides };
}

function retriable(context: Record<string, number> = {}): LatigoError {
  return new LatigoError('HTTP_NETWORK', 'connection refused', { retriable: true, context });
}

function recordingSleep(): { delays: number[]; sleep: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return {
    delays,
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  };
}

describe('withRetry', () => {
  it('retries retriable failures until the operation succeeds', async () => {
    const { delays, sleep } = recordingSleep();
    let calls = 0;
    const result = await withRetry(
      (attempt) => {
        calls += 1;
        return attempt < 3 ? Promise.reject(retriable()) : Promise.resolve('done');
      },
      policy(),
      { sleep },
    );

    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('throws an error that is not retriable at once', async () => {
    let calls = 0;
    const failure = new LatigoError('HTTP_STATUS', 'bad request', { retriable: false });
    await expect(
      withRetry(
        () => {
          calls += 1;
          return Promise.reject(failure);
        },
        policy(),
        { sleep: recordingSleep().sleep },
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('does not retry errors that are not LatigoErrors', async () => {
    let calls = 0;
    await expect(
      withRetry(
        () => {
          calls += 1;
          return Promise.reject(new TypeError('bug'));
        },
        policy(),
        { sleep: recordingSleep().sleep },
      ),
    ).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });

  it('throws the last error when the attempts run out', async () => {
    const errors = [retriable(), retriable(), retriable()];
    let calls = 0;
    const run = withRetry(
      () => Promise.reject(errors[calls++] ?? retriable()),
      policy({ attempts: 3 }),
      {
        sleep: recordingSleep().sleep,
      },
    );

    await expect(run).rejects.toBe(errors[2]);
    expect(calls).toBe(3);
  });

  it('waits what the server asked for in Retry-After, capped', async () => {
    const { delays, sleep } = recordingSleep();
    let calls = 0;
    await withRetry(
      () => {
        calls += 1;
        if (calls === 1) return Promise.reject(retriable({ retryAfterMs: 1_500 }));
        if (calls === 2) return Promise.reject(retriable({ retryAfterMs: 900_000 }));
        return Promise.resolve(calls);
      },
      policy({ maxRetryAfterMs: 5_000 }),
      { sleep },
    );

    expect(delays).toEqual([1_500, 5_000]);
  });

  it('stops waiting and throws TASK_ABORTED when the signal aborts', async () => {
    const controller = new AbortController();
    const run = withRetry(
      () => {
        setTimeout(() => controller.abort(), 5);
        return Promise.reject(retriable());
      },
      policy({ baseDelayMs: 60_000 }),
      { signal: controller.signal },
    );

    await expect(run).rejects.toMatchObject({ code: 'TASK_ABORTED' });
  });
});

describe('retryDelayMs', () => {
  it('doubles the backoff and caps it at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) =>
      retryDelayMs(attempt, policy({ maxDelayMs: 500 }), retriable()),
    );

    expect(delays).toEqual([100, 200, 400, 500, 500]);
  });

  it('keeps jittered delays between (1 - jitter) and 1 times the backoff', () => {
    const jittered = policy({ baseDelayMs: 1_000, jitter: 0.5 });

    expect(retryDelayMs(1, jittered, retriable(), () => 0)).toBe(500);
    expect(retryDelayMs(1, jittered, retriable(), () => 0.999)).toBe(1_000);
  });
});
