import type { Admin, Kafka, RetryOptions } from 'kafkajs';

import { LatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { raceAbort } from '../../util/abort.js';
import type { KafkaSettings } from './kafka-settings.js';

/**
 * Retries of the client that runs the start-up check: a few seconds, then the daemon exits with
 * a clear message (and its supervisor starts it again).
 */
export const CHECK_RETRY: RetryOptions = { retries: 2, initialRetryTime: 300, maxRetryTime: 2_000 };

/** The Kafka error type of a topic that another client created first. */
const TOPIC_ALREADY_EXISTS = 'TOPIC_ALREADY_EXISTS';

/**
 * Verifies that `topics` exist on the broker, with a client built with `CHECK_RETRY`. Missing
 * topics are created when `create_topics` is on; a topic that another process created meanwhile
 * (executors starting together) counts as present. Otherwise the error names the topics and the
 * broker host, never the connection string.
 */
export async function ensureTopics(
  kafka: Kafka,
  settings: KafkaSettings,
  topics: readonly string[],
  logger: Logger,
  signal?: AbortSignal,
): Promise<void> {
  await withTopicList(kafka, settings, signal, async ({ admin, existing, abortable }) => {
    const missing = topics.filter((topic) => !existing.includes(topic));
    if (missing.length === 0) {
      return;
    }
    if (!settings.createTopics) {
      throw new LatigoError('QUEUE_TOPIC_MISSING', missingMessage(missing, settings), {
        context: { topics: missing.join(','), broker: settings.brokerLabel },
      });
    }

    // kafkajs resolves false when every topic it could not create already existed, without
    // saying which. When another process made only some of them, all are reported as made
    // meanwhile: this process never claims a topic it may not have created.
    let createdAll: boolean;
    try {
      createdAll = await abortable(
        admin.createTopics({
          topics: missing.map((topic) => ({
            topic,
            numPartitions: settings.createTopicPartitions,
          })),
          waitForLeaders: true,
        }),
      );
    } catch (error) {
      if (signal?.aborted === true) {
        throw error;
      }
      if (!allAlreadyExist(error)) {
        throw creationFailed(missing, settings, error);
      }
      createdAll = false;
    }
    if (createdAll) {
      logger.info(
        {
          topics: missing,
          partitions: settings.createTopicPartitions,
          broker: settings.brokerLabel,
        },
        'created missing Kafka topics',
      );
    } else {
      logger.info(
        { topics: missing, broker: settings.brokerLabel },
        'Kafka topics created meanwhile by another process',
      );
    }
  });
}

/** What `withTopicList` gives its work. */
export interface TopicListing {
  readonly admin: Admin;
  /** The topics on the broker. */
  readonly existing: readonly string[];
  /** Rejects as soon as the signal aborts. */
  readonly abortable: <T>(promise: Promise<T>) => Promise<T>;
}

/**
 * Runs `work` with an admin client that retries only briefly (`CHECK_RETRY`, so an unreachable
 * broker fails within seconds), connected, and the broker's topic list; disconnects afterwards.
 * A failure to connect or list is QUEUE_UNAVAILABLE, or AUTH_FAILED for a refused login, naming
 * the broker and never the connection string.
 */
export async function withTopicList<T>(
  kafka: Kafka,
  settings: KafkaSettings,
  signal: AbortSignal | undefined,
  work: (listing: TopicListing) => Promise<T>,
): Promise<T> {
  const admin = kafka.admin({ retry: CHECK_RETRY });
  const abortable = <R>(promise: Promise<R>): Promise<R> =>
    signal === undefined ? promise : raceAbort(promise, signal);
  try {
    let existing: string[];
    try {
      await abortable(admin.connect());
      existing = await abortable(admin.listTopics());
    } catch (error) {
      // A stop, not an unreachable broker.
      throw signal?.aborted === true ? error : unreachable(settings, error);
    }
    return await work({ admin, existing, abortable });
  } finally {
    const closed = admin.disconnect().catch(() => undefined);
    // After a stop, the daemon does not wait for a connection attempt to time out first.
    if (signal?.aborted !== true) {
      await closed;
    }
  }
}

function missingMessage(missing: readonly string[], settings: KafkaSettings): string {
  const names = missing.map((topic) => `"${topic}"`).join(' and ');
  const one = missing.length === 1;
  const subject = one ? `topic ${names} does` : `topics ${names} do`;
  const pronoun = one ? 'it' : 'them';
  const eventHubs = one ? 'an event hub of that name' : 'event hubs of those names';
  return `task_queue: ${subject} not exist on Kafka broker ${settings.brokerLabel}; create ${pronoun} (on Azure Event Hubs: ${eventHubs}), or set task_queue.create_topics: true to let Latigo create ${pronoun} on a plain Kafka broker`;
}

/** One topic's failure in a kafkajs topic creation (a KafkaJSCreateTopicError). */
interface TopicError {
  readonly topic?: unknown;
  readonly type?: unknown;
  readonly message?: unknown;
}

/**
 * The per-topic failures of a kafkajs topic creation: the `errors` of its KafkaJSAggregateError,
 * found on the error or its causes (a retry wrapper keeps the last failure as cause).
 */
function topicErrors(error: unknown): readonly TopicError[] {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 3; depth += 1) {
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      return errors as TopicError[];
    }
    current = current.cause;
  }
  return [];
}

function allAlreadyExist(error: unknown): boolean {
  const errors = topicErrors(error);
  return errors.length > 0 && errors.every((entry) => entry.type === TOPIC_ALREADY_EXISTS);
}

function creationFailed(
  missing: readonly string[],
  settings: KafkaSettings,
  error: unknown,
): LatigoError {
  const reasons = topicErrors(error)
    .filter((entry) => entry.type !== TOPIC_ALREADY_EXISTS)
    .map((entry) => `"${String(entry.topic)}": ${String(entry.message)}`);
  const reason =
    reasons.length > 0
      ? reasons.join('; ')
      : error instanceof Error
        ? error.message
        : String(error);
  return new LatigoError(
    'STARTUP_CHECK_FAILED',
    `task_queue: cannot create ${missing.map((topic) => `"${topic}"`).join(' and ')} on Kafka broker ${settings.brokerLabel}: ${reason}`,
    { cause: error, context: { topics: missing.join(','), broker: settings.brokerLabel } },
  );
}

/**
 * The error for a broker that cannot be reached or refuses the login: names the broker (and for
 * a refused login the SASL user), never the connection string.
 */
export function unreachable(settings: KafkaSettings, error: unknown): LatigoError {
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
