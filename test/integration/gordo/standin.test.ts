import { PassThrough } from 'node:stream';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { AnomalyModel } from '../../../src/anomaly/index.js';
import { parsePythonJson } from '../../../src/http/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { gordoStandinCommand } from '../../../src/standins/gordo/command.js';
import { loadGordoStandinConfig } from '../../../src/standins/gordo/standin-config.js';
import {
  REVISION,
  ROOT,
  SKAB_TAGS,
  closeStandins,
  standinConfig,
  startStandin,
  valveModel,
  waitFor,
} from './gordo-support.js';

afterEach(closeStandins);

const KEYS = [
  '2020-03-09 10:25:00+00:00',
  '2020-03-09 10:25:05+00:00',
  '2020-03-09 10:25:10+00:00',
];

/** X (and y) for three rows of the eight SKAB tags, column-oriented as gordo-client sends. */
function table(tags: readonly string[] = SKAB_TAGS): Record<string, Record<string, number>> {
  return Object.fromEntries(
    tags.map((tag, column) => [
      tag,
      Object.fromEntries(KEYS.map((key, row) => [key, column + row / 10])),
    ]),
  );
}

async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'Content-Type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = parsePythonJson(text) as Record<string, unknown>;
  } catch {
    // an HTML or empty answer
  }
  return { status: response.status, text, json, headers: response.headers };
}

describe('the gordo stand-in', () => {
  it('serves health and version outside the project paths', async () => {
    const standin = await startStandin();

    expect((await call(`${standin.url}/healthcheck`)).status).toBe(200);
    expect((await call(`${standin.url}/server-version`)).json).toEqual({
      version: '6.0.4',
      revision: REVISION,
    });
  });

  it('answers the revision used in a header, the query winning over the header', async () => {
    const standin = await startStandin(
      standinConfig({ [REVISION]: { valve1: valveModel() }, '1': { valve1: valveModel() } }),
    );
    const base = `${standin.connectionString}skab`;

    expect((await call(`${base}/models`)).headers.get('revision')).toBe(REVISION);
    expect((await call(`${base}/models`, { headers: { revision: '1' } })).json['revision']).toBe(
      '1',
    );
    const both = await call(`${base}/models?revision=${REVISION}`, { headers: { revision: '1' } });
    expect(both.json['revision']).toBe(REVISION);
    expect(both.headers.get('server-timing')).toMatch(/^request_walltime_s;dur=\d+\.\d+$/);
  });

  it('answers unknown models with 404 and bad names with 422, both as HTML', async () => {
    const standin = await startStandin();
    const base = `${standin.connectionString}skab`;

    const missing = await call(`${base}/valve9/metadata`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/text\/html/);
    expect(missing.text).toContain("No metadata found for 'valve9'");
    expect(missing.headers.get('revision')).toBe(REVISION);
    const noModel = await call(`${base}/valve9/anomaly/prediction`, {
      body: { X: table(), y: table() },
    });
    expect(noModel.text).toContain("No such model found: 'valve9'");
    const badName = await call(`${base}/_x/metadata`);
    expect(badName.status).toBe(422);
    expect(badName.text).toContain('gordo_name field has wrong format');
  });

  it('answers 400 with the server messages for unusable input', async () => {
    const standin = await startStandin();
    const anomaly = `${standin.connectionString}skab/valve1/anomaly/prediction`;

    expect((await call(anomaly, { body: {} })).json).toEqual({
      message: 'Cannot predict without "X"',
      revision: REVISION,
    });
    expect((await call(anomaly, { body: { X: table() } })).json['message']).toBe(
      "Cannot perform anomaly without 'y' to compare against.",
    );
    const wrong = await call(anomaly, { body: { X: table(['a', 'b']), y: table() } });
    expect(wrong.status).toBe(400);
    expect(wrong.json['message']).toMatch(
      /^Unexpected features: was expecting \['SKAB.Accelerometer1RMS'.* length of 8, but got \['a', 'b'\] length of 2$/,
    );
    expect(
      (await call(`${anomaly}?format=parquet`, { body: { X: table(), y: table() } })).status,
    ).toBe(400);
  });

  it('answers the plain endpoint without y, end labels or time-seconds', async () => {
    const standin = await startStandin();

    const answer = await call(`${standin.connectionString}skab/valve1/prediction`, {
      body: { X: table() },
    });

    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json).sort()).toEqual(['data', 'revision']);
    const data = answer.json['data'] as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(data).sort()).toEqual(['end', 'model-input', 'model-output', 'start']);
    expect(data['end']?.['end']?.[KEYS[0] ?? '']).toBeNull();
    expect(data['start']?.['start']?.[KEYS[0] ?? '']).toBe('2020-03-09T10:25:00+00:00');
  });

  it('numbers the rows of a posted list of rows and gives them no times', async () => {
    const standin = await startStandin();
    const rows = [SKAB_TAGS.map((_tag, index) => index), SKAB_TAGS.map((_tag, index) => index + 1)];

    const answer = await call(`${standin.connectionString}skab/valve1/anomaly/prediction`, {
      body: { X: rows, y: rows },
    });

    const data = answer.json['data'] as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(data['model-output']?.[SKAB_TAGS[0] ?? ''] ?? {})).toEqual(['0', '1']);
    expect(data['start']?.['start']?.['0']).toBeNull();
  });

  it('writes NaN tokens in the smoothing groups when asked for all columns', async () => {
    const standin = await startStandin(
      standinConfig({ [REVISION]: { valve1: valveModel({ smoothing_window: 2 }) } }),
    );
    const anomaly = `${standin.connectionString}skab/valve1/anomaly/prediction`;

    const plain = await call(anomaly, { body: { X: table(), y: table() } });
    const all = await call(`${anomaly}?all_columns=true`, { body: { X: table(), y: table() } });

    expect(Object.keys(plain.json['data'] as object)).not.toContain('smooth-total-anomaly-scaled');
    const smooth = (all.json['data'] as Record<string, Record<string, Record<string, number>>>)[
      'smooth-total-anomaly-scaled'
    ]?.['smooth-total-anomaly-scaled'];
    expect(smooth?.[KEYS[0] ?? '']).toBeNaN();
    expect(Number.isFinite(smooth?.[KEYS[1] ?? ''])).toBe(true);
    expect(all.text).toContain(': NaN');
  });

  it('answers 422 JSON for a model whose anomaly endpoint is switched off', async () => {
    const standin = await startStandin(
      standinConfig({ [REVISION]: { valve1: valveModel({ anomaly_endpoint: false }) } }),
    );

    const answer = await call(`${standin.connectionString}skab/valve1/anomaly/prediction`, {
      body: { X: table(), y: table() },
    });

    expect(answer.status).toBe(422);
    expect(answer.json['message']).toMatch(/^Model is not an AnomalyDetector/);
  });

  it('hands out the model itself as its download', async () => {
    const standin = await startStandin();

    const answer = await call(`${standin.connectionString}skab/valve1/download-model`);

    expect(answer.headers.get('content-type')).toBe('application/octet-stream');
    expect(AnomalyModel.fromJSON(JSON.parse(answer.text)).tags).toEqual(SKAB_TAGS);
  });

  it('deletes a model of an old revision but never of the current one', async () => {
    const standin = await startStandin(
      standinConfig({ [REVISION]: { valve1: valveModel() }, '1': { valve1: valveModel() } }),
    );
    const base = `${standin.connectionString}skab/valve1/revision`;

    expect((await call(`${base}/abc`, { method: 'DELETE' })).status).toBe(422);
    expect((await call(`${base}/${REVISION}`, { method: 'DELETE' })).status).toBe(409);
    expect((await call(`${base}/2`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(`${base}/1`, { method: 'DELETE' })).json).toEqual({
      ok: true,
      revision: REVISION,
    });
    expect(
      (await call(`${standin.connectionString}skab/revisions`)).json['available-revisions'],
    ).toEqual([REVISION]);
  });

  it('switches the current revision and the anomaly endpoint through its controls', async () => {
    const standin = await startStandin(
      standinConfig({ [REVISION]: { valve1: valveModel() }, '1': { valve1: valveModel() } }),
    );

    const switched = await call(`${standin.url}/_control/gordo/current-revision`, {
      body: { project: 'skab', revision: '1' },
    });
    const refused = await call(`${standin.url}/_control/gordo/anomaly-endpoint`, {
      body: { project: 'skab', model: 'valve1', enabled: false },
    });
    const unknown = await call(`${standin.url}/_control/gordo/current-revision`, {
      body: { project: 'skab', revision: '9' },
    });

    expect(switched.status).toBe(200);
    expect((await call(`${standin.connectionString}skab/revisions`)).json['latest']).toBe('1');
    expect(refused.json['anomaly_endpoint_refused']).toEqual(['skab/1/valve1']);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.json)).toContain('has no revision 9');
  });

  it('refuses a config naming a tag its source does not have', async () => {
    await expect(
      startStandin(standinConfig({ [REVISION]: { valve1: valveModel({ tags: ['SKAB.Nope'] }) } })),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining(
        'projects.skab.revisions.1583749274000.valve1: tag "SKAB.Nope"',
      ) as string,
    });
    expect(() =>
      standinConfig({ [REVISION]: { valve1: valveModel({ source: 'other' }) } }),
    ).toThrow(/valve1.source: no source named "other"/);
  });

  it('serves a row filter and describes its trigger tags in the metadata', async () => {
    const tags = SKAB_TAGS.slice(0, 2);
    const standin = await startStandin(
      standinConfig({
        [REVISION]: { valve1: valveModel({ tags, row_filter: '`SKAB.Pressure` > 0.1' }) },
      }),
    );

    const metadata = (await call(`${standin.connectionString}skab/valve1/metadata`)).json;

    const machine = metadata['metadata'] as Record<string, Record<string, unknown>>;
    expect(machine['dataset']?.['row_filter']).toBe('`SKAB.Pressure` > 0.1');
    expect(JSON.stringify(machine['metadata'])).toContain(
      '"tags":{"SKAB.Accelerometer1RMS":{"asset":"SKAB","name":"SKAB.Accelerometer1RMS"},"SKAB.Accelerometer2RMS":{"asset":"SKAB","name":"SKAB.Accelerometer2RMS"},"SKAB.Pressure":{"asset":"SKAB","name":"SKAB.Pressure"}}',
    );
  });

  it('refuses a config whose row filter Latigo cannot read', () => {
    expect(() =>
      standinConfig({
        [REVISION]: { valve1: valveModel({ row_filter: ["`SKAB.Pressure` > 'x'"] }) },
      }),
    ).toThrow(
      /valve1\.row_filter\.0: "`SKAB.Pressure` > 'x'": string literals are not supported; quote column names with backticks \(at character 19\)/,
    );
  });

  it('serves the shipped SKAB config', async () => {
    const standin = await startStandin(
      loadGordoStandinConfig(join(ROOT, 'deploy', 'standins', 'gordo.yaml')),
    );

    expect((await call(`${standin.connectionString}skab/models`)).json['models']).toEqual([
      'valve1',
    ]);
  });

  it('runs as the gordo command until it is stopped', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const stop = new AbortController();
    const context = { logger: silentLogger(), signal: stop.signal, out, environment: {} };

    const running = gordoStandinCommand.run(['--port', '0', '--no-auth'], context);
    await waitFor(() => printed.includes('connection_string'), 20_000);
    const url = /connection_string: (\S+)/.exec(printed)?.[1] ?? '';
    const models = await call(`${url}skab/models`);
    stop.abort();

    expect(models.json['models']).toEqual(['valve1']);
    await expect(running).resolves.toBe(0);
    expect(await gordoStandinCommand.run(['--help'], context)).toBe(0);
    expect(printed).toContain('Usage: latigo standin gordo');
  });
});
