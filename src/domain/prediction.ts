import type { SensorTag } from './sensor.js';
import type { TimeRange } from './time-range.js';

/**
 * Gordo's output groups. Per-tag groups carry one column per tag; total groups carry one column
 * with no tag.
 */
export const TAG_GROUPS = [
  'model-input',
  'model-output',
  'tag-anomaly-scaled',
  'tag-anomaly-unscaled',
  'anomaly-confidence',
] as const;
export const TOTAL_GROUPS = [
  'total-anomaly-scaled',
  'total-anomaly-unscaled',
  'total-anomaly-confidence',
] as const;

export type TagGroup = (typeof TAG_GROUPS)[number];
export type TotalGroup = (typeof TOTAL_GROUPS)[number];
export type OutputGroup = TagGroup | TotalGroup;

export function isTotalGroup(group: string): group is TotalGroup {
  return (TOTAL_GROUPS as readonly string[]).includes(group);
}

/** One column of a prediction: a group and, for per-tag groups, the tag name. */
export interface PredictionColumn {
  readonly group: OutputGroup;
  /** Tag name for per-tag groups; undefined for total groups. */
  readonly tag?: string | undefined;
  /** One value per row of the prediction; NaN where the source had no finite value. */
  readonly values: readonly number[];
}

/**
 * Predictions of one model over one window. Rows are the model's resampled time steps, each
 * labelled by its start instant.
 */
export interface PredictionData {
  readonly project: string;
  readonly model: string;
  readonly window: TimeRange;
  readonly revision?: string | undefined;
  /** Row instants, epoch ms ascending. */
  readonly timesMs: readonly number[];
  readonly columns: readonly PredictionColumn[];
  /** Values that were not finite (NaN, Infinity) in the source and will not be stored. */
  readonly nonFiniteCount: number;
  /** The model's input tags with their assets, when known (set by the executor). */
  readonly inputTags?: readonly SensorTag[] | undefined;
}

/** Keeps only the rows inside the prediction's own window. */
export function trimToWindow(prediction: PredictionData): PredictionData {
  const { timesMs, window } = prediction;
  const inside = (time: number): boolean => time >= window.fromMs && time < window.toMs;
  // Mostly every row is inside: then nothing is copied.
  if (timesMs.every(inside)) {
    return prediction;
  }
  const keep: number[] = [];
  for (let index = 0; index < timesMs.length; index += 1) {
    if (inside(timesMs[index]!)) {
      keep.push(index);
    }
  }
  let nonFiniteCount = 0;
  const columns = prediction.columns.map((column) => {
    const values = keep.map((index) => column.values[index] ?? Number.NaN);
    nonFiniteCount += values.filter((value) => !Number.isFinite(value)).length;
    return { ...column, values };
  });
  return {
    ...prediction,
    timesMs: keep.map((index) => prediction.timesMs[index] ?? Number.NaN),
    columns,
    nonFiniteCount,
  };
}
