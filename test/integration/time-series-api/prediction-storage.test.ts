import { describe, expect, it } from 'vitest';

import { SeriesDirectory } from '../../../src/clients/time-series-api/series-directory.js';
import { TimeSeriesApiClient } from '../../../src/clients/time-series-api/time-series-api-client.js';
import type { NewSeries, SeriesRecord } from '../../../src/clients/time-series-api/wire.js';
import type { PredictionColumn, PredictionData } from '../../../src/domain/prediction.js';
import { DEFAULT_RETRY_POLICY, HttpClient } from '../../../src/http/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { TimeSeriesApiPredictionStorage } from '../../../src/prediction-storage/time-series-api/time-series-api-prediction-storage.js';
import type { TimeSeriesApiStandin } from '../../../src/standins/time-series-api/server.js';
import {
  predictionStorageFor,
  requestLines,
  seedSeries,
  startStandin,
  storedPoints,
} from './support.js';

const T0 = Date.parse('2020-05-30T10:10:00Z');
const STEP = 10_000;

/** A two-row prediction of model m1 on tags 1903.R1 and 1903.R2, with overrides. */
function prediction(overrides: Partial<PredictionData> = {}): PredictionData {
  const columns: PredictionColumn[] = [
    { group: 'model-input', tag: '1903.R1', values: [1, 2] },
    { group: 'model-input', tag: '1903.R2', values: [3, 4] },
    { group: 'model-output', tag: '1903.R1', values: [1.5, 2.5] },
    { group: 'model-output', tag: '1903.R2', values: [3.5, Number.NaN] },
    { group: 'total-anomaly-confidence', values: [0.25, 0.75] },
  ];
  return {
    project: 'ioc-1903',
    model: 'm1',
    window: { fromMs: T0, toMs: T0 + 2 * STEP },
    timesMs: [T0, T0 + STEP],
    columns,
    nonFiniteCount: 1,
    ...overrides,
  };
}

/** A stand-in holding the input series 1903.R1 and 1903.R2 in facility 1903. */
async function standinWithInputs(): Promise<{ server: TimeSeriesApiStandin; inputIds: string[] }> {
  const server = await startStandin();
  const inputIds = [seedSeries(server, '1903.R1', '1903'), seedSeries(server, '1903.R2', '1903')];
  return { server, inputIds };
}

describe('time_series_api prediction storage', () => {
  it('names, describes and places the output series as the original did', async () => {
    const { server, inputIds } = await standinWithInputs();
    const storage = await predictionStorageFor(server);

    const stored = await storage.putPrediction(prediction());

    expect(stored.series.map(({ name, description }) => ({ name, description }))).toEqual([
      { name: '1903.R1|m1|model-output', description: 'Gordo model-output - 1903.R1' },
      { name: '1903.R2|m1|model-output', description: 'Gordo model-output - 1903.R2' },
      {
        name: '1903.INDICATOR|m1|total-anomaly-confidence',
        description: 'Gordo total-anomaly-confidence - ',
      },
    ]);
    expect(server.store.findExact('1903.R1|m1|model-output', '1903')).toMatchObject({
      step: true,
      unit: '',
      externalId: '',
      facility: '1903',
    });
    expect(stored.inputSeriesIds).toEqual({ '1903.R1': inputIds[0], '1903.R2': inputIds[1] });
    expect(stored).toMatchObject({ rows: 2, points: 5, skipped: 1 });
  });

  it('writes each point with status 192 unless configured otherwise', async () => {
    const { server } = await standinWithInputs();
    const good = await predictionStorageFor(server);
    const original = await predictionStorageFor(server, { status: 0 });

    await good.putPrediction(prediction());
    const first = storedPoints(server, '1903.R1|m1|model-output', '1903');
    await original.putPrediction(prediction());
    const second = storedPoints(server, '1903.R1|m1|model-output', '1903');

    expect(first.map((point) => point.status)).toEqual([192, 192]);
    expect(second).toEqual([
      { timeMs: T0, value: 1.5, status: 0 },
      { timeMs: T0 + STEP, value: 2.5, status: 0 },
    ]);
  });

  it('writes in requests of at most points_per_write points', async () => {
    const { server } = await standinWithInputs();
    const storage = await predictionStorageFor(server, { points_per_write: 2 });

    await storage.putPrediction(prediction());

    expect(requestLines(server, 'POST').filter((line) => line === 'POST /data')).toHaveLength(3);
    expect(storedPoints(server, '1903.R2|m1|model-output', '1903')).toHaveLength(1);
    expect(storedPoints(server, '1903.INDICATOR|m1|total-anomaly-confidence', '1903')).toHaveLength(
      2,
    );
  });

  it('looks everything up and creates the series before writing any point', async () => {
    const { server } = await standinWithInputs();
    const storage = await predictionStorageFor(server);

    await storage.putPrediction(prediction());

    const lines = requestLines(server);
    const firstCreate = lines.indexOf('POST /');
    expect(lines.slice(0, firstCreate).every((line) => line.startsWith('GET '))).toBe(true);
    expect(
      lines.slice(firstCreate, -1).every((line) => line === 'POST /' || line.startsWith('GET ')),
    ).toBe(true);
    expect(lines.at(-1)).toBe('POST /data');
  });

  it('writes nothing when the facility of the first tag cannot be found', async () => {
    const server = await startStandin();
    const storage = await predictionStorageFor(server);

    await expect(storage.putPrediction(prediction())).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining(
        'tag "1903.R1" is not in the time series API, so the facility of the output series of model "m1" of project "ioc-1903", window [2020-05-30T10:10:00Z, 2020-05-30T10:10:20Z) is unknown; set prediction_storage.facility',
      ) as unknown,
    });
    expect(requestLines(server, 'POST')).toEqual([]);
  });

  it('stores in the configured facility without looking up a tag', async () => {
    const server = await startStandin();
    const storage = await predictionStorageFor(server, { facility: 'SKAB' });

    const stored = await storage.putPrediction(prediction());

    expect(stored.series[2]?.name).toBe('SKAB.INDICATOR|m1|total-anomaly-confidence');
    expect(stored.inputSeriesIds).toEqual({ '1903.R1': undefined, '1903.R2': undefined });
    expect(storedPoints(server, '1903.R1|m1|model-output', 'SKAB')).toHaveLength(2);
  });

  it('uses the series another writer created meanwhile when the create answers 409', async () => {
    const { server } = await standinWithInputs();
    const storage = racingStorage(server);

    const stored = await storage.putPrediction(prediction());

    const conflicts = server.requests.list().filter((entry) => entry.status === 409);
    expect(conflicts).toHaveLength(3);
    expect(server.store.list({ name: '1903.R1|m1|model-output' }, 0, 10)).toHaveLength(1);
    expect(stored.series[0]?.id).toBe(
      server.store.findExact('1903.R1|m1|model-output', '1903')?.id,
    );
    expect(storedPoints(server, '1903.R1|m1|model-output', '1903')).toHaveLength(2);
  });

  it('fails without writing points when a 409 is not followed by a series to use', async () => {
    const { server } = await standinWithInputs();
    const storage = await predictionStorageFor(server);
    server.faults.add([{ type: 'status', status: 409, method: 'POST', path: '/', times: 1 }]);

    await expect(storage.putPrediction(prediction())).rejects.toMatchObject({
      code: 'STORAGE_FAILED',
      message: expect.stringContaining(
        '(409), but no series of that name is found there',
      ) as unknown,
    });
    expect(requestLines(server, 'POST')).not.toContain('POST /data');
  });

  it('retries a failed write and stores each value once', async () => {
    const { server } = await standinWithInputs();
    const storage = await predictionStorageFor(server);
    server.faults.add([{ type: 'status', status: 503, path: '/data', times: 1 }]);

    await storage.putPrediction(prediction());

    expect(requestLines(server, 'POST').filter((line) => line === 'POST /data')).toHaveLength(2);
    expect(storedPoints(server, '1903.R1|m1|model-output', '1903')).toHaveLength(2);
  });

  it('fails clearly when the write is answered by a sign-in page', async () => {
    const { server } = await standinWithInputs();
    const storage = await predictionStorageFor(server);
    server.faults.add([
      { type: 'status', status: 200, body: '<!DOCTYPE html><title>Sign in</title>', path: '/data' },
    ]);

    await expect(storage.putPrediction(prediction())).rejects.toMatchObject({
      code: 'HTTP_BAD_RESPONSE',
      message: expect.stringContaining('POST') as unknown,
    });
  });

  it('sends the async flag with every write', async () => {
    const { server } = await standinWithInputs();
    const storage = await predictionStorageFor(server, { async: true });

    await storage.putPrediction(prediction());

    const write = server.requests.list().find((entry) => entry.path === '/data');
    expect(write).toMatchObject({ query: 'async=true', status: 202 });
  });
});

/**
 * A storage whose client loses every create race: just before it creates a series, another
 * writer creates the same one through the API.
 */
function racingStorage(server: TimeSeriesApiStandin): TimeSeriesApiPredictionStorage {
  const logger = silentLogger();
  const http = new HttpClient({
    service: 'time-series-api',
    baseUrl: server.apiUrl,
    timeoutMs: 5000,
    retry: { ...DEFAULT_RETRY_POLICY, attempts: 1 },
    logger,
  });
  class RacingClient extends TimeSeriesApiClient {
    override async create(series: NewSeries, signal?: AbortSignal): Promise<SeriesRecord> {
      const other = await fetch(server.apiUrl, {
        method: 'POST',
        body: JSON.stringify(series),
        headers: { 'Content-Type': 'application/json' },
      });
      expect(other.status).toBe(200);
      return super.create(series, signal);
    }
  }
  const client = new RacingClient({
    http,
    pageLimit: 1000,
    idsPerRead: 100,
    pointsPerWrite: 1000,
    asyncWrites: false,
    logger,
  });
  return new TimeSeriesApiPredictionStorage({
    client,
    directory: new SeriesDirectory({ client, cacheTtlMs: 60_000, logger }),
    status: 192,
    lookupParallelism: 4,
    section: 'prediction_storage',
    logger,
  });
}
