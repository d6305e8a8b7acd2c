import { describe, expect, it } from 'vitest';

import { createTask, taskId } from '../domain/task.js';
import { decodeTaskMessage, encodeTaskMessage } from './task-message.js';

const FROM = Date.UTC(2024, 0, 1, 8, 0, 0);
const TO = Date.UTC(2024, 0, 1, 8, 30, 0);

function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const project = (overrides['project'] as string | undefined) ?? 'lat-lit';
  const model = (overrides['model'] as string | undefined) ?? 'pump-1';
  return {
    version: 1,
    id: taskId(project, model, { fromMs: FROM, toMs: TO }),
    project,
    model,
    from: '2024-01-01T08:00:00Z',
    to: '2024-01-01T08:30:00Z',
    ...overrides,
  };
}

function reasonOf(value: unknown): string {
  const decoded = decodeTaskMessage(typeof value === 'string' ? value : JSON.stringify(value));
  if (decoded.ok) {
    throw new Error('expected the message to be rejected');
  }
  return decoded.reason;
}

describe('task messages', () => {
  it('round-trips a task through its JSON text', () => {
    const task = createTask('lat-lit', 'pump-1', { fromMs: FROM, toMs: TO });

    const text = encodeTaskMessage(task);

    expect(JSON.parse(text)).toEqual(message());
    expect(decodeTaskMessage(text)).toEqual({ ok: true, task });
  });

  it('carries the domain task id for any names and window', () => {
    for (const [project, model, fromMs, toMs] of [
      ['lat-lit', 'pump-1', FROM, TO],
      [
        'ünïcode project',
        'model with spaces',
        Date.UTC(1999, 11, 31, 23, 59, 59),
        Date.UTC(2000, 0, 1),
      ],
      ['p', 'm', 0, 1_000],
    ] as const) {
      const task = createTask(project, model, { fromMs, toMs });

      expect(decodeTaskMessage(encodeTaskMessage(task))).toEqual({ ok: true, task });
      expect(task.id).toBe(taskId(project, model, { fromMs, toMs }));
    }
  });

  it('rejects text that is not JSON', () => {
    expect(reasonOf('{"version":1,')).toMatch(/^not JSON: /);
  });

  it('rejects JSON that is not an object', () => {
    expect(reasonOf([1, 2])).toBe('the message is not a JSON object');
  });

  it('names every missing field', () => {
    const { model: _model, to: _to, ...rest } = message();

    expect(reasonOf(rest)).toBe('model is missing; to is missing');
  });

  it('names fields of the wrong type and unexpected fields', () => {
    expect(reasonOf(message({ project: 7, extra: true }))).toBe(
      'project must be a string; unexpected field extra',
    );
  });

  it('rejects another version', () => {
    expect(reasonOf(message({ version: 2 }))).toBe('version must be 1');
  });

  it('rejects boundaries with sub-seconds, offsets or no Z', () => {
    expect(reasonOf(message({ from: '2024-01-01T08:00:00.500Z' }))).toMatch(
      /^from "2024-01-01T08:00:00.500Z": expected ISO 8601 UTC with whole seconds/,
    );
    expect(reasonOf(message({ to: '2024-01-01T09:30:00+01:00' }))).toMatch(/^to "/);
    expect(reasonOf(message({ from: '2024-01-01 08:00:00', to: 'soon' }))).toMatch(
      /^from "2024-01-01 08:00:00" and to "soon": /,
    );
  });

  it('rejects impossible calendar dates and times', () => {
    expect(reasonOf(message({ from: '2024-02-30T08:00:00Z' }))).toMatch(/^from "2024-02-30/);
    expect(reasonOf(message({ from: '2023-02-29T08:00:00Z' }))).toMatch(/^from "2023-02-29/);
    expect(reasonOf(message({ from: '2024-01-01T24:00:00Z' }))).toMatch(/^from "2024-01-01T24/);
    expect(reasonOf(message({ from: '2024-01-01T08:00:60Z' }))).toMatch(
      /^from "2024-01-01T08:00:60/,
    );
  });

  it('accepts what the domain parser accepts, such as a leap day', () => {
    const task = createTask('lat-lit', 'pump-1', {
      fromMs: Date.UTC(2024, 1, 29, 23, 30),
      toMs: Date.UTC(2024, 2, 1, 0, 0),
    });

    expect(decodeTaskMessage(encodeTaskMessage(task))).toEqual({ ok: true, task });
  });

  it('rejects an empty or reversed window', () => {
    expect(reasonOf(message({ to: '2024-01-01T08:00:00Z' }))).toBe(
      'the window [2024-01-01T08:00:00Z, 2024-01-01T08:00:00Z) is empty or reversed',
    );
  });

  it('rejects a window before 1970', () => {
    expect(reasonOf(message({ from: '0000-01-01T00:00:00Z', to: '0000-01-01T00:30:00Z' }))).toBe(
      'the window [0000-01-01T00:00:00Z, 0000-01-01T00:30:00Z) starts before 1970, where no slot grid reaches',
    );
  });

  it('rejects a window longer than a year', () => {
    expect(reasonOf(message({ to: '2025-06-01T00:00:00Z' }))).toMatch(/longer than a year$/);
  });

  it('rejects an id that does not match the other fields', () => {
    const other = taskId('lat-lit', 'pump-2', { fromMs: FROM, toMs: TO });

    expect(reasonOf(message({ id: other }))).toMatch(
      /^id "[0-9a-f]{32}" does not match project, model and window \(expected [0-9a-f]{32}\)$/,
    );
  });

  it('rejects empty names and names with control characters', () => {
    expect(reasonOf(message({ project: '' }))).toBe('project must not be empty');
    expect(reasonOf(message({ model: 'pump\n1' }))).toBe(
      'model contains a control or invisible character (U+000A) at character 5',
    );
  });

  it('rejects names that are no single visible URL path segment', () => {
    expect(reasonOf(message({ project: '..' }))).toBe('project must not be ".."');
    expect(reasonOf(message({ model: '.' }))).toBe('model must not be "."');
    expect(reasonOf(message({ model: 'a/b' }))).toBe(
      'model contains the path separator "/" at character 2',
    );
    expect(reasonOf(message({ model: 'm01\u202Etxt.exe' }))).toMatch(/^model contains .*U\+202E/);
    expect(reasonOf(message({ model: 'm01\uD800' }))).toBe(
      'model contains an unpaired surrogate (U+D800) at character 4',
    );
  });

  it('takes names up to 256 characters', () => {
    const longest = 'm'.repeat(256);
    const decoded = decodeTaskMessage(JSON.stringify(message({ model: longest })));

    expect(decoded.ok && decoded.task.model).toBe(longest);
    expect(reasonOf(message({ model: 'm'.repeat(257) }))).toBe(
      'model is longer than 256 characters',
    );
  });

  it('names the field whose type is wrong however the rest looks', () => {
    expect(reasonOf(message({ version: '1' }))).toBe('version must be 1');
    expect(reasonOf(message({ id: 7 }))).toBe('id must be a string');
    expect(reasonOf(message({ from: null }))).toBe('from must be a string');
    expect(reasonOf(message({ to: 1_704_099_600 }))).toBe('to must be a string');
    expect(reasonOf('null')).toBe('the message is not a JSON object');
    expect(reasonOf('"task"')).toBe('the message is not a JSON object');
  });
  it('reads the exact layout the scheduler writes as it reads the same JSON laid out otherwise', () => {
    const scheduled = encodeTaskMessage(
      createTask('lat-lit', 'pump-1', { fromMs: FROM, toMs: TO }),
    );
    const id = taskId('lat-lit', 'pump-1', { fromMs: FROM, toMs: TO });
    const laidOut = (fields: Record<string, unknown>): string =>
      `{"version":${String(fields['version'])},"id":"${String(fields['id'])}","project":"${String(fields['project'])}","model":"${String(fields['model'])}","from":"${String(fields['from'])}","to":"${String(fields['to'])}"}`;
    const texts = [
      scheduled,
      encodeTaskMessage(createTask('ünïcode "quoted" \\ project', 'm', { fromMs: 0, toMs: 1_000 })),
      laidOut(message({ id: id.toUpperCase() })),
      laidOut(message({ id: `${id}\u0001` })),
      laidOut(message({ id: `${id}\n` })),
      laidOut(message({ project: 'pump\t1' })),
      laidOut(message({ model: 'pump\u007f1' })),
      laidOut(message({ model: '..' })),
      laidOut(message({ from: '2024-01-01T08:00:00.000Z' })),
      laidOut(message({ from: '2024-02-30T08:00:00Z' })),
      laidOut(message({ to: '2024-01-01T08:00:00Z' })),
      laidOut(message({ from: '1969-12-31T23:00:00Z', to: '1970-01-01T00:00:00Z' })),
      laidOut(message({ to: '2026-01-01T08:00:00Z' })),
      laidOut(message({ version: 2 })),
      `${scheduled.slice(0, -1)},"extra":1}`,
      `${scheduled} `,
      scheduled.replace('"model":"pump-1"', '"model":"pump-1","model":"pump-2"'),
      scheduled.replace('"pump-1"', '"pump-1\\u0041"'),
      scheduled.slice(0, -2),
      scheduled.replace('"project"', '"projekt"'),
      scheduled.replace('"version":1,"id"', '"id"').replace('}', ',"version":1}'),
    ];
    for (const text of texts) {
      // A space after the brace means the same JSON but leaves the scheduler's layout.
      const general = decodeTaskMessage(`{ ${text.slice(1)}`);
      const decoded = decodeTaskMessage(text);

      if (!general.ok && general.reason.startsWith('not JSON')) {
        expect(decoded.ok ? 'accepted' : decoded.reason, text).toMatch(/^not JSON/);
      } else {
        expect(decoded, text).toEqual(general);
      }
    }
    expect(decodeTaskMessage(scheduled)).toMatchObject({ ok: true });
  });
});
