import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

import {
  modelNames,
  removeTemporaryFolders,
  startDaemon,
  stopDaemon,
  taskIds,
  temporaryFolder,
  writeDaemonConfigs,
  type Daemon,
} from './support/daemons.js';
import {
  committedOffsets,
  createTopics,
  uniqueName,
  waitFor,
  waitForStableGroup,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

/**
 * The daemons themselves (`latigo scheduler`, `latigo executor`, built in dist/) against the
 * test broker, storing into one SQLite file shared by the executors.
 */

const MODELS = modelNames(12);

const running: Daemon[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((daemon) => stopDaemon(daemon, 'SIGKILL')));
});

afterAll(() => {
  removeTemporaryFolders();
});

interface Setup {
  readonly topic: string;
  readonly groupId: string;
  readonly database: string;
  readonly configs: { scheduler: string; executor: string };
}

async function setup(
  options: { shutdownGrace?: string; busyTimeout?: string; taskRetryDelay?: string } = {},
): Promise<Setup> {
  const topic = uniqueName('daemon-tasks');
  const groupId = uniqueName('executors');
  const database = join(temporaryFolder('latigo-daemons-db-'), 'predictions.sqlite');
  await createTopics(suite.admin, topic, 4);
  const configs = writeDaemonConfigs({ topic, groupId, models: MODELS, database, ...options });
  return { topic, groupId, database, configs };
}

function start(name: string, role: 'scheduler' | 'executor', config: string): Daemon {
  const daemon = startDaemon(name, [role, '--config', config]);
  running.push(daemon);
  return daemon;
}

/** Starts two executors and waits until both are in the consumer group. */
async function twoExecutors(context: Setup): Promise<[Daemon, Daemon]> {
  const first = start('executor A', 'executor', context.configs.executor);
  const second = start('executor B', 'executor', context.configs.executor);
  await waitForStableGroup(suite.admin, context.groupId, context.topic, 2);
  return [first, second];
}

/** A window stored (or expected): the model, where the window starts, how often it was written. */
interface StoredWindow {
  readonly model: string;
  readonly fromMs: number;
  readonly writes: number;
}

/** The windows stored, with how often each was written. */
function storedWindows(database: string): StoredWindow[] {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT model, from_ms AS fromMs, write_count AS writes FROM windows ORDER BY model, from_ms',
      )
      .all() as StoredWindow[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/**
 * Stops the scheduler (it must exit 0) and returns every window of the slots it scheduled, each
 * written once. The slots are a minute long, so a test that crosses a minute boundary sees a
 * second slot; what the executors must store and commit is whatever the scheduler delivered.
 */
async function scheduledWindows(scheduler: Daemon): Promise<StoredWindow[]> {
  expect(await stopDaemon(scheduler), scheduler.name).toEqual({ code: 0, signal: null });
  const windows = scheduler.logged('slot scheduled').flatMap((line) => {
    expect(line).toMatchObject({ delivered: MODELS.length });
    const fromMs = Date.parse(/^\[([^,]+),/.exec(String(line['window']))?.[1] ?? '');
    expect(fromMs, String(line['window'])).not.toBeNaN();
    return MODELS.map((model) => ({ model, fromMs, writes: 1 }));
  });
  return windows.sort((a, b) => a.model.localeCompare(b.model) || a.fromMs - b.fromMs);
}

function duplicatePoints(database: string): number {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        'SELECT count(*) AS duplicates FROM (SELECT series_id, time_ms FROM points GROUP BY series_id, time_ms HAVING count(*) > 1)',
      )
      .get() as { duplicates: number };
    return row.duplicates;
  } finally {
    db.close();
  }
}

async function allCommitted(context: Setup, count: number): Promise<void> {
  await waitFor('every task committed', async () => {
    const offsets = await committedOffsets(suite.admin, context.groupId, context.topic);
    return offsets.reduce((sum, offset) => sum + Math.max(offset, 0), 0) === count;
  });
}

describe('scheduler and executor daemons on a real broker', () => {
  it('carry a slot from the scheduler to two executors and store every task exactly once', async () => {
    const context = await setup();
    const executors = await twoExecutors(context);

    const scheduler = start('scheduler', 'scheduler', context.configs.scheduler);
    const [scheduled] = await scheduler.waitForLog('slot scheduled');
    expect(scheduled).toMatchObject({ delivered: 12, attempt: 1 });
    const expected = await scheduledWindows(scheduler);
    await waitFor(
      'every window stored',
      () => storedWindows(context.database).length === expected.length,
    );
    await allCommitted(context, expected.length);

    expect(storedWindows(context.database)).toEqual(expected);
    expect(duplicatePoints(context.database)).toBe(0);
    const succeeded = executors.flatMap((executor) => taskIds(executor, 'task succeeded'));
    expect(succeeded).toHaveLength(expected.length);
    expect(new Set(succeeded).size).toBe(expected.length);
    for (const daemon of executors) {
      expect(await stopDaemon(daemon), daemon.name).toEqual({ code: 0, signal: null });
    }
  });

  it('finish the tasks of an executor killed in the middle of them: none lost, none stored twice', async () => {
    const context = await setup();
    const [victim, survivor] = await twoExecutors(context);
    // Hold the database's write lock: a task that reaches its store step waits there (the
    // SQLite storage waits synchronously, so the whole executor stands still meanwhile).
    const lock = new Database(context.database);
    lock.exec('BEGIN IMMEDIATE');
    let scheduler: Daemon;
    try {
      scheduler = start('scheduler', 'scheduler', context.configs.scheduler);
      await victim.waitForLog('task started');

      expect(await stopDaemon(victim, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    } finally {
      lock.exec('COMMIT');
      lock.close();
    }
    const expected = await scheduledWindows(scheduler);
    // The group notices the victim gone only after its session timeout.
    await waitFor(
      'every window stored',
      () => storedWindows(context.database).length === expected.length,
      60_000,
    );
    await allCommitted(context, expected.length);

    expect(storedWindows(context.database)).toEqual(expected);
    expect(duplicatePoints(context.database)).toBe(0);
    const killedTasks = taskIds(victim, 'task started');
    expect(killedTasks.length).toBeGreaterThan(0);
    expect(taskIds(victim, 'task succeeded')).toEqual([]);
    const finished = taskIds(survivor, 'task succeeded');
    expect(finished).toHaveLength(expected.length);
    expect(new Set(finished).size).toBe(expected.length);
    expect(finished).toEqual(expect.arrayContaining(killedTasks));
    expect(await stopDaemon(survivor)).toEqual({ code: 0, signal: null });
  }, 120_000);

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'let an executor stopped with %s take no new task, finish those in flight, commit them and exit 0',
    async (stopSignal) => {
      // A store that finds the database locked fails after 1 s and is retried 3 s later: the two
      // tasks of the executor wait for their retry, in flight, while it is told to stop.
      const context = await setup({
        shutdownGrace: '60s',
        busyTimeout: '1s',
        taskRetryDelay: '3s',
      });
      const executor = start('executor', 'executor', context.configs.executor);
      await waitForStableGroup(suite.admin, context.groupId, context.topic, 1);
      const lock = new Database(context.database);
      lock.exec('BEGIN IMMEDIATE');
      try {
        start('scheduler', 'scheduler', context.configs.scheduler);
        await executor.waitForLog('task attempt failed, retrying', 2);
        executor.child.kill(stopSignal);
        await waitFor('the executor draining', () =>
          executor.logged('executor state changed').some((line) => line['to'] === 'draining'),
        );
      } finally {
        lock.exec('COMMIT');
        lock.close();
      }

      expect(await stopDaemon(executor, stopSignal, 60_000)).toEqual({ code: 0, signal: null });
      const started = taskIds(executor, 'task started');
      expect(started).toHaveLength(2);
      expect(taskIds(executor, 'task succeeded').sort()).toEqual([...started].sort());
      expect(executor.logged('task released for redelivery')).toEqual([]);
      expect(storedWindows(context.database)).toHaveLength(2);
      expect(
        (await committedOffsets(suite.admin, context.groupId, context.topic)).reduce(
          (sum, offset) => sum + Math.max(offset, 0),
          0,
        ),
      ).toBe(2);
    },
  );
});
