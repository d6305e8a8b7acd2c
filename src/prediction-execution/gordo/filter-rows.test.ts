import { describe, expect, it } from 'vitest';

import type { GordoModel } from '../../clients/gordo/model-metadata.js';
import { NO_ROW_FILTER, parseRowFilter } from '../../clients/gordo/row-filter/index.js';
import type { Frame } from '../../timeseries/resample.js';
import { filterRows } from './filter-rows.js';

const START = Date.parse('2023-09-15T02:10:00Z');
const MINUTE = 60_000;
const WINDOW = { fromMs: START, toMs: START + 30 * MINUTE };

function model(rowFilter: readonly string[] = [], overrides: Partial<GordoModel> = {}): GordoModel {
  return {
    project: 'p',
    name: 'm',
    revision: '1',
    tags: [{ name: 'A' }, { name: 'B' }],
    targetTags: [{ name: 'B' }],
    triggerTags: [{ name: 'T' }],
    resolutionMs: 10 * MINUTE,
    modelOffset: 0,
    aggregation: 'mean',
    interpolation: 'linear_interpolation',
    interpolationLimitMs: 48 * 60 * MINUTE,
    rowFilter:
      rowFilter.length === 0
        ? NO_ROW_FILTER
        : parseRowFilter(
            rowFilter.map((expression) => ({ expression, key: 'dataset.row_filter' })),
            'model p/m',
          ),
    ...overrides,
  };
}

/** Rows every 10 minutes from 50 minutes before the window to its end: A = row, B = 10 * row. */
function frame(trigger: readonly number[]): Frame {
  const timesMs = trigger.map((_value, row) => START + (row - 5) * 10 * MINUTE);
  return {
    timesMs,
    tags: ['A', 'B', 'T'],
    values: [timesMs.map((_time, row) => row), timesMs.map((_time, row) => 10 * row), [...trigger]],
  };
}

describe('gordo row filter on the input rows', () => {
  it('drops the rows the filter rejects and the trigger tag columns', () => {
    const input = frame([1, 0, 1, 1, 0, 1, 0, 1, 1]);

    const filtered = filterRows(model(['`T` > 0.5', 'A < 8']), input, WINDOW);

    expect(filtered.droppedRows).toBe(4);
    expect(filtered.frame).toEqual({
      timesMs: [0, 2, 3, 5, 7].map((row) => START + (row - 5) * 10 * MINUTE),
      tags: ['A', 'B'],
      values: [
        [0, 2, 3, 5, 7],
        [0, 20, 30, 50, 70],
      ],
    });
  });

  it('keeps the frame as it is for a model without a filter', () => {
    const input = frame([0, 0, 0, 0, 0, 0, 0, 0, 0]);

    const filtered = filterRows(model([], { triggerTags: [] }), input, WINDOW);

    expect(filtered.frame).toBe(input);
    expect(filtered.droppedRows).toBe(0);
  });

  it('names the model and the window when the filter keeps no row inside the window', () => {
    // Rows 0-4 lead in, rows 5-7 lie inside the window, row 8 is the window's end.
    const input = frame([1, 1, 1, 1, 1, 0, 0, 0, 1]);

    expect(() => filterRows(model(['T > 0']), input, WINDOW)).toThrow(
      expect.objectContaining({
        code: 'SENSOR_DATA_MISSING',
        retriable: false,
        message:
          'model p/m window [2023-09-15T02:10:00Z, 2023-09-15T02:40:00Z): the row_filter "T > 0" keeps none of the 3 complete rows inside the window (6 of 9 rows kept in all)',
      }),
    );
  });
});
