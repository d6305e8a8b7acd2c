import { readFileSync } from 'node:fs';

import { closestKey } from '../../config/unknown-keys.js';
import { LatigoError } from '../../errors/index.js';
import { parseEventHubsConnectionString, EVENT_HUBS_KAFKA_PORT } from './connection-string.js';
import {
  DEFAULT_CA_LOCATION,
  type KafkaTaskQueueConfig,
  type SecurityProtocol,
} from './kafka-config.js';

/** The username Event Hubs expects with SASL PLAIN; the password is the whole connection string. */
export const EVENT_HUBS_USERNAME = '$ConnectionString';

/** How finished tasks' offsets reach the broker. */
export type CommitMode =
  /** In the background, every `intervalMs` (enable.auto.commit: true). */
  | { readonly kind: 'interval'; readonly intervalMs: number }
  /** Right after each acknowledgement (enable.auto.commit: false). */
  | { readonly kind: 'each' };

/** Everything the kafkajs queue needs, resolved once from the config section. */
export interface KafkaSettings {
  readonly brokers: readonly string[];
  /** The brokers for messages and logs: never holds a credential. */
  readonly brokerLabel: string;
  readonly securityProtocol: SecurityProtocol;
  /** false: plain TCP; true: TLS with Node's own CA list; object: TLS with these CAs. */
  readonly ssl: boolean | { readonly ca: readonly string[] };
  readonly sasl?: { readonly username: string; readonly password: string } | undefined;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  readonly connectionTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Longest wait of a consumer's fetch for new messages (never above the heartbeat interval). */
  readonly fetchWaitMaxMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly metadataMaxAgeMs: number;
  readonly idleDisconnectMs: number;
  readonly disconnectTimeoutMs: number;
  readonly fromBeginning: boolean;
  readonly commit: CommitMode;
  readonly maxMessageBytes: number;
  /** Tasks a consumer buffers ahead of its workers. */
  readonly prefetchTasks: number;
  readonly createTopics: boolean;
  readonly createTopicPartitions: number;
  /** Keys that were set but mean nothing to kafkajs, with why. Reported once at start-up. */
  readonly ignored: Readonly<Record<string, string>>;
  /** Set when the connection string's EntityPath replaced a different `topic`. */
  readonly topicOverridden?: { readonly configured: string; readonly entityPath: string };
}

export interface ResolveOptions {
  /** Dotted name of the section, for messages. */
  readonly section?: string;
  readonly readFile?: (file: string) => string;
}

const IGNORED_REASONS: Readonly<Record<string, string>> = {
  poll_timeout_sec:
    'a librdkafka poll timeout; the executor waits for tasks until a task arrives or it stops',
  debug:
    "librdkafka debug contexts; kafkajs logs through Latigo's logger, and KAFKAJS_LOG_LEVEL=debug adds its protocol lines",
};

/**
 * Resolves the config section into kafkajs-ready settings: brokers and login from the
 * connection string or the broker list, TLS and its CA file, timeouts and commit mode. Throws
 * CONFIG_INVALID naming the key; never puts the connection string into a message.
 */
export function resolveKafkaSettings(
  config: KafkaTaskQueueConfig,
  options: ResolveOptions = {},
): KafkaSettings {
  const section = options.section ?? 'task_queue';
  const readFile = options.readFile ?? ((file: string) => readFileSync(file, 'utf8'));
  const connectionString = config.connection_string.trim();

  let brokers = config.brokers;
  let topic = config.topic;
  let topicOverridden: KafkaSettings['topicOverridden'];
  let sasl: KafkaSettings['sasl'];
  let securityProtocol: SecurityProtocol;
  if (connectionString !== '') {
    const connection = parseEventHubsConnectionString(
      connectionString,
      `${section}.connection_string`,
    );
    if (brokers.length === 0) {
      brokers = [`${connection.host}:${EVENT_HUBS_KAFKA_PORT}`];
    }
    if (connection.entityPath !== undefined) {
      if (connection.entityPath !== topic) {
        topicOverridden = { configured: topic, entityPath: connection.entityPath };
      }
      topic = connection.entityPath;
    }
    securityProtocol = config['security.protocol'] ?? 'SASL_SSL';
    if (!securityProtocol.startsWith('SASL_')) {
      throw invalid(
        `${section}.security.protocol`,
        `${securityProtocol} does not log in, but a connection string is set: use SASL_SSL (Event Hubs) or SASL_PLAINTEXT (a local test broker)`,
      );
    }
    sasl = { username: EVENT_HUBS_USERNAME, password: connectionString };
  } else {
    if (brokers.length === 0) {
      throw invalid(
        section,
        'neither connection_string nor brokers is set: give an Azure Event Hubs connection string (LATIGO_TASK_QUEUE_CONNECTION_STRING in the default config) or host:port of Kafka brokers (LATIGO_TASK_QUEUE_BROKERS)',
      );
    }
    securityProtocol = config['security.protocol'] ?? 'PLAINTEXT';
    if (securityProtocol.startsWith('SASL_')) {
      throw invalid(
        `${section}.security.protocol`,
        `${securityProtocol} needs credentials: set connection_string, or use PLAINTEXT or SSL`,
      );
    }
  }

  const deadLetterTopic =
    config.dead_letter_topic === '' ? `${topic}.dead-letter` : config.dead_letter_topic;
  if (deadLetterTopic === topic) {
    throw invalid(`${section}.dead_letter_topic`, `must differ from the task topic "${topic}"`);
  }

  const sessionTimeoutMs = config['session.timeout.ms'];
  const heartbeatIntervalMs =
    config['heartbeat.interval.ms'] ??
    Math.max(100, Math.min(3_000, Math.floor(sessionTimeoutMs / 3)));
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw invalid(
      `${section}.heartbeat.interval.ms`,
      `${heartbeatIntervalMs} must be below session.timeout.ms (${sessionTimeoutMs}); a third of it is usual`,
    );
  }
  const rebalanceTimeoutMs = config['max.poll.interval.ms'];
  if (rebalanceTimeoutMs < sessionTimeoutMs) {
    throw invalid(
      `${section}.max.poll.interval.ms`,
      `${rebalanceTimeoutMs} must not be below session.timeout.ms (${sessionTimeoutMs})`,
    );
  }

  const ignored: Record<string, string> = {};
  for (const key of ['poll_timeout_sec', 'debug'] as const) {
    if (config[key] !== undefined) {
      ignored[key] = IGNORED_REASONS[key] ?? 'no kafkajs equivalent';
    }
  }
  for (const key of Object.keys(config['default.topic.config'])) {
    if (key === 'auto.offset.reset') {
      continue;
    }
    // Other librdkafka topic settings are ignored, but a misspelt auto.offset.reset must not be.
    if (closestKey(key, ['auto.offset.reset']) !== undefined) {
      throw invalid(
        `${section}.default.topic.config.${key}`,
        'unknown key; did you mean auto.offset.reset?',
      );
    }
    ignored[`default.topic.config.${key}`] =
      'a librdkafka topic setting with no kafkajs equivalent';
  }

  const reset = config['default.topic.config']['auto.offset.reset'];
  return {
    brokers,
    brokerLabel: brokers.join(','),
    securityProtocol,
    ssl: tlsOptions(
      securityProtocol,
      config['ssl.ca.location'],
      `${section}.ssl.ca.location`,
      readFile,
    ),
    sasl,
    topic,
    deadLetterTopic,
    groupId: config['group.id'],
    clientId: config['client.id'],
    requestTimeoutMs: config['request.timeout.ms'],
    connectionTimeoutMs: config.connection_timeout_ms,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    fetchWaitMaxMs: Math.min(config['fetch.wait.max.ms'], heartbeatIntervalMs),
    rebalanceTimeoutMs,
    metadataMaxAgeMs: config['metadata.max.age.ms'],
    idleDisconnectMs: config['connections.max.idle.ms'],
    disconnectTimeoutMs: config.disconnect_timeout_ms,
    fromBeginning: reset === 'smallest' || reset === 'earliest' || reset === 'beginning',
    commit: config['enable.auto.commit']
      ? { kind: 'interval', intervalMs: config['auto.commit.interval.ms'] }
      : { kind: 'each' },
    maxMessageBytes: config.max_message_bytes,
    prefetchTasks: config.prefetch_tasks,
    createTopics: config.create_topics,
    createTopicPartitions: config.create_topic_partitions,
    ignored,
    ...(topicOverridden === undefined ? {} : { topicOverridden }),
  };
}

/**
 * TLS for SSL and SASL_SSL. The CA file replaces Node's built-in list when it exists; the
 * default path may be missing (not every system has it), any other path must be readable.
 */
function tlsOptions(
  protocol: SecurityProtocol,
  caLocation: string,
  key: string,
  readFile: (file: string) => string,
): KafkaSettings['ssl'] {
  if (protocol !== 'SSL' && protocol !== 'SASL_SSL') {
    return false;
  }
  if (caLocation === '') {
    return true;
  }
  try {
    return { ca: [readFile(caLocation)] };
  } catch (error) {
    if (caLocation === DEFAULT_CA_LOCATION) {
      return true;
    }
    throw new LatigoError('CONFIG_INVALID', `${key}: cannot read the CA file ${caLocation}`, {
      cause: error,
      context: { key, file: caLocation },
    });
  }
}

function invalid(key: string, problem: string): LatigoError {
  return new LatigoError('CONFIG_INVALID', `${key}: ${problem}`, { context: { key } });
}
