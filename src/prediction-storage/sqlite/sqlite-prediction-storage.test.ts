import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import { describePredictionStorageContract } from '../../../test/contract/prediction-storage.contract.js';
import type { PredictionData } from '../../domain/prediction.js';
import {
  SqlitePredictionStorage,
  sqlitePredictionStorageSchema,
} from './sqlite-prediction-storage.js';

const folders: string[] = [];

function databasePath(file = 'predictions.sqlite'): string {
  const folder = mkdtempSync(join(tmpdir(), 'latigo-sqlite-'));
  folders.push(folder);
  return join(folder, file);
}

function storage(path = databasePath()): SqlitePredictionStorage {
  return new SqlitePredictionStorage(sqlitePredictionStorageSchema.parse({ type: 'sqlite', path }));
}

function query<Row>(path: string, sql: string): Row[] {
  const database = new Database(path, { readonly: true });
  try {
    return database.prepare(sql).all() as Row[];
  } finally {
    database.close();
  }
}

const T0_MS = Date.UTC(2024, 0, 1);

function prediction(overrides: Partial<PredictionData> = {}): PredictionData {
  return {
    project: 'skab',
    model: 'valve1',
    window: { fromMs: T0_MS, toMs: T0_MS + 20_000 },
    timesMs: [T0_MS, T0_MS + 10_000],
    columns: [
      { group: 'model-input', tag: 'SKAB.Current', values: [1, 2] },
      { group: 'model-output', tag: 'SKAB.Current', values: [1.5, Number.NaN] },
      { group: 'total-anomaly-scaled', values: [0.25, 0.5] },
    ],
    nonFiniteCount: 1,
    ...overrides,
  };
}

afterEach(() => {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

describePredictionStorageContract('sqlite', () => {
  // a folder of its own: the afterEach below would remove it between the suite's tests
  const folder = mkdtempSync(join(tmpdir(), 'latigo-sqlite-contract-'));
  const path = join(folder, 'contract.sqlite');
  const subject = storage(path);
  return Promise.resolve({
    storage: subject,
    readPoints: (name) =>
      Promise.resolve(
        query<{ timeMs: number; value: number }>(
          path,
          `SELECT p.time_ms AS timeMs, p.value AS value FROM points p
           JOIN output_series s ON s.id = p.series_id
           WHERE s.name = '${name.replaceAll("'", "''")}' ORDER BY p.time_ms`,
        ),
      ),
    close: async () => {
      await subject.close();
      rmSync(folder, { recursive: true, force: true });
    },
  });
});

describe('SqlitePredictionStorage', () => {
  it('creates the file and its folder, and says where it is', async () => {
    const path = databasePath(join('nested', 'deeper', 'latigo.sqlite'));
    const subject = storage(path);

    await subject.check();

    expect(subject.location()).toBe(path);
    expect(query(path, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    await subject.close();
  });

  it('names total series after the asset of the first input tag that has one', async () => {
    const subject = storage();

    const stored = await subject.putPrediction(
      prediction({
        inputTags: [{ name: 'SKAB.Current' }, { name: 'SKAB.Voltage', asset: 'PUMP-1' }],
      }),
    );

    expect(stored.series.map((series) => series.name)).toContain(
      'PUMP-1.INDICATOR|valve1|total-anomaly-scaled',
    );
    await subject.close();
  });

  it('names total series after the project when no tag has an asset', async () => {
    const subject = storage();

    const stored = await subject.putPrediction(prediction());

    expect(stored.series.map((series) => series.name)).toEqual([
      'SKAB.Current|valve1|model-output',
      'skab.INDICATOR|valve1|total-anomaly-scaled',
    ]);
    await subject.close();
  });

  it('records each window with its counts, first and last times and write count', async () => {
    const path = databasePath();
    const subject = storage(path);

    await subject.putPrediction(prediction());
    await subject.putPrediction(prediction());

    expect(query(path, 'SELECT * FROM windows')).toEqual([
      {
        project: 'skab',
        model: 'valve1',
        from_ms: T0_MS,
        to_ms: T0_MS + 20_000,
        from_utc: '2024-01-01T00:00:00Z',
        to_utc: '2024-01-01T00:00:20Z',
        row_count: 2,
        point_count: 3,
        skipped_count: 1,
        first_time_ms: T0_MS,
        last_time_ms: T0_MS + 10_000,
        write_count: 2,
        written_at_ms: expect.any(Number) as unknown,
      },
    ]);
    await subject.close();
  });

  it('drops a value that became non-finite when its window is written again', async () => {
    const path = databasePath();
    const subject = storage(path);
    await subject.putPrediction(prediction());

    await subject.putPrediction(
      prediction({
        columns: [{ group: 'total-anomaly-scaled', values: [Number.NaN, 0.75] }],
      }),
    );

    expect(
      query(
        path,
        "SELECT time_utc, value FROM stored_points WHERE output_group = 'total-anomaly-scaled'",
      ),
    ).toEqual([{ time_utc: '2024-01-01T00:00:10Z', value: 0.75 }]);
    await subject.close();
  });

  it('has a default path and busy timeout', () => {
    expect(sqlitePredictionStorageSchema.parse({ type: 'sqlite' })).toEqual({
      type: 'sqlite',
      path: 'latigo-predictions.sqlite',
      busy_timeout: 10_000,
    });
  });
});
