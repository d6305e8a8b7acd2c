import { randomUUID } from 'node:crypto';

import Database from 'better-sqlite3';

/** A time series record as the stand-in keeps it. Times in epoch ms. */
export interface SeriesRow {
  readonly id: string;
  readonly name: string;
  readonly facility: string | null;
  readonly description: string | null;
  readonly step: boolean;
  readonly unit: string | null;
  readonly assetId: string | null;
  readonly externalId: string | null;
  readonly source: string | null;
  readonly metadata: Readonly<Record<string, unknown>> | null;
  readonly createdMs: number;
  readonly changedMs: number;
}

/** The writable fields of a series (create, put, patch). */
export type SeriesFields = Omit<SeriesRow, 'id' | 'createdMs' | 'changedMs'>;

export interface StoredPoint {
  readonly timeMs: number;
  readonly value: number;
  readonly status: number;
}

/** Filters of the series list; name is exact and case-sensitive, the rest case-insensitive. */
export interface SeriesFilter {
  readonly name?: string | undefined;
  readonly facility?: string | undefined;
  readonly externalId?: string | undefined;
  readonly assetId?: string | undefined;
  readonly source?: string | undefined;
}

/** A create or rename that would give two series the same name in one facility. */
export class DuplicateSeriesError extends Error {
  constructor(
    readonly seriesName: string,
    readonly facility: string | null,
  ) {
    super(
      `Attempt to store timeseries '${seriesName}' from '${facility ?? ''}' which already exists`,
    );
  }
}

interface SeriesDbRow {
  id: string;
  name: string;
  facility: string | null;
  description: string | null;
  step: number;
  unit: string | null;
  asset_id: string | null;
  external_id: string | null;
  source: string | null;
  metadata: string | null;
  created_ms: number;
  changed_ms: number;
}

interface PointDbRow {
  time_ms: number;
  value: number;
  status: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS series (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    facility TEXT,
    facility_key TEXT NOT NULL,
    description TEXT,
    step INTEGER NOT NULL DEFAULT 0,
    unit TEXT,
    asset_id TEXT,
    external_id TEXT,
    source TEXT,
    metadata TEXT,
    created_ms INTEGER NOT NULL,
    changed_ms INTEGER NOT NULL
  );
  CREATE UNIQUE INDEX IF NOT EXISTS series_facility_name ON series (facility_key, name);
  CREATE INDEX IF NOT EXISTS series_name ON series (name);
  CREATE TABLE IF NOT EXISTS points (
    series_id TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    value REAL NOT NULL,
    status INTEGER NOT NULL,
    PRIMARY KEY (series_id, time_ms)
  ) WITHOUT ROWID;
`;

/** Lower-cased facility for the uniqueness rule and filters (facility codes are case-insensitive). */
function facilityKey(facility: string | null | undefined): string {
  return (facility ?? '').toLowerCase();
}

/**
 * The stand-in's database: time series records and their points in SQLite (a file, or
 * `:memory:`). Names are unique per facility, compared case-insensitively on the facility;
 * points are unique per series and timestamp (writes overwrite).
 */
export class SeriesStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file = ':memory:') {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** A prepared statement, compiled once per SQL text. */
  private statement<Params extends unknown[] = unknown[], Row = unknown>(
    sql: string,
  ): Database.Statement<Params, Row> {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared as unknown as Database.Statement<Params, Row>;
  }

  /** Creates a series; throws DuplicateSeriesError when the name is taken in that facility. */
  create(fields: SeriesFields, nowMs: number = Date.now(), id: string = randomUUID()): SeriesRow {
    if (this.findExact(fields.name, fields.facility) !== undefined) {
      throw new DuplicateSeriesError(fields.name, fields.facility);
    }
    this.statement(
      `INSERT INTO series (id, name, facility, facility_key, description, step, unit, asset_id,
           external_id, source, metadata, created_ms, changed_ms)
         VALUES (@id, @name, @facility, @facility_key, @description, @step, @unit, @asset_id,
           @external_id, @source, @metadata, @created_ms, @changed_ms)`,
    ).run({ ...toDbRow({ ...fields, id, createdMs: nowMs, changedMs: nowMs }) });
    return { ...fields, id, createdMs: nowMs, changedMs: nowMs };
  }

  /** The series with this exact name in this facility (case-insensitive), if any. */
  findExact(name: string, facility: string | null | undefined): SeriesRow | undefined {
    const row = this.statement<[string, string], SeriesDbRow>(
      'SELECT * FROM series WHERE facility_key = ? AND name = ?',
    ).get(facilityKey(facility), name);
    return row === undefined ? undefined : fromDbRow(row);
  }

  get(id: string): SeriesRow | undefined {
    const row = this.statement<[string], SeriesDbRow>('SELECT * FROM series WHERE id = ?').get(id);
    return row === undefined ? undefined : fromDbRow(row);
  }

  /** Series matching every given filter, ordered by name then id, from `offset`. */
  list(filter: SeriesFilter, offset: number, limit: number): SeriesRow[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.name !== undefined) {
      where.push('name = ?');
      params.push(filter.name);
    }
    if (filter.facility !== undefined) {
      where.push('facility_key = ?');
      params.push(facilityKey(filter.facility));
    }
    const caseless: readonly [string, string | undefined][] = [
      ['external_id', filter.externalId],
      ['asset_id', filter.assetId],
      ['source', filter.source],
    ];
    for (const [column, value] of caseless) {
      if (value !== undefined) {
        where.push(`lower(${column}) = ?`);
        params.push(value.toLowerCase());
      }
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    return this.statement<(string | number)[], SeriesDbRow>(
      `SELECT * FROM series ${clause} ORDER BY name, id LIMIT ? OFFSET ?`,
    )
      .all(...params, limit, offset)
      .map(fromDbRow);
  }

  /** Replaces the fields of a series; DuplicateSeriesError when the new name is taken. */
  update(id: string, fields: SeriesFields, nowMs: number = Date.now()): SeriesRow | undefined {
    const current = this.get(id);
    if (current === undefined) {
      return undefined;
    }
    const clash = this.findExact(fields.name, fields.facility);
    if (clash !== undefined && clash.id !== id) {
      throw new DuplicateSeriesError(fields.name, fields.facility);
    }
    const next: SeriesRow = { ...fields, id, createdMs: current.createdMs, changedMs: nowMs };
    this.statement(
      `UPDATE series SET name = @name, facility = @facility, facility_key = @facility_key,
           description = @description, step = @step, unit = @unit, asset_id = @asset_id,
           external_id = @external_id, source = @source, metadata = @metadata,
           changed_ms = @changed_ms
         WHERE id = @id`,
    ).run(toDbRow(next));
    return next;
  }

  /** Deletes a series and its points; false when there was none. */
  delete(id: string): boolean {
    return this.db.transaction(() => {
      this.statement('DELETE FROM points WHERE series_id = ?').run(id);
      return this.statement('DELETE FROM series WHERE id = ?').run(id).changes > 0;
    })();
  }

  /**
   * Adds or overwrites points of several series in one transaction (all or nothing). With
   * `keepExisting`, points already stored are left as they are (seeding, replay).
   */
  upsertPoints(
    items: readonly { readonly id: string; readonly points: readonly StoredPoint[] }[],
    keepExisting = false,
  ): number {
    const verb = keepExisting ? 'INSERT OR IGNORE' : 'INSERT OR REPLACE';
    const insert = this.statement(
      `${verb} INTO points (series_id, time_ms, value, status) VALUES (?, ?, ?, ?)`,
    );
    return this.db.transaction(() => {
      let written = 0;
      for (const item of items) {
        for (const point of item.points) {
          written += insert.run(item.id, point.timeMs, point.value, point.status).changes;
        }
      }
      return written;
    })();
  }

  /**
   * Points of one series with `fromMs <= time <= toMs` (either bound optional) and time after
   * `afterMs` when given, ascending, at most `limit`.
   */
  readPoints(
    id: string,
    range: { fromMs?: number | undefined; toMs?: number | undefined; afterMs?: number | undefined },
    limit: number,
    statuses?: readonly number[],
  ): StoredPoint[] {
    const where = ['series_id = ?'];
    const params: number[] = [];
    if (range.fromMs !== undefined) {
      where.push('time_ms >= ?');
      params.push(range.fromMs);
    }
    if (range.toMs !== undefined) {
      where.push('time_ms <= ?');
      params.push(range.toMs);
    }
    if (range.afterMs !== undefined) {
      where.push('time_ms > ?');
      params.push(range.afterMs);
    }
    if (statuses !== undefined && statuses.length > 0) {
      where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    return this.statement<(string | number)[], PointDbRow>(
      `SELECT time_ms, value, status FROM points WHERE ${where.join(' AND ')}
         ORDER BY time_ms LIMIT ?`,
    )
      .all(id, ...params, limit)
      .map(fromPointRow);
  }

  /** The last point strictly before `beforeMs`, or the first strictly after `afterMs`. */
  neighbour(id: string, side: { beforeMs: number } | { afterMs: number }): StoredPoint | undefined {
    const row =
      'beforeMs' in side
        ? this.statement<[string, number], PointDbRow>(
            `SELECT time_ms, value, status FROM points WHERE series_id = ? AND time_ms < ?
               ORDER BY time_ms DESC LIMIT 1`,
          ).get(id, side.beforeMs)
        : this.statement<[string, number], PointDbRow>(
            `SELECT time_ms, value, status FROM points WHERE series_id = ? AND time_ms > ?
               ORDER BY time_ms LIMIT 1`,
          ).get(id, side.afterMs);
    return row === undefined ? undefined : fromPointRow(row);
  }

  /** Deletes points with `fromMs <= time < toMs` (either bound optional); returns how many. */
  deletePoints(id: string, fromMs?: number, toMs?: number): number {
    const where = ['series_id = ?'];
    const params: (string | number)[] = [id];
    if (fromMs !== undefined) {
      where.push('time_ms >= ?');
      params.push(fromMs);
    }
    if (toMs !== undefined) {
      where.push('time_ms < ?');
      params.push(toMs);
    }
    return this.statement(`DELETE FROM points WHERE ${where.join(' AND ')}`).run(...params).changes;
  }

  /** Number of points of one series. */
  countPoints(id: string): number {
    const row = this.statement<[string], { count: number }>(
      'SELECT count(*) AS count FROM points WHERE series_id = ?',
    ).get(id);
    return row?.count ?? 0;
  }

  /** Every facility code used by a stored series, as stored. */
  facilities(): string[] {
    return this.statement<[], { facility: string }>(
      'SELECT DISTINCT facility FROM series WHERE facility IS NOT NULL',
    )
      .all()
      .map((row) => row.facility);
  }
}

function toDbRow(row: SeriesRow): Record<string, string | number | null> {
  return {
    id: row.id,
    name: row.name,
    facility: row.facility,
    facility_key: facilityKey(row.facility),
    description: row.description,
    step: row.step ? 1 : 0,
    unit: row.unit,
    asset_id: row.assetId,
    external_id: row.externalId,
    source: row.source,
    metadata: row.metadata === null ? null : JSON.stringify(row.metadata),
    created_ms: row.createdMs,
    changed_ms: row.changedMs,
  };
}

function fromDbRow(row: SeriesDbRow): SeriesRow {
  return {
    id: row.id,
    name: row.name,
    facility: row.facility,
    description: row.description,
    step: row.step === 1,
    unit: row.unit,
    assetId: row.asset_id,
    externalId: row.external_id,
    source: row.source,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    createdMs: row.created_ms,
    changedMs: row.changed_ms,
  };
}

function fromPointRow(row: PointDbRow): StoredPoint {
  return { timeMs: row.time_ms, value: row.value, status: row.status };
}
