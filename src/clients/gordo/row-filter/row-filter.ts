import { LatigoError } from '../../../errors/index.js';
import type { Frame } from '../../../timeseries/resample.js';
import { MissingColumn, compileCondition } from './evaluate.js';
import { parseCondition } from './parse.js';
import { columnsOf, type ConditionNode } from './syntax.js';

/**
 * A model's `dataset.row_filter` (gordo.md §6.1, §7.4 step 6), parsed once: rows for which every
 * expression holds are kept, the others dropped (buffer 0, as gordo-client applies it).
 */
export interface RowFilter {
  /** The expressions as the metadata gives them, blank ones left out; empty: no filter. */
  readonly expressions: readonly string[];
  /** Every column name the expressions read, first use first, each once. */
  readonly columns: readonly string[];
  /** The parsed expressions, in the same order. */
  readonly conditions: readonly ConditionNode[];
}

/** The filter of a model without `row_filter`: keeps every row. */
export const NO_ROW_FILTER: RowFilter = { expressions: [], columns: [], conditions: [] };

/** One expression of the metadata and the key it was found at (for messages). */
export interface RowFilterSource {
  readonly expression: string;
  /** E.g. `dataset.row_filter[1]`. */
  readonly key: string;
}

/**
 * Parses the expressions of a row filter (ANDed). Throws MODEL_METADATA_INVALID, not retriable,
 * naming `where` (the model), the key, the expression and the character (1-based) where it
 * stops being supported syntax.
 */
export function parseRowFilter(sources: readonly RowFilterSource[], where: string): RowFilter {
  const conditions = sources.map(({ expression, key }) => {
    const parsed = parseCondition(expression);
    if ('problem' in parsed) {
      throw new LatigoError(
        'MODEL_METADATA_INVALID',
        `${where}: metadata ${key} "${expression}": ${parsed.problem} (at character ${parsed.character})`,
        { context: { key, expression, character: parsed.character } },
      );
    }
    return parsed.condition;
  });
  return {
    expressions: sources.map(({ expression }) => expression),
    columns: [...new Set(conditions.flatMap(columnsOf))],
    conditions,
  };
}

/**
 * Keep (true) or drop (false) for each row of a frame: true where every expression holds.
 * Throws SENSOR_DATA_MISSING naming `where` and the tag when the frame lacks a column the filter
 * reads.
 */
export function rowsKept(filter: RowFilter, frame: Frame, where: string): boolean[] {
  const rows = frame.timesMs.length;
  if (filter.conditions.length === 0) {
    return new Array<boolean>(rows).fill(true);
  }
  const lookup = (name: string) => {
    const index = frame.tags.indexOf(name);
    return index < 0 ? undefined : frame.values[index];
  };
  let checks: ((row: number) => boolean)[];
  try {
    checks = filter.conditions.map((condition) => compileCondition(condition, lookup));
  } catch (error) {
    if (!(error instanceof MissingColumn)) {
      throw error;
    }
    throw new LatigoError(
      'SENSOR_DATA_MISSING',
      `${where}: the row_filter reads tag "${error.column}", which has no data`,
      { context: { tag: error.column } },
    );
  }
  const kept: boolean[] = [];
  for (let row = 0; row < rows; row += 1) {
    kept.push(checks.every((check) => check(row)));
  }
  return kept;
}

/** Whether one row, given as values by column name, passes the filter. Throws as `rowsKept`. */
export function keepsRow(
  filter: RowFilter,
  values: Readonly<Record<string, number>>,
  where: string,
): boolean {
  const tags = Object.keys(values);
  const frame: Frame = {
    timesMs: [0],
    tags,
    values: tags.map((tag) => [values[tag] ?? Number.NaN]),
  };
  return rowsKept(filter, frame, where)[0] ?? false;
}
