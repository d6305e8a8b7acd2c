import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  describeSensorDataProviderContract,
  type SensorDataContractFixture,
} from '../../../test/contract/sensor-data-provider.contract.js';
import { silentLogger } from '../../logging/logger.js';
import { csvSensorDataSchema } from './csv-config.js';
import { CsvSensorData } from './csv-sensor-data.js';

const folders: string[] = [];

function folderWith(files: Readonly<Record<string, string>>): string {
  const folder = mkdtempSync(join(tmpdir(), 'latigo-csv-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(folder, name), content);
  }
  return folder;
}

function provider(folder: string, overrides: Record<string, unknown> = {}): CsvSensorData {
  const config = csvSensorDataSchema.parse({ type: 'csv', folder, ...overrides });
  return new CsvSensorData(config, silentLogger());
}

/** Writes the contract fixture as one CSV: the union of all times, empty cells elsewhere. */
function fixtureCsv(fixture: SensorDataContractFixture): string {
  const times = [...new Set(fixture.series.flatMap((series) => series.timesMs))].sort(
    (a, b) => a - b,
  );
  const header = ['datetime', ...fixture.series.map((series) => series.tag.name)].join(';');
  const lines = times.map((time) => {
    const cells = fixture.series.map((series) => {
      const index = series.timesMs.indexOf(time);
      return index < 0 ? '' : String(series.values[index]);
    });
    return [new Date(time).toISOString(), ...cells].join(';');
  });
  return [header, ...lines].join('\r\n');
}

const SAMPLE = [
  'datetime;Current;Volume Flow RateRMS',
  '2020-03-09 10:14:33;1.0;32',
  '2020-03-09 10:14:34;2.0;',
  '2020-03-09 10:14:36;3.0;31',
].join('\r\n');

const COLUMNS = { Current: 'SKAB.Current', 'Volume Flow RateRMS': 'SKAB.VolumeFlowRateRMS' };
const CURRENT = { name: 'SKAB.Current', asset: 'SKAB' };
const T33_MS = Date.UTC(2020, 2, 9, 10, 14, 33);

afterEach(() => {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

describeSensorDataProviderContract('csv', (fixture) => {
  // a folder of its own: the afterEach above removes the others between tests
  const folder = mkdtempSync(join(tmpdir(), 'latigo-csv-contract-'));
  writeFileSync(join(folder, 'contract.csv'), fixtureCsv(fixture));
  return Promise.resolve({
    provider: provider(folder),
    close: () => Promise.resolve(rmSync(folder, { recursive: true, force: true })),
  });
});

describe('CsvSensorData', () => {
  it('returns mapped tags with the spec tag, skipping empty cells', async () => {
    const csv = provider(folderWith({ 'a.csv': SAMPLE }), { columns: COLUMNS });

    const data = await csv.getDataForRange(
      { tags: [CURRENT, { name: 'SKAB.VolumeFlowRateRMS' }] },
      { fromMs: T33_MS, toMs: T33_MS + 10_000 },
    );

    expect(data.series[0]).toEqual({
      tag: CURRENT,
      timesMs: [T33_MS, T33_MS + 1_000, T33_MS + 3_000],
      values: [1, 2, 3],
    });
    expect(data.series[1]?.timesMs).toEqual([T33_MS, T33_MS + 3_000]);
  });

  it('reads every csv file of the folder when no files are listed', async () => {
    const later = 'datetime;Current\n2020-03-09 11:00:00;9\n';
    const csv = provider(folderWith({ 'a.csv': SAMPLE, 'b.CSV': later, 'notes.txt': 'x' }), {
      columns: { Current: 'SKAB.Current' },
    });

    const data = await csv.getDataForRange(
      { tags: [CURRENT] },
      { fromMs: T33_MS, toMs: Date.UTC(2020, 2, 9, 12) },
    );

    expect(data.series[0]?.values).toEqual([1, 2, 3, 9]);
  });

  it('replays the recording onto a recent window at real times', async () => {
    const originMs = Date.UTC(2020, 2, 9, 10, 14);
    const periodMs = 21 * 60_000;
    const shiftMs = 150_000 * periodMs;
    const csv = provider(folderWith({ 'a.csv': SAMPLE }), {
      columns: COLUMNS,
      replay: { origin: '2020-03-09T10:14:00Z', period: '21m' },
    });

    const data = await csv.getDataForRange(
      { tags: [CURRENT] },
      { fromMs: T33_MS + shiftMs, toMs: T33_MS + shiftMs + 2_000 },
    );

    expect(originMs + shiftMs).toBeGreaterThan(Date.UTC(2024, 0, 1));
    expect(data.series[0]?.timesMs).toEqual([T33_MS + shiftMs, T33_MS + shiftMs + 1_000]);
    expect(data.series[0]?.values).toEqual([1, 2]);
  });

  it('reads both cycles of a range that crosses the end of the replay period', async () => {
    // a 3-second period starting at :33 replays rows :33, :34 (and nothing at :35)
    const csv = provider(folderWith({ 'a.csv': SAMPLE }), {
      columns: COLUMNS,
      replay: { origin: '2020-03-09T10:14:33Z', period: '3s' },
    });

    const data = await csv.getDataForRange(
      { tags: [CURRENT] },
      { fromMs: T33_MS + 1_000, toMs: T33_MS + 5_000 },
    );

    expect(data.series[0]?.timesMs).toEqual([T33_MS + 1_000, T33_MS + 3_000, T33_MS + 4_000]);
    expect(data.series[0]?.values).toEqual([2, 1, 2]);
  });

  it('names the tag and the range when a tag has no data there', async () => {
    const csv = provider(folderWith({ 'a.csv': SAMPLE }), { columns: COLUMNS });

    await expect(
      csv.getDataForRange({ tags: [CURRENT] }, { fromMs: T33_MS - 60_000, toMs: T33_MS }),
    ).rejects.toThrow(
      /tag "SKAB.Current" has no data in \[2020-03-09T10:13:33Z, 2020-03-09T10:14:33Z\)/,
    );
  });

  it('says when a tag without data or not in the files is read only for the row filter', async () => {
    const csv = provider(folderWith({ 'a.csv': SAMPLE }), { columns: COLUMNS });
    const readFor = 'the row filter';

    await expect(
      csv.getDataForRange(
        { tags: [{ ...CURRENT, readFor }] },
        { fromMs: T33_MS - 60_000, toMs: T33_MS },
      ),
    ).rejects.toThrow(/^tag "SKAB.Current" \(read for the row filter\) has no data in /);
    await expect(
      csv.getDataForRange(
        { tags: [{ name: 'FLOW', readFor }] },
        { fromMs: T33_MS, toMs: T33_MS + 1 },
      ),
    ).rejects.toThrow(/^tag "FLOW" \(read for the row filter\) is not in the CSV files of /);
  });

  it('lists the known tags when a tag is unknown', async () => {
    const csv = provider(folderWith({ 'a.csv': SAMPLE }), { columns: COLUMNS });

    await expect(
      csv.getDataForRange({ tags: [{ name: 'Current' }] }, { fromMs: T33_MS, toMs: T33_MS + 1 }),
    ).rejects.toThrow(
      /tag "Current" is not in the CSV files .*; known tags: SKAB.Current, SKAB.VolumeFlowRateRMS/,
    );
  });

  it('reports a bad file at the start-up check, naming file and line', async () => {
    const csv = provider(folderWith({ 'bad.csv': 'datetime;A\nyesterday;1\n' }));

    await expect(csv.check()).rejects.toThrow(/bad\.csv: line 2, column "datetime"/);
  });

  it('reports a folder without csv files', async () => {
    await expect(provider(folderWith({ 'notes.txt': 'x' })).check()).rejects.toThrow(
      /has no \.csv file/,
    );
  });

  it('parses the files once', async () => {
    const folder = folderWith({ 'a.csv': SAMPLE });
    const csv = provider(folder, { columns: COLUMNS });
    const range = { fromMs: T33_MS, toMs: T33_MS + 1_000 };
    await csv.getDataForRange({ tags: [CURRENT] }, range);

    writeFileSync(join(folder, 'a.csv'), SAMPLE.replace(';1.0;', ';7.0;'));
    const data = await csv.getDataForRange({ tags: [CURRENT] }, range);

    expect(data.series[0]?.values).toEqual([1]);
  });
});

describe('csv sensor data config', () => {
  it('has documented defaults', () => {
    expect(csvSensorDataSchema.parse({ type: 'csv', folder: 'data' })).toEqual({
      type: 'csv',
      folder: 'data',
      timestamp_column: 'datetime',
      time_zone: 'UTC',
    });
  });

  it('rejects a replay origin without a zone, an unknown zone and a bad period', () => {
    const result = csvSensorDataSchema.safeParse({
      type: 'csv',
      folder: 'data',
      time_zone: 'Nowhere/Land',
      replay: { origin: '2020-03-09 10:14:00', period: '21 minutes' },
    });

    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['time_zone', 'replay.origin', 'replay.period']);
  });
});
