import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

import type { PredictionMetadata } from '../../interfaces/index.js';
import { SqliteMetadataStorage, sqliteMetadataStorageSchema } from './sqlite-metadata-storage.js';

const folders: string[] = [];
const T0_MS = Date.UTC(2024, 0, 1);

function databasePath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'latigo-sqlite-metadata-'));
  folders.push(folder);
  return join(folder, 'latigo.sqlite');
}

function metadata(points = 3): PredictionMetadata {
  return {
    prediction: {
      project: 'skab',
      model: 'valve1',
      window: { fromMs: T0_MS, toMs: T0_MS + 60_000 },
      timesMs: [T0_MS],
      columns: [],
      nonFiniteCount: 0,
    },
    stored: {
      series: [
        {
          group: 'model-output',
          tag: 'A',
          name: 'A|valve1|model-output',
          description: 'Gordo model-output - A',
          id: '7',
          points,
        },
      ],
      rows: 1,
      points,
      skipped: 0,
    },
    model: {
      project: 'skab',
      name: 'valve1',
      tags: [{ name: 'A', asset: 'SKAB' }],
      targetTags: [{ name: 'A', asset: 'SKAB' }],
      trainingRange: { fromMs: T0_MS - 3_600_000, toMs: T0_MS },
      resolutionMs: 5_000,
    },
  };
}

afterEach(() => {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('SqliteMetadataStorage', () => {
  it('keeps one row per window, replaced and counted when written again', async () => {
    const path = databasePath();
    const storage = new SqliteMetadataStorage(
      sqliteMetadataStorageSchema.parse({ type: 'sqlite', path }),
    );

    await storage.putPredictionMetadata(metadata(3));
    await storage.putPredictionMetadata(metadata(4));
    await storage.close();

    const database = new Database(path, { readonly: true });
    const rows = database.prepare('SELECT * FROM prediction_metadata').all();
    database.close();
    expect(rows).toEqual([
      expect.objectContaining({
        project: 'skab',
        model: 'valve1',
        from_utc: '2024-01-01T00:00:00Z',
        to_utc: '2024-01-01T00:01:00Z',
        row_count: 1,
        point_count: 4,
        series_count: 1,
        training_from_ms: T0_MS - 3_600_000,
        training_to_ms: T0_MS,
        resolution_ms: 5_000,
        tags_json: '[{"name":"A","asset":"SKAB"}]',
        series_json:
          '[{"name":"A|valve1|model-output","id":"7","group":"model-output","tag":"A","points":4}]',
        write_count: 2,
      }),
    ]);
  });
});
