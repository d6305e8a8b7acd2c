import { afterAll, describe, expect, it } from 'vitest';

import { createTask } from '../../../src/domain/task.js';
import { LatigoError } from '../../../src/errors/index.js';
import { runCli } from '../../support/cli.js';
import { SASL_BROKER, testConnectionString } from './support/broker.js';
import { modelNames, removeTemporaryFolders, writeDaemonConfigs } from './support/daemons.js';
import { makeQueue, receiveOne, uniqueName } from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

/**
 * The broker's SASL_PLAINTEXT listener accepts exactly one login, the one Event Hubs expects:
 * user `$ConnectionString`, password the whole test connection string. Its EntityPath names the
 * topic, `latigo_topic`; only this file uses that topic.
 */
const ENTITY_TOPIC = 'latigo_topic';

afterAll(() => {
  removeTemporaryFolders();
});

/** A queue that logs in like Event Hubs, over the loopback SASL listener (no TLS). */
function eventHubsQueue(
  role: 'scheduler' | 'executor',
  connectionString = testConnectionString(),
  overrides: Record<string, unknown> = {},
) {
  return makeQueue(role, {
    connection_string: connectionString,
    brokers: [SASL_BROKER],
    'security.protocol': 'SASL_PLAINTEXT',
    topic: 'overridden_by_entity_path',
    ...overrides,
  });
}

function sharedAccessKey(connectionString: string): string {
  return /SharedAccessKey=([^;]+)/.exec(connectionString)![1]!;
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

async function deleteEntityTopics(): Promise<void> {
  const existing = await suite.admin.listTopics();
  const topics = [ENTITY_TOPIC, `${ENTITY_TOPIC}.dead-letter`].filter((topic) =>
    existing.includes(topic),
  );
  if (topics.length > 0) {
    await suite.admin.deleteTopics({ topics });
  }
}

describe('the Event Hubs login ($ConnectionString over SASL PLAIN)', () => {
  it('names the missing EntityPath topic and the broker, never the key', async () => {
    await deleteEntityTopics();
    const connectionString = testConnectionString();
    const scheduler = eventHubsQueue('scheduler');

    const error = await checkError(scheduler.check());

    expect(error.code).toBe('QUEUE_TOPIC_MISSING');
    expect(error.message).toMatch(
      new RegExp(
        `^task_queue: topic "${ENTITY_TOPIC}" does not exist on Kafka broker ${SASL_BROKER};`,
      ),
    );
    expect(JSON.stringify({ message: error.message, context: error.context })).not.toContain(
      sharedAccessKey(connectionString),
    );
    await scheduler.close();
  });

  it.each(['scheduler', 'executor'])(
    'stops `latigo %s` at start-up with one line naming the topic and the broker, never the key',
    async (role) => {
      await deleteEntityTopics();
      const connectionString = testConnectionString();
      const configs = writeDaemonConfigs({
        topic: 'overridden_by_entity_path',
        groupId: uniqueName('group'),
        models: modelNames(1),
        database: ':memory:',
        queue: { brokers: SASL_BROKER, 'security.protocol': 'SASL_PLAINTEXT' },
      });

      const result = await runCli([role, '--config', configs[role as 'scheduler' | 'executor']], {
        env: { LATIGO_TASK_QUEUE_CONNECTION_STRING: connectionString, LATIGO_LOG_LEVEL: 'debug' },
      });

      expect(result.code).toBe(1);
      const missing =
        role === 'scheduler'
          ? `topic "${ENTITY_TOPIC}" does not exist`
          : `topics "${ENTITY_TOPIC}" and "${ENTITY_TOPIC}.dead-letter" do not exist`;
      const eventHubs =
        role === 'scheduler' ? 'an event hub of that name' : 'event hubs of those names';
      expect(result.stderr).toBe(
        `latigo ${role}: QUEUE_TOPIC_MISSING: task_queue: ${missing} on Kafka broker ${SASL_BROKER}; create ${role === 'scheduler' ? 'it' : 'them'} (on Azure Event Hubs: ${eventHubs}), or set task_queue.create_topics: true to let Latigo create ${role === 'scheduler' ? 'it' : 'them'} on a plain Kafka broker\n`,
      );
      expect(`${result.stdout}${result.stderr}`).not.toContain(sharedAccessKey(connectionString));
    },
  );

  it('moves a task from scheduler to executor with the connection string as the login', async () => {
    const executor = eventHubsQueue('executor', testConnectionString(), {
      create_topics: true,
      'group.id': uniqueName('group'),
    });
    const scheduler = eventHubsQueue('scheduler');
    const task = createTask('lat-lit', uniqueName('pump'), {
      fromMs: Date.UTC(2024, 0, 1, 8),
      toMs: Date.UTC(2024, 0, 1, 8, 30),
    });
    try {
      await executor.check();
      await scheduler.check();

      await scheduler.send([task]);
      let delivery = await receiveOne(executor);
      while (delivery.task.id !== task.id) {
        await executor.acknowledge(delivery, { status: 'succeeded' });
        delivery = await receiveOne(executor);
      }
      await executor.acknowledge(delivery, { status: 'succeeded' });

      expect(delivery.task).toEqual(task);
    } finally {
      await Promise.all([scheduler.close(), executor.close()]);
    }
  });

  it('shows the EntityPath topic in `latigo queue-status` and names the unused task_queue.topic', async () => {
    const existing = await suite.admin.listTopics();
    const missing = [ENTITY_TOPIC, `${ENTITY_TOPIC}.dead-letter`].filter(
      (topic) => !existing.includes(topic),
    );
    if (missing.length > 0) {
      await suite.admin.createTopics({
        topics: missing.map((topic) => ({ topic })),
        waitForLeaders: true,
      });
    }
    const connectionString = testConnectionString();
    const groupId = uniqueName('group');
    const configs = writeDaemonConfigs({
      topic: 'overridden_by_entity_path',
      groupId,
      models: modelNames(1),
      database: ':memory:',
      queue: { brokers: SASL_BROKER, 'security.protocol': 'SASL_PLAINTEXT' },
    });

    const result = await runCli(['queue-status', '--config', configs.executor, '--json'], {
      env: { LATIGO_TASK_QUEUE_CONNECTION_STRING: connectionString },
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      broker: SASL_BROKER,
      topic: ENTITY_TOPIC,
      configuredTopic: 'overridden_by_entity_path',
      groupId,
    });
    expect(result.stdout).not.toContain(sharedAccessKey(connectionString));
  });

  it('reports a wrong key as a rejected login, without the key', async () => {
    const wrong = testConnectionString().replace(
      /SharedAccessKey=[^;]+/,
      'SharedAccessKey=d3Jvbmcta2V5LWZvci10ZXN0cw==',
    );
    const scheduler = eventHubsQueue('scheduler', wrong);

    const error = await checkError(scheduler.check());

    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(
      new RegExp(
        `^task_queue: Kafka broker ${SASL_BROKER} rejected the login \\(SASL PLAIN as \\$ConnectionString\\)`,
      ),
    );
    expect(error.message).not.toContain(sharedAccessKey(wrong));
    await scheduler.close();
  });
});
