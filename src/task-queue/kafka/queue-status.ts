import type { Admin, Kafka } from 'kafkajs';

import { LatigoError } from '../../errors/index.js';
import type { KafkaSettings } from './kafka-settings.js';
import { withTopicList } from './topic-check.js';

/** One partition of the task topic as the consumer group sees it. */
export interface PartitionStatus {
  readonly partition: number;
  /** The oldest offset still on the partition (older messages expired). */
  readonly startOffset: number;
  /** The offset the next message will get. */
  readonly endOffset: number;
  /** The group's committed offset: every task before it is finished. null: nothing committed. */
  readonly committedOffset: number | null;
  /** Tasks not finished yet: end − committed, or end − start when nothing is committed. */
  readonly lag: number;
  readonly lagFrom: 'committed' | 'start';
}

/** The task topic's offsets and the group's progress through it, plus the dead-letter topic. */
export interface QueueStatus {
  /** The brokers, as in log lines: never the connection string. */
  readonly broker: string;
  readonly topic: string;
  /**
   * Set when the connection string's EntityPath named the topic and task_queue.topic named
   * another: the topic shown is EntityPath's, as the daemons use it.
   */
  readonly configuredTopic?: string;
  readonly groupId: string;
  readonly partitions: readonly PartitionStatus[];
  readonly totals: {
    readonly endOffset: number;
    readonly lag: number;
    /** Partitions whose lag is counted from the start offset. */
    readonly partitionsWithoutCommit: number;
  };
  readonly deadLetter: {
    readonly topic: string;
    readonly exists: boolean;
    /** Messages on it (end − start, summed over partitions); null when it does not exist. */
    readonly messages: number | null;
  };
}

/**
 * Reads the offsets of the task topic and the consumer group's commits with an admin client that
 * retries only briefly (`CHECK_RETRY`), so an unreachable broker fails within seconds. Throws
 * QUEUE_UNAVAILABLE or AUTH_FAILED naming the broker, QUEUE_TOPIC_MISSING naming the topic.
 */
export async function readQueueStatus(
  kafka: Kafka,
  settings: KafkaSettings,
  signal?: AbortSignal,
): Promise<QueueStatus> {
  return withTopicList(kafka, settings, signal, async ({ admin, existing, abortable }) => {
    if (!existing.includes(settings.topic)) {
      throw new LatigoError(
        'QUEUE_TOPIC_MISSING',
        `task_queue: topic "${settings.topic}" does not exist on Kafka broker ${settings.brokerLabel} (on Azure Event Hubs: no event hub of that name); check task_queue.topic, or the EntityPath of the connection string`,
        { context: { topic: settings.topic, broker: settings.brokerLabel } },
      );
    }
    const deadLetterExists = existing.includes(settings.deadLetterTopic);
    try {
      return await abortable(readOffsets(admin, settings, deadLetterExists));
    } catch (error) {
      if (signal?.aborted === true) {
        throw error;
      }
      throw new LatigoError(
        'QUEUE_UNAVAILABLE',
        `task_queue: cannot read the offsets of topic "${settings.topic}" from Kafka broker ${settings.brokerLabel}: ${error instanceof Error ? error.message : String(error)}`,
        { retriable: true, cause: error, context: { broker: settings.brokerLabel } },
      );
    }
  });
}

async function readOffsets(
  admin: Admin,
  settings: KafkaSettings,
  deadLetterExists: boolean,
): Promise<QueueStatus> {
  const [ends, commits, deadLetterEnds] = await Promise.all([
    admin.fetchTopicOffsets(settings.topic),
    admin.fetchOffsets({ groupId: settings.groupId, topics: [settings.topic] }),
    deadLetterExists ? admin.fetchTopicOffsets(settings.deadLetterTopic) : undefined,
  ]);
  const committed = new Map(
    (commits[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]),
  );
  const partitions = ends
    .map((entry) =>
      partitionStatus(
        entry.partition,
        Number(entry.low),
        Number(entry.high),
        committed.get(entry.partition),
      ),
    )
    .sort((left, right) => left.partition - right.partition);
  return {
    broker: settings.brokerLabel,
    topic: settings.topic,
    ...(settings.topicOverridden === undefined
      ? {}
      : { configuredTopic: settings.topicOverridden.configured }),
    groupId: settings.groupId,
    partitions,
    totals: {
      endOffset: sum(partitions.map((entry) => entry.endOffset)),
      lag: sum(partitions.map((entry) => entry.lag)),
      partitionsWithoutCommit: partitions.filter((entry) => entry.committedOffset === null).length,
    },
    deadLetter: {
      topic: settings.deadLetterTopic,
      exists: deadLetterExists,
      messages:
        deadLetterEnds === undefined
          ? null
          : sum(deadLetterEnds.map((entry) => Number(entry.high) - Number(entry.low))),
    },
  };
}

/**
 * One partition's figures. Kafka answers -1 for a partition the group never committed; its lag
 * is then counted from the oldest offset still there, which is how far a new group starting at
 * the oldest task (`auto.offset.reset: smallest`, the default) would have to go.
 */
export function partitionStatus(
  partition: number,
  startOffset: number,
  endOffset: number,
  committedOffset: number | undefined,
): PartitionStatus {
  if (committedOffset === undefined || committedOffset < 0) {
    return {
      partition,
      startOffset,
      endOffset,
      committedOffset: null,
      lag: endOffset - startOffset,
      lagFrom: 'start',
    };
  }
  return {
    partition,
    startOffset,
    endOffset,
    committedOffset,
    lag: endOffset - committedOffset,
    lagFrom: 'committed',
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
