import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../../src/errors/index.js';
import type { Delivery } from '../../../src/interfaces/index.js';
import { runCli } from '../../support/cli.js';
import { BROKER } from './support/broker.js';
import {
  createTopics,
  makeQueue,
  readRecords,
  receiveOne,
  slotTasks,
  uniqueName,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();
const { open } = suite;

/** An executor config overlay pointing the task queue at the test broker. */
function overlay(queue: Record<string, string>): string {
  const lines = Object.entries(queue).map(([key, value]) => `  ${key}: '${value}'`);
  const file = join(mkdtempSync(join(tmpdir(), 'latigo-queue-status-')), 'executor.yaml');
  writeFileSync(file, `task_queue:\n${lines.join('\n')}\n`);
  return file;
}

function queueStatus(file: string, ...options: string[]) {
  return runCli(['queue-status', 'executor', '--config', file, ...options], {
    env: { LATIGO_TASK_QUEUE_CONNECTION_STRING: undefined, LATIGO_TASK_QUEUE_BROKERS: undefined },
  });
}

/**
 * A topic of three partitions with four tasks each (the partitioner is deterministic), and a
 * group that finished every task of partition 0 (one given up to the dead-letter topic), the
 * tasks at offsets 0 and 2 of partition 1, and nothing of partition 2.
 */
async function partlyWorkedTopic(): Promise<{ topic: string; groupId: string }> {
  const topic = uniqueName('status');
  const groupId = uniqueName('group');
  await createTopics(suite.admin, topic, 3);
  const scheduler = open(makeQueue('scheduler', { topic }));
  await scheduler.send(slotTasks(12));
  const records = await readRecords(suite.kafka, topic, 12);
  const where = new Map(
    records.map((record) => [record.headers['latigo-task-id'], [record.partition, record.offset]]),
  );
  expect(
    [0, 1, 2].map((partition) => records.filter((r) => r.partition === partition).length),
  ).toEqual([4, 4, 4]);

  const executor = open(
    makeQueue('executor', { topic, 'group.id': groupId, 'enable.auto.commit': false }),
  );
  const deliveries: Delivery[] = [];
  for (let index = 0; index < 12; index += 1) {
    deliveries.push(await receiveOne(executor));
  }
  const at = (partition: number, offsets: readonly string[]): Delivery[] =>
    deliveries.filter((delivery) => {
      const [taskPartition, offset] = where.get(delivery.task.id) ?? [];
      return taskPartition === partition && offsets.includes(String(offset));
    });
  const [givenUp, ...finished] = at(0, ['0', '1', '2', '3']);
  await executor.acknowledge(givenUp!, {
    status: 'failed',
    error: new LatigoError('PREDICTION_FAILED', 'gordo answered 503'),
    attempts: 3,
  });
  for (const delivery of [...finished, ...at(1, ['0', '2'])]) {
    await executor.acknowledge(delivery, { status: 'succeeded' });
  }
  await executor.close();
  return { topic, groupId };
}

describe('latigo queue-status against a real broker', () => {
  it("prints each partition's offsets, the group's commits and lag as JSON", async () => {
    const { topic, groupId } = await partlyWorkedTopic();

    const result = await queueStatus(
      overlay({ brokers: BROKER, topic, 'group.id': groupId }),
      '--json',
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      broker: BROKER,
      topic,
      groupId,
      partitions: [
        {
          partition: 0,
          startOffset: 0,
          endOffset: 4,
          committedOffset: 4,
          lag: 0,
          lagFrom: 'committed',
        },
        {
          partition: 1,
          startOffset: 0,
          endOffset: 4,
          committedOffset: 1,
          lag: 3,
          lagFrom: 'committed',
        },
        {
          partition: 2,
          startOffset: 0,
          endOffset: 4,
          committedOffset: null,
          lag: 4,
          lagFrom: 'start',
        },
      ],
      totals: { endOffset: 12, lag: 7, partitionsWithoutCommit: 1 },
      deadLetter: { topic: `${topic}.dead-letter`, exists: true, messages: 1 },
    });
  });

  it('prints the same figures as a table by default', async () => {
    const { topic, groupId } = await partlyWorkedTopic();

    const result = await queueStatus(overlay({ brokers: BROKER, topic, 'group.id': groupId }));

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `Kafka broker ${BROKER}, task topic "${topic}", consumer group "${groupId}"`,
        '',
        'partition  start  end  committed  lag',
        '        0      0    4          4    0',
        '        1      0    4          1    3',
        '        2      0    4          -    4 *',
        '    total          12               7',
        '',
        "* no offset committed by the group: lag counted from the partition's start offset",
        '',
        `dead-letter topic "${topic}.dead-letter": 1 message`,
        '',
      ].join('\n'),
    );
  });

  it('says when the dead-letter topic does not exist', async () => {
    const topic = uniqueName('alone');
    await suite.admin.createTopics({ topics: [{ topic }], waitForLeaders: true });

    const result = await queueStatus(overlay({ brokers: BROKER, topic }), '--json');

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      partitions: [{ partition: 0, endOffset: 0, committedOffset: null, lag: 0 }],
      deadLetter: { topic: `${topic}.dead-letter`, exists: false, messages: null },
    });
  });

  it('exits 1 with one line naming the topic and the broker when the topic is missing', async () => {
    const topic = uniqueName('missing');

    const result = await queueStatus(overlay({ brokers: BROKER, topic }));

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `latigo queue-status: QUEUE_TOPIC_MISSING: task_queue: topic "${topic}" does not exist on Kafka broker ${BROKER} (on Azure Event Hubs: no event hub of that name); check task_queue.topic, or the EntityPath of the connection string\n`,
    );
    expect(await suite.admin.listTopics()).not.toContain(topic);
  });

  it('exits 1 within seconds with one line naming the broker when it cannot be reached', async () => {
    const started = Date.now();

    const result = await queueStatus(overlay({ brokers: '127.0.0.1:1' }));

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^latigo queue-status: QUEUE_UNAVAILABLE: task_queue: cannot reach Kafka broker 127\.0\.0\.1:1: [^\n]*\n$/,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('exits 2 for a queue that is not Kafka, or arguments it does not know', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'latigo-queue-status-')), 'memory.yaml');
    writeFileSync(file, 'task_queue:\n  type: memory\n');

    const memory = await queueStatus(file);
    const role = await runCli(['queue-status', 'planner']);
    const option = await runCli(['queue-status', '--verbose']);

    expect(memory.code).toBe(2);
    expect(memory.stderr).toBe(
      `latigo queue-status: ${file}: task_queue.type: is "memory"; latigo queue-status reads a Kafka topic (type: kafka)\n`,
    );
    expect(role.code).toBe(2);
    expect(role.stderr).toContain('unknown configuration "planner": scheduler or executor');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--verbose'");
  });
});
