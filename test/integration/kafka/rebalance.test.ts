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

describe('a rebalance while tasks run', () => {
  it.each([1_000, 0])(
    'does not commit tasks of a partition that moved away, and their new owner runs them (prefetch_tasks %i)',
    async (prefetch) => {
      const topic = uniqueName('rebalance');
      const groupId = uniqueName('group');
      await createTopics(suite.admin, topic, 2);
      const tasks = slotTasks(8);
      const scheduler = makeQueue('scheduler', { topic });
      const timing = {
        'group.id': groupId,
        topic,
        'enable.auto.commit': false,
        prefetch_tasks: prefetch,
      };
      const first = makeQueue('executor', timing);
      const second = makeQueue('executor', timing);
      const stopSecond = new AbortController();
      try {
        await scheduler.send(tasks);
        const records = await readRecords(suite.kafka, topic, tasks.length);
        const partitionOf = new Map(records.map((record) => [record.key, record.partition]));
        const held: Delivery[] = [];
        for (let index = 0; index < tasks.length; index += 1) {
          held.push(await receiveOne(first));
        }

        // A second member joins while the first still runs all eight tasks.
        const secondGot: Delivery[] = [];
        const keepReceiving = async (): Promise<void> => {
          for (;;) {
            const delivery = await second.receive(stopSecond.signal);
            if (delivery === undefined) {
              return;
            }
            secondGot.push(delivery);
          }
        };
        const receiving = keepReceiving();
        await waitForStableGroup(suite.admin, groupId, topic, 2);
        await waitFor('a moved task delivered to the second member', () => secondGot.length > 0);
        const movedPartition = partitionOf.get(taskKey(secondGot[0]!.task))!;
        const keptPartition = 1 - movedPartition;
        const movedTasks = tasks.filter(
          (task) => partitionOf.get(taskKey(task)) === movedPartition,
        );
        expect(movedTasks.length).toBeLessThan(tasks.length);
        await waitFor('every moved task delivered to the second member', () => {
          return secondGot.length === movedTasks.length;
        });

        for (const delivery of held) {
          await first.acknowledge(delivery, { status: 'succeeded' });
        }
        await waitFor('the kept partition committed', async () => {
          const offsets = await committedOffsets(suite.admin, groupId, topic);
          return offsets[keptPartition] === tasks.length - movedTasks.length;
        });
        expect((await committedOffsets(suite.admin, groupId, topic))[movedPartition]).toBe(-1);

        for (const delivery of secondGot) {
          await second.acknowledge(delivery, { status: 'succeeded' });
        }
        expect(secondGot.map((delivery) => delivery.task.id).sort()).toEqual(
          movedTasks.map((task) => task.id).sort(),
        );
        expect((await committedOffsets(suite.admin, groupId, topic))[movedPartition]).toBe(
          movedTasks.length,
        );
        stopSecond.abort();
        await receiving;
      } finally {
        stopSecond.abort();
        await Promise.all([scheduler.close(), first.close(), second.close()]);
      }
    },
  );
});
