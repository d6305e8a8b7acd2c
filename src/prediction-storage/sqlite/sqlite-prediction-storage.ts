import { z } from 'zod';

import {
  isStoredColumn,
  outputSeriesDescription,
  outputSeriesName,
  outputSeriesType,
} from '../../domain/output-series.js';
import type { PredictionData } from '../../domain/prediction.js';
import { formatRange, isoUtc } from '../../domain/time-range.js';
import type {
  PredictionStorageProvider,
  StoredPrediction,
  StoredSeries,
} from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { sqliteFileShape } from '../../sqlite/file-config.js';
import { openDatabase, sqliteError, type SqliteDatabase } from '../../sqlite/open-database.js';

/** The `prediction_storage` section for `type: sqlite`: one embedded database file. */
export const sqlitePredictionStorageSchema = z
  .object({ type: z.literal('sqlite'), ...sqliteFileShape })
  .strict();

export type SqlitePredictionStorageConfig = z.output<typeof sqlitePredictionStorageSchema>;

/**
 * Stores predictions in a SQLite file: one `output_series` row per output series (named
 * `<tag>|<model>|<group>`, see src/domain/output-series.ts), one `points` row per series and time,
 * and one `windows` row per task window. Writing a window again replaces that window's points of
 * the written series, so a re-run never duplicates a value. Non-finite values are skipped and
 * counted. Safe for several processes sharing the file (WAL mode, busy timeout, one immediate
 * transaction per window).
 *
 * The facility part of total series names (`<facility>.INDICATOR`) is the asset of the first
 * input tag that has one, else the project name.
 */
export class SqlitePredictionStorage implements PredictionStorageProvider {
  private readonly database: SqliteDatabase;
  private readonly path: string;
  private readonly statements: ReturnType<typeof prepare>;

  constructor(config: SqlitePredictionStorageConfig) {
    this.database = openDatabase({ path: config.path, busyTimeoutMs: config.busy_timeout });
    this.path = this.database.name;
    this.statements = prepare(this.database);
  }

  location(): string {
    return this.path;
  }

  check(): Promise<void> {
    try {
      this.database.prepare('SELECT count(*) FROM output_series').get();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(sqliteError(error, `cannot read ${this.path}`, this.path));
    }
  }

  putPrediction(prediction: PredictionData): Promise<StoredPrediction> {
    try {
      const write = this.database.transaction(() => this.write(prediction));
      return Promise.resolve(write.immediate());
    } catch (error) {
      return Promise.reject(
        sqliteError(
          error,
          `cannot store ${prediction.project}/${prediction.model} ${formatRange(prediction.window)} in ${this.path}`,
          this.path,
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

  private write(prediction: PredictionData): StoredPrediction {
    const { project, model, window, timesMs } = prediction;
    const facility = prediction.inputTags?.find((tag) => tag.asset !== undefined)?.asset ?? project;
    const series: StoredSeries[] = [];
    let skipped = 0;
    let first: number | undefined;
    let last: number | undefined;

    for (const column of prediction.columns.filter(isStoredColumn)) {
      const name = outputSeriesName(column, model, facility);
      const description = outputSeriesDescription(column);
      const { id } = this.statements.upsertSeries.get({
        project,
        name,
        model,
        group: column.group,
        tag: column.tag ?? null,
        description,
        type: outputSeriesType(column),
      }) as { id: number };
      this.statements.deleteWindowPoints.run({ id, fromMs: window.fromMs, toMs: window.toMs });
      let points = 0;
      column.values.forEach((value, row) => {
        const timeMs = timesMs[row];
        if (timeMs === undefined || !Number.isFinite(value)) {
          skipped += 1;
          return;
        }
        this.statements.upsertPoint.run({ id, timeMs, value });
        points += 1;
        first = first === undefined ? timeMs : Math.min(first, timeMs);
        last = last === undefined ? timeMs : Math.max(last, timeMs);
      });
      series.push({
        group: column.group,
        tag: column.tag,
        name,
        description,
        id: String(id),
        points,
      });
    }

    const points = series.reduce((sum, one) => sum + one.points, 0);
    this.statements.upsertWindow.run({
      project,
      model,
      fromMs: window.fromMs,
      toMs: window.toMs,
      fromUtc: isoUtc(window.fromMs),
      toUtc: isoUtc(window.toMs),
      rows: timesMs.length,
      points,
      skipped,
      firstMs: first ?? null,
      lastMs: last ?? null,
      writtenAtMs: Date.now(),
    });
    return { series, rows: timesMs.length, points, skipped };
  }
}

function prepare(database: SqliteDatabase) {
  return {
    upsertSeries: database.prepare(
      `INSERT INTO output_series (project, name, model, output_group, tag, description, series_type)
       VALUES (@project, @name, @model, @group, @tag, @description, @type)
       ON CONFLICT (project, name) DO UPDATE SET description = excluded.description
       RETURNING id`,
    ),
    deleteWindowPoints: database.prepare(
      'DELETE FROM points WHERE series_id = @id AND time_ms >= @fromMs AND time_ms < @toMs',
    ),
    upsertPoint: database.prepare(
      `INSERT INTO points (series_id, time_ms, value) VALUES (@id, @timeMs, @value)
       ON CONFLICT (series_id, time_ms) DO UPDATE SET value = excluded.value`,
    ),
    upsertWindow: database.prepare(
      `INSERT INTO windows (project, model, from_ms, to_ms, from_utc, to_utc, row_count,
         point_count, skipped_count, first_time_ms, last_time_ms, write_count, written_at_ms)
       VALUES (@project, @model, @fromMs, @toMs, @fromUtc, @toUtc, @rows, @points, @skipped,
         @firstMs, @lastMs, 1, @writtenAtMs)
       ON CONFLICT (project, model, from_ms, to_ms) DO UPDATE SET
         row_count = excluded.row_count, point_count = excluded.point_count,
         skipped_count = excluded.skipped_count, first_time_ms = excluded.first_time_ms,
         last_time_ms = excluded.last_time_ms, write_count = windows.write_count + 1,
         written_at_ms = excluded.written_at_ms`,
    ),
  };
}

/** `prediction_storage.type: sqlite`. */
export const sqlitePredictionStorageFactory: ProviderFactory<
  'prediction_storage',
  typeof sqlitePredictionStorageSchema
> = {
  kind: 'prediction_storage',
  type: 'sqlite',
  schema: sqlitePredictionStorageSchema,
  create: (config) => new SqlitePredictionStorage(config),
};
