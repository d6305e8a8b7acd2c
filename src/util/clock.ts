import { setTimeout as sleep } from 'node:timers/promises';

/** Wall-clock time and waiting, injectable so schedules can be driven in tests. */
export interface Clock {
  now(): number;
  /** Resolves at `instantMs`, or early (without throwing) when `signal` aborts. */
  sleepUntil(instantMs: number, signal: AbortSignal): Promise<void>;
}

/** Timers can fire a little early; wake in steps of at most this much and re-check the time. */
const MAX_SLEEP_STEP_MS = 60_000;

export const systemClock: Clock = {
  now: () => Date.now(),
  async sleepUntil(instantMs, signal) {
    while (!signal.aborted) {
      const remaining = instantMs - Date.now();
      if (remaining <= 0) {
        return;
      }
      await sleep(Math.min(remaining, MAX_SLEEP_STEP_MS), undefined, { signal }).catch(
        () => undefined,
      );
    }
  },
};
