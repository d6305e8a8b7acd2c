import { getEventListeners } from 'node:events';

import { describe, expect, it } from 'vitest';

import { createTask } from '../domain/task.js';
import { timeRange } from '../domain/time-range.js';
import type { Delivery } from '../interfaces/index.js';
import { WaitingReceivers } from './waiting-receivers.js';

const delivery = (id: string): Delivery => ({
  deliveryId: id,
  task: createTask('p', `m${id}`, timeRange(0, 60_000)),
});

function makeWaiting(): WaitingReceivers {
  return new WaitingReceivers();
}

describe('waiting receivers, order and clean-up', () => {
  it('should hand deliveries to the oldest waiting receive first', async () => {
    const waiting = makeWaiting();
    const signal = new AbortController().signal;
    const first = waiting.wait(signal);
    const second = waiting.wait(signal);

    waiting.take()?.resolve(delivery('1'));
    waiting.take()?.resolve(delivery('2'));

    expect([(await first)?.deliveryId, (await second)?.deliveryId]).toEqual(['1', '2']);
    expect(waiting.take()).toBeUndefined();
  });

  it('should put one abort listener on a signal however many receives wait on it', () => {
    const waiting = makeWaiting();
    const signal = new AbortController().signal;

    for (let index = 0; index < 32; index += 1) {
      void waiting.wait(signal);
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);

    for (let index = 0; index < 32; index += 1) {
      waiting.take()?.resolve(undefined);
    }
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('should end only the receives of the signal that aborted, keeping the order of the rest', async () => {
    const waiting = makeWaiting();
    const stopping = new AbortController();
    const staying = new AbortController();
    const first = waiting.wait(staying.signal);
    const aborted = [waiting.wait(stopping.signal), waiting.wait(stopping.signal)];
    const last = waiting.wait(staying.signal);

    stopping.abort();
    waiting.take()?.resolve(delivery('1'));
    waiting.take()?.resolve(delivery('2'));

    expect(await Promise.all(aborted)).toEqual([undefined, undefined]);
    expect([(await first)?.deliveryId, (await last)?.deliveryId]).toEqual(['1', '2']);
    expect(getEventListeners(stopping.signal, 'abort')).toHaveLength(0);
  });

  it('should end every waiting receive and remove its listeners when all are resolved', async () => {
    const waiting = makeWaiting();
    const signal = new AbortController().signal;
    const receives = [waiting.wait(signal), waiting.wait(new AbortController().signal)];

    waiting.resolveAll();

    expect(await Promise.all(receives)).toEqual([undefined, undefined]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(waiting.take()).toBeUndefined();
  });
});
