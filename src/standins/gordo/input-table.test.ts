import { describe, expect, it } from 'vitest';

import { parseInputTable, selectColumns, type InputTable } from './input-table.js';

function parsed(value: unknown): InputTable {
  const table = parseInputTable(value);
  if ('kind' in table) {
    throw new Error(table.message);
  }
  return table;
}

describe('tables posted to the gordo stand-in', () => {
  it('sorts rows of a column map by timestamp', () => {
    const table = parsed({
      A: { '2024-01-01 00:10:00+00:00': 2, '2024-01-01 00:00:00+00:00': 1 },
      B: { '2024-01-01T00:00:00+00:00': 3, '2024-01-01T00:10:00+00:00': null },
    });
    expect(table.columns).toEqual(['A', 'B']);
    expect(table.timesMs).toEqual([
      Date.parse('2024-01-01T00:00:00Z'),
      Date.parse('2024-01-01T00:10:00Z'),
    ]);
    expect(table.rows[0]).toEqual([1, 3]);
    expect(table.rows[1]?.[1]).toBeNaN();
  });

  it('reads a list of rows with positional columns', () => {
    expect(
      parsed([
        [1, 2],
        [3, 4],
      ]),
    ).toEqual({
      columns: ['0', '1'],
      timesMs: undefined,
      rows: [
        [1, 2],
        [3, 4],
      ],
    });
  });

  it('answers a server error for keys that are neither times nor integers', () => {
    expect(parseInputTable({ A: { soon: 1 } })).toMatchObject({ kind: 'server-error' });
  });

  it('answers a bad request for a nested column', () => {
    expect(parseInputTable({ A: 1 })).toMatchObject({ kind: 'bad-request' });
  });

  it('selects expected columns by name, dropping extras', () => {
    const table = parsed({ B: { '0': 2 }, A: { '0': 1 }, C: { '0': 9 } });
    expect(selectColumns(table, ['A', 'B'])).toEqual({ rows: [[1, 2]] });
  });

  it('renames columns positionally when only the count matches', () => {
    const table = parsed({ X: { '0': 1 }, Y: { '0': 2 } });
    expect(selectColumns(table, ['A', 'B'])).toEqual({ rows: [[1, 2]] });
  });

  it('names both lists when neither names nor count match', () => {
    const table = parsed({ X: { '0': 1 } });
    expect(selectColumns(table, ['A', 'B'])).toEqual({
      message:
        "Unexpected features: was expecting ['A', 'B'] length of 2, but got ['X'] length of 1",
    });
  });
});
