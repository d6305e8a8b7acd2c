import { z } from 'zod';

import { booleanFlag, describeValue, integer, quotedText, text } from '../../config/fields.js';
import { MAX_TIMER_MS } from '../../util/timers.js';

/**
 * The `task_queue` section for `type: kafka`. Keys with dots keep the librdkafka names of the
 * spec (and of Microsoft's Event Hubs guidance); Latigo's own keys are snake_case. Every key, its
 * default and its effect in kafkajs is listed in the README's task queue table.
 */

/** Kafka's legal topic names: letters, digits, `.`, `_`, `-`; at most 249 characters. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

function topicName() {
  return text().refine((value) => TOPIC_NAME.test(value) && value !== '.' && value !== '..', {
    error: 'a topic name has 1 to 249 letters, digits, ".", "_" or "-"',
  });
}

const BROKER_ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

/**
 * Broker addresses `host:port`: a YAML list, or one comma-separated string (as it comes from
 * an environment variable). An empty string is an empty list.
 */
function brokerList() {
  return z.unknown().transform((value, ctx): string[] => {
    const items =
      typeof value === 'string'
        ? value
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : value;
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string')) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a list of host:port, or one comma-separated string, got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    const addresses = items as string[];
    for (const address of addresses) {
      const port = Number(BROKER_ADDRESS.exec(address)?.[1] ?? Number.NaN);
      if (!(port >= 1 && port <= 65535)) {
        ctx.addIssue({
          code: 'custom',
          message: `${quotedText(address)} is not a broker address host:port`,
        });
        return z.NEVER;
      }
    }
    return addresses;
  });
}

export const SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

/** librdkafka's names for where a new consumer group starts. */
export const OFFSET_RESETS = ['smallest', 'earliest', 'beginning', 'largest', 'latest', 'end'];

/** The spec's default task topic (also what the shipped config files set). */
export const DEFAULT_TOPIC = 'latigo_topic';

export const DEFAULT_CA_LOCATION = '/etc/ssl/certs/ca-certificates.crt';

export const kafkaTaskQueueSchema = z
  .object({
    type: z.literal('kafka'),
    /**
     * Azure Event Hubs connection string (`Endpoint=sb://…;SharedAccessKeyName=…;
     * SharedAccessKey=…[;EntityPath=…]`). Empty: connect to `brokers` instead.
     */
    connection_string: z.string().prefault(''),
    /** Bootstrap brokers `host:port` of a plain Kafka cluster; overrides the connection string's host. */
    brokers: brokerList().prefault([]),
    /** The task topic. A connection string's EntityPath takes precedence. */
    topic: topicName().prefault(DEFAULT_TOPIC),
    /** Where given-up and malformed tasks go; empty: `<topic>.dead-letter`. */
    dead_letter_topic: z
      .string()
      .refine((value) => value === '' || TOPIC_NAME.test(value), {
        error: 'a topic name has 1 to 249 letters, digits, ".", "_" or "-"',
      })
      .prefault(''),
    /** Default: SASL_SSL with a connection string, PLAINTEXT without. */
    'security.protocol': z
      .enum(SECURITY_PROTOCOLS, {
        error: `expected one of ${SECURITY_PROTOCOLS.join(', ')}`,
      })
      .optional(),
    /** PEM file of the certificate authorities trusted for TLS. */
    'ssl.ca.location': z.string().prefault(DEFAULT_CA_LOCATION),
    /** Only PLAIN (what Event Hubs connection strings use). */
    'sasl.mechanism': z
      .string()
      .refine((value) => value.toUpperCase() === 'PLAIN', {
        error: 'only PLAIN is supported (the mechanism of Event Hubs connection strings)',
      })
      .prefault('PLAIN'),
    'group.id': text().prefault('1'),
    'client.id': text().prefault('latigo_scheduler'),
    'request.timeout.ms': integer({ min: 1, max: MAX_TIMER_MS }).prefault(10_000),
    'session.timeout.ms': integer({ min: 1_000, max: MAX_TIMER_MS }).prefault(10_000),
    /** Default: a third of session.timeout.ms, at most 3000. */
    'heartbeat.interval.ms': integer({ min: 100, max: MAX_TIMER_MS }).optional(),
    'max.poll.interval.ms': integer({ min: 1, max: MAX_TIMER_MS }).prefault(86_400_000),
    /** librdkafka's name and default: how long a consumer's fetch waits for new messages. */
    'fetch.wait.max.ms': integer({ min: 10, max: 300_000 }).prefault(500),
    'default.topic.config': z
      .looseObject({
        'auto.offset.reset': z
          .enum(OFFSET_RESETS, { error: `expected one of ${OFFSET_RESETS.join(', ')}` })
          .prefault('smallest'),
      })
      .prefault({}),
    'enable.auto.commit': booleanFlag().prefault(true),
    'auto.commit.interval.ms': integer({ min: 0, max: MAX_TIMER_MS }).prefault(1_000),
    'metadata.max.age.ms': integer({ min: 1_000, max: MAX_TIMER_MS }).prefault(180_000),
    'connections.max.idle.ms': integer({ min: 1_000, max: MAX_TIMER_MS }).prefault(180_000),
    /** librdkafka only; accepted and reported as ignored. */
    poll_timeout_sec: integer().optional(),
    /** librdkafka only; accepted and reported as ignored. */
    debug: z.string().optional(),
    /** Create missing topics at start-up (not on Event Hubs: create event hubs in Azure). */
    create_topics: booleanFlag().prefault(false),
    /** Partitions of topics created by `create_topics`. */
    create_topic_partitions: integer({ min: 1, max: 1_024 }).prefault(8),
    /** Largest message accepted; Event Hubs allows just under 1 MB per publication. */
    max_message_bytes: integer({ min: 1_024, max: 1_046_527 }).prefault(1_000_000),
    /** Tasks an executor reads ahead and keeps waiting for a worker; 0: only what workers ask for. */
    prefetch_tasks: integer({ min: 0, max: 100_000 }).prefault(1_000),
    /** TCP and TLS connect timeout (kafkajs's default of 1 s is too short for Event Hubs). */
    connection_timeout_ms: integer({ min: 1, max: MAX_TIMER_MS }).prefault(10_000),
    /** How long closing may take to leave the group and disconnect. */
    disconnect_timeout_ms: integer({ min: 1, max: MAX_TIMER_MS }).prefault(10_000),
  })
  .strict();

export type KafkaTaskQueueConfig = z.output<typeof kafkaTaskQueueSchema>;
