import { getEventListeners } from 'node:events';

import { describe, expect, it } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { causedByAbort, followSignal, raceAbort, whenAborted } from './abort.js';

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

describe('whenAborted', () => {
  it('should serve any number of waiting calls with one listener, and drop it when none waits', () => {
    const stop = new AbortController();
    const called: number[] = [];
    const stops = Array.from({ length: 50 }, (_unused, index) =>
      whenAborted(stop.signal, () => called.push(index)),
    );

    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stops.slice(0, 49).forEach((stopWaiting) => stopWaiting());
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    stops[49]!();
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    stop.abort();
    expect(called).toEqual([]);
  });

  it('should call every waiting callback once on abort', () => {
    const stop = new AbortController();
    const called: string[] = [];
    whenAborted(stop.signal, () => called.push('a'));
    const stopB = whenAborted(stop.signal, () => called.push('b'));
    whenAborted(stop.signal, () => called.push('c'));
    stopB();

    stop.abort();
    stop.abort();

    expect(called).toEqual(['a', 'c']);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});

describe('followSignal', () => {
  it('should abort with the parent, passing its reason, or on its own', () => {
    const parent = new AbortController();
    const first = followSignal(parent.signal);
    const second = followSignal(parent.signal);
    second.controller.abort();

    parent.abort(new Error('stopping'));

    expect(first.controller.signal.reason).toEqual(new Error('stopping'));
    expect(second.controller.signal.reason).toMatchObject({ name: 'AbortError' });
  });

  it('should stop following once released, and start aborted under an aborted parent', () => {
    const parent = new AbortController();
    const released = followSignal(parent.signal);
    released.release();
    parent.abort();

    expect(released.controller.signal.aborted).toBe(false);
    expect(followSignal(parent.signal).controller.signal.aborted).toBe(true);
    expect(followSignal(undefined).controller.signal.aborted).toBe(false);
  });
});

describe('raceAbort', () => {
  it('should settle like the work and leave no listener behind', async () => {
    const stop = new AbortController();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_unused, index) =>
        raceAbort(Promise.resolve(index), stop.signal),
      ),
    );

    expect(results).toHaveLength(20);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('should reject every pending race with the reason when the signal aborts', async () => {
    const stop = new AbortController();
    const races = Array.from({ length: 15 }, () => raceAbort(never(), stop.signal));
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);

    stop.abort(new Error('stopping'));

    await expect(Promise.all(races)).rejects.toThrow('stopping');
  });
});

describe('causedByAbort', () => {
  it('tells an abort, also wrapped by a client, from a failure of its own', () => {
    const controller = new AbortController();
    controller.abort();
    const abort = controller.signal.reason as Error;
    const wrapped = new LatigoError('QUEUE_UNAVAILABLE', 'cannot reach the broker', {
      cause: new Error('request failed', { cause: abort }),
    });

    expect(causedByAbort(abort)).toBe(true);
    expect(causedByAbort(wrapped)).toBe(true);
    expect(causedByAbort(new LatigoError('TASK_ABORTED', 'released'))).toBe(true);
    expect(causedByAbort(new LatigoError('QUEUE_UNAVAILABLE', 'refused'))).toBe(false);
    expect(causedByAbort(new Error('refused', { cause: new Error('ECONNREFUSED') }))).toBe(false);
    expect(causedByAbort('aborted')).toBe(false);
  });
});
