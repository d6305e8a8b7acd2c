import type { Kafka, RetryOptions } from 'kafkajs';

import { LatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { raceAbort } from '../../util/abort.js';
import type { KafkaSettings } from './kafka-settings.js';

/**
 * Retries of the client that runs the start-up check: a few seconds, then the daemon exits with
 * a clear message (and its supervisor starts it again).
 */
export const CHECK_RETRY: RetryOptions = { retries: 2, initialRetryTime: 300, maxRetryTime: 2_000 };

/**
 * Verifies that `topics` exist on the broker, with a client built with `CHECK_RETRY`. Missing topics are created when
 * `create_topics` is on; otherwise the error names the topics and the broker host, never the
 * connection string.
 */
export async function ensureTopics(
  kafka: Kafka,
  settings: KafkaSettings,
  topics: readonly string[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  const admin = kafka.admin({ retry: CHECK_RETRY });
  const abortable = <T>(promise: Promise<T>): Promise<T> =>
    signal === undefined ? promise : raceAbort(promise, signal);
  try {
    let existing: string[];
    try {
      await abortable(admin.connect());
      existing = await abortable(admin.listTopics());
    } catch (error) {
      throw unreachable(settings, error);
    }
    const missing = topics.filter((topic) => !existing.includes(topic));
    if (missing.length === 0) {
      return;
    }
    if (!settings.createTopics) {
      throw new LatigoError('QUEUE_TOPIC_MISSING', missingMessage(missing, settings), {
        context: { topics: missing.join(','), broker: settings.brokerLabel },
      });
    }
    await abortable(
      admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.createTopicPartitions,
        })),
        waitForLeaders: true,
      }),
    );
    logger.info(
      { topics: missing, partitions: settings.createTopicPartitions, broker: settings.brokerLabel },
      'created missing Kafka topics',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function missingMessage(missing: readonly string[], settings: KafkaSettings): string {
  const names = missing.map((topic) => `"${topic}"`).join(' and ');
  const verb = missing.length === 1 ? 'does' : 'do';
  return `task_queue: topic ${names} ${verb} not exist on Kafka broker ${settings.brokerLabel}; create ${missing.length === 1 ? 'it' : 'them'} (on Azure Event Hubs: an event hub of that name), or set task_queue.create_topics: true to let Latigo create ${missing.length === 1 ? 'it' : 'them'} on a plain Kafka broker`;
}

function unreachable(settings: KafkaSettings, error: unknown): LatigoError {
  const reason = error instanceof Error ? error.message : String(error);
  const login = error instanceof Error && error.name === 'KafkaJSSASLAuthenticationError';
  return new LatigoError(
    login ? 'AUTH_FAILED' : 'QUEUE_UNAVAILABLE',
    login
      ? `task_queue: Kafka broker ${settings.brokerLabel} rejected the login (SASL PLAIN as ${settings.sasl?.username ?? '?'}): check the connection string: ${reason}`
      : `task_queue: cannot reach Kafka broker ${settings.brokerLabel}: ${reason}`,
    { retriable: !login, cause: error, context: { broker: settings.brokerLabel } },
  );
}
