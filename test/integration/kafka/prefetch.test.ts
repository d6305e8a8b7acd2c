import { describe, expect, it } from 'vitest';

import { taskKey } from '../../../src/domain/task.js';
import type { Delivery } from '../../../src/interfaces/index.js';
import {
  committedOffsets,
  createTopics,
  makeQueue,
  readRecords,
  receiveOne,
  slotTasks,
  uniqueName,
  waitFor,
  waitForStableGroup,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();
const { open } = suite;

async function fixture(partitions: number): Promise<{ topic: string; groupId: string }> {
  const topic = uniqueName('prefetch');
  await createTopics(suite.admin, topic, partitions);
  return { topic, groupId: uniqueName('group') };
}

const byId = (left: { id: string }, right: { id: string }): number =>
  left.id.localeCompare(right.id);

describe('the prefetch buffer of the Kafka task queue', () => {
  it('reads at most prefetch_tasks ahead, and refills once half of them were taken', async () => {
    const { topic, groupId } = await fixture(1);
    const tasks = slotTasks(20);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const executor = open(
      makeQueue('executor', {
        topic,
        'group.id': groupId,
        prefetch_tasks: 5,
        'enable.auto.commit': false,
      }),
    );
    await scheduler.send(tasks);

    const held: Delivery[] = [await receiveOne(executor)];
    await waitFor('five tasks buffered', () => executor.bufferedTasks() === 5);
    for (let index = 0; index < 3; index += 1) {
      held.push(await receiveOne(executor));
    }
    expect(executor.bufferedTasks()).toBe(2);
    await waitFor('the buffer refilled', () => executor.bufferedTasks() === 5);
    for (let index = held.length; index < tasks.length; index += 1) {
      held.push(await receiveOne(executor));
      expect(executor.bufferedTasks()).toBeLessThanOrEqual(5);
    }
    for (const delivery of held) {
      await executor.acknowledge(delivery, { status: 'succeeded' });
    }

    expect(held.map((delivery) => delivery.task).sort(byId)).toEqual([...tasks].sort(byId));
    expect(executor.bufferedTasks()).toBe(0);
    expect(await committedOffsets(suite.admin, groupId, topic)).toEqual([20]);
  });

  it('takes only what workers ask for with prefetch_tasks 0', async () => {
    const { topic, groupId } = await fixture(1);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const executor = open(makeQueue('executor', { topic, 'group.id': groupId, prefetch_tasks: 0 }));
    await scheduler.send(slotTasks(6));

    const [first, second] = await Promise.all([receiveOne(executor), receiveOne(executor)]);

    expect(first.task.id).not.toBe(second.task.id);
    expect(executor.bufferedTasks()).toBe(0);
  });

  it('leaves buffered tasks uncommitted when closing, and the next member runs them', async () => {
    const { topic, groupId } = await fixture(1);
    const tasks = slotTasks(10);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const section = { topic, 'group.id': groupId, 'enable.auto.commit': false };
    const first = makeQueue('executor', section);
    await scheduler.send(tasks);

    const done = [await receiveOne(first), await receiveOne(first)];
    await waitFor('the rest buffered', () => first.bufferedTasks() === 8);
    for (const delivery of done) {
      await first.acknowledge(delivery, { status: 'succeeded' });
    }
    await first.close();
    expect(await committedOffsets(suite.admin, groupId, topic)).toEqual([2]);

    const second = open(makeQueue('executor', section));
    const rest: Delivery[] = [];
    for (let index = 0; index < 8; index += 1) {
      rest.push(await receiveOne(second));
    }
    for (const delivery of rest) {
      await second.acknowledge(delivery, { status: 'succeeded' });
    }

    expect([...done, ...rest].map((delivery) => delivery.task).sort(byId)).toEqual(
      [...tasks].sort(byId),
    );
    expect(await committedOffsets(suite.admin, groupId, topic)).toEqual([10]);
  });

  it('drops the buffered tasks of a partition that moved away; its new owner runs them', async () => {
    const { topic, groupId } = await fixture(2);
    const tasks = slotTasks(12);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const section = { topic, 'group.id': groupId, 'enable.auto.commit': false };
    const first = open(makeQueue('executor', section));
    const second = open(makeQueue('executor', section));
    await scheduler.send(tasks);
    const partitionOf = new Map(
      (await readRecords(suite.kafka, topic, tasks.length)).map((record) => [
        record.key,
        record.partition,
      ]),
    );

    // The first member holds one task and buffers the other eleven, of both partitions.
    const held = await receiveOne(first);
    await waitFor('eleven tasks buffered', () => first.bufferedTasks() === 11);
    const stop = new AbortController();
    const secondGot: Delivery[] = [];
    const receiving = (async (): Promise<void> => {
      for (;;) {
        const delivery = await second.receive(stop.signal);
        if (delivery === undefined) {
          return;
        }
        secondGot.push(delivery);
      }
    })();
    try {
      await waitForStableGroup(suite.admin, groupId, topic, 2);
      await waitFor('a moved task delivered to the second member', () => secondGot.length > 0);
      const moved = partitionOf.get(taskKey(secondGot[0]!.task))!;
      const movedTasks = tasks.filter((task) => partitionOf.get(taskKey(task)) === moved);
      const heldMoved = partitionOf.get(taskKey(held.task)) === moved;
      await waitFor('every moved task delivered to the second member', () => {
        return secondGot.length === movedTasks.length;
      });

      // The first member hands out only what is left of the partition it kept.
      const firstGot: Delivery[] = [held];
      const keptCount = tasks.length - movedTasks.length;
      while (firstGot.length < keptCount + (heldMoved ? 1 : 0)) {
        firstGot.push(await receiveOne(first));
      }
      for (const delivery of firstGot) {
        await first.acknowledge(delivery, { status: 'succeeded' });
      }
      for (const delivery of secondGot) {
        await second.acknowledge(delivery, { status: 'succeeded' });
      }

      expect(first.bufferedTasks()).toBe(0);
      expect(
        firstGot.slice(1).filter((delivery) => partitionOf.get(taskKey(delivery.task)) === moved),
      ).toEqual([]);
      expect(secondGot.map((delivery) => delivery.task).sort(byId)).toEqual(
        [...movedTasks].sort(byId),
      );
      const offsets = await committedOffsets(suite.admin, groupId, topic);
      expect(offsets[moved]).toBe(movedTasks.length);
      expect(offsets[1 - moved]).toBe(keptCount);
    } finally {
      stop.abort();
      await receiving;
    }
  });
});
