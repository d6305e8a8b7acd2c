import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { MAX_TIMER_MS } from '../util/timers.js';
import { InFlightTasks } from './task-signal.js';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** Tasks on the faked clock: `vi.advanceTimersByTime` moves both the timers and `now`. */
function inFlight(timeoutMs = 1_000): InFlightTasks {
  return new InFlightTasks({ timeoutMs, now: () => Date.now() });
}

const shutdown = (): LatigoError => new LatigoError('TASK_ABORTED', 'shutdown grace expired');

describe('task signal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should settle like the work while the deadline has not passed', async () => {
    const control = inFlight().start();

    await expect(control.wait(Promise.resolve(42))).resolves.toBe(42);
    await expect(control.wait(Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    expect(control.signal.aborted).toBe(false);
  });

  it('should abort with a TimeoutError at the deadline, even if the work ignores it', async () => {
    const control = inFlight(1_000).start();
    const outcome = control.wait(never()).catch((error: unknown) => error);

    vi.advanceTimersByTime(999);
    expect(control.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    const error = (await outcome) as Error;
    expect(error.name).toBe('TimeoutError');
    expect(control.signal.reason).toBe(error);
    expect(control.timedOut).toBe(true);
    expect(control.released).toBe(false);
  });

  it('should reject at once when waited on after its abort', async () => {
    const control = inFlight(10).start();
    vi.advanceTimersByTime(10);

    await expect(control.wait(Promise.resolve(1))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('should abort with the given reason when released', async () => {
    const tasks = inFlight();
    const control = tasks.start();
    const waiting = control.wait(never());
    const reason = shutdown();

    tasks.releaseAll(reason);

    await expect(waiting).rejects.toBe(reason);
    expect(control.signal.reason).toBe(reason);
    expect(control.released).toBe(true);
    expect(control.timedOut).toBe(false);
  });

  it('should count a task released after its deadline as released', () => {
    const tasks = inFlight(10);
    const control = tasks.start();
    vi.advanceTimersByTime(10);

    tasks.releaseAll(shutdown());

    expect(control.released).toBe(true);
    expect(control.signal.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('should not abort a task that ended, and leave no timer once none runs', () => {
    const tasks = inFlight(10);
    const control = tasks.start();

    tasks.end(control);
    vi.advanceTimersByTime(1_000);

    expect(control.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should keep its timer while idle and still abort the next task at its own deadline', () => {
    const tasks = inFlight(1_000);
    tasks.end(tasks.start());
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500);
    const next = tasks.start();

    vi.advanceTimersByTime(999);
    expect(next.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1);

    expect(next.timedOut).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should abort each task at its own deadline with one timer for all', () => {
    const tasks = inFlight(1_000);
    const first = tasks.start();
    vi.advanceTimersByTime(400);
    const second = tasks.start();
    const third = tasks.start();
    tasks.end(second);

    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(599);
    expect(first.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(first.timedOut).toBe(true);
    expect(third.signal.aborted).toBe(false);
    vi.advanceTimersByTime(399);
    expect(third.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    expect([first.timedOut, second.timedOut, third.timedOut]).toEqual([true, false, true]);
    expect(second.signal.aborted).toBe(false);
    tasks.end(first);
    tasks.end(third);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('should wait out a deadline longer than one Node.js timer can, in steps it can', () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const tasks = inFlight(MAX_TIMER_MS + 60_000);
    const control = tasks.start();

    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(control.signal.aborted).toBe(false);
    vi.advanceTimersByTime(59_999);
    expect(control.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    expect(control.timedOut).toBe(true);
    const delays = timers.mock.calls.map(([, delay]) => delay ?? 0);
    expect(delays.length).toBeGreaterThan(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    timers.mockRestore();
  });

  it('should keep watching deadlines when the oldest task ends first', () => {
    const tasks = inFlight(1_000);
    const oldest = tasks.start();
    vi.advanceTimersByTime(500);
    const younger = tasks.start();
    tasks.end(oldest);

    vi.advanceTimersByTime(999);
    expect(younger.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    expect(younger.timedOut).toBe(true);
    expect(oldest.signal.aborted).toBe(false);
  });
});

describe('in-flight tasks', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('should release the tasks in flight and those started afterwards, not the ended ones', () => {
    const tasks = inFlight(60_000);
    const ended = tasks.start();
    const running = tasks.start();
    tasks.end(ended);
    const reason = shutdown();

    tasks.releaseAll(reason);
    const late = tasks.start();

    expect([ended.released, running.released, late.released]).toEqual([false, true, true]);
    expect(late.signal.reason).toBe(reason);
    tasks.end(running);
    tasks.end(late);
  });

  it("should give a worker's next task the controller of its last one when nothing holds it", () => {
    const tasks = inFlight(60_000);
    const first = tasks.start();
    tasks.end(first);

    const second = tasks.start(first);

    expect(second.signal).toBe(first.signal);
    expect(second.signal.aborted).toBe(false);
    tasks.end(second);
  });

  it('should give a new controller after an abort, a listener left behind, or a running task', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const tasks = inFlight(10);

    const timedOut = tasks.start();
    vi.advanceTimersByTime(10);
    tasks.end(timedOut);
    const afterAbort = tasks.start(timedOut);

    const listened = tasks.start();
    listened.signal.addEventListener('abort', () => undefined);
    tasks.end(listened);
    const afterListener = tasks.start(listened);

    const stillRunning = tasks.start();
    const beside = tasks.start(stillRunning);

    expect(afterAbort.signal).not.toBe(timedOut.signal);
    expect(afterAbort.signal.aborted).toBe(false);
    expect(afterListener.signal).not.toBe(listened.signal);
    expect(beside.signal).not.toBe(stillRunning.signal);
    for (const control of [afterAbort, afterListener, stillRunning, beside]) {
      tasks.end(control);
    }
  });

  it('should count the tasks running', () => {
    const tasks = inFlight(60_000);
    const first = tasks.start();
    tasks.start(first);

    expect(tasks.size).toBe(2);
    tasks.releaseAll(shutdown());
    expect(tasks.size).toBe(0);
  });
});
