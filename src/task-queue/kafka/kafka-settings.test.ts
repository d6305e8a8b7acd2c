import { describe, expect, it } from 'vitest';

import { LatigoError } from '../../errors/index.js';
import { kafkaTaskQueueSchema } from './kafka-config.js';
import { resolveKafkaSettings, type KafkaSettings } from './kafka-settings.js';
import { consumerConfig, kafkaClientConfig, producerConfig } from './kafkajs-options.js';
import { silentLogger } from '../../logging/logger.js';
import { mergeLayers, readConfigFile, substituteEnvironment } from '../../config/load.js';
import { defaultDeployDir } from '../../config/resolve.js';

const CONNECTION_STRING =
  'Endpoint=sb://latigo-ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=a2V5PQ==;EntityPath=hub_tasks';

/** Every task_queue key of the spec, with the spec's defaults. */
const SPEC_DEFAULTS = {
  type: 'kafka',
  connection_string: CONNECTION_STRING,
  poll_timeout_sec: 100000,
  'security.protocol': 'SASL_SSL',
  'ssl.ca.location': '/etc/ssl/certs/ca-certificates.crt',
  'sasl.mechanism': 'PLAIN',
  'group.id': '1',
  'client.id': 'latigo_scheduler',
  'request.timeout.ms': 10000,
  'session.timeout.ms': 10000,
  'default.topic.config': { 'auto.offset.reset': 'smallest' },
  debug: 'fetch',
  topic: 'latigo_topic',
  'enable.auto.commit': true,
  'auto.commit.interval.ms': 1000,
  'max.poll.interval.ms': 86400000,
};

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function settings(
  section: Record<string, unknown>,
  files: Record<string, string> = { '/etc/ssl/certs/ca-certificates.crt': CA_PEM },
): KafkaSettings {
  return resolveKafkaSettings(kafkaTaskQueueSchema.parse({ type: 'kafka', ...section }), {
    readFile: (file) => {
      const content = files[file];
      if (content === undefined) {
        throw new Error(`ENOENT: ${file}`);
      }
      return content;
    },
  });
}

function configProblem(section: Record<string, unknown>): string {
  try {
    settings(section);
  } catch (error) {
    if (error instanceof LatigoError) {
      expect(error.code).toBe('CONFIG_INVALID');
      return error.message;
    }
    throw error;
  }
  throw new Error('expected the section to be rejected');
}

describe('Kafka task queue settings', () => {
  it('accepts every key of the spec with its default, and maps it for Event Hubs', () => {
    const resolved = settings(SPEC_DEFAULTS);

    expect(resolved).toMatchObject({
      brokers: ['latigo-ns.servicebus.windows.net:9093'],
      brokerLabel: 'latigo-ns.servicebus.windows.net:9093',
      securityProtocol: 'SASL_SSL',
      ssl: { ca: [CA_PEM] },
      sasl: { username: '$ConnectionString', password: CONNECTION_STRING },
      topic: 'hub_tasks',
      deadLetterTopic: 'hub_tasks.dead-letter',
      groupId: '1',
      clientId: 'latigo_scheduler',
      requestTimeoutMs: 10_000,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 3_000,
      fetchWaitMaxMs: 500,
      rebalanceTimeoutMs: 86_400_000,
      metadataMaxAgeMs: 180_000,
      idleDisconnectMs: 180_000,
      fromBeginning: true,
      commit: { kind: 'interval', intervalMs: 1_000 },
      maxMessageBytes: 1_000_000,
      createTopics: false,
      topicOverridden: { configured: 'latigo_topic', entityPath: 'hub_tasks' },
    });
    expect(resolved.ignored).toEqual({
      poll_timeout_sec: expect.stringMatching(/librdkafka poll timeout/) as unknown,
      debug: expect.stringMatching(/librdkafka debug contexts/) as unknown,
    });
  });

  it('reports nothing as ignored when no librdkafka-only key is set', () => {
    expect(settings({ brokers: ['127.0.0.1:19092'] }).ignored).toEqual({});
  });

  it('reports librdkafka topic settings other than auto.offset.reset as ignored', () => {
    const resolved = settings({
      brokers: ['127.0.0.1:19092'],
      'default.topic.config': { 'auto.offset.reset': 'latest', 'message.timeout.ms': 5 },
    });

    expect(resolved.fromBeginning).toBe(false);
    expect(Object.keys(resolved.ignored)).toEqual(['default.topic.config.message.timeout.ms']);
  });

  it('refuses a misspelt auto.offset.reset instead of ignoring it', () => {
    expect(
      configProblem({
        brokers: ['127.0.0.1:19092'],
        'default.topic.config': { auto_offset_reset: 'latest' },
      }),
    ).toBe(
      'task_queue.default.topic.config.auto_offset_reset: unknown key; did you mean auto.offset.reset?',
    );
  });

  it('connects to a plain broker list without TLS or login by default', () => {
    const resolved = settings({ brokers: '127.0.0.1:19092, 127.0.0.1:29092' });

    expect(resolved).toMatchObject({
      brokers: ['127.0.0.1:19092', '127.0.0.1:29092'],
      securityProtocol: 'PLAINTEXT',
      ssl: false,
      sasl: undefined,
      topic: 'latigo_topic',
    });
  });

  it('lets a broker list replace the connection string host, keeping its login', () => {
    const resolved = settings({
      connection_string: CONNECTION_STRING,
      brokers: ['127.0.0.1:19094'],
      'security.protocol': 'SASL_PLAINTEXT',
    });

    expect(resolved).toMatchObject({
      brokers: ['127.0.0.1:19094'],
      ssl: false,
      sasl: { username: '$ConnectionString', password: CONNECTION_STRING },
    });
  });

  it('asks for a connection string or brokers when both are empty', () => {
    expect(configProblem({ connection_string: '', brokers: '' })).toMatch(
      /^task_queue: neither connection_string nor brokers is set/,
    );
  });

  it('refuses SASL without a connection string, and no login with one', () => {
    expect(configProblem({ brokers: ['h:1'], 'security.protocol': 'SASL_SSL' })).toMatch(
      /^task_queue\.security\.protocol: SASL_SSL needs credentials/,
    );
    expect(
      configProblem({ connection_string: CONNECTION_STRING, 'security.protocol': 'SSL' }),
    ).toMatch(/^task_queue\.security\.protocol: SSL does not log in/);
  });

  it("uses Node's certificate authorities when the default CA file is missing", () => {
    expect(settings({ brokers: ['h:1'], 'security.protocol': 'SSL' }, {}).ssl).toBe(true);
  });

  it('refuses a CA file that cannot be read', () => {
    expect(
      configProblem({
        brokers: ['h:1'],
        'security.protocol': 'SSL',
        'ssl.ca.location': '/no/ca.pem',
      }),
    ).toBe('task_queue.ssl.ca.location: cannot read the CA file /no/ca.pem');
  });

  it('commits after each task when enable.auto.commit is false', () => {
    expect(settings({ brokers: ['h:1'], 'enable.auto.commit': false }).commit).toEqual({
      kind: 'each',
    });
  });

  it('buffers 1000 tasks ahead by default, 0 to 100000 when set', () => {
    const issues = (prefetch: unknown) =>
      kafkaTaskQueueSchema
        .safeParse({ type: 'kafka', prefetch_tasks: prefetch })
        .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

    expect(settings({ brokers: ['h:1'] }).prefetchTasks).toBe(1_000);
    expect(settings({ brokers: ['h:1'], prefetch_tasks: 0 }).prefetchTasks).toBe(0);
    expect(issues(-1)).toEqual([expect.stringMatching(/^prefetch_tasks: /)]);
    expect(issues(100_001)).toEqual([expect.stringMatching(/^prefetch_tasks: /)]);
    expect(issues(2.5)).toEqual([expect.stringMatching(/^prefetch_tasks: /)]);
  });

  it('lets a fetch wait at most fetch.wait.max.ms, and never longer than the heartbeat interval', () => {
    expect(settings({ brokers: ['h:1'], 'fetch.wait.max.ms': 2_000 }).fetchWaitMaxMs).toBe(2_000);
    expect(
      settings({ brokers: ['h:1'], 'fetch.wait.max.ms': 5_000, 'heartbeat.interval.ms': 1_000 })
        .fetchWaitMaxMs,
    ).toBe(1_000);
    const issues = (wait: unknown) =>
      kafkaTaskQueueSchema
        .safeParse({ type: 'kafka', 'fetch.wait.max.ms': wait })
        .error?.issues.map((issue) => issue.path.join('.'));
    expect(issues(0)).toEqual(['fetch.wait.max.ms']);
    expect(issues(300_001)).toEqual(['fetch.wait.max.ms']);
  });

  it('keeps the heartbeat below the session timeout', () => {
    expect(settings({ brokers: ['h:1'], 'session.timeout.ms': 3_000 }).heartbeatIntervalMs).toBe(
      1_000,
    );
    expect(
      configProblem({
        brokers: ['h:1'],
        'session.timeout.ms': 6_000,
        'heartbeat.interval.ms': 6_000,
      }),
    ).toMatch(/^task_queue\.heartbeat\.interval\.ms: 6000 must be below session\.timeout\.ms/);
    expect(configProblem({ brokers: ['h:1'], 'max.poll.interval.ms': 5_000 })).toMatch(
      /^task_queue\.max\.poll\.interval\.ms: 5000 must not be below session\.timeout\.ms/,
    );
  });

  it('keeps the dead-letter topic apart from the task topic', () => {
    expect(settings({ brokers: ['h:1'], dead_letter_topic: 'failed_tasks' }).deadLetterTopic).toBe(
      'failed_tasks',
    );
    expect(configProblem({ brokers: ['h:1'], topic: 'tasks', dead_letter_topic: 'tasks' })).toMatch(
      /^task_queue\.dead_letter_topic: must differ/,
    );
  });

  it('never quotes a connection string put where a broker address belongs', () => {
    const issues = kafkaTaskQueueSchema
      .safeParse({ type: 'kafka', brokers: CONNECTION_STRING })
      .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

    expect(issues).toEqual([
      `brokers: a text of ${CONNECTION_STRING.length} characters that looks like a connection string or credentials (not shown) is not a broker address host:port`,
    ]);
  });

  it('rejects unknown keys, bad broker addresses, topic names and mechanisms', () => {
    const issues = (section: Record<string, unknown>) =>
      kafkaTaskQueueSchema
        .safeParse({ type: 'kafka', ...section })
        .error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);

    expect(issues({ 'fetch.min.bytes': 1 })).toEqual([': Unrecognized key: "fetch.min.bytes"']);
    expect(issues({ brokers: ['localhost'] })).toEqual([
      'brokers: "localhost" is not a broker address host:port',
    ]);
    expect(issues({ topic: 'a topic' })).toEqual([
      'topic: a topic name has 1 to 249 letters, digits, ".", "_" or "-"',
    ]);
    expect(issues({ 'sasl.mechanism': 'SCRAM-SHA-256' })).toEqual([
      'sasl.mechanism: only PLAIN is supported (the mechanism of Event Hubs connection strings)',
    ]);
  });
});

describe('the task_queue sections of the default config files', () => {
  for (const file of ['scheduler_config.yaml', 'executor_config.yaml']) {
    it(`${file} selects a local broker from LATIGO_TASK_QUEUE_BROKERS`, () => {
      const layered = substituteEnvironment(
        mergeLayers([readConfigFile(`${defaultDeployDir()}/${file}`)]),
        { LATIGO_TASK_QUEUE_BROKERS: '127.0.0.1:19092' },
      );
      const section = kafkaTaskQueueSchema.parse(layered.merged['task_queue']);

      const resolved = resolveKafkaSettings(section);

      expect(resolved).toMatchObject({
        brokers: ['127.0.0.1:19092'],
        securityProtocol: 'PLAINTEXT',
        topic: 'latigo_topic',
        deadLetterTopic: 'latigo_topic.dead-letter',
      });
      expect(Object.keys(resolved.ignored).sort()).toEqual(['debug', 'poll_timeout_sec']);
    });

    it(`${file} selects Event Hubs from LATIGO_TASK_QUEUE_CONNECTION_STRING`, () => {
      const layered = substituteEnvironment(
        mergeLayers([readConfigFile(`${defaultDeployDir()}/${file}`)]),
        { LATIGO_TASK_QUEUE_CONNECTION_STRING: CONNECTION_STRING },
      );
      const section = kafkaTaskQueueSchema.parse(layered.merged['task_queue']);

      expect(resolveKafkaSettings(section)).toMatchObject({
        brokers: ['latigo-ns.servicebus.windows.net:9093'],
        securityProtocol: 'SASL_SSL',
        topic: 'hub_tasks',
      });
    });
  }
});

describe('kafkajs options', () => {
  const resolved = settings({ ...SPEC_DEFAULTS, 'heartbeat.interval.ms': 2_000 });

  it('logs in to Event Hubs over TLS with SASL PLAIN', () => {
    expect(kafkaClientConfig(resolved, silentLogger())).toMatchObject({
      clientId: 'latigo_scheduler',
      brokers: ['latigo-ns.servicebus.windows.net:9093'],
      ssl: { ca: [CA_PEM] },
      sasl: { mechanism: 'plain', username: '$ConnectionString', password: CONNECTION_STRING },
      connectionTimeout: 10_000,
      requestTimeout: 10_000,
    });
  });

  it('maps the group settings and never creates topics', () => {
    expect(consumerConfig(resolved)).toMatchObject({
      groupId: '1',
      sessionTimeout: 10_000,
      heartbeatInterval: 2_000,
      rebalanceTimeout: 86_400_000,
      metadataMaxAge: 180_000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    expect(producerConfig(resolved)).toMatchObject({
      allowAutoTopicCreation: false,
      metadataMaxAge: 180_000,
      idempotent: false,
    });
  });
});
