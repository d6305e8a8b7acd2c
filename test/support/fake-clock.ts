import type { Clock } from '../../src/util/clock.js';

/**
 * A clock whose sleeps return at once and move time forward to the wake-up instant, so a
 * scheduler can be driven through days of slots in a test. `onSleep` may stop the run.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(
    private current: number,
    private readonly onSleep: (untilMs: number, clock: FakeClock) => void = () => undefined,
  ) {}

  now(): number {
    return this.current;
  }

  set(instantMs: number): void {
    this.current = instantMs;
  }

  sleepUntil(instantMs: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(instantMs);
    this.onSleep(instantMs, this);
    if (!signal.aborted && instantMs > this.current) {
      this.current = instantMs;
    }
    return Promise.resolve();
  }
}
