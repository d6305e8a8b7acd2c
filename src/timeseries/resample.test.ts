import { describe, expect, it } from 'vitest';

import type { TagSeries } from '../domain/sensor.js';
import { LatigoError } from '../errors/index.js';
import { resampleToFrame, type ResampleOptions } from './resample.js';

/** 2024-03-01T00:00:00Z, a UTC midnight. */
const MIDNIGHT_MS = Date.UTC(2024, 2, 1);
const SECOND_MS = 1_000;

function at(seconds: number): number {
  return MIDNIGHT_MS + seconds * SECOND_MS;
}

function series(name: string, points: readonly (readonly [number, number])[]): TagSeries {
  return {
    tag: { name },
    timesMs: points.map(([seconds]) => at(seconds)),
    values: points.map(([, value]) => value),
  };
}

function options(overrides: Partial<ResampleOptions> = {}): ResampleOptions {
  return { fromMs: at(0), toMs: at(40), resolutionMs: 10 * SECOND_MS, ...overrides };
}

function seconds(timesMs: readonly number[]): number[] {
  return timesMs.map((time) => (time - MIDNIGHT_MS) / SECOND_MS);
}

describe('resampleToFrame', () => {
  it('averages points in buckets aligned to the resolution and labelled by their left edge', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [7, 1],
          [9, 3],
          [12, 5],
        ]),
      ],
      options({ fromMs: at(7), toMs: at(20) }),
    );

    expect(seconds(frame.timesMs)).toEqual([0, 10, 20]);
    expect(frame.tags).toEqual(['A']);
    // [0, 10): mean(1, 3); [10, 20): 5; the bucket at `to` repeats the last value
    expect(frame.values).toEqual([[2, 5, 5]]);
  });

  it('aligns buckets from UTC midnight when the resolution does not divide the hour', () => {
    const frame = resampleToFrame(
      [series('A', [[600, 1]])],
      options({ fromMs: at(600), toMs: at(900), resolutionMs: 7 * 60 * SECOND_MS }),
    );

    // 7-minute buckets from midnight: 00:07 holds 00:10, 00:14 holds the end at 00:15
    expect(seconds(frame.timesMs)).toEqual([420, 840]);
    expect(frame.values).toEqual([[1, 1]]);
  });

  it('has no bucket at the end when the end is not on a boundary', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [0, 1],
          [31, 2],
        ]),
      ],
      options({ toMs: at(35) }),
    );

    expect(seconds(frame.timesMs)).toEqual([0, 10, 20, 30]);
  });

  it.each([
    ['min', 1],
    ['max', 4],
    ['first', 3],
    ['last', 2],
  ] as const)('aggregates with %s', (aggregation, expected) => {
    const frame = resampleToFrame(
      [
        series('A', [
          [1, 3],
          [2, 1],
          [3, 4],
          [4, 2],
        ]),
      ],
      options({ toMs: at(10), aggregation }),
    );

    expect(frame.values[0]?.[0]).toBe(expected);
  });

  it('ignores NaN values inside a bucket', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [1, Number.NaN],
          [2, 4],
        ]),
      ],
      options({ toMs: at(10) }),
    );

    expect(frame.values).toEqual([[4, 4]]);
  });

  it('interpolates linearly between values across empty buckets', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [0, 0],
          [30, 3],
        ]),
      ],
      options({ toMs: at(30) }),
    );

    expect(frame.values).toEqual([[0, 1, 2, 3]]);
  });

  it('fills at most the limit of a gap and drops the rows it could not fill', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [0, 0],
          [40, 40],
        ]),
      ],
      options({ interpolationLimitMs: 20 * SECOND_MS }),
    );

    // two buckets of the gap are filled on the line from 0 to 40; the third stays empty
    expect(seconds(frame.timesMs)).toEqual([0, 10, 20, 40]);
    expect(frame.values).toEqual([[0, 10, 20, 40]]);
  });

  it('fills forward with ffill, up to the limit', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [0, 5],
          [40, 9],
        ]),
      ],
      options({ interpolation: 'ffill', interpolationLimitMs: 20 * SECOND_MS }),
    );

    expect(seconds(frame.timesMs)).toEqual([0, 10, 20, 40]);
    expect(frame.values).toEqual([[5, 5, 5, 9]]);
  });

  it('fills forward only: buckets before the first value stay empty', () => {
    const frame = resampleToFrame([series('A', [[25, 7]])], options({ toMs: at(30) }));

    expect(seconds(frame.timesMs)).toEqual([20, 30]);
    expect(frame.values).toEqual([[7, 7]]);
  });

  it('joins tags on bucket times and drops rows where any tag has a gap', () => {
    const frame = resampleToFrame(
      [
        series('A', [
          [0, 1],
          [10, 2],
          [20, 3],
        ]),
        series('B', [[10, 20]]),
      ],
      options({ toMs: at(20) }),
    );

    expect(frame.tags).toEqual(['A', 'B']);
    expect(seconds(frame.timesMs)).toEqual([10, 20]);
    expect(frame.values).toEqual([
      [2, 3],
      [20, 20],
    ]);
  });

  it('throws SENSOR_DATA_MISSING naming a tag without points', () => {
    const resample = () =>
      resampleToFrame([series('A', [[0, 1]]), series('EMPTY', [])], options({ toMs: at(10) }));

    expect(resample).toThrow(LatigoError);
    expect(resample).toThrow(/tag "EMPTY" has no data/);
  });

  it('treats a tag with only NaN values as having no data', () => {
    expect(() =>
      resampleToFrame([series('ONLY-NAN', [[1, Number.NaN]])], options({ toMs: at(10) })),
    ).toThrow(expect.objectContaining({ code: 'SENSOR_DATA_MISSING' }));
  });

  it('rejects a point outside the range', () => {
    expect(() =>
      resampleToFrame(
        [
          series('A', [
            [0, 1],
            [11, 2],
          ]),
        ],
        options({ toMs: at(10) }),
      ),
    ).toThrow(expect.objectContaining({ code: 'SENSOR_DATA_INVALID' }));
  });

  it('rejects a limit shorter than one resolution step', () => {
    expect(() =>
      resampleToFrame([series('A', [[0, 1]])], options({ interpolationLimitMs: 5 * SECOND_MS })),
    ).toThrow(/interpolation limit/);
  });

  it('returns a frame without rows when no row is complete', () => {
    const frame = resampleToFrame(
      [series('A', [[0, 1]]), series('B', [[30, 2]])],
      options({ toMs: at(30), interpolationLimitMs: 10 * SECOND_MS }),
    );

    expect(frame.timesMs).toEqual([]);
    expect(frame.values).toEqual([[], []]);
  });
});
