import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { gordoSectionSchema, type GordoSection } from '../../../src/clients/gordo/gordo-config.js';
import type { SensorData } from '../../../src/domain/sensor.js';
import type { TimeRange } from '../../../src/domain/time-range.js';
import type {
  ModelInfoProvider,
  PredictionExecutionProvider,
} from '../../../src/interfaces/index.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { waitUntil } from '../../support/wait.js';
import { gordoModelInfoFactory } from '../../../src/model-info/gordo/gordo-model-info-factory.js';
import { gordoPredictionExecutionFactory } from '../../../src/prediction-execution/gordo/gordo-prediction-execution-factory.js';
import { parseSensorCsv } from '../../../src/sensor-data/csv/parse-csv.js';
import {
  startGordoStandin,
  type GordoStandin,
  type GordoStandinOptions,
} from '../../../src/standins/gordo/gordo-standin.js';
import {
  parseGordoStandinConfig,
  type LoadedStandinConfig,
} from '../../../src/standins/gordo/standin-config.js';
import { packageRoot } from '../../../src/util/package-root.js';

export const ROOT = packageRoot();
export const SKAB_CSV = join(ROOT, 'deploy', 'samples', 'skab', 'valve1-0.csv');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'gordo-recorded');
export const REVISION = '1583749274000';
export const SECOND = 1000;

export const SKAB_COLUMNS: Readonly<Record<string, string>> = {
  Accelerometer1RMS: 'SKAB.Accelerometer1RMS',
  Accelerometer2RMS: 'SKAB.Accelerometer2RMS',
  Current: 'SKAB.Current',
  Pressure: 'SKAB.Pressure',
  Temperature: 'SKAB.Temperature',
  Thermocouple: 'SKAB.Thermocouple',
  Voltage: 'SKAB.Voltage',
  'Volume Flow RateRMS': 'SKAB.VolumeFlowRateRMS',
};
export const SKAB_TAGS = Object.values(SKAB_COLUMNS);

/** One model definition of the stand-in config, SKAB valve1 at 5 s, with overrides. */
export function valveModel(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: 'skab',
    tags: SKAB_TAGS,
    asset: 'SKAB',
    train_start: '2020-03-09T10:14:33Z',
    train_end: '2020-03-09T10:21:31Z',
    resolution: '5S',
    ...overrides,
  };
}

/** A stand-in config: project `skab` with the given revisions (default: valve1 at REVISION). */
export function standinConfig(
  revisions: Record<string, Record<string, unknown>> = { [REVISION]: { valve1: valveModel() } },
  project: Record<string, unknown> = {},
): LoadedStandinConfig {
  const config = parseGordoStandinConfig(
    {
      sources: { skab: { file: SKAB_CSV, delimiter: ';', columns: SKAB_COLUMNS } },
      projects: { skab: { revisions, ...project } },
    },
    'test config',
  );
  return { config, baseDir: ROOT };
}

const running: GordoStandin[] = [];
const proxies: Server[] = [];

export async function startStandin(
  config: LoadedStandinConfig = standinConfig(),
  options: Partial<GordoStandinOptions> = {},
): Promise<GordoStandin> {
  const standin = await startGordoStandin({ config, logger: silentLogger(), ...options });
  running.push(standin);
  return standin;
}

export async function closeStandins(): Promise<void> {
  await Promise.all([
    ...running.splice(0).map((standin) => standin.close()),
    ...proxies
      .splice(0)
      .map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  ]);
}

/** A request that passed a recording proxy, with its body as sent. */
export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/**
 * A loopback proxy in front of a stand-in that keeps every request body, so a test can see
 * exactly what the client sent. Closed by `closeStandins`.
 */
export async function startRecordingProxy(
  standin: GordoStandin,
): Promise<{ connectionString: string; requests: ProxiedRequest[] }> {
  const requests: ProxiedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      requests.push({ method: request.method ?? 'GET', path, body });
      const method = request.method ?? 'GET';
      fetch(`${standin.url}${path}`, {
        method,
        headers: { 'Content-Type': request.headers['content-type'] ?? 'application/json' },
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      })
        .then(async (answer) => {
          const headers: Record<string, string> = {
            'Content-Type': answer.headers.get('content-type') ?? 'application/json',
          };
          const revision = answer.headers.get('revision');
          if (revision !== null) {
            headers['revision'] = revision;
          }
          response.writeHead(answer.status, headers).end(await answer.text());
        })
        .catch(() => response.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxies.push(server);
  const { port } = server.address() as AddressInfo;
  return { connectionString: `http://127.0.0.1:${port}/gordo/v0/`, requests };
}

/** A validated `model_info`/`predictor` section for a stand-in, fast retries. */
export function gordoSection(
  standin: { connectionString: string },
  overrides: Record<string, unknown> = {},
): GordoSection {
  return gordoSectionSchema.parse({
    type: 'gordo',
    connection_string: standin.connectionString,
    http: { timeout: '5s', retry: { base_delay: '10ms', max_delay: '50ms', jitter: 0 } },
    ...overrides,
  });
}

export async function modelInfoFor(section: GordoSection): Promise<ModelInfoProvider> {
  return gordoModelInfoFactory.create(section, {
    logger: silentLogger(),
    role: 'executor',
    section: 'model_info',
  });
}

export async function predictorFor(section: GordoSection): Promise<PredictionExecutionProvider> {
  return gordoPredictionExecutionFactory.create(section, {
    logger: silentLogger(),
    role: 'executor',
    section: 'predictor',
  });
}

/** The SKAB sample's points of every tag inside `[fromMs, toMs)`, as a sensor data provider gives them. */
export function skabSensorData(range: TimeRange, tags: readonly string[] = SKAB_TAGS): SensorData {
  const csv = parseSensorCsv(readFileSync(SKAB_CSV, 'utf8'), {
    file: SKAB_CSV,
    delimiter: ';',
    timestampColumn: 'datetime',
    columns: SKAB_COLUMNS,
  });
  return {
    range,
    series: tags.map((tag) => {
      const values = csv.values[csv.tags.indexOf(tag)] ?? [];
      const rows = csv.timesMs
        .map((timeMs, row) => ({ timeMs, value: values[row] ?? Number.NaN }))
        .filter(({ timeMs }) => timeMs >= range.fromMs && timeMs < range.toMs);
      return {
        tag: { name: tag, asset: 'SKAB' },
        timesMs: rows.map(({ timeMs }) => timeMs),
        values: rows.map(({ value }) => value),
      };
    }),
  };
}

export function readFixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Polls `condition` every 20 ms until it holds or `timeoutMs` passes. */
export function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  return waitUntil('the condition', condition, { timeoutMs, intervalMs: 20 });
}
