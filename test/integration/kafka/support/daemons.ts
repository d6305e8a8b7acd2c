import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CLI } from '../../../support/cli.js';
import { BROKER, PROJECT_ROOT } from './broker.js';
import { waitFor } from './kafka-fixtures.js';

/** One JSON log line of a daemon. */
export type LogLine = Record<string, unknown> & { readonly msg?: string };

/** A `latigo scheduler` or `latigo executor` process and what it logged. */
export interface Daemon {
  readonly name: string;
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** Everything written to stderr. */
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Log lines with this message. */
  logged(msg: string): LogLine[];
  waitForLog(msg: string, count?: number, timeoutMs?: number): Promise<LogLine[]>;
}

/** Starts `latigo <args>` from the built command line, logging JSON at `level`. */
export function startDaemon(name: string, args: readonly string[], level = 'debug'): Daemon {
  if (!existsSync(CLI)) {
    throw new Error(`${CLI} is missing: run "npm run build" first (the test command does)`);
  }
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      LATIGO_SCHEDULER_CONFIG_FILE: undefined,
      LATIGO_EXECUTOR_CONFIG_FILE: undefined,
      LATIGO_TASK_QUEUE_CONNECTION_STRING: undefined,
      LATIGO_TASK_QUEUE_BROKERS: undefined,
      LATIGO_LOG_LEVEL: level,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let pending = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete) {
      if (text.trim() !== '') {
        lines.push(parseLine(text));
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const logged = (msg: string): LogLine[] => lines.filter((line) => line.msg === msg);
  return {
    name,
    child,
    lines,
    stderr: () => stderr,
    exited,
    logged,
    async waitForLog(msg, count = 1, timeoutMs = 60_000) {
      await waitFor(
        `${name} to log "${msg}" ${count} times`,
        () => {
          if (child.exitCode !== null) {
            throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
          }
          return logged(msg).length >= count;
        },
        timeoutMs,
      );
      return logged(msg);
    },
  };
}

/**
 * Stops a daemon with `signal` (unless a signal was sent already: a second SIGTERM makes Latigo
 * exit at once) and resolves how it exited; SIGKILL after `timeoutMs`.
 */
export async function stopDaemon(
  daemon: Daemon,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const running = daemon.child.exitCode === null && daemon.child.signalCode === null;
  if (running && (!daemon.child.killed || signal === 'SIGKILL')) {
    daemon.child.kill(signal);
  }
  const timer = setTimeout(() => daemon.child.kill('SIGKILL'), timeoutMs);
  try {
    return await daemon.exited;
  } finally {
    clearTimeout(timer);
  }
}

function parseLine(text: string): LogLine {
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return { msg: '(not JSON)', text };
  }
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
