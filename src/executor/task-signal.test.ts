import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { InFlightTasks, TaskSignal } from './task-signal.js';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

function makeSignal(timeoutMs = 1_000): TaskSignal {
  return new TaskSignal(timeoutMs);
}

describe('task signal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('should settle like the work while the deadline has not passed', async () => {
    const control = makeSignal();

    await expect(control.wait(Promise.resolve(42))).resolves.toBe(42);
    await expect(control.wait(Promise.reject(new Error('broken')))).rejects.toThrow('broken');
    expect(control.signal.aborted).toBe(false);
  });

  it('should abort with a TimeoutError at the deadline, even if the work ignores it', async () => {
    const control = makeSignal(1_000);
    const waiting = control.wait(never());
    const outcome = waiting.catch((error: unknown) => error);

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
    const control = makeSignal(10);
    vi.advanceTimersByTime(10);

    await expect(control.wait(Promise.resolve(1))).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('should abort with the given reason when released', async () => {
    const control = makeSignal();
    const waiting = control.wait(never());
    const reason = new LatigoError('TASK_ABORTED', 'shutdown grace expired');

    control.release(reason);

    await expect(waiting).rejects.toBe(reason);
    expect(control.signal.reason).toBe(reason);
    expect(control.released).toBe(true);
    expect(control.timedOut).toBe(false);
  });

  it('should count a task released after its deadline as released', () => {
    const control = makeSignal(10);
    vi.advanceTimersByTime(10);

    control.release(new LatigoError('TASK_ABORTED', 'shutdown grace expired'));

    expect(control.released).toBe(true);
    expect(control.signal.reason).toMatchObject({ name: 'TimeoutError' });
  });

  it('should not abort after it was disposed', () => {
    const control = makeSignal(10);

    control.dispose();
    vi.advanceTimersByTime(1_000);

    expect(control.signal.aborted).toBe(false);
  });
});

describe('in-flight tasks', () => {
  it('should release the tasks in flight and those started afterwards, not the ended ones', () => {
    const tasks = new InFlightTasks(60_000);
    const ended = tasks.start();
    const running = tasks.start();
    tasks.end(ended);
    const reason = new LatigoError('TASK_ABORTED', 'shutdown grace expired');

    tasks.releaseAll(reason);
    const late = tasks.start();

    expect([ended.released, running.released, late.released]).toEqual([false, true, true]);
    expect(late.signal.reason).toBe(reason);
    tasks.end(running);
    tasks.end(late);
  });
});
