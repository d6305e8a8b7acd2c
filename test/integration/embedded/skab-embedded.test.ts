import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

import { parseSensorCsv } from '../../../src/sensor-data/csv/parse-csv.js';
import { packageRoot } from '../../../src/util/package-root.js';
import { runCli, type CliResult } from '../../support/cli.js';

/** The replay of deploy/samples/skab/executor.yaml: real time t reads data time origin + (t - origin) mod period. */
const ORIGIN_MS = Date.parse('2020-03-09T10:14:00Z');
const PERIOD_MS = 21 * 60_000;
const dataTime = (realMs: number): number =>
  ORIGIN_MS + ((((realMs - ORIGIN_MS) % PERIOD_MS) + PERIOD_MS) % PERIOD_MS);

/** SKAB's labels for valve1-0.csv: data times whose row has anomaly = 1. */
function labelledAnomalies(): Set<number> {
  const file = join(packageRoot(), 'deploy', 'samples', 'skab', 'valve1-0.csv');
  const parsed = parseSensorCsv(readFileSync(file, 'utf8'), {
    file,
    delimiter: ';',
    timestampColumn: 'datetime',
    columns: { anomaly: 'anomaly' },
  });
  const labels = parsed.values[0] ?? [];
  return new Set(parsed.timesMs.filter((_time, row) => labels[row] === 1));
}

interface WindowRow {
  from_ms: number;
  to_ms: number;
  row_count: number;
  write_count: number;
}

describe('embedded mode on the SKAB sample', () => {
  let result: CliResult;
  let database: Database.Database;

  beforeAll(async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'latigo-embedded-'));
    result = await runCli(['run', '--once'], { cwd: workDir, timeoutMs: 120_000 });
    database = new Database(join(workDir, 'latigo-skab.sqlite'), { readonly: true });
  });

  it('should finish every window of the sample and summarise it', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('back-filling 21 slots');
    expect(result.stdout).toContain('windows done:   21');
    expect(result.stdout).toContain('windows failed: 0');
    expect(result.stdout).toMatch(/results: +\S+latigo-skab\.sqlite/);
  });

  it('should store every one-minute window exactly once, back to back', () => {
    const windows = database
      .prepare('SELECT from_ms, to_ms, row_count, write_count FROM windows ORDER BY from_ms')
      .all() as WindowRow[];

    expect(windows).toHaveLength(21);
    windows.forEach((window, index) => {
      expect(window.to_ms - window.from_ms).toBe(60_000);
      expect(window.write_count).toBe(1);
      expect(window.row_count).toBeGreaterThan(0);
      if (index > 0) {
        expect(window.from_ms).toBe(windows[index - 1]?.to_ms);
      }
    });
  });

  it('should keep one value per series and time, inside the windows only', () => {
    const duplicates = database
      .prepare(
        'SELECT COUNT(*) AS n FROM (SELECT name, time_ms FROM stored_points GROUP BY name, time_ms HAVING COUNT(*) > 1)',
      )
      .get() as { n: number };
    const span = database
      .prepare('SELECT MIN(from_ms) AS first, MAX(to_ms) AS last FROM windows')
      .get() as {
      first: number;
      last: number;
    };
    const outside = database
      .prepare('SELECT COUNT(*) AS n FROM stored_points WHERE time_ms < ? OR time_ms >= ?')
      .get(span.first, span.last) as { n: number };
    const rows = database
      .prepare(
        "SELECT COUNT(*) AS n FROM stored_points WHERE output_group = 'total-anomaly-scaled'",
      )
      .get() as { n: number };
    const windowRows = database.prepare('SELECT SUM(row_count) AS n FROM windows').get() as {
      n: number;
    };

    expect(duplicates.n).toBe(0);
    expect(outside.n).toBe(0);
    expect(rows.n).toBe(windowRows.n);
  });

  it('should score SKAB’s labelled valve fault clearly higher than the rest', () => {
    const anomalies = labelledAnomalies();
    const points = database
      .prepare(
        "SELECT time_ms, value FROM stored_points WHERE output_group = 'total-anomaly-scaled'",
      )
      .all() as { time_ms: number; value: number }[];
    const inside: number[] = [];
    const outside: number[] = [];
    for (const point of points) {
      // A 5 s row is labelled when any recorded second of it is labelled.
      const start = dataTime(point.time_ms);
      const labelled = [0, 1, 2, 3, 4].some((second) => anomalies.has(start + second * 1000));
      (labelled ? inside : outside).push(point.value);
    }
    const mean = (values: number[]) =>
      values.reduce((sum, value) => sum + value, 0) / values.length;

    expect(inside.length).toBeGreaterThan(50);
    expect(outside.length).toBeGreaterThan(50);
    expect(mean(inside)).toBeGreaterThan(2 * mean(outside));
  });
});
