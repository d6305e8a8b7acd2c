/**
 * Tables of a Latigo SQLite file. Prediction storage writes `output_series`, `points` and
 * `windows`; prediction metadata storage writes `prediction_metadata`. Times are epoch ms; the
 * `*_utc` columns and the `stored_points` view repeat them as ISO text for people.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS output_series (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    model TEXT NOT NULL,
    output_group TEXT NOT NULL,
    tag TEXT,
    description TEXT NOT NULL,
    series_type TEXT NOT NULL,
    UNIQUE (project, name)
  )`,
  `CREATE TABLE IF NOT EXISTS points (
    series_id INTEGER NOT NULL REFERENCES output_series (id),
    time_ms INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (series_id, time_ms)
  ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS windows (
    project TEXT NOT NULL,
    model TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    from_utc TEXT NOT NULL,
    to_utc TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    point_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    first_time_ms INTEGER,
    last_time_ms INTEGER,
    write_count INTEGER NOT NULL,
    written_at_ms INTEGER NOT NULL,
    PRIMARY KEY (project, model, from_ms, to_ms)
  )`,
  `CREATE TABLE IF NOT EXISTS prediction_metadata (
    project TEXT NOT NULL,
    model TEXT NOT NULL,
    from_ms INTEGER NOT NULL,
    to_ms INTEGER NOT NULL,
    from_utc TEXT NOT NULL,
    to_utc TEXT NOT NULL,
    revision TEXT,
    row_count INTEGER NOT NULL,
    point_count INTEGER NOT NULL,
    skipped_count INTEGER NOT NULL,
    series_count INTEGER NOT NULL,
    training_from_ms INTEGER,
    training_to_ms INTEGER,
    resolution_ms INTEGER,
    tags_json TEXT NOT NULL,
    series_json TEXT NOT NULL,
    input_series_ids_json TEXT,
    write_count INTEGER NOT NULL,
    recorded_at_ms INTEGER NOT NULL,
    PRIMARY KEY (project, model, from_ms, to_ms)
  )`,
  `CREATE VIEW IF NOT EXISTS stored_points AS
    SELECT s.project, s.model, s.name, s.output_group, s.tag,
      strftime('%Y-%m-%dT%H:%M:%SZ', p.time_ms / 1000, 'unixepoch') AS time_utc,
      p.time_ms, p.value
    FROM points AS p JOIN output_series AS s ON s.id = p.series_id`,
];
