import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../../src/errors/index.js';
import { BROKER } from './support/broker.js';
import { createTopics, makeQueue, uniqueName } from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

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
