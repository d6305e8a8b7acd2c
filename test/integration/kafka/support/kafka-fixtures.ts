import { randomUUID } from 'node:crypto';

import {
  AssignerProtocol,
  Kafka,
  logLevel,
  type Admin,
  type IHeaders,
  type Message,
} from 'kafkajs';

import { createTask, type Task } from '../../../../src/domain/task.js';
import type { Delivery, TaskQueue } from '../../../../src/interfaces/index.js';
import { silentLogger, type Logger } from '../../../../src/logging/logger.js';
import type { ProcessRole } from '../../../../src/registry/registry.js';
import { kafkaTaskQueueSchema } from '../../../../src/task-queue/kafka/kafka-config.js';
import { resolveKafkaSettings } from '../../../../src/task-queue/kafka/kafka-settings.js';
import { KafkaTaskQueue } from '../../../../src/task-queue/kafka/kafka-task-queue.js';
import { waitUntil } from '../../../support/wait.js';
import { BROKER } from './broker.js';

/** A plain kafkajs client for setting up and inspecting topics, apart from the code under test. */
export function testKafka(brokers: readonly string[] = [BROKER]): Kafka {
  return new Kafka({
    clientId: 'latigo-tests',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Creates fresh topics for one test: the task topic and its dead-letter topic. */
export async function createTopics(
  admin: Admin,
  topic: string,
  partitions = 1,
  deadLetterTopic = `${topic}.dead-letter`,
): Promise<void> {
  await admin.createTopics({
    topics: [
      { topic, numPartitions: partitions },
      { topic: deadLetterTopic, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
}

/** The config section of a queue against the test broker, with test-sized timeouts. */
export function queueSection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'kafka',
    brokers: [BROKER],
    'group.id': uniqueName('group'),
    'client.id': 'latigo-test',
    'session.timeout.ms': 6_000,
    'heartbeat.interval.ms': 500,
    'max.poll.interval.ms': 30_000,
    'auto.commit.interval.ms': 100,
    ...overrides,
  };
}

/** A Kafka task queue built the way the factory builds it, from a config section. */
export function makeQueue(
  role: ProcessRole,
  overrides: Record<string, unknown> = {},
  logger: Logger = silentLogger(),
): KafkaTaskQueue {
  const config = kafkaTaskQueueSchema.parse(queueSection(overrides));
  return new KafkaTaskQueue({ settings: resolveKafkaSettings(config), role, logger });
}

const SLOT_FROM = Date.UTC(2024, 0, 1, 5, 0, 0);
const INTERVAL_MS = 30 * 60_000;

/** `count` tasks of one slot, models `pump-0`, `pump-1`, … of project `lat-lit`. */
export function slotTasks(count: number, slot = 0, project = 'lat-lit'): Task[] {
  const fromMs = SLOT_FROM + slot * INTERVAL_MS;
  return Array.from({ length: count }, (_unused, index) =>
    createTask(project, `pump-${index}`, { fromMs, toMs: fromMs + INTERVAL_MS }),
  );
}

/** Waits until `condition` holds, polling; fails after `timeoutMs` with `what`. */
export function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<void> {
  return waitUntil(what, condition, { timeoutMs, intervalMs });
}

/** Receives one delivery, failing when none arrives within `timeoutMs`. */
export async function receiveOne(queue: TaskQueue, timeoutMs = 30_000): Promise<Delivery> {
  const delivery = await queue.receive(AbortSignal.timeout(timeoutMs));
  if (delivery === undefined) {
    throw new Error(`no task arrived within ${timeoutMs} ms`);
  }
  return delivery;
}

/** The committed offset of each partition of `topic` for `groupId` (-1: nothing committed). */
export async function committedOffsets(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<number[]> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? [])
    .slice()
    .sort((left, right) => left.partition - right.partition)
    .map((partition) => Number(partition.offset));
}

/** A record read back from a topic. */
export interface ReadRecord {
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly partition: number;
  readonly offset: string;
}

/** Reads every record of `topic` from the beginning until `count` arrived. */
export async function readRecords(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ partition, message }) => {
        records.push({
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? '',
          headers: textHeaders(message.headers),
          partition,
          offset: message.offset,
        });
        return Promise.resolve();
      },
    });
    await waitFor(`${count} records on ${topic}`, () => records.length >= count, timeoutMs);
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** Publishes raw messages with a plain producer (for poison messages). */
export async function publishRaw(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) {
      result[name] = first.toString();
    }
  }
  return result;
}

/** Each member of a consumer group and the partitions of `topic` it holds. */
export async function groupAssignment(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<{ state: string; members: { memberId: string; partitions: number[] }[] }> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  return {
    state: group?.state ?? 'Unknown',
    members: (group?.members ?? []).map((member) => ({
      memberId: member.memberId,
      partitions:
        AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic] ?? [],
    })),
  };
}

/** Waits until the group is stable with `count` members, each holding at least one partition or not. */
export async function waitForStableGroup(
  admin: Admin,
  groupId: string,
  topic: string,
  count: number,
): Promise<void> {
  await waitFor(`group ${groupId} stable with ${count} members`, async () => {
    const group = await groupAssignment(admin, groupId, topic);
    return group.state === 'Stable' && group.members.length === count;
  });
}
