import { LatigoError } from '../../errors/index.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { DEFAULT_TOPIC, kafkaTaskQueueSchema } from './kafka-config.js';
import { resolveKafkaSettings } from './kafka-settings.js';
import { KafkaTaskQueue } from './kafka-task-queue.js';

/**
 * The section schema plus the checks that need the whole section (connection string form,
 * security protocol against it, brokers or connection string present), so `latigo config` and
 * start-up reject the same sections. Certificate files are read only when the queue is built.
 */
const schema = kafkaTaskQueueSchema.superRefine((config, ctx) => {
  try {
    resolveKafkaSettings(config, { readFile: () => '' });
  } catch (error) {
    if (!(error instanceof LatigoError) || error.code !== 'CONFIG_INVALID') {
      throw error;
    }
    const keyed = /^task_queue(?:\.([^:]+))?: (.*)$/s.exec(error.message);
    ctx.addIssue({
      code: 'custom',
      path: keyed?.[1] === undefined ? [] : [keyed[1]],
      message: keyed?.[2] ?? error.message,
    });
  }
});

/**
 * The `kafka` task queue: Azure Event Hubs through its Kafka endpoint, or any Kafka broker.
 * Reports once, at creation, the keys that mean nothing to kafkajs and how commits work.
 */
export const kafkaTaskQueueFactory: ProviderFactory<'task_queue', typeof schema> = {
  kind: 'task_queue',
  type: 'kafka',
  schema,
  create: (config, context) => {
    const settings = resolveKafkaSettings(config, { section: context.section });
    const { logger } = context;
    if (Object.keys(settings.ignored).length > 0) {
      logger.info({ ignored: settings.ignored }, 'task_queue keys without effect in kafkajs');
    }
    // The default topic, left as shipped, is no choice of the user's to warn about.
    if (
      settings.topicOverridden !== undefined &&
      settings.topicOverridden.configured !== DEFAULT_TOPIC
    ) {
      logger.warn(
        { ...settings.topicOverridden, topic: settings.topic },
        "task_queue.topic differs from the connection string's EntityPath; using EntityPath",
      );
    }
    logger.info(
      {
        broker: settings.brokerLabel,
        securityProtocol: settings.securityProtocol,
        topic: settings.topic,
        deadLetterTopic: settings.deadLetterTopic,
        groupId: settings.groupId,
        commits:
          settings.commit.kind === 'interval'
            ? `finished tasks every ${settings.commit.intervalMs} ms (enable.auto.commit)`
            : 'each task when finished',
      },
      'Kafka task queue configured',
    );
    return new KafkaTaskQueue({ settings, role: context.role, logger });
  },
};
