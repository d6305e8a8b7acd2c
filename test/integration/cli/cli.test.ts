import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { packageRoot } from '../../../src/util/package-root.js';
import { runCli } from '../../support/cli.js';

/** The service addresses the executor's defaults need, on a loopback port nothing listens on. */
const LOOPBACK_SERVICES = {
  LATIGO_GORDO_CONNECTION_STRING: 'http://127.0.0.1:9/gordo/v0/',
  LATIGO_TIME_SERIES_BASE_URL: 'http://127.0.0.1:9/plant/timeseries/v1.7',
};

function overlay(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'latigo-cli-')), 'overlay.yaml');
  writeFileSync(file, text);
  return file;
}

describe('latigo command line', () => {
  it('should list its commands with --help', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    for (const command of ['run', 'scheduler', 'executor', 'config', 'queue-status', 'standin']) {
      expect(result.stdout).toContain(`  ${command}`);
    }
  });

  it.each(['run', 'scheduler', 'executor', 'config', 'queue-status', 'standin'])(
    'should explain "%s" with --help',
    async (command) => {
      const result = await runCli([command, '--help']);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: latigo');
    },
  );

  it('should refuse an unknown command', async () => {
    const result = await runCli(['frobnicate']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('should exit 2 with one clear message before doing any work when the config is bad', async () => {
    const file = overlay(
      'scheduler:\n  continuous_prediction_interval: "0m"\n  run_at_once: "no"\n',
    );

    const result = await runCli(['scheduler', '--config', file]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `${file}: scheduler.continuous_prediction_interval: duration "0m" must be longer than zero`,
    );
    expect(result.stderr).toContain(
      `${file}: scheduler.run_at_once: expected true or false, got "no"`,
    );
    expect(result.stdout).not.toContain('scheduler started');
  });

  it('should read the overlay named by LATIGO_EXECUTOR_CONFIG_FILE', async () => {
    const file = overlay('executor:\n  instance_count: 0\n');

    const result = await runCli(['executor'], { env: { LATIGO_EXECUTOR_CONFIG_FILE: file } });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: executor.instance_count: must be at least 1`);
  });

  it('should print a resolved config with secrets redacted', async () => {
    const file = overlay('scheduler:\n  projects: ["plant-a"]\n');
    const connection =
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=supersecret=;EntityPath=tasks';

    const result = await runCli(['config', 'scheduler', '--config', file], {
      env: {
        LATIGO_TASK_QUEUE_CONNECTION_STRING: connection,
        LATIGO_GORDO_CONNECTION_STRING: 'http://127.0.0.1:9/gordo/v0/',
        LATIGO_GORDO_CLIENT_SECRET: 'gordo-secret-value',
      },
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('continuous_prediction_interval: 30m');
    expect(result.stdout).toContain('plant-a');
    expect(result.stdout).toContain('[redacted]');
    expect(result.stdout).not.toContain('supersecret');
    expect(result.stdout).not.toContain('gordo-secret-value');
    // Gordo's URL holds no secret: shown, so the operator can check it.
    expect(result.stdout).toContain('connection_string: http://127.0.0.1:9/gordo/v0/');
  });

  it('should report an unset variable without what its key would require if it were set', async () => {
    const file = overlay("model_info:\n  auth:\n    client_id: '${NOPE_CLIENT_ID}'\n");

    const result = await runCli(['config', 'executor', '--config', file], {
      env: { ...LOOPBACK_SERVICES, LATIGO_TASK_QUEUE_BROKERS: '127.0.0.1:9' },
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `latigo config: invalid configuration:\n  ${file}: model_info.auth.client_id: environment variable NOPE_CLIENT_ID is not set\n`,
    );
  });

  it('should not report a section left incomplete by an unset variable as well', async () => {
    const file = overlay("task_queue:\n  brokers: '${NOPE_BROKERS}'\n");

    const result = await runCli(['config', 'executor', '--config', file], {
      env: LOOPBACK_SERVICES,
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `latigo config: invalid configuration:\n  ${file}: task_queue.brokers: environment variable NOPE_BROKERS is not set\n`,
    );
  });

  it('should refuse the in-process memory queue for a standalone daemon', async () => {
    const file = overlay('task_queue:\n  type: memory\n');

    const result = await runCli(['executor', '--config', file], {
      env: LOOPBACK_SERVICES,
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: task_queue.type: "memory" only works when`);
  });

  it('should say on stderr that a config file given to `latigo run` does not exist', async () => {
    const result = await runCli(['run', '--once', '--scheduler-config', 'no-such-file.yaml']);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'latigo run: cannot read config file no-such-file.yaml: no such file\n',
    );
  });

  it('should name both missing files of `latigo run`, and the variable that named one', async () => {
    const result = await runCli(['run', '--once', '--scheduler-config', 'no-such-file.yaml'], {
      env: { LATIGO_EXECUTOR_CONFIG_FILE: 'nor-this.yaml' },
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'latigo run: config files missing:\n' +
        '  cannot read config file no-such-file.yaml: no such file\n' +
        '  cannot read config file nor-this.yaml: no such file (named by LATIGO_EXECUTOR_CONFIG_FILE)\n',
    );
  });

  it('should name the variable that named a missing overlay of a daemon', async () => {
    const result = await runCli(['executor'], {
      env: { LATIGO_EXECUTOR_CONFIG_FILE: 'nor-this.yaml' },
    });

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'latigo executor: cannot read config file nor-this.yaml: no such file (named by LATIGO_EXECUTOR_CONFIG_FILE)\n',
    );
  });

  it('should list the problems of both configurations given to `latigo run` at once', async () => {
    const schedulerFile = overlay("scheduler:\n  continuous_prediction_timezone: 'Mars/Olympus'\n");
    const executorFile = overlay('executor:\n  instance_count: 0\n');

    const result = await runCli([
      'run',
      '--once',
      '--scheduler-config',
      schedulerFile,
      '--executor-config',
      executorFile,
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${schedulerFile}: scheduler.continuous_prediction_timezone:`);
    expect(result.stderr).toContain(`${executorFile}: executor.instance_count:`);
  });

  it('should refuse a `latigo run` whose scheduler and executor would not share a queue', async () => {
    const sample = readFileSync(
      join(packageRoot(), 'deploy', 'samples', 'skab', 'executor.yaml'),
      'utf8',
    );
    const kafkaQueue = "task_queue:\n  type: 'kafka'\n  brokers: ['127.0.0.1:9']\n";
    const executorFile = overlay(sample.replace("task_queue:\n  type: 'memory'\n", kafkaQueue));

    const result = await runCli(['run', '--once', '--executor-config', executorFile]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^latigo run: task_queue: the scheduler's is memory and the executor's is kafka \(\S+scheduler\.yaml and \S+overlay\.yaml\); in one process both must be memory, or both the same real queue\n$/,
    );
  });

  it('should name LATIGO_LOG_LEVEL when it is not a level', async () => {
    const result = await runCli(['scheduler'], { env: { LATIGO_LOG_LEVEL: 'verbose' } });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('LATIGO_LOG_LEVEL: unknown level "verbose"');
  });

  it('should name an unknown option once', async () => {
    const result = await runCli(['scheduler', '--bogus']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "latigo scheduler: Unknown option '--bogus' (see latigo scheduler --help)\n",
    );
  });

  it('should name a wrong or missing scheduler|executor argument', async () => {
    const [wrong, missing, extra] = await Promise.all([
      runCli(['queue-status', 'bogus']),
      runCli(['config']),
      runCli(['config', 'executor', 'more']),
    ]);

    expect([wrong.code, missing.code, extra.code]).toEqual([2, 2, 2]);
    expect(wrong.stderr).toBe(
      'latigo queue-status: unknown configuration "bogus": scheduler or executor (see latigo queue-status --help)\n',
    );
    expect(missing.stderr).toContain('say which configuration: scheduler or executor');
    expect(extra.stderr).toContain('unexpected argument "more"');
  });
});
