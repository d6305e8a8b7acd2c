import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { parseSensorCsv, type ParseSensorCsvOptions } from './parse-csv.js';

function options(overrides: Partial<ParseSensorCsvOptions> = {}): ParseSensorCsvOptions {
  return { file: 'sample.csv', timestampColumn: 'datetime', ...overrides };
}

const SKAB_VALVE1 = fileURLToPath(
  new URL('../../../deploy/samples/skab/valve1-0.csv', import.meta.url),
);

describe('parseSensorCsv', () => {
  it('reads a semicolon file with CRLF endings as UTC', () => {
    const text = 'datetime;A;B\r\n2020-03-09 10:14:33;1.5;2\r\n2020-03-09 10:14:34;-3e-1;4\r\n';

    const parsed = parseSensorCsv(text, options());

    expect(parsed.tags).toEqual(['A', 'B']);
    expect(parsed.timesMs).toEqual([
      Date.UTC(2020, 2, 9, 10, 14, 33),
      Date.UTC(2020, 2, 9, 10, 14, 34),
    ]);
    expect(parsed.values).toEqual([
      [1.5, -0.3],
      [2, 4],
    ]);
  });

  it('reads a comma file with LF endings, a byte order mark and ISO timestamps', () => {
    const text = '\uFEFFtimestamp,value\n2014-01-01T00:05:00Z,1\n2014-01-01T01:05:00+01:00,2\n';

    const parsed = parseSensorCsv(text, options({ timestampColumn: 'timestamp' }));

    expect(parsed.timesMs).toEqual([Date.UTC(2014, 0, 1, 0, 5), Date.UTC(2014, 0, 1, 0, 5)]);
    expect(parsed.values).toEqual([[1, 2]]);
  });

  it('reads timestamps without an offset in the configured time zone', () => {
    const parsed = parseSensorCsv(
      'datetime,A\n2020-03-09 10:00:00,1\n',
      options({ timeZone: 'Europe/Moscow' }),
    );

    expect(parsed.timesMs).toEqual([Date.UTC(2020, 2, 9, 7, 0, 0)]);
  });

  it('maps columns to tag names and leaves the other columns out', () => {
    const parsed = parseSensorCsv(
      'datetime;Volume Flow RateRMS;Current;label\n2020-03-09 10:14:33;32.0;1.33;x\n',
      options({ columns: { 'Volume Flow RateRMS': 'SKAB.VolumeFlowRateRMS' } }),
    );

    expect(parsed.tags).toEqual(['SKAB.VolumeFlowRateRMS']);
    expect(parsed.values).toEqual([[32]]);
  });

  it('keeps only numeric columns when no mapping is given', () => {
    const parsed = parseSensorCsv(
      'datetime,A,status,empty\n2020-01-01 00:00:00,1,ok,\n2020-01-01 00:00:01,,ok,\n',
      options(),
    );

    expect(parsed.tags).toEqual(['A']);
    expect(parsed.values[0]?.[0]).toBe(1);
    expect(parsed.values[0]?.[1]).toBeNaN();
  });

  it('sorts rows by time and skips blank lines', () => {
    const parsed = parseSensorCsv(
      'datetime,A\n2020-01-01 00:00:02,2\n\n2020-01-01 00:00:01,1\n',
      options(),
    );

    expect(parsed.values).toEqual([[1, 2]]);
  });

  it('reads quoted fields holding the delimiter', () => {
    const parsed = parseSensorCsv(
      '"datetime","A,B"\n"2020-01-01 00:00:00","7"\n',
      options({ delimiter: ',', columns: { 'A,B': 'AB' } }),
    );

    expect(parsed.values).toEqual([[7]]);
  });

  it('names file, line and column for a cell that is not a number', () => {
    expect(() =>
      parseSensorCsv(
        'datetime;A\n2020-01-01 00:00:00;1\n2020-01-01 00:00:01;abc\n',
        options({ columns: { A: 'A' } }),
      ),
    ).toThrow(/sample\.csv: line 3, column "A": "abc" is not a number/);
  });

  it('names file, line and column for a bad timestamp', () => {
    expect(() => parseSensorCsv('datetime;A\n09.03.2020 10:00;1\n', options())).toThrow(
      expect.objectContaining({
        code: 'SENSOR_DATA_INVALID',
        message: expect.stringMatching(/sample\.csv: line 2, column "datetime"/) as unknown,
      }),
    );
  });

  it('rejects an impossible date', () => {
    expect(() => parseSensorCsv('datetime;A\n2020-02-30 10:00:00;1\n', options())).toThrow(
      /line 2/,
    );
  });

  it('names the line of a row with the wrong number of fields', () => {
    expect(() => parseSensorCsv('datetime;A;B\n2020-01-01 00:00:00;1\n', options())).toThrow(
      /line 2: expected 3 fields separated by ";", found 2/,
    );
  });

  it('lists the header when the timestamp column or a mapped column is missing', () => {
    expect(() => parseSensorCsv('time;A\n', options())).toThrow(
      /timestamp column "datetime" is not in the header; columns are "time", "A"/,
    );
    expect(() => parseSensorCsv('datetime;A\n', options({ columns: { B: 'B' } }))).toThrow(
      /mapped column "B" is not in the header/,
    );
  });

  it('rejects two columns mapped to one tag and an unknown time zone', () => {
    expect(() =>
      parseSensorCsv('datetime;A;B\n', options({ columns: { A: 'T', B: 'T' } })),
    ).toThrow(/both mapped to tag "T"/);
    expect(() => parseSensorCsv('datetime;A\n', options({ timeZone: 'Mars/Olympus' }))).toThrow(
      /unknown time zone/,
    );
  });

  it('reads the shipped SKAB sample: 1147 rows of 10 numeric columns', () => {
    const parsed = parseSensorCsv(
      readFileSync(SKAB_VALVE1, 'utf8'),
      options({ file: SKAB_VALVE1 }),
    );

    expect(parsed.tags).toContain('Volume Flow RateRMS');
    expect(parsed.tags).toHaveLength(10);
    expect(parsed.timesMs).toHaveLength(1147);
    expect(parsed.timesMs[0]).toBe(Date.UTC(2020, 2, 9, 10, 14, 33));
    expect(parsed.timesMs.at(-1)).toBe(Date.UTC(2020, 2, 9, 10, 34, 32));
  });
});
