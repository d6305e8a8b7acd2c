import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Partitioners, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BROKER, ensureKafkaBroker } from '../kafka/support/broker.js';
import {
  committedOffsets,
  createTopics,
  groupAssignment,
  testKafka,
  uniqueName,
  waitForStableGroup,
} from '../kafka/support/kafka-fixtures.js';
import { latigoEnvironment, writeOverlays } from './support/overlays.js';
import { startLatigo, type ExitStatus, type LatigoProcess } from '../../support/latigo-process.js';
import {
  metadataRecords,
  recordWindow,
  storedPoints,
  storedSeries,
  type StoredSeries,
} from './support/readback.js';
import { delayWithData } from './support/replay-window.js';
import {
  timeSeriesReplay,
  writeGordoSeedWithCopies,
  type GordoModelSeed,
  type ReplayedRecording,
} from './support/seeds.js';
import { startStandins, type RunningStandins, type StandinSecrets } from './support/standins.js';
import { waitUntil } from '../../support/wait.js';

/**
 * The production code path end to end, on loopback: the token, Time Series API, Gordo and
 * metadata API stand-ins as `latigo standin` processes, the Kafka test broker, one
 * `latigo scheduler` and two `latigo executor` processes with the production provider types and
 * Azure AD auth through the token stand-in. The scheduler publishes a few slots of the SKAB
 * model and a copy of it; the executors read the windows from the Time Series API, predict with
 * Gordo, store the predictions back and record their metadata.
 */

const PROJECT = 'skab';
const MODEL = 'valve1';
/** A second model (same tags and data), so that both executors get tasks. */
const COPY = 'valve1-copy';
const MODELS = [MODEL, COPY];
const PARTITIONS = 2;

const INTERVAL_MS = 20_000;
const SLOTS = 3;
/** The stand-in replays the recording up to the current minute; windows stay behind that. */
const MIN_DELAY_MS = 120_000;

const PER_TAG_GROUPS = [
  'model-output',
  'tag-anomaly-scaled',
  'tag-anomaly-unscaled',
  'anomaly-confidence',
];
const TOTAL_GROUPS = ['total-anomaly-scaled', 'total-anomaly-unscaled', 'total-anomaly-confidence'];

interface Scenario {
  readonly admin: Admin;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly groupId: string;
  readonly gordo: GordoModelSeed;
  readonly recording: ReplayedRecording;
  readonly standins: RunningStandins;
  readonly executors: readonly LatigoProcess[];
  readonly scheduler: LatigoProcess;
  readonly schedulerExit: ExitStatus;
  /** The windows the scheduler published, `[from, to)`, oldest first. */
  readonly windows: readonly string[];
}

let scenario: Scenario;
const started: LatigoProcess[] = [];
let folder: string | undefined;
let admin: Admin | undefined;
const topics: string[] = [];

beforeAll(async () => {
  await ensureKafkaBroker();
  folder = mkdtempSync(join(tmpdir(), 'latigo-e2e-'));
  admin = testKafka().admin();
  await admin.connect();

  const secrets: StandinSecrets = {
    tokenSecret: randomBytes(24).toString('hex'),
    clientId: 'latigo-e2e',
    clientSecret: randomBytes(16).toString('hex'),
    apimKey: randomBytes(8).toString('hex'),
  };
  const seeded = writeGordoSeedWithCopies(folder, PROJECT, MODEL, [COPY]);
  const standins = await startStandins(folder, secrets, {
    gordoConfig: seeded.file,
    projects: [PROJECT],
  });
  started.push(...standins.processes);

  const topic = uniqueName('e2e-tasks');
  const deadLetterTopic = `${topic}.dead-letter`;
  const groupId = uniqueName('e2e-executors');
  topics.push(topic, deadLetterTopic);
  await createTopics(admin, topic, PARTITIONS, deadLetterTopic);

  const recording = timeSeriesReplay();
  const nowMs = Date.now();
  const delayMs = delayWithData(recording, {
    intervalMs: INTERVAL_MS,
    minDelayMs: MIN_DELAY_MS,
    fromMs: nowMs - INTERVAL_MS,
    toMs: nowMs + 150_000,
  });
  const overlays = writeOverlays(folder, {
    standins,
    secrets,
    timeSeriesBasePath: recording.basePath,
    broker: BROKER,
    topic,
    groupId,
    interval: `${INTERVAL_MS / 1000}s`,
    delay: `${delayMs / 1000}s`,
  });
  const environment = latigoEnvironment(secrets);

  const executors = await startExecutors(admin, overlays.executor, environment, groupId, topic);
  const scheduler = startLatigo(
    'scheduler',
    ['scheduler', '--config', overlays.scheduler],
    environment,
  );
  started.push(scheduler);
  const { windows, exit: schedulerExit } = await scheduleSlots(scheduler, SLOTS);
  await waitForTasks(executors, windows.length * MODELS.length);

  scenario = {
    admin,
    topic,
    deadLetterTopic,
    groupId,
    gordo: seeded.model,
    recording,
    standins,
    executors,
    scheduler,
    schedulerExit,
    windows,
  };
}, 240_000);

afterAll(async () => {
  await Promise.all(started.map((child) => child.stop('SIGKILL')));
  if (admin !== undefined) {
    await admin.deleteTopics({ topics }).catch(() => undefined);
    await admin.disconnect();
  }
  if (folder !== undefined) {
    rmSync(folder, { recursive: true, force: true });
  }
});

/** Starts the two executors and waits until each holds one partition of the task topic. */
async function startExecutors(
  kafkaAdmin: Admin,
  overlay: string,
  environment: Record<string, string>,
  groupId: string,
  topic: string,
): Promise<LatigoProcess[]> {
  const executors = [1, 2].map((number) =>
    startLatigo(`executor ${number}`, ['executor', '--config', overlay], environment),
  );
  started.push(...executors);
  await Promise.all(
    executors.map((executor) =>
      executor.waitForLine(
        '"executor started"',
        (line) => line['msg'] === 'executor started',
        60_000,
      ),
    ),
  );
  await waitForStableGroup(kafkaAdmin, groupId, topic, executors.length);
  return executors;
}

/**
 * Lets the scheduler publish at least `count` slots (the latest at once, then one per
 * interval), stops it, and returns the windows it published and how it exited.
 */
async function scheduleSlots(
  scheduler: LatigoProcess,
  count: number,
): Promise<{ windows: string[]; exit: ExitStatus }> {
  await waitUntil(
    `${count} slots scheduled`,
    () => scheduler.logged('slot scheduled').length >= count,
    {
      timeoutMs: 90_000,
      describe: () => scheduler.describeOutput(),
    },
  );
  const exit = await scheduler.stop();
  const windows = scheduler.logged('slot scheduled').map((line) => String(line['window']));
  return { windows, exit };
}

/** Waits until the executors together have finished (stored or given up) `count` tasks. */
async function waitForTasks(executors: readonly LatigoProcess[], count: number): Promise<void> {
  const finished = (): number =>
    executors.reduce(
      (sum, executor) =>
        sum + executor.logged('task succeeded').length + executor.logged('task failed').length,
      0,
    );
  await waitUntil(`${count} tasks finished`, () => finished() >= count, {
    timeoutMs: 60_000,
    describe: () => executors.map((executor) => executor.describeOutput()).join('\n'),
  });
}

/** `<tag>|<model>|<group>` for every output series of a model; totals under `<facility>.INDICATOR`. */
function expectedSeriesNames(model: string): string[] {
  const { tags } = scenario.gordo;
  return [
    ...PER_TAG_GROUPS.flatMap((group) => tags.map((tag) => `${tag}|${model}|${group}`)),
    ...TOTAL_GROUPS.map((group) => `${scenario.recording.facility}.INDICATOR|${model}|${group}`),
  ].sort();
}

/** The timestamps of a window at the model's resolution: from, from + resolution, ... < to. */
function windowTimes(window: string): string[] {
  const [from = '', to = ''] = /^\[(.+), (.+)\)$/.exec(window)?.slice(1) ?? [];
  const times: string[] = [];
  for (let at = Date.parse(from); at < Date.parse(to); at += scenario.gordo.resolutionMs) {
    times.push(new Date(at).toISOString());
  }
  return times;
}

/** The partition kafkajs's default partitioner (the one the task queue uses) gives a key. */
function partitionOf(key: string): number {
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_unused, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));
  return Partitioners.DefaultPartitioner()({
    topic: 't',
    partitionMetadata,
    message: { key, value: null },
  });
}

describe('the production path: scheduler, Kafka, two executors and the HTTP stand-ins', () => {
  it('publishes one task per model and slot, and runs each exactly once, on both executors', async () => {
    const { windows, executors, groupId, topic } = scenario;
    expect(windows.length).toBeGreaterThanOrEqual(SLOTS);
    expect(new Set(windows).size).toBe(windows.length);
    expect(scenario.scheduler.logged('slot scheduled').map((line) => line['delivered'])).toEqual(
      windows.map(() => MODELS.length),
    );
    // The two models' tasks go to different partitions, so each executor holds one of them.
    expect(partitionOf(`${PROJECT}/${MODEL}`)).not.toBe(partitionOf(`${PROJECT}/${COPY}`));
    const group = await groupAssignment(scenario.admin, groupId, topic);
    expect(group.members.map((member) => member.partitions.length)).toEqual([1, 1]);

    const runs = executors.flatMap((executor) =>
      executor.logged('task succeeded').map((line) => ({
        executor: executor.name,
        task: `${String(line['project'])}/${String(line['model'])} ${String(line['window'])}`,
      })),
    );
    const expected = MODELS.flatMap((model) =>
      windows.map((window) => `${PROJECT}/${model} ${window}`),
    );
    expect(runs.map((run) => run.task).sort()).toEqual(expected.sort());
    expect(new Set(runs.map((run) => run.executor))).toEqual(
      new Set(executors.map((executor) => executor.name)),
    );
    expect(executors.flatMap((executor) => executor.logged('task failed'))).toEqual([]);
  });

  it('stores every window once in the Time Series API, under the model series names, at the model resolution', async () => {
    const { standins, recording, windows } = scenario;
    const series = await storedSeries(standins.timeSeriesUrl, recording.facility);
    const outputs = series.filter((item) => item.name.includes('|'));
    const expectedNames = MODELS.flatMap((model) => expectedSeriesNames(model)).sort();
    expect(outputs.map((item) => item.name).sort()).toEqual(expectedNames);

    const expectedTimes = windows.flatMap((window) => windowTimes(window)).sort();
    for (const output of outputs) {
      const points = await storedPoints(standins.timeSeriesUrl, output.id);
      const times = points.map((point) => point.time).sort();
      // One value per timestamp, exactly the windows' rows, nothing outside them.
      expect(times, output.name).toEqual(expectedTimes);
      expect(points.every((point) => Number.isFinite(point.value) && point.status === 192)).toBe(
        true,
      );
      expect(output.pointCount, output.name).toBe(expectedTimes.length);
    }
    const [tag] = scenario.gordo.tags;
    const described = outputs.find((item) => item.name === `${tag}|${MODEL}|model-output`);
    expect(described?.description).toBe(`Gordo model-output - ${tag}`);
  });

  it('records the metadata of every stored window once, with the model and its series', async () => {
    const { standins, recording, windows, gordo } = scenario;
    const records = await metadataRecords(standins.metadataUrl, PROJECT);
    const recorded = records.map((record) => `${record.model_name} ${recordWindow(record)}`);
    const expected = MODELS.flatMap((model) => windows.map((window) => `${model} ${window}`));
    expect(recorded.sort()).toEqual(expected.sort());

    const series = await storedSeries(standins.timeSeriesUrl, recording.facility);
    const idOf = new Map(series.map((item: StoredSeries) => [item.name, item.id]));
    for (const record of records) {
      expect(record.project_name).toBe(PROJECT);
      expect(record.revision).toBe(gordo.revision);
      expect(record.record.status).toBe('not_defined');
      expect(record.record.input_tags.map((tag) => tag.name)).toEqual(gordo.tags);
      expect(record.record.input_tags.map((tag) => tag.time_series_id)).toEqual(
        gordo.tags.map((tag) => idOf.get(tag)),
      );
      const outputs = record.record.output_tags;
      expect(outputs.map((tag) => tag.name).sort()).toEqual(expectedSeriesNames(record.model_name));
      for (const output of outputs) {
        expect(output.time_series_id, output.name).toBe(idOf.get(output.name));
        expect(output.type).toBe(output.name.includes('.INDICATOR|') ? 'aggregated' : 'derived');
      }
    }
  });

  it('commits every task on Kafka and dead-letters none', async () => {
    const { admin: kafkaAdmin, topic, deadLetterTopic, groupId } = scenario;
    const published = await kafkaAdmin.fetchTopicOffsets(topic);
    const ends = published
      .slice()
      .sort((left, right) => left.partition - right.partition)
      .map((partition) => Number(partition.high));
    expect(ends.reduce((sum, end) => sum + end, 0)).toBe(scenario.windows.length * MODELS.length);
    await waitUntil('the executors to commit every task', async () => {
      const committed = await committedOffsets(kafkaAdmin, groupId, topic);
      return committed.join(',') === ends.join(',');
    });

    const deadLetters = await kafkaAdmin.fetchTopicOffsets(deadLetterTopic);
    expect(deadLetters.map((partition) => Number(partition.high))).toEqual([0]);
  });

  it('stops the scheduler, the executors and the stand-ins on SIGTERM with exit code 0', async () => {
    expect(scenario.schedulerExit).toEqual({ code: 0, signal: null });
    const executorExits = await Promise.all(scenario.executors.map((executor) => executor.stop()));
    expect(executorExits).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    for (const executor of scenario.executors) {
      expect(executor.logged('executor stopped'), executor.name).toHaveLength(1);
    }
    const standinExits = await Promise.all(
      scenario.standins.processes.map((standin) => standin.stop()),
    );
    expect(standinExits).toEqual(
      scenario.standins.processes.map(() => ({ code: 0, signal: null })),
    );
  });
});
