import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GordoClientPool } from '../../../src/clients/gordo/gordo-client-pool.js';
import { gordoModelFromMetadata } from '../../../src/clients/gordo/model-metadata.js';
import { PredictionCells } from '../../../src/clients/gordo/prediction-table.js';
import {
  metadataBodySchema,
  modelsBodySchema,
  predictionBodySchema,
  revisionGoneBodySchema,
  revisionsBodySchema,
} from '../../../src/clients/gordo/schemas.js';
import { TOTAL_GROUPS } from '../../../src/domain/prediction.js';
import { parsePythonJson } from '../../../src/http/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import {
  REVISION,
  SKAB_TAGS,
  closeStandins,
  gordoSection,
  readFixture,
  startStandin,
} from './gordo-support.js';

const RECORDED_REVISION = '1604861479899';
const RECORDED_MODEL = '07136c88-d39f-41f3-af31-369115a9eb3f-9999';

type Json = Record<string, unknown>;

function recorded(name: string): Json {
  return parsePythonJson(readFixture(name)) as Json;
}

/** Serves the recorded bodies byte for byte on loopback, as the real server answered them. */
async function startRecordedServer(): Promise<{ server: Server; connectionString: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://recorded.invalid');
    const send = (status: number, file: string) => {
      response.writeHead(status, {
        'Content-Type': 'application/json',
        revision: RECORDED_REVISION,
      });
      response.end(readFixture(file));
    };
    request.resume();
    request.on('end', () => {
      if (url.searchParams.get('revision') === 'test') {
        send(410, 'model_no_revision.json');
      } else if (url.pathname.endsWith('/revisions')) {
        send(200, 'revision.json');
      } else if (url.pathname.endsWith('/models')) {
        send(200, 'model.json');
      } else if (url.pathname.endsWith('/metadata')) {
        send(200, 'metadata.json');
      } else if (url.pathname.endsWith('/anomaly/prediction')) {
        send(200, 'anomaly.json');
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, connectionString: `http://127.0.0.1:${port}/gordo/v0/` };
}

describe('the gordo client reads every recorded server body', () => {
  let recordedServer: { server: Server; connectionString: string };

  beforeAll(async () => {
    recordedServer = await startRecordedServer();
  });

  afterAll(async () => {
    await new Promise((resolve) => recordedServer.server.close(resolve));
  });

  function client() {
    return new GordoClientPool(gordoSection(recordedServer), {
      section: 'model_info',
      logger: silentLogger(),
    }).project('ioc-1901');
  }

  it('reads the latest revision from revision.json', async () => {
    await expect(client().latestRevision()).resolves.toBe(RECORDED_REVISION);
  });

  it('reads the model names from model.json', async () => {
    await expect(client().modelNames(RECORDED_REVISION)).resolves.toEqual([RECORDED_MODEL]);
  });

  it('reads tags, training period, resolution and offset from metadata.json', async () => {
    const model = await client().model(RECORDED_MODEL, RECORDED_REVISION);
    expect(model?.tags).toHaveLength(15);
    expect(model?.tags[0]).toEqual({ name: '1901.A-40PST0071.MA_Y' });
    expect(model?.targetTags).toHaveLength(15);
    expect(model?.trainingRange).toEqual({
      fromMs: Date.parse('2020-02-01T00:00:00Z'),
      toMs: Date.parse('2020-08-15T00:00:00Z'),
    });
    expect(model).toMatchObject({
      resolutionMs: 600_000,
      modelOffset: 0,
      aggregation: 'mean',
      interpolation: 'linear_interpolation',
      interpolationLimitMs: 8 * 3_600_000,
      rowFilter: {
        expressions: ['(`1901.A-40FT0075.MA_Y` > 1000.0)'],
        columns: ['1901.A-40FT0075.MA_Y'],
      },
      triggerTags: [],
    });
  });

  it('reads every group and tag of anomaly.json into rows by timestamp', async () => {
    const projectClient = client();
    const model = await projectClient.model(RECORDED_MODEL, RECORDED_REVISION);
    if (model === undefined) {
      throw new Error('the recorded metadata must give a model');
    }
    const answer = await projectClient.predict(model, { X: {}, y: {} });
    expect(answer.endpoint).toBe('anomaly/prediction');
    const cells = new PredictionCells();
    cells.add(answer.body.data, 'anomaly.json');
    const recordedGroups = Object.keys(recorded('anomaly.json')['data'] as Json).length;
    const rows = cells.toRows([], []);
    expect(recordedGroups).toBe(10);
    expect(rows.timesMs).toEqual([Date.parse('2020-03-10T00:00:00Z')]);
    expect(rows.columns).toHaveLength(5 * 32 + TOTAL_GROUPS.length);
    expect(rows.nonFiniteCount).toBe(0);
    expect(answer.body['time-seconds']).toBe('0.8927');
  });

  it('turns the 410 of model_no_revision.json into a retriable revision-gone error', async () => {
    await expect(client().modelNames('test')).rejects.toMatchObject({
      code: 'MODEL_REVISION_GONE',
      retriable: true,
    });
    expect(revisionGoneBodySchema.parse(recorded('model_no_revision.json'))).toEqual({
      error: "Revision 'test' not found.",
      revision: 'test',
    });
  });

  it('validates each recorded body with its schema', () => {
    expect(revisionsBodySchema.safeParse(recorded('revision.json')).success).toBe(true);
    expect(modelsBodySchema.safeParse(recorded('model.json')).success).toBe(true);
    expect(predictionBodySchema.safeParse(recorded('anomaly.json')).success).toBe(true);
    const metadata = metadataBodySchema.parse(recorded('metadata.json'));
    expect(
      gordoModelFromMetadata('ioc-1901', RECORDED_MODEL, RECORDED_REVISION, metadata).name,
    ).toBe(RECORDED_MODEL);
  });
});

/** The JSON type of a value, as a shape comparison sees it. */
function kind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  return typeof value;
}

function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (current, key) =>
      typeof current === 'object' && current !== null ? (current as Json)[key] : undefined,
    value,
  );
}

function keysAt(value: unknown, path: readonly string[]): string[] {
  const found = at(value, path);
  return typeof found === 'object' && found !== null ? Object.keys(found).sort() : [];
}

/** Every key of the recorded object at `path` exists in ours with a value of the same type. */
function expectSameKeysAndTypes(
  ours: unknown,
  recordedBody: unknown,
  path: readonly string[],
  except: readonly string[] = [],
): void {
  const wanted = keysAt(recordedBody, path).filter((key) => !except.includes(key));
  expect(keysAt(ours, path), path.join('.')).toEqual(expect.arrayContaining(wanted));
  for (const key of wanted) {
    const recordedKind = kind(at(recordedBody, [...path, key]));
    const ourKind = kind(at(ours, [...path, key]));
    if (recordedKind !== 'null') {
      expect(ourKind, [...path, key].join('.')).toBe(recordedKind);
    }
  }
}

describe('the gordo stand-in answers in the recorded shapes', () => {
  let base: string;

  beforeAll(async () => {
    const standin = await startStandin();
    base = `${standin.connectionString}skab`;
  });

  afterAll(closeStandins);

  async function get(
    path: string,
  ): Promise<{ status: number; body: Json; text: string; revision: string | null }> {
    const response = await fetch(`${base}${path}`);
    const text = await response.text();
    return {
      status: response.status,
      body: parsePythonJson(text) as Json,
      text,
      revision: response.headers.get('revision'),
    };
  }

  it('shapes /revisions like revision.json', async () => {
    const answer = await get('/revisions');
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(recorded('revision.json')).sort());
    expectSameKeysAndTypes(answer.body, recorded('revision.json'), []);
    expect(answer.body).toEqual({
      'available-revisions': [REVISION],
      latest: REVISION,
      revision: REVISION,
    });
    expect(answer.revision).toBe(REVISION);
  });

  it('shapes /models like model.json', async () => {
    const answer = await get('/models');
    expect(Object.keys(answer.body).sort()).toEqual(Object.keys(recorded('model.json')).sort());
    expect(answer.body).toEqual({ models: ['valve1'], revision: REVISION });
  });

  it('answers an unknown revision with the 410 body of model_no_revision.json', async () => {
    const answer = await get('/models?revision=123');
    expect(answer.status).toBe(410);
    expect(answer.text).toBe('{"error": "Revision \'123\' not found.", "revision": "123"}');
    expect(Object.keys(answer.body)).toEqual(Object.keys(recorded('model_no_revision.json')));
  });

  it('answers a revision that is not digits with 410', async () => {
    const answer = await get('/models?revision=test');
    expect(answer.status).toBe(410);
    expect(answer.body).toEqual({
      error: 'Revision should only contains numbers.',
      revision: 'test',
    });
  });

  it('shapes /metadata like metadata.json', async () => {
    const answer = await get('/valve1/metadata');
    const fixture = recorded('metadata.json');
    expect(answer.status).toBe(200);
    expectSameKeysAndTypes(answer.body, fixture, []);
    expect(keysAt(answer.body, ['metadata'])).toEqual(keysAt(fixture, ['metadata']));
    // low_threshold, high_threshold and tag_normalizer were 0.71.1 dataset keys that 6.x drops.
    expectSameKeysAndTypes(
      answer.body,
      fixture,
      ['metadata', 'dataset'],
      ['low_threshold', 'high_threshold', 'tag_normalizer'],
    );
    expectSameKeysAndTypes(answer.body, fixture, ['metadata', 'metadata']);
    expectSameKeysAndTypes(answer.body, fixture, ['metadata', 'metadata', 'build_metadata']);
    const modelPath = ['metadata', 'metadata', 'build_metadata', 'model'];
    expectSameKeysAndTypes(answer.body, fixture, modelPath);
    expectSameKeysAndTypes(answer.body, fixture, [...modelPath, 'cross_validation']);
    expect(keysAt(answer.body, [...modelPath, 'cross_validation', 'splits'])).toEqual(
      keysAt(fixture, [...modelPath, 'cross_validation', 'splits']),
    );
    // window, smoothing and Keras history belong to the recorded model's estimator only.
    expectSameKeysAndTypes(
      answer.body,
      fixture,
      [...modelPath, 'model_meta'],
      [
        'window',
        'smoothing-method',
        'smooth-feature-thresholds',
        'smooth-aggregate-threshold',
        'smooth-feature-thresholds-per-fold',
        'smooth-aggregate-thresholds-per-fold',
        'history',
      ],
    );
    const datasetPath = ['metadata', 'metadata', 'build_metadata', 'dataset'];
    expectSameKeysAndTypes(answer.body, fixture, datasetPath);
    expectSameKeysAndTypes(answer.body, fixture, [...datasetPath, 'dataset_meta']);
    const loading = [...datasetPath, 'dataset_meta', 'tag_loading_metadata'];
    expectSameKeysAndTypes(answer.body, fixture, [...loading, 'aggregate_metadata']);
    expect(keysAt(answer.body, [...loading, SKAB_TAGS[0] ?? ''])).toEqual(
      keysAt(fixture, [...loading, '1901.A-40FT0075.MA_Y']),
    );
    expect(at(answer.body, [...loading, 'tags', SKAB_TAGS[0] ?? ''])).toEqual({
      name: SKAB_TAGS[0],
      asset: 'SKAB',
    });
    const statistics = [...datasetPath, 'dataset_meta', 'summary_statistics'];
    expect(keysAt(answer.body, [...statistics, SKAB_TAGS[0] ?? ''])).toEqual(
      keysAt(fixture, [...statistics, '1901.A-40FT0075.MA_Y']),
    );
    expect(
      kind(at(answer.body, [...datasetPath, 'dataset_meta', 'x_hist', SKAB_TAGS[0] ?? ''])),
    ).toBe('string');
    expect(at(answer.body, ['metadata', 'dataset', 'resolution'])).toBe('5S');
  });

  it('shapes /anomaly/prediction like anomaly.json', async () => {
    const key = '2020-03-09 10:25:00+00:00';
    const row = (offset: number) =>
      Object.fromEntries(SKAB_TAGS.map((tag, index) => [tag, { [key]: index + offset }]));
    const response = await fetch(
      `${base}/valve1/anomaly/prediction?format=json&revision=${REVISION}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ X: row(1), y: row(1) }),
      },
    );
    const body = parsePythonJson(await response.text()) as Json;
    const fixture = recorded('anomaly.json');
    expect(response.status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(Object.keys(fixture).sort());
    expect(body['time-seconds']).toMatch(/^\d+\.\d{4}$/);
    expect(keysAt(body, ['data'])).toEqual(keysAt(fixture, ['data']));
    for (const group of keysAt(fixture, ['data'])) {
      const recordedNames = keysAt(fixture, ['data', group]);
      const ourNames = keysAt(body, ['data', group]);
      if (recordedNames.length === 1) {
        expect(ourNames, group).toEqual(recordedNames);
      } else {
        expect(ourNames, group).toEqual([...SKAB_TAGS].sort());
      }
      const recordedValue = Object.values(
        at(fixture, ['data', group, recordedNames[0] ?? '']) as Json,
      )[0];
      const ourValue = at(body, ['data', group, ourNames[0] ?? '', key]);
      expect(kind(ourValue), group).toBe(kind(recordedValue));
    }
    expect(at(body, ['data', 'start', 'start', key])).toBe('2020-03-09T10:25:00+00:00');
    expect(at(body, ['data', 'end', 'end', key])).toBe('2020-03-09T10:25:05+00:00');
  });
});
