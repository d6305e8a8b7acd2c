import { parseGordoTimestamp } from '../../clients/gordo/timestamps.js';

/** A posted X or y table after parsing: rows sorted by index, one value per column. */
export interface InputTable {
  readonly columns: readonly string[];
  /** Row instants (epoch ms) when the index keys were timestamps; undefined for positional rows. */
  readonly timesMs: readonly number[] | undefined;
  readonly rows: readonly (readonly number[])[];
}

/** Why a table could not be used, as the server would answer. */
export type TableProblem =
  | { readonly kind: 'bad-request'; readonly message: string }
  | { readonly kind: 'server-error'; readonly message: string };

/**
 * Reads a posted table (gordo.md §4.1): a column map `{tag: {indexKey: value}}`, or a list of rows
 * `[[v1, v2, …], …]` with positional columns `0, 1, …`. Index keys are timestamps (sorted), else
 * whole numbers (sorted); anything else is a server error, as on the real server. A missing cell
 * or a null is NaN.
 */
export function parseInputTable(value: unknown): InputTable | TableProblem {
  if (Array.isArray(value)) {
    return rowsTable(value);
  }
  if (typeof value !== 'object' || value === null) {
    return {
      kind: 'server-error',
      message: 'the table is neither a column map nor a list of rows',
    };
  }
  const columns = Object.keys(value);
  const data = value as Record<string, unknown>;
  const keys = new Set<string>();
  for (const column of columns) {
    const cells = data[column];
    if (typeof cells !== 'object' || cells === null || Array.isArray(cells)) {
      return {
        kind: 'bad-request',
        message: `Server does not support multi-level dataframes at this time: ${column}`,
      };
    }
    for (const key of Object.keys(cells)) {
      keys.add(key);
    }
  }
  const index = indexOf([...keys]);
  if (index === undefined) {
    return { kind: 'server-error', message: 'index keys are neither timestamps nor integers' };
  }
  // Keys spelled differently may name the same instant: cells are found by position.
  const positions = [...new Set(index.positions.values())].sort((a, b) => a - b);
  const rows: number[][] = positions.map(() => columns.map(() => Number.NaN));
  const rowOf = new Map(positions.map((position, row) => [position, row]));
  for (const [column, name] of columns.entries()) {
    for (const [key, cell] of Object.entries(data[name] as Record<string, unknown>)) {
      const number = cellValue(cell);
      if (number === undefined) {
        return { kind: 'server-error', message: `value of ${name} at ${key} is not a number` };
      }
      const row = rows[rowOf.get(index.positions.get(key) ?? Number.NaN) ?? -1];
      if (row !== undefined) {
        row[column] = number;
      }
    }
  }
  return { columns, timesMs: index.timestamps ? positions : undefined, rows };
}

function rowsTable(value: readonly unknown[]): InputTable | TableProblem {
  const width = Array.isArray(value[0]) ? value[0].length : 0;
  const rows: number[][] = [];
  for (const row of value) {
    if (!Array.isArray(row) || row.length !== width) {
      return {
        kind: 'server-error',
        message: 'rows of a list table must be lists of equal length',
      };
    }
    const numbers = row.map(cellValue);
    if (numbers.some((number) => number === undefined)) {
      return { kind: 'server-error', message: 'a row holds a value that is not a number' };
    }
    rows.push(numbers as number[]);
  }
  return {
    columns: Array.from({ length: width }, (_unused, column) => String(column)),
    timesMs: undefined,
    rows,
  };
}

function indexOf(
  keys: readonly string[],
): { timestamps: boolean; positions: Map<string, number> } | undefined {
  const times = keys.map((key) => [key, parseGordoTimestamp(key)] as const);
  if (times.every(([, position]) => position !== undefined)) {
    return { timestamps: true, positions: new Map(times as (readonly [string, number])[]) };
  }
  if (keys.every((key) => /^-?\d+$/.test(key))) {
    return { timestamps: false, positions: new Map(keys.map((key) => [key, Number(key)])) };
  }
  return undefined;
}

function cellValue(cell: unknown): number | undefined {
  if (cell === null || cell === undefined) {
    return Number.NaN;
  }
  return typeof cell === 'number' ? cell : undefined;
}

/**
 * Picks the expected columns as the server does (gordo.md §3.5 step 3): by name when every
 * expected name is present (extra columns dropped); else positionally when the counts match;
 * else a 400 message naming both lists.
 */
export function selectColumns(
  table: InputTable,
  expected: readonly string[],
): { rows: number[][] } | { message: string } {
  if (expected.every((name) => table.columns.includes(name))) {
    const positions = expected.map((name) => table.columns.indexOf(name));
    return {
      rows: table.rows.map((row) => positions.map((position) => row[position] ?? Number.NaN)),
    };
  }
  if (table.columns.length === expected.length) {
    return { rows: table.rows.map((row) => [...row]) };
  }
  return {
    message: `Unexpected features: was expecting ${pythonList(expected)} length of ${expected.length}, but got ${pythonList(table.columns)} length of ${table.columns.length}`,
  };
}

function pythonList(names: readonly string[]): string {
  return `[${names.map((name) => `'${name}'`).join(', ')}]`;
}
