import type { TimeRange } from './time-range.js';

/** A sensor tag as the model knows it. `asset` is the plant/asset code, when known. */
export interface SensorTag {
  readonly name: string;
  readonly asset?: string | undefined;
  /**
   * Why a tag that is not one of the model's columns is read, for messages about it: `the row
   * filter` for a tag only a Gordo model's row filter reads.
   */
  readonly readFor?: string | undefined;
}

/** ` (read for …)` when the tag is read for something other than the model, else nothing. */
export function readForNote(tag: SensorTag | undefined): string {
  return tag?.readFor === undefined ? '' : ` (read for ${tag.readFor})`;
}

/** What to read for one model: its input tags, in the model's order. */
export interface SensorDataSpec {
  readonly tags: readonly SensorTag[];
}

/** The points of one tag: parallel arrays, times in epoch ms ascending, values finite. */
export interface TagSeries {
  readonly tag: SensorTag;
  readonly timesMs: readonly number[];
  readonly values: readonly number[];
}

/** Raw sensor data for a range: one series per requested tag, in the spec's order. */
export interface SensorData {
  readonly range: TimeRange;
  readonly series: readonly TagSeries[];
}
