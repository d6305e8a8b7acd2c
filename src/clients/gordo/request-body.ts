import { LatigoError } from '../../errors/index.js';
import type { Frame } from '../../timeseries/resample.js';
import { formatPandasTimestamp } from './timestamps.js';

/** A column-oriented table as gordo-client sends it: `{tag: {indexKey: value}}` (gordo.md §4.1). */
export type RequestTable = Record<string, Record<string, number>>;

/** The JSON body of a prediction request. */
export interface PredictionRequestBody {
  readonly X: RequestTable;
  readonly y: RequestTable;
}

/**
 * Rows `[fromRow, toRow)` of a frame as a request body: X holds the input tags and y the target
 * tags, each keyed by tag name in the model's order, index keys in pandas form with one UTC
 * offset. Throws SENSOR_DATA_MISSING naming the tag when the frame lacks one.
 */
export function predictionRequestBody(
  frame: Frame,
  rows: { readonly fromRow: number; readonly toRow: number },
  tags: readonly string[],
  targetTags: readonly string[],
  where: string,
): PredictionRequestBody {
  const keys = frame.timesMs.slice(rows.fromRow, rows.toRow).map(formatPandasTimestamp);
  const table = (names: readonly string[]): RequestTable => {
    const result: RequestTable = {};
    for (const name of names) {
      const index = frame.tags.indexOf(name);
      const values = index >= 0 ? frame.values[index] : undefined;
      if (values === undefined) {
        throw new LatigoError('SENSOR_DATA_MISSING', `${where}: no data for tag "${name}"`, {
          context: { tag: name },
        });
      }
      const column: Record<string, number> = {};
      keys.forEach((key, offset) => {
        column[key] = values[rows.fromRow + offset] ?? Number.NaN;
      });
      result[name] = column;
    }
    return result;
  };
  return { X: table(tags), y: table(targetTags) };
}
