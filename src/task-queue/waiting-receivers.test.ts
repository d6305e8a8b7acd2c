import { getEventListeners } from 'node:events';

import { describe, expect, it } from 'vitest';

import { createTask } from '../domain/task.js';
import type { Delivery } from '../interfaces/index.js';
import { WaitingReceivers } from './waiting-receivers.js';

function delivery(id: string): Delivery {
  return { deliveryId: id, task: createTask('p', 'm', { fromMs: 0, toMs: 60_000 }) };
}

describe('waiting receive calls', () => {
  it('hands deliveries to the oldest call first', async () => {
    const receivers = new WaitingReceivers();
    const stop = new AbortController();
    const first = receivers.wait(stop.signal);
    const second = receivers.wait(stop.signal);

    receivers.take()!.resolve(delivery('a'));
    receivers.take()!.resolve(delivery('b'));

    expect((await first)?.deliveryId).toBe('a');
    expect((await second)?.deliveryId).toBe('b');
    expect(receivers.take()).toBeUndefined();
  });

  it('listens once per signal however many calls share it, and lets go when none waits', () => {
    const receivers = new WaitingReceivers();
    const stop = new AbortController();
    for (let index = 0; index < 32; index += 1) {
      void receivers.wait(stop.signal);
    }

    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    receivers.resolveAll();
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('ends only the calls of an aborted signal, with undefined', async () => {
    const receivers = new WaitingReceivers();
    const stopped = new AbortController();
    const running = new AbortController();
    const ended = receivers.wait(stopped.signal);
    const kept = receivers.wait(running.signal);

    stopped.abort();

    expect(await ended).toBeUndefined();
    expect(receivers.size).toBe(1);
    receivers.take()!.resolve(delivery('c'));
    expect((await kept)?.deliveryId).toBe('c');
  });

  it('fails every waiting call at once', async () => {
    const receivers = new WaitingReceivers();
    const stop = new AbortController();
    const calls = [receivers.wait(stop.signal), receivers.wait(stop.signal)];

    receivers.rejectAll(new Error('consumer gone'));

    for (const call of calls) {
      await expect(call).rejects.toThrow('consumer gone');
    }
    expect(receivers.size).toBe(0);
  });
});
