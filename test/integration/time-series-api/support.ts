import { afterEach } from 'vitest';

import { timeSeriesApiPredictionStorageFactory } from '../../../src/prediction-storage/time-series-api/time-series-api-prediction-storage-factory.js';
import { timeSeriesApiSensorDataFactory } from '../../../src/sensor-data/time-series-api/time-series-api-sensor-data-factory.js';
import type {
  PredictionStorageProvider,
  SensorDataProvider,
} from '../../../src/interfaces/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import {
  startTimeSeriesApiStandin,
  type TimeSeriesApiStandin,
  type TimeSeriesApiStandinOptions,
} from '../../../src/standins/time-series-api/server.js';
import type { StoredPoint } from '../../../src/standins/time-series-api/store.js';

const running: { close(): Promise<void> }[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((resource) => resource.close()));
});

/** Closes `resource` after the current test. */
export function closeAfterTest<Resource extends { close(): Promise<void> }>(
  resource: Resource,
): Resource {
  running.push(resource);
  return resource;
}

/** A stand-in on a free loopback port, accepting facilities 1903 and SKAB; closed after the test. */
export async function startStandin(
  overrides: Partial<TimeSeriesApiStandinOptions> = {},
): Promise<TimeSeriesApiStandin> {
  return closeAfterTest(
    await startTimeSeriesApiStandin({
      logger: silentLogger(),
      behaviour: { facilities: ['1903', 'SKAB'] },
      ...overrides,
    }),
  );
}

/** Retries without real waiting for backoff (a server's Retry-After still counts, up to 5 s). */
const FAST_HTTP = {
  timeout: '5s',
  retry: { attempts: 3, base_delay: '1ms', max_delay: '5ms', max_retry_after: '5s' },
};

/** A sensor_data provider of type time_series_api built by its factory from a config section. */
export async function sensorDataFor(
  server: TimeSeriesApiStandin,
  section: Record<string, unknown> = {},
): Promise<SensorDataProvider> {
  const config = timeSeriesApiSensorDataFactory.schema.parse({
    type: 'time_series_api',
    base_url: server.apiUrl,
    http: FAST_HTTP,
    ...section,
  });
  return timeSeriesApiSensorDataFactory.create(config, {
    logger: silentLogger(),
    role: 'executor',
    section: 'sensor_data',
  });
}

/** A prediction_storage provider of type time_series_api built by its factory. */
export async function predictionStorageFor(
  server: TimeSeriesApiStandin,
  section: Record<string, unknown> = {},
): Promise<PredictionStorageProvider> {
  const config = timeSeriesApiPredictionStorageFactory.schema.parse({
    type: 'time_series_api',
    base_url: server.apiUrl,
    http: FAST_HTTP,
    ...section,
  });
  return timeSeriesApiPredictionStorageFactory.create(config, {
    logger: silentLogger(),
    role: 'executor',
    section: 'prediction_storage',
  });
}

/** Creates a series straight in the stand-in's database, with points; answers its id. */
export function seedSeries(
  server: TimeSeriesApiStandin,
  name: string,
  facility: string,
  points: readonly StoredPoint[] = [],
): string {
  const id = server.store.create({
    name,
    facility,
    description: null,
    step: false,
    unit: null,
    assetId: null,
    externalId: null,
    source: null,
    metadata: null,
  }).id;
  server.store.upsertPoints([{ id, points }]);
  return id;
}

/** `count` points one `stepMs` apart from `fromMs`, values 0, 1, 2, ... */
export function regularPoints(fromMs: number, count: number, stepMs = 1000): StoredPoint[] {
  return Array.from({ length: count }, (_unused, index) => ({
    timeMs: fromMs + index * stepMs,
    value: index,
    status: 192,
  }));
}

/** Every stored point of the series `name` in `facility`, through the stand-in's database. */
export function storedPoints(
  server: TimeSeriesApiStandin,
  name: string,
  facility: string,
): StoredPoint[] {
  const series = server.store.findExact(name, facility);
  return series === undefined
    ? []
    : server.store.readPoints(series.id, {}, Number.MAX_SAFE_INTEGER);
}

/** The requests the stand-in received, as `METHOD path` lines, optionally filtered. */
export function requestLines(server: TimeSeriesApiStandin, method?: string): string[] {
  return server.requests
    .list()
    .filter((entry) => method === undefined || entry.method === method)
    .map((entry) => `${entry.method} ${entry.path}`);
}

/** Polls `condition` every 20 ms until it holds; fails after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
