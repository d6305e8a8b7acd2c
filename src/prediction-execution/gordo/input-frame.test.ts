import { describe, expect, it } from 'vitest';

import type { GordoModel } from '../../clients/gordo/model-metadata.js';
import { NO_ROW_FILTER } from '../../clients/gordo/row-filter/index.js';
import type { SensorData } from '../../domain/sensor.js';
import { batchRanges, inputFrame, widenedRange } from './input-frame.js';

const START = Date.parse('2023-09-15T02:10:00Z');
const MINUTE = 60_000;

function model(overrides: Partial<GordoModel> = {}): GordoModel {
  return {
    project: 'p',
    name: 'm',
    revision: '1',
    tags: [{ name: 'A' }, { name: 'B' }],
    targetTags: [{ name: 'B' }],
    triggerTags: [],
    resolutionMs: 10 * MINUTE,
    modelOffset: 0,
    aggregation: 'mean',
    interpolation: 'linear_interpolation',
    interpolationLimitMs: 48 * 60 * MINUTE,
    rowFilter: NO_ROW_FILTER,
    ...overrides,
  };
}

function minuteData(fromMs: number, toMs: number, tags = ['A', 'B']): SensorData {
  const timesMs: number[] = [];
  for (let time = fromMs; time < toMs; time += MINUTE) {
    timesMs.push(time);
  }
  return {
    range: { fromMs, toMs },
    series: tags.map((name, index) => ({
      tag: { name },
      timesMs,
      values: timesMs.map((time) => index + (time - fromMs) / MINUTE),
    })),
  };
}

describe('gordo input shaping', () => {
  it('widens the window by offset plus five resolution steps', () => {
    const window = { fromMs: START, toMs: START + 30 * MINUTE };
    expect(widenedRange(model({ modelOffset: 3 }), window)).toEqual({
      fromMs: START - 8 * 10 * MINUTE,
      toMs: window.toMs,
    });
  });

  it('resamples to the resolution from the widened start, a row at the end included', () => {
    const window = { fromMs: START, toMs: START + 30 * MINUTE };
    const range = widenedRange(model(), window);
    const frame = inputFrame(model(), minuteData(range.fromMs, range.toMs), window);
    expect(frame.timesMs[0]).toBe(START - 50 * MINUTE);
    expect(frame.timesMs.at(-1)).toBe(window.toMs);
    expect(frame.timesMs).toHaveLength(5 + 3 + 1);
    expect(frame.tags).toEqual(['A', 'B']);
    expect(frame.values[0]?.[0]).toBeCloseTo(4.5);
  });

  it('names the tag the sensor data lacks', () => {
    const window = { fromMs: START, toMs: START + 30 * MINUTE };
    expect(() => inputFrame(model(), minuteData(START, window.toMs, ['A']), window)).toThrow(
      /model p\/m window .* no sensor data for tag "B"/,
    );
  });

  it('resamples the trigger tags of the row filter with the model tags', () => {
    const window = { fromMs: START, toMs: START + 30 * MINUTE };
    const withTrigger = model({ triggerTags: [{ name: 'T' }] });
    const range = widenedRange(withTrigger, window);

    expect(
      inputFrame(withTrigger, minuteData(range.fromMs, range.toMs, ['A', 'B', 'T']), window).tags,
    ).toEqual(['A', 'B', 'T']);
    expect(() => inputFrame(withTrigger, minuteData(range.fromMs, range.toMs), window)).toThrow(
      /no sensor data for tag "T"/,
    );
  });

  it('refuses an aggregation it cannot do', () => {
    const window = { fromMs: START, toMs: START + 30 * MINUTE };
    expect(() =>
      inputFrame(model({ aggregation: 'median' }), minuteData(START, window.toMs), window),
    ).toThrow(/aggregation_methods "median" is not supported/);
  });

  it('cuts rows into batches of the batch size', () => {
    expect(batchRanges(5, 2, 0)).toEqual([
      { fromRow: 0, toRow: 2 },
      { fromRow: 2, toRow: 4 },
      { fromRow: 4, toRow: 5 },
    ]);
    expect(batchRanges(3, 1000, 0)).toEqual([{ fromRow: 0, toRow: 3 }]);
  });

  it('overlaps batches by the model offset so no row loses its prediction', () => {
    expect(batchRanges(7, 4, 1)).toEqual([
      { fromRow: 0, toRow: 4 },
      { fromRow: 3, toRow: 7 },
    ]);
  });

  it('refuses a batch size not larger than the offset', () => {
    expect(() => batchRanges(10, 2, 2)).toThrow(
      /batch_size 2 must be larger than the model offset 2/,
    );
  });
});
