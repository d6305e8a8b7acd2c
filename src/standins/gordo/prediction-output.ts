import type { AnomalyPrediction } from '../../anomaly/index.js';
import { formatIsoTimestamp, formatPandasTimestamp } from '../../clients/gordo/timestamps.js';
import type { StandinModel } from './build-models.js';

/** The result table `{group: {name: {indexKey: value}}}` (gordo.md §5.1). */
export type ResultTable = Record<string, Record<string, Record<string, number | string | null>>>;

export interface OutputRows {
  /** Row instants of the returned rows; undefined for positional rows. */
  readonly timesMs: readonly number[] | undefined;
  /** Positions of the returned rows in the request (for positional keys). */
  readonly positions: readonly number[];
}

/**
 * The groups of the anomaly endpoint for rows `offset…` of a request (the model's first
 * `model_offset` rows have no output): `start`, `end`, `model-input`, `model-output`, the tag and
 * total anomaly groups and the confidences; the `smooth-*` groups when `allColumns` is set and
 * the model has a smoothing window (the first `window - 1` rows of each request are NaN there).
 */
export function anomalyTable(
  model: StandinModel,
  prediction: AnomalyPrediction,
  rows: OutputRows,
  allColumns: boolean,
): ResultTable {
  const table = baseTable(model, prediction, rows, true);
  const keys = indexKeys(rows);
  const tagGroup = (values: number[][]): Record<string, Record<string, number>> =>
    Object.fromEntries(
      model.targetTags.map((tag, column) => [
        tag,
        keyed(
          keys,
          values.map((row) => row[column] ?? Number.NaN),
        ),
      ]),
    );
  const totalGroup = (name: string, values: number[]): Record<string, Record<string, number>> => ({
    [name]: keyed(keys, values),
  });
  const slice = <T>(values: T[]): T[] => values.slice(model.definition.model_offset);

  table['tag-anomaly-scaled'] = tagGroup(slice(prediction.tagAnomalyScaled));
  table['total-anomaly-scaled'] = totalGroup(
    'total-anomaly-scaled',
    slice(prediction.totalAnomalyScaled),
  );
  table['tag-anomaly-unscaled'] = tagGroup(slice(prediction.tagAnomalyUnscaled));
  table['total-anomaly-unscaled'] = totalGroup(
    'total-anomaly-unscaled',
    slice(prediction.totalAnomalyUnscaled),
  );
  table['anomaly-confidence'] = tagGroup(slice(prediction.anomalyConfidence));
  table['total-anomaly-confidence'] = totalGroup(
    'total-anomaly-confidence',
    slice(prediction.totalAnomalyConfidence),
  );

  const window = model.definition.smoothing_window;
  if (allColumns && window !== undefined) {
    const smoothTags = (values: number[][]): number[][] => {
      const columns = model.targetTags.map((_tag, column) =>
        rollingMedian(
          values.map((row) => row[column] ?? Number.NaN),
          window,
        ),
      );
      return values.map((_row, index) => columns.map((column) => column[index] ?? Number.NaN));
    };
    table['smooth-tag-anomaly-scaled'] = tagGroup(smoothTags(slice(prediction.tagAnomalyScaled)));
    table['smooth-tag-anomaly-unscaled'] = tagGroup(
      smoothTags(slice(prediction.tagAnomalyUnscaled)),
    );
    table['smooth-total-anomaly-scaled'] = totalGroup(
      'smooth-total-anomaly-scaled',
      rollingMedian(slice(prediction.totalAnomalyScaled), window),
    );
    table['smooth-total-anomaly-unscaled'] = totalGroup(
      'smooth-total-anomaly-unscaled',
      rollingMedian(slice(prediction.totalAnomalyUnscaled), window),
    );
  }
  return table;
}

/** The groups of the plain `/prediction` endpoint: `start`, `end` (always null), input, output. */
export function plainTable(
  model: StandinModel,
  prediction: AnomalyPrediction,
  rows: OutputRows,
): ResultTable {
  return baseTable(model, prediction, rows, false);
}

function baseTable(
  model: StandinModel,
  prediction: AnomalyPrediction,
  rows: OutputRows,
  withEnd: boolean,
): ResultTable {
  const keys = indexKeys(rows);
  const offset = model.definition.model_offset;
  // `shiftMs` undefined: every label is null (the plain endpoint has no frequency for `end`).
  const labels = (shiftMs: number | undefined): Record<string, string | null> =>
    Object.fromEntries(
      keys.map((key, index) => {
        const timeMs = rows.timesMs?.[index];
        return [
          key,
          timeMs === undefined || shiftMs === undefined
            ? null
            : formatIsoTimestamp(timeMs + shiftMs),
        ];
      }),
    );
  const columns = (
    names: readonly string[],
    values: number[][],
  ): Record<string, Record<string, number>> =>
    Object.fromEntries(
      names.map((name, column) => [
        name,
        keyed(
          keys,
          values.slice(offset).map((row) => row[column] ?? Number.NaN),
        ),
      ]),
    );

  return {
    start: { start: labels(0) },
    end: { end: labels(withEnd ? model.resolutionMs : undefined) },
    'model-input': columns(model.definition.tags, prediction.modelInput),
    'model-output': columns(model.targetTags, prediction.modelOutput),
  };
}

function indexKeys(rows: OutputRows): string[] {
  return rows.timesMs === undefined
    ? rows.positions.map(String)
    : rows.timesMs.map(formatPandasTimestamp);
}

function keyed(keys: readonly string[], values: readonly number[]): Record<string, number> {
  return Object.fromEntries(keys.map((key, index) => [key, values[index] ?? Number.NaN]));
}

/** pandas `rolling(window).median()`: NaN for the first `window - 1` values. */
export function rollingMedian(values: readonly number[], window: number): number[] {
  return values.map((_value, index) => {
    if (index + 1 < window) {
      return Number.NaN;
    }
    const sorted = values.slice(index + 1 - window, index + 1).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1
      ? (sorted[middle] ?? Number.NaN)
      : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  });
}
