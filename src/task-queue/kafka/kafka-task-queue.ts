import { Kafka, type Message } from 'kafkajs';

import { taskKey, type Task } from '../../domain/task.js';
import { isoUtc } from '../../domain/time-range.js';
import type { Delivery, SendResult, TaskOutcome, TaskQueue } from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';
import type { ProcessRole } from '../../registry/registry.js';
import { encodeTaskMessage } from '../task-message.js';
import { DEAD_LETTER_HEADERS } from './dead-letter.js';
import { IdleClosingProducer } from './idle-closing-producer.js';
import { kafkaClientConfig } from './kafkajs-options.js';
import type { KafkaSettings } from './kafka-settings.js';
import { probeLastSlot, SLOT_HEADER } from './last-slot-probe.js';
import { TaskConsumer } from './task-consumer.js';
import { CHECK_RETRY, ensureTopics } from './topic-check.js';

export interface KafkaTaskQueueOptions {
  readonly settings: KafkaSettings;
  /** The scheduler only publishes; the executor consumes and dead-letters. */
  readonly role: ProcessRole;
  readonly logger: Logger;
}

/**
 * The production task queue: a Kafka topic (an event hub on Azure Event Hubs). The scheduler
 * publishes each task keyed by `project/model`; executors form a consumer group, take tasks at
 * least once and commit a task's offset only once it is finished (stored, or given up and sent
 * to the dead-letter topic with its error).
 */
export class KafkaTaskQueue implements TaskQueue {
  private readonly kafka: Kafka;
  private readonly producer: IdleClosingProducer;
  private readonly consumer: TaskConsumer;

  constructor(private readonly options: KafkaTaskQueueOptions) {
    const { settings, logger } = options;
    this.kafka = new Kafka(kafkaClientConfig(settings, logger));
    this.producer = new IdleClosingProducer(this.kafka, settings, logger);
    this.consumer = new TaskConsumer({
      kafka: this.kafka,
      settings,
      logger,
      deadLetter: (message) => this.producer.send(settings.deadLetterTopic, [message]),
    });
  }

  /** The scheduler needs the task topic; an executor also the dead-letter topic. */
  check(signal?: AbortSignal): Promise<void> {
    const { settings, role, logger } = this.options;
    const topics =
      role === 'executor' ? [settings.topic, settings.deadLetterTopic] : [settings.topic];
    const client = new Kafka({ ...kafkaClientConfig(settings, logger), retry: CHECK_RETRY });
    return ensureTopics(client, settings, topics, logger, signal);
  }

  async send(tasks: readonly Task[], signal?: AbortSignal, slotMs?: number): Promise<SendResult> {
    const slot = slotMs === undefined ? {} : { [SLOT_HEADER]: isoUtc(slotMs) };
    const messages: Message[] = tasks.map((task) => ({
      key: taskKey(task),
      value: encodeTaskMessage(task),
      headers: { [DEAD_LETTER_HEADERS.taskId]: task.id, ...slot },
    }));
    await this.producer.send(this.options.settings.topic, messages, signal);
    this.options.logger.debug({ delivered: tasks.length }, 'tasks published');
    return { delivered: tasks.length };
  }

  /** The newest `latigo-slot` header on the topic: the last slot a scheduler published. */
  lastScheduledSlotMs(signal?: AbortSignal): Promise<number | undefined> {
    return probeLastSlot(this.kafka, this.options.settings, this.options.logger, signal);
  }

  receive(signal: AbortSignal): Promise<Delivery | undefined> {
    return this.consumer.receive(signal);
  }

  /** Tasks read ahead from Kafka and waiting for a worker (at most `prefetch_tasks`). */
  bufferedTasks(): number {
    return this.consumer.buffered;
  }

  acknowledge(delivery: Delivery, outcome: TaskOutcome): Promise<void> {
    return this.consumer.acknowledge(delivery, outcome);
  }

  async close(): Promise<void> {
    await this.consumer.close();
    await this.producer.close();
  }
}
