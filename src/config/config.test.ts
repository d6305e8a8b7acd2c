import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { isLatigoError } from '../errors/index.js';
import { ProviderRegistry, type ProviderFactory } from '../registry/registry.js';
import { memoryTaskQueueFactory } from '../task-queue/memory/memory-task-queue.js';
import { noneProjectsFactory } from '../projects/none-projects.js';
import { staticModels } from '../../test/support/fake-providers.js';
import { durationMs } from './fields.js';
import { parseDuration } from './duration.js';
import { mergeLayers } from './load.js';
import { redactConfig, REDACTED } from './redact.js';
import { loadSchedulerConfig } from './resolve.js';

const fakeModelInfoSchema = z
  .object({
    type: z.literal('fake'),
    connection_string: z.string().prefault(''),
    refresh: durationMs().prefault('5m'),
    auth: z.object({ client_id: z.string(), client_secret: z.string() }).optional(),
  })
  .strict();
const fakeModelInfo: ProviderFactory<'model_info', typeof fakeModelInfoSchema> = {
  kind: 'model_info',
  type: 'fake',
  schema: fakeModelInfoSchema,
  create: () => staticModels([]),
};

function registry(): ProviderRegistry {
  return new ProviderRegistry()
    .register(memoryTaskQueueFactory)
    .register(noneProjectsFactory)
    .register(fakeModelInfo);
}

const DEFAULTS = `
scheduler:
  continuous_prediction_start_time: "08:00"
  continuous_prediction_interval: "30m"
  continuous_prediction_delay: "3h"
  projects: ["lat-lit"]
  run_at_once: false
task_queue:
  type: memory
model_info:
  type: fake
  connection_string: "\${SECRET_CONNECTION:-}"
`;

function load(overlay: string | undefined, environment: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'latigo-config-'));
  writeFileSync(join(dir, 'scheduler_config.yaml'), DEFAULTS);
  const overlayFile = join(dir, 'overlay.yaml');
  if (overlay !== undefined) {
    writeFileSync(overlayFile, overlay);
  }
  return {
    overlayFile,
    load: () =>
      loadSchedulerConfig(registry(), {
        defaultsDir: dir,
        overlayFile: overlay === undefined ? undefined : overlayFile,
        environment,
      }),
  };
}

function errorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(isLatigoError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('configuration', () => {
  it('should resolve the defaults with durations in milliseconds and the start time in minutes', () => {
    const config = load(undefined).load();

    expect(config.scheduler.continuous_prediction_interval).toBe(1_800_000);
    expect(config.scheduler.continuous_prediction_delay).toBe(10_800_000);
    expect(config.scheduler.continuous_prediction_start_time).toBe(480);
    expect(config.scheduler.back_fill_max_interval).toBe(7 * 86_400_000);
    expect(config.scheduler.restart_interval_sec).toBe(604800);
    expect(config.taskQueue.type).toBe('memory');
    expect(config.projects.type).toBe('none');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('should merge maps key by key and replace lists from the overlay', () => {
    const config = load(
      'scheduler:\n  projects: ["a", "b"]\n  continuous_prediction_delay: "1d12h"\n',
    ).load();

    expect(config.scheduler.projects).toEqual(['a', 'b']);
    expect(config.scheduler.continuous_prediction_delay).toBe(36 * 3_600_000);
    expect(config.scheduler.continuous_prediction_interval).toBe(1_800_000);
  });

  it('should take ${NAME} from the environment', () => {
    const config = load(undefined, {
      SECRET_CONNECTION: 'Endpoint=sb://x/;SharedAccessKey=abc',
    }).load();

    expect((config.modelInfo.options as { connection_string: string }).connection_string).toBe(
      'Endpoint=sb://x/;SharedAccessKey=abc',
    );
  });

  it('should name the variable a wrong value came from', () => {
    const { load: run } = load('scheduler:\n  continuous_prediction_delay: "${DELAY}"\n', {
      DELAY: '30',
    });

    expect(errorOf(run)).toContain(
      'scheduler.continuous_prediction_delay: "30" is not a duration: use whole numbers with units',
    );
    expect(errorOf(run)).toContain('(the value comes from ${DELAY})');
  });

  it('should name the file, key and variable when an environment variable is missing', () => {
    const { overlayFile, load: run } = load(
      'model_info:\n  connection_string: "${NOT_SET_ANYWHERE}"\n',
    );

    expect(errorOf(run)).toBe(
      `invalid configuration:\n  ${overlayFile}: model_info.connection_string: environment variable NOT_SET_ANYWHERE is not set`,
    );
  });

  it('should report a variable used twice in one value once', () => {
    const { overlayFile, load: run } = load('scheduler:\n  projects: ["${TWICE}-${TWICE}"]\n');

    expect(errorOf(run)).toBe(
      `invalid configuration:\n  ${overlayFile}: scheduler.projects.0: environment variable TWICE is not set`,
    );
  });

  it('should report every unset variable and every other problem at once, each only once', () => {
    const { overlayFile, load: run } = load(
      [
        'scheduler:',
        '  projects: ["${UNSET_A}"]',
        '  continuous_prediction_interval: "${UNSET_B}"',
        '  continuous_prediction_delay: "${UNSET_C}"',
        '  continuous_prediction_timezone: "Mars/Olympus"',
        '  continuous_prediction_start_time: "25:61"',
        '',
      ].join('\n'),
    );

    const lines = errorOf(run)
      .split('\n')
      .slice(1)
      .map((line) => line.trim());

    expect(lines).toEqual([
      `${overlayFile}: scheduler.continuous_prediction_interval: environment variable UNSET_B is not set`,
      `${overlayFile}: scheduler.continuous_prediction_delay: environment variable UNSET_C is not set`,
      `${overlayFile}: scheduler.projects.0: environment variable UNSET_A is not set`,
      expect.stringMatching(/^\S+: scheduler\.continuous_prediction_start_time: /) as unknown,
      `${overlayFile}: scheduler.continuous_prediction_timezone: unknown time zone "Mars/Olympus"; use an IANA name such as "UTC" or "Europe/Oslo"`,
    ]);
  });

  it.each([
    ['0m', 'must be longer than zero'],
    ['-5m', 'negative duration'],
    ['30x', 'is not a duration'],
    ['30', 'is not a duration'],
    ['', 'is not a duration'],
    ['1500ms', 'must be whole seconds, got "1500ms"'],
    ['500ms', 'must be at least 1s, got "500ms"'],
  ])('should reject the duration "%s" naming file and key', (value, problem) => {
    const { overlayFile, load: run } = load(
      `scheduler:\n  continuous_prediction_interval: "${value}"\n`,
    );

    const message = errorOf(run);
    expect(message).toContain(`${overlayFile}: scheduler.continuous_prediction_interval:`);
    expect(message).toContain(problem);
  });

  it('should take a slot delay only in whole seconds, as the slot grid has them', () => {
    const { overlayFile, load: run } = load(
      'scheduler:\n  continuous_prediction_delay: "90500ms"\n',
    );

    expect(errorOf(run)).toContain(
      `${overlayFile}: scheduler.continuous_prediction_delay: must be whole seconds, got "90500ms"`,
    );
  });

  it('should reject a duration given as a bare number', () => {
    const { load: run } = load('scheduler:\n  continuous_prediction_delay: 30\n');

    expect(errorOf(run)).toContain(
      'scheduler.continuous_prediction_delay: expected a duration text',
    );
  });

  it('should refuse durations and seconds longer than a Node.js timer can wait, where one waits', () => {
    const { load: run } = load(
      'scheduler:\n  restart_interval_sec: 3000000\nmodel_info:\n  refresh: "30d"\n',
    );

    const message = errorOf(run);
    expect(message).toContain(
      'scheduler.restart_interval_sec: must be at most 2147483, got 3000000',
    );
    expect(message).toContain(
      'model_info.refresh: must be at most 24d20h31m23s647ms (the longest a Node.js timer can wait), got "30d"',
    );
  });

  it('should take long spans where no timer waits for them', () => {
    const { load: run } = load('scheduler:\n  back_fill_max_interval: "60d"\n');

    expect(run().scheduler.back_fill_max_interval).toBe(60 * 86_400_000);
  });

  it('should reject an unquoted start time that YAML reads as a number, with a hint to quote it', () => {
    const { overlayFile, load: run } = load(
      'scheduler:\n  continuous_prediction_start_time: 480\n',
    );

    expect(errorOf(run)).toContain(
      `${overlayFile}: scheduler.continuous_prediction_start_time: YAML read this as a number, not a time of day: quote it, e.g. "08:00"`,
    );
  });

  it('should reject a start time that YAML reads as a date', () => {
    const { load: run } = load('scheduler:\n  continuous_prediction_start_time: 2024-01-01\n');

    expect(errorOf(run)).toContain('YAML read this as a date');
  });

  it('should reject a start time out of range', () => {
    const { load: run } = load('scheduler:\n  continuous_prediction_start_time: "24:30"\n');

    expect(errorOf(run)).toContain('expected a quoted time of day "HH:MM"');
  });

  it.each(['no', 'off', '0', 'yes', 'True'])('should never read "%s" as a boolean', (value) => {
    const { load: run } = load(`scheduler:\n  run_at_once: "${value}"\n`);

    expect(errorOf(run)).toContain(`scheduler.run_at_once: expected true or false, got "${value}"`);
  });

  it('should reject the number 1 as a boolean', () => {
    const { load: run } = load('scheduler:\n  run_at_once: 1\n');

    expect(errorOf(run)).toContain('scheduler.run_at_once: expected true or false, got number 1');
  });

  it('should accept the exact strings "true" and "false" from the environment', () => {
    const config = load('scheduler:\n  run_at_once: "${RUN_NOW}"\n', { RUN_NOW: 'true' }).load();

    expect(config.scheduler.run_at_once).toBe(true);
  });

  it('should reject an unknown key naming it', () => {
    const { overlayFile, load: run } = load('scheduler:\n  continous_prediction_interval: "30m"\n');

    expect(errorOf(run)).toContain(
      `${overlayFile}: scheduler.continous_prediction_interval: unknown key; did you mean continuous_prediction_interval?`,
    );
  });

  it('should say that a required key is missing, and what it takes', () => {
    const { load: run } = load('model_info:\n  auth:\n    client_id: a\n');

    expect(errorOf(run)).toMatch(
      /: model_info\.auth\.client_secret: is missing \(expected string\)$/m,
    );
  });

  it('should say which type a key takes, without quoting the value', () => {
    const { load: run } = load('model_info:\n  auth:\n    client_id: a\n    client_secret: 5\n');

    expect(errorOf(run)).toMatch(
      /: model_info\.auth\.client_secret: expected string, received number$/m,
    );
  });

  it('should name each unknown key of a provider section with the file that has it', () => {
    const { overlayFile, load: run } = load(
      'model_info:\n  Connection-String: x\n  refreh: 1m\n  polling: 2m\n',
    );

    const message = errorOf(run);
    expect(message).toContain(
      `${overlayFile}: model_info.Connection-String: unknown key; did you mean connection_string?`,
    );
    expect(message).toContain(
      `${overlayFile}: model_info.refreh: unknown key; did you mean refresh?`,
    );
    expect(message).toMatch(/overlay\.yaml: model_info\.polling: unknown key$/m);
  });

  it('should name the defaults file for a problem in a key the overlay does not set', () => {
    const { load: run } = load('scheduler:\n  run_at_once: "maybe"\n');

    expect(errorOf(run)).toMatch(/overlay\.yaml: scheduler\.run_at_once/);
  });

  it('should list every problem at once', () => {
    const { load: run } = load(
      'scheduler:\n  run_at_once: "no"\n  continuous_prediction_interval: "0s"\n',
    );

    const message = errorOf(run);
    expect(message).toContain('scheduler.run_at_once');
    expect(message).toContain('scheduler.continuous_prediction_interval');
  });

  it('should list the problems of every section at once', () => {
    const { overlayFile, load: run } = load(
      'scheduler:\n  run_at_once: "no"\ntask_queue:\n  type: rabbit\nmodel_info:\n  refresh: "soon"\n',
    );

    const message = errorOf(run);
    expect(message).toContain(`${overlayFile}: scheduler.run_at_once:`);
    expect(message).toContain(`${overlayFile}: task_queue.type: unknown type "rabbit"`);
    expect(message).toContain(`${overlayFile}: model_info.refresh:`);
  });

  it('should list the known types when a section names an unknown one', () => {
    const { overlayFile, load: run } = load('task_queue:\n  type: rabbit\n');

    expect(errorOf(run)).toContain(
      `${overlayFile}: task_queue.type: unknown type "rabbit"; known types: memory`,
    );
  });

  it('should validate a provider section with its own schema and name the nested key', () => {
    const { overlayFile, load: run } = load('model_info:\n  refresh: "soon"\n');

    expect(errorOf(run)).toContain(`${overlayFile}: model_info.refresh:`);
  });

  it('should report YAML syntax errors with the file name', () => {
    const { overlayFile, load: run } = load('scheduler: [unclosed\n');

    expect(errorOf(run)).toContain(`${overlayFile}: not valid YAML`);
  });

  it('should report an unreadable overlay file by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'latigo-config-'));
    writeFileSync(join(dir, 'scheduler_config.yaml'), DEFAULTS);
    const missing = join(dir, 'missing.yaml');

    expect(
      errorOf(() =>
        loadSchedulerConfig(registry(), {
          defaultsDir: dir,
          overlayFile: missing,
          environment: {},
        }),
      ),
    ).toBe(`cannot read config file ${missing}: no such file`);
  });
});

describe('durations', () => {
  it.each([
    ['30m', 1_800_000],
    ['3h', 10_800_000],
    ['7d', 604_800_000],
    ['1d12h', 129_600_000],
    ['90s', 90_000],
    ['250ms', 250],
    ['2w', 1_209_600_000],
  ])('should parse %s', (text, ms) => {
    expect(parseDuration(text)).toEqual({ ms });
  });
});

describe('redaction', () => {
  it('should replace secrets wherever they are and keep everything else', () => {
    const redacted = redactConfig({
      task_queue: { connection_string: 'Endpoint=sb://ns/;SharedAccessKey=k', topic: 't' },
      model_info: {
        auth: {
          client_id: 'id',
          client_secret: 's3cret',
          extra_headers: { 'Ocp-Apim-Subscription-Key': 'k' },
        },
      },
      sasl: { password: 'pw' },
    });

    expect(redacted).toEqual({
      task_queue: { connection_string: REDACTED, topic: 't' },
      model_info: {
        auth: {
          client_id: 'id',
          client_secret: REDACTED,
          extra_headers: { 'Ocp-Apim-Subscription-Key': REDACTED },
        },
      },
      sasl: { password: REDACTED },
    });
    expect(JSON.stringify(redacted)).not.toMatch(/s3cret|SharedAccessKey=k|"pw"/);
  });

  it('should redact headers and fields named like tokens', () => {
    expect(
      redactConfig({
        extra_headers: { 'X-Api-Token': 't1', 'X-Request-Id': 'r1' },
        sas_token: 't2',
      }),
    ).toEqual({
      extra_headers: { 'X-Api-Token': REDACTED, 'X-Request-Id': 'r1' },
      sas_token: REDACTED,
    });
  });

  it('should show a connection string that is a bare web address, and no other', () => {
    const shown = 'https://gordo.plant.example/gordo/v0/';
    const hidden = [
      'https://user:pw@gordo.plant.example/gordo/v0/',
      'https://gordo.plant.example/gordo/v0/?code=k',
      'https://gordo.plant.example/gordo/v0/#k',
      'https://gordo.plant.example/gordo/v0/?',
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKey=k',
      'sb://ns.servicebus.windows.net/',
    ];

    expect(redactConfig({ model_info: { connection_string: shown } })).toEqual({
      model_info: { connection_string: shown },
    });
    for (const value of hidden) {
      expect(redactConfig({ predictor: { connection_string: value } })).toEqual({
        predictor: { connection_string: REDACTED },
      });
    }
    expect(redactConfig({ client_secret: shown })).toEqual({ client_secret: REDACTED });
  });
});

describe('layer merging', () => {
  it('should replace a section whose type the overlay changes instead of merging it', () => {
    const merged = mergeLayers([
      {
        file: 'defaults.yaml',
        raw: { task_queue: { type: 'kafka', topic: 't', brokers: ['a'] }, x: { a: 1 } },
      },
      { file: 'overlay.yaml', raw: { task_queue: { type: 'memory' }, x: { b: 2 } } },
    ]).merged;

    expect(merged).toEqual({ task_queue: { type: 'memory' }, x: { a: 1, b: 2 } });
  });

  it('should merge a section whose type stays the same, lists replaced', () => {
    const merged = mergeLayers([
      {
        file: 'defaults.yaml',
        raw: { task_queue: { type: 'kafka', topic: 't', brokers: ['a', 'b'] } },
      },
      { file: 'overlay.yaml', raw: { task_queue: { type: 'kafka', brokers: ['c'] } } },
    ]).merged;

    expect(merged).toEqual({ task_queue: { type: 'kafka', topic: 't', brokers: ['c'] } });
  });
});
