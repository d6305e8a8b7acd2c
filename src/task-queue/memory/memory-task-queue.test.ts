import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../errors/index.js';
import { createTask } from '../../domain/task.js';
import { timeRange } from '../../domain/time-range.js';
import { MemoryTaskQueue } from './memory-task-queue.js';

const task = (model: string) => createTask('p', model, timeRange(0, 60_000));

describe('memory task queue', () => {
  it('should hand out tasks in the order they were sent', async () => {
    const queue = new MemoryTaskQueue();
    await queue.send([task('a'), task('b')]);
    const signal = new AbortController().signal;

    const first = await queue.receive(signal);
    const second = await queue.receive(signal);

    expect([first?.task.model, second?.task.model]).toEqual(['a', 'b']);
  });

  it('should wake a waiting receiver when a task is sent', async () => {
    const queue = new MemoryTaskQueue();
    const waiting = queue.receive(new AbortController().signal);

    await queue.send([task('a')]);

    expect((await waiting)?.task.model).toBe('a');
  });

  it('should give a released task back first, counting the redelivery', async () => {
    const queue = new MemoryTaskQueue();
    await queue.send([task('a'), task('b')]);
    const signal = new AbortController().signal;
    const first = await queue.receive(signal);

    await queue.acknowledge(first!, { status: 'released' });
    const again = await queue.receive(signal);

    expect(again?.task.model).toBe('a');
    expect(again?.redeliveries).toBe(1);
  });

  it('should keep the order of a long queue while it is taken from, refilled and given back to', async () => {
    const queue = new MemoryTaskQueue();
    const signal = new AbortController().signal;
    const names = (from: number, to: number) =>
      Array.from({ length: to - from }, (_unused, index) => `m${from + index}`);
    await queue.send(names(0, 3_000).map(task));
    const seen: string[] = [];
    const take = async (count: number) => {
      for (let index = 0; index < count; index += 1) {
        const delivery = await queue.receive(signal);
        seen.push(delivery!.task.model);
        await queue.acknowledge(delivery!, { status: 'succeeded' });
      }
    };

    // Past the point where the taken part of the queue is dropped, then back to the front.
    await take(2_000);
    const released = await queue.receive(signal);
    await queue.acknowledge(released!, { status: 'released' });
    await queue.send(names(3_000, 4_000).map(task));
    expect(queue.size()).toBe(2_000);
    await take(2_000);

    expect(released?.task.model).toBe('m2000');
    expect(seen).toEqual(names(0, 4_000));
    expect(queue.size()).toBe(0);
    await queue.send([task('last')]);
    expect((await queue.receive(signal))?.task.model).toBe('last');
  });

  it('should let timers and signals run while a long queue is taken at full speed', async () => {
    const queue = new MemoryTaskQueue();
    const count = 200_000;
    await queue.send(Array.from({ length: count }, (_unused, index) => task(`m${index}`)));
    const signal = new AbortController().signal;
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);

    const started = performance.now();
    let taken = 0;
    while (!timerRan && taken < count) {
      const delivery = await queue.receive(signal);
      await queue.acknowledge(delivery!, { status: 'succeeded' });
      taken += 1;
    }
    const elapsedMs = performance.now() - started;

    // Deliveries give the event loop a turn at least every 20 ms (none at all before).
    expect(timerRan || elapsedMs < 20).toBe(true);
    expect(taken).toBeLessThan(count);
  });

  it('should keep failed tasks as dead letters with their error', async () => {
    const queue = new MemoryTaskQueue();
    await queue.send([task('a')]);
    const delivery = await queue.receive(new AbortController().signal);
    const error = new LatigoError('SENSOR_DATA_MISSING', 'no data for tag T1');

    await queue.acknowledge(delivery!, { status: 'failed', error, attempts: 3 });

    expect(queue.deadLetters()).toEqual([{ task: task('a'), error, attempts: 3 }]);
    expect(queue.size()).toBe(0);
  });

  it('should resolve a receive with nothing when its signal aborts', async () => {
    const queue = new MemoryTaskQueue();
    const controller = new AbortController();
    const waiting = queue.receive(controller.signal);

    controller.abort();

    expect(await waiting).toBeUndefined();
  });

  it('should refuse an acknowledgement of a delivery it never made', async () => {
    const queue = new MemoryTaskQueue();

    await expect(
      queue.acknowledge({ deliveryId: '99', task: task('a') }, { status: 'succeeded' }),
    ).rejects.toThrow(/not in flight/);
  });

  it('should refuse to grow past its capacity, retriably', async () => {
    const queue = new MemoryTaskQueue(2);
    await queue.send([task('a'), task('b')]);

    await expect(queue.send([task('c')])).rejects.toMatchObject({
      code: 'QUEUE_SEND_FAILED',
      retriable: true,
    });
    await queue.receive(new AbortController().signal);
    await expect(queue.send([task('c')])).resolves.toEqual({ delivered: 1 });
  });

  it('should refuse for good a send larger than its whole capacity, saying what to raise', async () => {
    const queue = new MemoryTaskQueue(2);

    await expect(queue.send([task('a'), task('b'), task('c')])).rejects.toMatchObject({
      code: 'QUEUE_SEND_FAILED',
      retriable: false,
      message:
        '3 tasks sent at once are more than the memory task queue holds (task_queue.capacity 2); raise task_queue.capacity',
    });
    expect(queue.size()).toBe(0);
  });

  it('should remember the latest slot sent through it', async () => {
    const queue = new MemoryTaskQueue();
    expect(await queue.lastScheduledSlotMs()).toBeUndefined();

    await queue.send([task('a')], undefined, 120_000);
    await queue.send([task('b')], undefined, 60_000);

    expect(await queue.lastScheduledSlotMs()).toBe(120_000);
  });
  it('should let many receivers wait on one signal without a listener warning', async () => {
    const queue = new MemoryTaskQueue();
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    try {
      const waiting = Array.from({ length: 32 }, () => queue.receive(controller.signal));
      await queue.send([task('a')]);
      controller.abort();
      const received = await Promise.all(waiting);
      await new Promise((resolve) => setImmediate(resolve));

      expect(received.filter((delivery) => delivery !== undefined)).toHaveLength(1);
      expect(received[0]?.task.model).toBe('a');
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
