import { z } from 'zod';

import { formatRange, isoUtc } from '../../domain/time-range.js';
import type { PredictionMetadata, PredictionMetadataStorage } from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { sqliteFileShape } from '../../sqlite/file-config.js';
import { openDatabase, sqliteError, type SqliteDatabase } from '../../sqlite/open-database.js';

/** The `prediction_metadata_storage` section for `type: sqlite`. */
export const sqliteMetadataStorageSchema = z
  .object({ type: z.literal('sqlite'), ...sqliteFileShape })
  .strict();

export type SqliteMetadataStorageConfig = z.output<typeof sqliteMetadataStorageSchema>;

/**
 * Records the metadata of each stored window in the `prediction_metadata` table of a SQLite
 * file: one row per project, model and window, replaced when the window is stored again (its
 * `write_count` goes up).
 */
export class SqliteMetadataStorage implements PredictionMetadataStorage {
  private readonly database: SqliteDatabase;
  private readonly upsert: ReturnType<SqliteDatabase['prepare']>;

  constructor(config: SqliteMetadataStorageConfig) {
    this.database = openDatabase({ path: config.path, busyTimeoutMs: config.busy_timeout });
    this.upsert = this.database.prepare(UPSERT_METADATA);
  }

  putPredictionMetadata(metadata: PredictionMetadata): Promise<void> {
    const { prediction, stored, model } = metadata;
    const { window } = prediction;
    try {
      this.upsert.run({
        project: prediction.project,
        model: prediction.model,
        fromMs: window.fromMs,
        toMs: window.toMs,
        fromUtc: isoUtc(window.fromMs),
        toUtc: isoUtc(window.toMs),
        revision: prediction.revision ?? model?.revision ?? null,
        rows: stored.rows,
        points: stored.points,
        skipped: stored.skipped,
        seriesCount: stored.series.length,
        trainingFromMs: model?.trainingRange?.fromMs ?? null,
        trainingToMs: model?.trainingRange?.toMs ?? null,
        resolutionMs: model?.resolutionMs ?? null,
        tags: JSON.stringify(model?.tags ?? []),
        series: JSON.stringify(
          stored.series.map(({ name, id, group, tag, points }) => ({
            name,
            id,
            group,
            tag,
            points,
          })),
        ),
        inputSeriesIds:
          stored.inputSeriesIds === undefined ? null : JSON.stringify(stored.inputSeriesIds),
        recordedAtMs: Date.now(),
      });
      return Promise.resolve();
    } catch (error) {
      const path = this.database.name;
      return Promise.reject(
        sqliteError(
          error,
          `cannot record metadata of ${prediction.project}/${prediction.model} ${formatRange(window)} in ${path}`,
          path,
        ),
      );
    }
  }

  close(): Promise<void> {
    if (this.database.open) {
      this.database.close();
    }
    return Promise.resolve();
  }
}

const UPSERT_METADATA = `INSERT INTO prediction_metadata (project, model, from_ms, to_ms, from_utc,
    to_utc, revision, row_count, point_count, skipped_count, series_count, training_from_ms,
    training_to_ms, resolution_ms, tags_json, series_json, input_series_ids_json, write_count,
    recorded_at_ms)
  VALUES (@project, @model, @fromMs, @toMs, @fromUtc, @toUtc, @revision, @rows, @points, @skipped,
    @seriesCount, @trainingFromMs, @trainingToMs, @resolutionMs, @tags, @series, @inputSeriesIds, 1,
    @recordedAtMs)
  ON CONFLICT (project, model, from_ms, to_ms) DO UPDATE SET
    revision = excluded.revision, row_count = excluded.row_count,
    point_count = excluded.point_count, skipped_count = excluded.skipped_count,
    series_count = excluded.series_count, training_from_ms = excluded.training_from_ms,
    training_to_ms = excluded.training_to_ms, resolution_ms = excluded.resolution_ms,
    tags_json = excluded.tags_json, series_json = excluded.series_json,
    input_series_ids_json = excluded.input_series_ids_json,
    write_count = prediction_metadata.write_count + 1, recorded_at_ms = excluded.recorded_at_ms`;

/** `prediction_metadata_storage.type: sqlite`. */
export const sqliteMetadataStorageFactory: ProviderFactory<
  'prediction_metadata_storage',
  typeof sqliteMetadataStorageSchema
> = {
  kind: 'prediction_metadata_storage',
  type: 'sqlite',
  schema: sqliteMetadataStorageSchema,
  create: (config) => new SqliteMetadataStorage(config),
};
