import { Partitioners, type ConsumerConfig, type KafkaConfig, type ProducerConfig } from 'kafkajs';

import type { Logger } from '../../logging/logger.js';
import { kafkajsLevel, kafkajsLogCreator } from './kafkajs-logger.js';
import type { KafkaSettings } from './kafka-settings.js';

/** The kafkajs client: brokers, TLS, SASL PLAIN login, timeouts, logging. */
export function kafkaClientConfig(settings: KafkaSettings, logger: Logger): KafkaConfig {
  return {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: typeof settings.ssl === 'boolean' ? settings.ssl : { ca: [...settings.ssl.ca] },
    ...(settings.sasl === undefined
      ? {}
      : {
          sasl: {
            mechanism: 'plain' as const,
            username: settings.sasl.username,
            password: settings.sasl.password,
          },
        }),
    connectionTimeout: settings.connectionTimeoutMs,
    authenticationTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    enforceRequestTimeout: true,
    logLevel: kafkajsLevel(logger),
    logCreator: kafkajsLogCreator(logger),
  };
}

/**
 * The producer: never creates topics (on Event Hubs a mistyped topic would become a new event
 * hub), Java-compatible key hashing so a model's tasks land in the same partition whichever
 * client published them.
 */
export function producerConfig(settings: KafkaSettings): ProducerConfig {
  return {
    allowAutoTopicCreation: false,
    metadataMaxAge: settings.metadataMaxAgeMs,
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: false,
  };
}

/**
 * The consumer group member. The fetch wait stays within the heartbeat interval, so an idle
 * member heartbeats often enough, and bounds how long leaving the group waits for the fetch under
 * way; `max.poll.interval.ms` is how long the group waits for members to rejoin during a
 * rebalance (kafkajs's rebalanceTimeout).
 */
export function consumerConfig(settings: KafkaSettings): ConsumerConfig {
  return {
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: settings.heartbeatIntervalMs,
    rebalanceTimeout: settings.rebalanceTimeoutMs,
    metadataMaxAge: settings.metadataMaxAgeMs,
    maxWaitTimeInMs: settings.fetchWaitMaxMs,
    allowAutoTopicCreation: false,
    retry: { restartOnFailure: () => Promise.resolve(true) },
  };
}
