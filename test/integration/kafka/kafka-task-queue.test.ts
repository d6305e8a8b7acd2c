import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../../src/errors/index.js';
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
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();
const { open } = suite;

async function topicFixture(partitions = 1): Promise<{ topic: string; groupId: string }> {
  const topic = uniqueName('tasks');
  await createTopics(suite.admin, topic, partitions);
  return { topic, groupId: uniqueName('group') };
}

describe('the Kafka task queue against a real broker', () => {
  it('publishes a slot keyed by project/model and delivers every task once', async () => {
    const { topic, groupId } = await topicFixture(4);
    const tasks = slotTasks(40);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const executor = open(makeQueue('executor', { topic, 'group.id': groupId }));
    await scheduler.check();
    await executor.check();

    const result = await scheduler.send(tasks);
    const received: Delivery[] = [];
    for (let index = 0; index < tasks.length; index += 1) {
      const delivery = await receiveOne(executor);
      received.push(delivery);
      await executor.acknowledge(delivery, { status: 'succeeded' });
    }

    expect(result).toEqual({ delivered: 40 });
    expect(received.map((delivery) => delivery.task).sort(byId)).toEqual([...tasks].sort(byId));
    expect(new Set(received.map((delivery) => delivery.deliveryId)).size).toBe(40);
    // Only a delivery in flight can be acknowledged: not twice, and not a copy of one.
    const [acknowledged] = received;
    const twice = executor.acknowledge(acknowledged!, { status: 'succeeded' });
    await expect(twice).rejects.toThrow(/not in flight/);
    await expect(twice).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(
      executor.acknowledge({ ...acknowledged! }, { status: 'succeeded' }),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    const records = await readRecords(suite.kafka, topic, 40);
    expect(new Set(records.map((record) => record.key))).toEqual(new Set(tasks.map(taskKey)));
    await waitFor('every offset committed', async () => {
      const offsets = await committedOffsets(suite.admin, groupId, topic);
      return offsets.reduce((sum, offset) => sum + Math.max(offset, 0), 0) === 40;
    });
  });

  it('hands out several tasks of one partition at once and commits only up to the oldest unfinished', async () => {
    const { topic, groupId } = await topicFixture(1);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const executor = open(
      makeQueue('executor', { topic, 'group.id': groupId, 'enable.auto.commit': false }),
    );
    await scheduler.send(slotTasks(4));

    const [first, second, third] = await Promise.all([
      receiveOne(executor),
      receiveOne(executor),
      receiveOne(executor),
    ]);
    await executor.acknowledge(second, { status: 'succeeded' });
    await executor.acknowledge(third, { status: 'succeeded' });
    expect(await committedOffsets(suite.admin, groupId, topic)).toEqual([-1]);
    // A copy of a delivery in flight, even one that keeps its prototype, is not that delivery.
    const copy = Object.assign(
      Object.create(Object.getPrototypeOf(first) as object) as Delivery,
      first,
    );
    await expect(executor.acknowledge(copy, { status: 'succeeded' })).rejects.toThrow(
      /not in flight/,
    );
    await expect(
      executor.acknowledge(undefined as unknown as Delivery, { status: 'succeeded' }),
    ).rejects.toThrow(/not in flight/);
    expect(await committedOffsets(suite.admin, groupId, topic)).toEqual([-1]);

    await executor.acknowledge(first, { status: 'succeeded' });
    expect(await committedOffsets(suite.admin, groupId, topic)).toEqual([3]);
  });

  it('does not commit a released task, so the next member of the group gets it again', async () => {
    const { topic, groupId } = await topicFixture(1);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const first = open(makeQueue('executor', { topic, 'group.id': groupId }));
    const [task] = slotTasks(1);
    await scheduler.send([task!]);

    const delivery = await receiveOne(first);
    await first.acknowledge(delivery, { status: 'released' });
    await first.close();
    const second = open(makeQueue('executor', { topic, 'group.id': groupId }));
    const redelivered = await receiveOne(second);
    // A delivery is acknowledged to the queue that handed it out, not to another one.
    await expect(first.acknowledge(redelivered, { status: 'succeeded' })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
    await second.acknowledge(redelivered, { status: 'succeeded' });

    expect(redelivered.task).toEqual(task);
    expect(redelivered.deliveryId).not.toBe(delivery.deliveryId);
    await waitFor('the offset committed', async () => {
      return (await committedOffsets(suite.admin, groupId, topic))[0] === 1;
    });
  });

  it('sends a given-up task to the dead-letter topic with its error, then commits it', async () => {
    const { topic, groupId } = await topicFixture(1);
    const scheduler = open(makeQueue('scheduler', { topic }));
    const executor = open(makeQueue('executor', { topic, 'group.id': groupId }));
    const [task] = slotTasks(1);
    await scheduler.send([task!]);

    const delivery = await receiveOne(executor);
    await executor.acknowledge(delivery, {
      status: 'failed',
      error: new LatigoError('PREDICTION_FAILED', 'the model server answered 500', {
        retriable: true,
      }),
      attempts: 3,
    });

    const [letter] = await readRecords(suite.kafka, `${topic}.dead-letter`, 1);
    expect(letter!.key).toBe('lat-lit/pump-0');
    expect(letter!.headers).toMatchObject({
      'latigo-dead-letter-reason': 'failed',
      'latigo-error-code': 'PREDICTION_FAILED',
      'latigo-task-id': task!.id,
    });
    expect(JSON.parse(letter!.value)).toMatchObject({
      version: 1,
      reason: 'failed',
      error: { code: 'PREDICTION_FAILED', message: 'the model server answered 500', attempts: 3 },
      task: {
        id: task!.id,
        project: 'lat-lit',
        model: 'pump-0',
        from: '2024-01-01T05:00:00Z',
        to: '2024-01-01T05:30:00Z',
      },
      source: { topic, partition: 0, offset: '0', key: 'lat-lit/pump-0' },
    });
    await waitFor('the offset committed', async () => {
      return (await committedOffsets(suite.admin, groupId, topic))[0] === 1;
    });
  });

  it('splits a large slot into publications below max_message_bytes', async () => {
    const { topic, groupId } = await topicFixture(2);
    const scheduler = open(makeQueue('scheduler', { topic, max_message_bytes: 32_768 }));
    const tasks = slotTasks(1_000);

    await scheduler.send(tasks);

    await waitFor('1000 tasks on the topic', async () => {
      const offsets = await suite.admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0) === 1_000;
    });
    const executor = open(makeQueue('executor', { topic, 'group.id': groupId }));
    const seen = new Set<string>();
    while (seen.size < 1_000) {
      const delivery = await receiveOne(executor);
      seen.add(delivery.task.id);
      await executor.acknowledge(delivery, { status: 'succeeded' });
    }
    expect(seen).toEqual(new Set(tasks.map((task) => task.id)));
  });
});

function byId(left: { id: string }, right: { id: string }): number {
  return left.id.localeCompare(right.id);
}
