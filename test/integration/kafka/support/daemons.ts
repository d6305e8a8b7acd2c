import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  startLatigo,
  type ExitStatus,
  type LatigoProcess,
  type OutputLine,
} from '../../../support/latigo-process.js';
import { BROKER, PROJECT_ROOT } from './broker.js';

/** A `latigo scheduler` or `latigo executor` process and what it logged. */
export interface Daemon extends LatigoProcess {
  /** Waits until the daemon logged `msg` `count` times; fails early if it exits. */
  waitForLog(msg: string, count?: number, timeoutMs?: number): Promise<OutputLine[]>;
}

/** Starts `latigo <args>` from the built command line, logging JSON at `level`. */
export function startDaemon(name: string, args: readonly string[], level = 'debug'): Daemon {
  const daemon = startLatigo(name, args, { LATIGO_LOG_LEVEL: level });
  return {
    ...daemon,
    async waitForLog(msg, count = 1, timeoutMs = 60_000) {
      await daemon.waitForLine(
        `"${msg}" ${count} times`,
        (line) => line['msg'] === msg && daemon.logged(msg).length >= count,
        timeoutMs,
      );
      return daemon.logged(msg);
    },
  };
}

/**
 * Stops a daemon with `signal` (unless a signal was sent already: a second SIGTERM makes Latigo
 * exit at once) and resolves how it exited; SIGKILL after `timeoutMs`.
 */
export function stopDaemon(
  daemon: Daemon,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 30_000,
): Promise<ExitStatus> {
  return daemon.stop(signal, timeoutMs);
}

const folders: string[] = [];

/** A temporary folder, removed by `removeTemporaryFolders`. */
export function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

export function removeTemporaryFolders(): void {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The models of the daemon tests: copies of the SKAB valve1 model under other names. */
export function modelNames(count: number): string[] {
  return Array.from(
    { length: count },
    (_unused, index) => `valve-${String(index).padStart(2, '0')}`,
  );
}

export interface DaemonConfigOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly models: readonly string[];
  /** The SQLite file both executors store predictions in. */
  readonly database: string;
  readonly instanceCount?: number;
  readonly shutdownGrace?: string;
  /** How long a store waits for the database's write lock. */
  readonly busyTimeout?: string;
  readonly taskRetryDelay?: string;
  /** task_queue keys to set or replace. */
  readonly queue?: Readonly<Record<string, string | number>>;
}

/**
 * Overlays for a scheduler and executors on the test broker: the SKAB sample (static models,
 * csv sensor data, builtin predictor) with one-minute slots, the latest slot scheduled at once,
 * predictions in a shared SQLite file.
 */
export function writeDaemonConfigs(options: DaemonConfigOptions): {
  scheduler: string;
  executor: string;
} {
  const folder = temporaryFolder('latigo-daemons-');
  const models = options.models
    .map(
      (name) => `    - project: 'skab'
      name: '${name}'
      tags: ['SKAB.Accelerometer1RMS', 'SKAB.Current', 'SKAB.Pressure']
      training: { from: '2020-03-09T10:14:33Z', to: '2020-03-09T10:21:31Z' }
      resolution: '5s'`,
    )
    .join('\n');
  const queueKeys: Record<string, string | number> = {
    type: 'kafka',
    brokers: BROKER,
    topic: options.topic,
    'group.id': options.groupId,
    'session.timeout.ms': 6000,
    'heartbeat.interval.ms': 500,
    'max.poll.interval.ms': 30000,
    'auto.commit.interval.ms': 100,
    ...options.queue,
  };
  const queue = `task_queue:\n${Object.entries(queueKeys)
    .map(([key, value]) => `  ${key}: ${typeof value === 'number' ? value : `'${value}'`}\n`)
    .join('')}`;
  const modelInfo = `model_info:
  type: 'static'
  models:
${models}
`;
  const scheduler = join(folder, 'scheduler.yaml');
  writeFileSync(
    scheduler,
    `scheduler:
  continuous_prediction_start_time: '00:00'
  continuous_prediction_interval: '1m'
  continuous_prediction_delay: '1m'
  projects: ['skab']
  run_at_once: true
${queue}${modelInfo}`,
  );
  const executor = join(folder, 'executor.yaml');
  writeFileSync(
    executor,
    `executor:
  instance_count: ${options.instanceCount ?? 2}
  shutdown_grace: '${options.shutdownGrace ?? '30s'}'
  task_retry_delay: '${options.taskRetryDelay ?? '5s'}'
${queue}${modelInfo}predictor:
  type: 'builtin'
sensor_data:
  type: 'csv'
  folder: '${join(PROJECT_ROOT, 'deploy/samples/skab')}'
  files: ['valve1-0.csv']
  delimiter: ';'
  timestamp_column: 'datetime'
  time_zone: 'UTC'
  columns:
    Accelerometer1RMS: 'SKAB.Accelerometer1RMS'
    Current: 'SKAB.Current'
    Pressure: 'SKAB.Pressure'
  replay:
    origin: '2020-03-09T10:14:00Z'
    period: '21m'
prediction_storage:
  type: 'sqlite'
  path: '${options.database}'
  busy_timeout: '${options.busyTimeout ?? '2m'}'
prediction_metadata_storage:
  type: 'none'
`,
  );
  return { scheduler, executor };
}

/** The task ids of a daemon's log lines with message `msg`. */
export function taskIds(daemon: Daemon, msg: string): string[] {
  return daemon.logged(msg).map((line) => String(line['taskId']));
}
