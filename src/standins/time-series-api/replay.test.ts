import { describe, expect, it } from 'vitest';

import { checkRecordingFits, replayPoints, type Recording, type ReplayPlan } from './replay.js';

const ORIGIN = Date.parse('2020-03-09T10:14:00Z');
const PLAN: ReplayPlan = { originMs: ORIGIN, periodMs: 60_000 };

function recording(overrides: Partial<Recording> = {}): Recording {
  return {
    timesMs: [ORIGIN + 10_000, ORIGIN + 40_000],
    values: [
      [1, 2],
      [10, Number.NaN],
    ],
    ...overrides,
  };
}

describe('replay of a recording', () => {
  it('repeats the rows every period inside the asked range', () => {
    const fromMs = ORIGIN + 3 * 60_000;
    const perTag = replayPoints(recording(), PLAN, fromMs, fromMs + 120_000);

    expect(perTag[0]?.map((point) => [point.timeMs - fromMs, point.value])).toEqual([
      [10_000, 1],
      [40_000, 2],
      [70_000, 1],
      [100_000, 2],
    ]);
  });

  it('leaves out values that are not finite', () => {
    const perTag = replayPoints(recording(), PLAN, ORIGIN, ORIGIN + 60_000);

    expect(perTag[1]?.map((point) => point.value)).toEqual([10]);
  });

  it('includes the start of the range and excludes its end', () => {
    const perTag = replayPoints(recording(), PLAN, ORIGIN + 10_000, ORIGIN + 70_000);

    expect(perTag[0]?.map((point) => point.timeMs - ORIGIN)).toEqual([10_000, 40_000]);
  });

  it('refuses a recording longer than the period', () => {
    expect(() =>
      checkRecordingFits(recording({ timesMs: [ORIGIN, ORIGIN + 60_000] }), PLAN, 'x.csv'),
    ).toThrow(/x\.csv: rows from .* do not fit the replay period/);
  });
});
