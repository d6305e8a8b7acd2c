/**
 * Kafka task queue benchmark (a script, not a test): `npm run bench:kafka`.
 *
 * Publishes one slot of the original Latigo fleet (9,000 tasks) to the local test broker and
 * consumes it with an executor whose providers do nothing, then does the same with bare kafkajs
 * (one producer send of the same messages; an eachBatch consumer that only counts them, and an
 * eachMessage consumer that parses each one). To tell the queue from the executor it also times
 * the Kafka queue alone (`instance_count` concurrent receive/acknowledge calls, no task work) and
 * the executor alone (on the in-memory queue). Prints tasks per second of each and Latigo's
 * overhead over bare kafkajs. Topics are created and brought to the state of topics in use before
 * the first round (see prepareTopics); a first round warms up and is not counted; the order of
 * Latigo and bare kafkajs alternates between rounds. Starts the broker when it is not running and
 * stops it again at the end.
 *
 * Environment: BENCH_TASKS (9000), BENCH_ROUNDS (11, the median is reported), BENCH_PARTITIONS (8),
 * BENCH_INSTANCE_COUNT (32, tasks in flight in the executor).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import { Kafka, logLevel, Partitioners, type Admin, type Message } from 'kafkajs';

import { createTask, taskKey, type Task } from '../../src/domain/task.js';
import { Executor } from '../../src/executor/executor.js';
import type { TaskQueue } from '../../src/interfaces/index.js';
import { silentLogger } from '../../src/logging/logger.js';
import { kafkaTaskQueueSchema } from '../../src/task-queue/kafka/kafka-config.js';
import { resolveKafkaSettings } from '../../src/task-queue/kafka/kafka-settings.js';
import { KafkaTaskQueue } from '../../src/task-queue/kafka/kafka-task-queue.js';
import { MemoryTaskQueue } from '../../src/task-queue/memory/memory-task-queue.js';
import { encodeTaskMessage } from '../../src/task-queue/task-message.js';
import { packageRoot } from '../../src/util/package-root.js';
import { BROKER, brokerReachable } from '../integration/kafka/support/broker.js';
import { noopProviders } from './noop-providers.js';

const TASKS = Number(process.env['BENCH_TASKS'] ?? 9_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 11);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 8);
const INSTANCE_COUNT = Number(process.env['BENCH_INSTANCE_COUNT'] ?? 32);
const PUBLISH_TARGET_MS = 2_000;
const OVERHEAD_TARGET = 1.3;

/** Milliseconds each measurement took in one round. */
interface Round {
  readonly latigoPublish: number;
  readonly barePublish: number;
  readonly latigoExecutor: number;
  readonly latigoQueue: number;
  readonly bareConsume: number;
  readonly bareParse: number;
  readonly memoryExecutor: number;
}

function slot(count: number): Task[] {
  const fromMs = Date.UTC(2024, 0, 1, 8);
  return Array.from({ length: count }, (_unused, index) =>
    createTask('bench', `model-${String(index).padStart(5, '0')}`, {
      fromMs,
      toMs: fromMs + 30 * 60_000,
    }),
  );
}

function kafkaQueue(
  role: 'scheduler' | 'executor',
  topic: string,
  groupId = `bench-${topic}`,
): KafkaTaskQueue {
  const config = kafkaTaskQueueSchema.parse({
    type: 'kafka',
    brokers: [BROKER],
    topic,
    'group.id': groupId,
    'client.id': `latigo-bench-${role}`,
  });
  return new KafkaTaskQueue({
    settings: resolveKafkaSettings(config),
    role,
    logger: silentLogger(),
  });
}

const run = promisify(execFile);

/**
 * Runs the broker script of the package (found from this file, so it works from dist/ too, where
 * the test support's own path to the script does not).
 */
async function brokerScript(command: 'start' | 'stop'): Promise<void> {
  const script = join(packageRoot(), 'deploy/kafka/broker.sh');
  await run('bash', [script, command], { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The scheduler's send of a whole slot (connected beforehand). */
async function latigoPublish(tasks: readonly Task[], topic: string): Promise<number> {
  const scheduler = kafkaQueue('scheduler', topic);
  await scheduler.send([]);
  const ms = await timed(async () => {
    await scheduler.send(tasks);
  });
  await scheduler.close();
  return ms;
}

/** An executor with no-op providers, from its start until every task is acknowledged. */
async function executorRun(taskQueue: TaskQueue, count: number): Promise<number> {
  const executor = new Executor(
    { ...noopProviders(), taskQueue },
    {
      instanceCount: INSTANCE_COUNT,
      taskTimeoutMs: 60_000,
      taskAttempts: 1,
      taskRetryDelayMs: 1_000,
      maxWindowMs: 86_400_000,
      shutdownGraceMs: 10_000,
    },
    silentLogger(),
  );
  const stop = new AbortController();
  let done = 0;
  let failed = 0;
  const finished = new Promise<void>((resolve) => {
    executor.onTask((report) => {
      done += 1;
      failed += report.status === 'succeeded' ? 0 : 1;
      if (done === count) {
        resolve();
      }
    });
  });
  const started = performance.now();
  const running = executor.run(stop.signal);
  await finished;
  const ms = performance.now() - started;
  stop.abort();
  await running;
  await taskQueue.close();
  if (failed > 0) {
    throw new Error(`${failed} tasks did not succeed`);
  }
  return ms;
}

/** The Kafka queue alone: INSTANCE_COUNT loops of receive and acknowledge, no task work. */
async function queueRun(topic: string, count: number): Promise<number> {
  const taskQueue = kafkaQueue('executor', topic, `bench-queue-alone-${topic}`);
  const stop = new AbortController();
  let done = 0;
  const ms = await timed(
    () =>
      new Promise<void>((resolve, reject) => {
        const loop = async (): Promise<void> => {
          for (;;) {
            const delivery = await taskQueue.receive(stop.signal);
            if (delivery === undefined) {
              return;
            }
            await taskQueue.acknowledge(delivery, { status: 'succeeded' });
            done += 1;
            if (done === count) {
              resolve();
            }
          }
        };
        for (let index = 0; index < INSTANCE_COUNT; index += 1) {
          loop().catch(reject);
        }
      }),
  );
  stop.abort();
  await taskQueue.close();
  return ms;
}

/** Bare kafkajs: one send of the same messages (connected beforehand). */
async function barePublish(kafka: Kafka, messages: Message[], topic: string): Promise<number> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const ms = await timed(async () => {
    await producer.send({ topic, messages, acks: -1 });
  });
  await producer.disconnect();
  return ms;
}

/**
 * Bare kafkajs, from the consumer's start to the last message: `count` only counts the messages
 * of each batch (eachBatch); `parse` reads each one as JSON (eachMessage), the least a hand-made
 * task consumer does. Both auto-commit.
 */
async function bareConsume(
  kafka: Kafka,
  topic: string,
  count: number,
  mode: 'count' | 'parse',
): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `bare-${mode}-${topic}`,
    allowAutoTopicCreation: false,
  });
  let received = 0;
  const ms = await timed(async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const arrived = (messages: number): void => {
        received += messages;
        if (received >= count) {
          resolve();
        }
      };
      void consumer.run(
        mode === 'count'
          ? {
              eachBatch: ({ batch }) => {
                arrived(batch.messages.length);
                return Promise.resolve();
              },
            }
          : {
              eachMessage: ({ message }) => {
                JSON.parse(message.value?.toString('utf8') ?? 'null');
                arrived(1);
                return Promise.resolve();
              },
            },
      );
    });
  });
  await consumer.disconnect();
  return ms;
}

async function createTopics(admin: Admin, names: readonly string[]): Promise<void> {
  await admin.createTopics({
    topics: names.map((topic) => ({ topic, numPartitions: PARTITIONS })),
    waitForLeaders: true,
  });
}

/** Bytes of one warm-up record: more than the broker's index.interval.bytes (4096). */
const WARM_UP_RECORD_BYTES = 8_192;

/**
 * Brings the bench topics to the state of a topic in use, then removes what it wrote. The
 * broker adds the first entry to a partition's offset and time indexes on the second append to
 * it (once index.interval.bytes were written), and that first write into the new memory-mapped
 * index files stalled the second produce request to a new topic by 60 to 330 ms here, bare
 * kafkajs alike. A single `send` never pays it; publications split below max_message_bytes do.
 * A scheduler's topic lives for months, so the bench times both publishers on topics that
 * already have index entries: two appends of one large record to every partition, then those
 * records deleted (consumers start after them, at the log start offset).
 */
async function prepareTopics(kafka: Kafka, admin: Admin, topics: readonly string[]): Promise<void> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const value = 'w'.repeat(WARM_UP_RECORD_BYTES);
  const partitions = Array.from({ length: PARTITIONS }, (_unused, partition) => partition);
  try {
    for (let append = 0; append < 2; append += 1) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: topics.map((topic) => ({
          topic,
          messages: partitions.map((partition) => ({ partition, value })),
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
  for (const topic of topics) {
    // The admin client learns each new topic's leaders first; offset -1 deletes up to the end.
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({
      topic,
      partitions: partitions.map((partition) => ({ partition, offset: '-1' })),
    });
    const left = (await admin.fetchTopicOffsets(topic)).filter(({ low, high }) => low !== high);
    if (left.length > 0) {
      throw new Error(`warm-up records left on topic ${topic}: ${JSON.stringify(left)}`);
    }
  }
}

/** The topics of one round. */
interface RoundTopics {
  readonly latigo: string;
  readonly bare: string;
  readonly all: readonly string[];
}

function roundTopics(index: number): RoundTopics {
  const suffix = `${Date.now()}-${index}`;
  const latigo = `bench-latigo-${suffix}`;
  const bare = `bench-bare-${suffix}`;
  return { latigo, bare, all: [latigo, `${latigo}.dead-letter`, bare] };
}

async function round(
  admin: Admin,
  kafka: Kafka,
  tasks: readonly Task[],
  messages: Message[],
  topics: RoundTopics,
  bareFirst: boolean,
): Promise<Round> {
  const latigoTopic = topics.latigo;
  const bareTopic = topics.bare;
  try {
    const bare = async (): Promise<[number, number, number]> => [
      await barePublish(kafka, messages, bareTopic),
      await bareConsume(kafka, bareTopic, messages.length, 'count'),
      await bareConsume(kafka, bareTopic, messages.length, 'parse'),
    ];
    const latigo = async (): Promise<[number, number, number]> => {
      const publish = await latigoPublish(tasks, latigoTopic);
      const executor = await executorRun(kafkaQueue('executor', latigoTopic), tasks.length);
      // The queue alone reads the same topic again, under another consumer group.
      const queue = await queueRun(latigoTopic, tasks.length);
      return [publish, executor, queue];
    };
    let bareFigures: [number, number, number];
    let latigoFigures: [number, number, number];
    if (bareFirst) {
      bareFigures = await bare();
      latigoFigures = await latigo();
    } else {
      latigoFigures = await latigo();
      bareFigures = await bare();
    }
    const memory = new MemoryTaskQueue();
    await memory.send(tasks);
    const memoryExecutor = await executorRun(memory, tasks.length);
    return {
      latigoPublish: latigoFigures[0],
      latigoExecutor: latigoFigures[1],
      latigoQueue: latigoFigures[2],
      barePublish: bareFigures[0],
      bareConsume: bareFigures[1],
      bareParse: bareFigures[2],
      memoryExecutor,
    };
  } finally {
    await admin.deleteTopics({ topics: [...topics.all] });
  }
}

/** The middle value; with an even count, the mean of the two middle values. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) {
    return sorted[middle] ?? Number.NaN;
  }
  return ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/** `a/b` of each round: the median and the range, to show how far one verdict can be trusted. */
function perRound(rounds: readonly Round[], over: keyof Round, under: keyof Round): string {
  const ratios = rounds.map((figures) => figures[over] / figures[under]);
  const low = Math.min(...ratios).toFixed(2);
  const high = Math.max(...ratios).toFixed(2);
  return `${median(ratios).toFixed(2)}x (${low}x to ${high}x)`;
}

function rate(ms: number): string {
  const perSecond = Math.round((TASKS / ms) * 1000).toLocaleString('en-US');
  return `${perSecond.padStart(8)} tasks/s  ${String(Math.round(ms)).padStart(5)} ms`;
}

function describeRound(figures: Round): string {
  return (Object.entries(figures) as [string, number][])
    .map(([name, ms]) => `${name} ${Math.round(ms)} ms`)
    .join(', ');
}

async function main(): Promise<void> {
  const ownsBroker = !(await brokerReachable());
  if (ownsBroker) {
    await brokerScript('start');
  }
  const kafka = new Kafka({ clientId: 'bench', brokers: [BROKER], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const tasks = slot(TASKS);
  const messages: Message[] = tasks.map((task) => ({
    key: taskKey(task),
    value: encodeTaskMessage(task),
    headers: { 'latigo-task-id': task.id },
  }));
  const rounds: Round[] = [];
  try {
    // Every topic exists well before it is used: a topic just created answers its first
    // requests unevenly.
    const topics = Array.from({ length: ROUNDS + 1 }, (_unused, index) => roundTopics(index));
    await createTopics(
      admin,
      topics.flatMap((round) => round.all),
    );
    await prepareTopics(
      kafka,
      admin,
      topics.flatMap((round) => [round.latigo, round.bare]),
    );
    const warmUp = await round(admin, kafka, tasks, messages, topics[0]!, true);
    process.stdout.write(`warm-up (not counted): ${describeRound(warmUp)}\n`);
    for (let index = 1; index <= ROUNDS; index += 1) {
      const figures = await round(admin, kafka, tasks, messages, topics[index]!, index % 2 === 0);
      rounds.push(figures);
      process.stdout.write(`round ${index}: ${describeRound(figures)}\n`);
    }
  } finally {
    await admin.disconnect();
    if (ownsBroker) {
      await brokerScript('stop');
    }
  }

  const pick = (name: keyof Round): number => median(rounds.map((figures) => figures[name]));
  const publishOverhead = pick('latigoPublish') / pick('barePublish');
  const executorOverhead = pick('latigoExecutor') / pick('bareConsume');
  const queueOverhead = pick('latigoQueue') / pick('bareConsume');
  const executorOverParse = pick('latigoExecutor') / pick('bareParse');
  const queueOverParse = pick('latigoQueue') / pick('bareParse');
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  process.stdout.write(
    [
      '',
      `Kafka task queue benchmark: ${TASKS} tasks, ${PARTITIONS} partitions, broker ${BROKER}, median of ${rounds.length} rounds`,
      `  publish  Latigo scheduler queue     ${rate(pick('latigoPublish'))}`,
      `  publish  bare kafkajs producer      ${rate(pick('barePublish'))}`,
      `  consume  Latigo executor            ${rate(pick('latigoExecutor'))}  (instance_count ${INSTANCE_COUNT}, no-op providers)`,
      `  consume  Latigo Kafka queue alone   ${rate(pick('latigoQueue'))}  (${INSTANCE_COUNT} receive/acknowledge loops)`,
      `  consume  bare kafkajs eachBatch     ${rate(pick('bareConsume'))}  (counting only)`,
      `  consume  bare kafkajs eachMessage   ${rate(pick('bareParse'))}  (JSON.parse of each message)`,
      `  executor on the memory queue        ${rate(pick('memoryExecutor'))}  (no Kafka: the executor's own cost)`,
      `  overhead over bare kafkajs: publish ${publishOverhead.toFixed(2)}x; consume over eachBatch ${executorOverhead.toFixed(2)}x (executor), ${queueOverhead.toFixed(2)}x (queue alone); over eachMessage ${executorOverParse.toFixed(2)}x (executor), ${queueOverParse.toFixed(2)}x (queue alone)`,
      `  per round (median, lowest to highest): publish ${perRound(rounds, 'latigoPublish', 'barePublish')}; executor over eachMessage ${perRound(rounds, 'latigoExecutor', 'bareParse')}, over eachBatch ${perRound(rounds, 'latigoExecutor', 'bareConsume')}`,
      `  target ${TASKS} published in <= ${PUBLISH_TARGET_MS} ms: ${verdict(pick('latigoPublish') <= PUBLISH_TARGET_MS)}`,
      `  target overhead <= ${OVERHEAD_TARGET}x: publish ${verdict(publishOverhead <= OVERHEAD_TARGET)}`,
      `    consume against bare eachMessage (parsing each task): executor ${verdict(executorOverParse <= OVERHEAD_TARGET)}, queue alone ${verdict(queueOverParse <= OVERHEAD_TARGET)}`,
      `    for reference, no target: against bare eachBatch, which reads no message (counting only): executor ${executorOverhead.toFixed(2)}x, queue alone ${queueOverhead.toFixed(2)}x`,
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `kafka benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
