import { Kafka, type Admin } from 'kafkajs';
import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../../src/errors/index.js';
import { kafkaTaskQueueSchema } from '../../../src/task-queue/kafka/kafka-config.js';
import { resolveKafkaSettings } from '../../../src/task-queue/kafka/kafka-settings.js';
import { kafkaClientConfig } from '../../../src/task-queue/kafka/kafkajs-options.js';
import { CHECK_RETRY, ensureTopics } from '../../../src/task-queue/kafka/topic-check.js';
import { capturingLogger } from '../../support/capturing-logger.js';
import { BROKER } from './support/broker.js';
import { createTopics, makeQueue, queueSection, uniqueName } from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly topics?: string[];
  readonly error?: string;
}

function linesWith(lines: readonly LogLine[], message: string): LogLine[] {
  return lines.filter((line) => line.msg === message);
}

/** How many partitions each of `topics` has, and that each exists once. */
async function partitionCounts(admin: Admin, topics: readonly string[]): Promise<unknown[]> {
  const listed = await admin.listTopics();
  const metadata = await admin.fetchTopicMetadata({ topics: [...topics] });
  return topics.map((topic) => [
    topic,
    listed.filter((name) => name === topic).length,
    metadata.topics.find((entry) => entry.name === topic)?.partitions.length,
  ]);
}

async function checkError(check: Promise<void>): Promise<LatigoError> {
  const error = await check.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof LatigoError)) {
    throw new Error(`expected a LatigoError, got ${String(error)}`);
  }
  return error;
}

describe('the start-up check of the Kafka task queue', () => {
  it('names the missing topic and the broker', async () => {
    const topic = uniqueName('missing');
    const scheduler = makeQueue('scheduler', { topic });

    const error = await checkError(scheduler.check());

    expect(error.code).toBe('QUEUE_TOPIC_MISSING');
    expect(error.message).toBe(
      `task_queue: topic "${topic}" does not exist on Kafka broker ${BROKER}; create it (on Azure Event Hubs: an event hub of that name), or set task_queue.create_topics: true to let Latigo create it on a plain Kafka broker`,
    );
    expect(await suite.admin.listTopics()).not.toContain(topic);
    await scheduler.close();
  });

  it('asks an executor for the dead-letter topic too', async () => {
    const topic = uniqueName('half');
    await suite.admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    const executor = makeQueue('executor', { topic });

    const error = await checkError(executor.check());

    expect(error.code).toBe('QUEUE_TOPIC_MISSING');
    expect(error.message).toMatch(
      new RegExp(`^task_queue: topic "${topic}.dead-letter" does not exist on Kafka broker `),
    );
    await executor.close();
  });

  it('names both missing topics of an executor in the plural', async () => {
    const topic = uniqueName('absent');
    const executor = makeQueue('executor', { topic });

    const error = await checkError(executor.check());

    expect(error.message).toBe(
      `task_queue: topics "${topic}" and "${topic}.dead-letter" do not exist on Kafka broker ${BROKER}; create them (on Azure Event Hubs: event hubs of those names), or set task_queue.create_topics: true to let Latigo create them on a plain Kafka broker`,
    );
    await executor.close();
  });

  it('lets two executors starting together create the topics once, logging the creation once', async () => {
    const topic = uniqueName('together');
    const first = capturingLogger<LogLine>('debug');
    const second = capturingLogger<LogLine>('debug');
    const overrides = { topic, create_topics: true, create_topic_partitions: 2 };
    const executors = [
      makeQueue('executor', overrides, first.logger),
      makeQueue('executor', overrides, second.logger),
    ];

    await Promise.all(executors.map((executor) => executor.check()));

    const lines = [...first.lines, ...second.lines];
    const created = linesWith(lines, 'created missing Kafka topics');
    expect(created).toHaveLength(1);
    expect(created[0]?.topics).toEqual([topic, `${topic}.dead-letter`]);
    expect(linesWith(lines, 'Kafka topics created meanwhile by another process').length).toBe(
      lines.filter((line) => line.error === 'Topic creation errors').length,
    );
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
    expect(await partitionCounts(suite.admin, [topic, `${topic}.dead-letter`])).toEqual([
      [topic, 1, 2],
      [`${topic}.dead-letter`, 1, 2],
    ]);
    await Promise.all(executors.map((executor) => executor.close()));
  });

  it('takes topics that another process created after the check listed them as present', async () => {
    const topic = uniqueName('meanwhile');
    const topics = [topic, `${topic}.dead-letter`];
    const { logger, lines } = capturingLogger<LogLine>('debug');
    const settings = resolveKafkaSettings(
      kafkaTaskQueueSchema.parse(queueSection({ topic, create_topics: true })),
    );
    const kafka = new Kafka({ ...kafkaClientConfig(settings, logger), retry: CHECK_RETRY });
    // The other process wins the race: it creates the topics between this check's listing and
    // its own creation request.
    const racing = {
      admin: (config?: Parameters<Kafka['admin']>[0]): Admin => {
        const admin = kafka.admin(config);
        return {
          ...admin,
          createTopics: async (request) => {
            await createTopics(suite.admin, topic);
            return admin.createTopics(request);
          },
        };
      },
    } as unknown as Kafka;

    await ensureTopics(racing, settings, topics, logger);

    expect(linesWith(lines, 'created missing Kafka topics')).toEqual([]);
    expect(linesWith(lines, 'Kafka topics created meanwhile by another process')).toMatchObject([
      { level: 'info', topics, broker: BROKER },
    ]);
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
    expect(await partitionCounts(suite.admin, topics)).toEqual([
      [topic, 1, 1],
      [`${topic}.dead-letter`, 1, 1],
    ]);
  });

  it('creates missing topics when create_topics is on', async () => {
    const topic = uniqueName('created');
    const executor = makeQueue('executor', {
      topic,
      create_topics: true,
      create_topic_partitions: 3,
    });

    await executor.check();

    const metadata = await suite.admin.fetchTopicMetadata({
      topics: [topic, `${topic}.dead-letter`],
    });
    expect(metadata.topics.map((entry) => [entry.name, entry.partitions.length]).sort()).toEqual([
      [topic, 3],
      [`${topic}.dead-letter`, 3],
    ]);
    await executor.close();
  });

  it('passes when the topics exist', async () => {
    const topic = uniqueName('present');
    await createTopics(suite.admin, topic);
    const executor = makeQueue('executor', { topic });

    await expect(executor.check()).resolves.toBeUndefined();
    await executor.close();
  });

  it('says the broker cannot be reached, naming it', async () => {
    const scheduler = makeQueue('scheduler', {
      brokers: ['127.0.0.1:1'],
      connection_timeout_ms: 500,
    });

    const error = await checkError(scheduler.check());

    expect(error.code).toBe('QUEUE_UNAVAILABLE');
    expect(error.message).toMatch(/^task_queue: cannot reach Kafka broker 127\.0\.0\.1:1: /);
    await scheduler.close();
  });
});
