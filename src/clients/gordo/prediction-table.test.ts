import { describe, expect, it } from 'vitest';

import { PredictionCells } from './prediction-table.js';
import type { PredictionTable } from './schemas.js';

const T0 = '2024-01-01 00:00:00+00:00';
const T1 = '2024-01-01 00:10:00+00:00';
const MS0 = Date.parse('2024-01-01T00:00:00Z');
const MS1 = MS0 + 600_000;

function table(overrides: PredictionTable = {}): PredictionTable {
  return {
    start: { start: { [T0]: '2024-01-01T00:00:00+00:00', [T1]: '2024-01-01T00:10:00+00:00' } },
    end: { end: { [T0]: '2024-01-01T00:10:00+00:00', [T1]: '2024-01-01T00:20:00+00:00' } },
    'model-output': { B: { [T1]: 2.5, [T0]: 1.5 }, A: { [T0]: 0.5, [T1]: Number.NaN } },
    'total-anomaly-scaled': { 'total-anomaly-scaled': { [T0]: 0.1, [T1]: Infinity } },
    ...overrides,
  };
}

describe('prediction result tables', () => {
  it('maps values back by timestamp and orders tags as the model does', () => {
    const cells = new PredictionCells();
    cells.add(table(), 'test');
    const rows = cells.toRows(['A', 'B'], ['A', 'B']);
    expect(rows.timesMs).toEqual([MS0, MS1]);
    expect(rows.columns.map((column) => [column.group, column.tag])).toEqual([
      ['model-output', 'A'],
      ['model-output', 'B'],
      ['total-anomaly-scaled', undefined],
    ]);
    expect(rows.columns[1]?.values).toEqual([1.5, 2.5]);
  });

  it('counts non-finite values and keeps them as not finite', () => {
    const cells = new PredictionCells();
    cells.add(table(), 'test');
    const rows = cells.toRows(['A', 'B'], ['A', 'B']);
    expect(rows.nonFiniteCount).toBe(2);
    expect(rows.columns[0]?.values[1]).toBeNaN();
  });

  it('treats null as a missing value', () => {
    const cells = new PredictionCells();
    cells.add(table({ 'model-output': { A: { [T0]: null, [T1]: 1 } } }), 'test');
    expect(cells.toRows(['A'], ['A']).nonFiniteCount).toBe(2);
  });

  it('reads both timestamp spellings and date-only keys', () => {
    const cells = new PredictionCells();
    cells.add({ 'model-output': { A: { '2024-01-01T00:10:00+00:00': 1 } } }, 'one');
    cells.add({ 'model-output': { A: { '2024-01-01': 2 } } }, 'two');
    expect(cells.toRows(['A'], ['A']).timesMs).toEqual([MS0, MS1]);
  });

  it('uses the start value when an index key is no timestamp', () => {
    const cells = new PredictionCells();
    cells.add(
      {
        start: { start: { '0': '2024-01-01T00:10:00+00:00' } },
        'model-output': { A: { '0': 3 } },
      },
      'test',
    );
    expect(cells.toRows(['A'], ['A']).timesMs).toEqual([MS1]);
  });

  it('merges batches into one set of rows', () => {
    const cells = new PredictionCells();
    cells.add({ 'model-output': { A: { [T0]: 1 } } }, 'batch 1');
    cells.add({ 'model-output': { A: { [T1]: 2 } } }, 'batch 2');
    expect(cells.toRows(['A'], ['A']).columns[0]?.values).toEqual([1, 2]);
  });

  it('skips groups it does not store and says which', () => {
    const cells = new PredictionCells();
    cells.add(table({ 'smooth-tag-anomaly-scaled': { A: { [T0]: Number.NaN } } }), 'test');
    expect(cells.skippedGroups).toEqual(['smooth-tag-anomaly-scaled']);
    expect(cells.toRows([], []).columns.some((c) => c.group.startsWith('smooth'))).toBe(false);
  });

  it('refuses a row without a readable time, naming where and the key', () => {
    const cells = new PredictionCells();
    expect(() => cells.add({ 'model-output': { A: { soon: 1 } } }, 'model p/m')).toThrow(
      /model p\/m: result row "soon" has no readable timestamp/,
    );
  });

  it('refuses text where a number belongs', () => {
    const cells = new PredictionCells();
    expect(() => cells.add({ 'model-output': { A: { [T0]: 'x' } } }, 'here')).toThrow(
      /here: value of model-output\/A .* is text/,
    );
  });
});
