import type { TagSeries } from '../domain/sensor.js';
import { isoUtc } from '../domain/time-range.js';
import { LatigoError } from '../errors/index.js';

/** How the points inside one bucket become one value (NaNs are ignored). */
export type Aggregation = 'mean' | 'min' | 'max' | 'first' | 'last';

/** How empty buckets between values are filled (Gordo's `interpolation_method`). */
export type Interpolation = 'linear_interpolation' | 'ffill';

export interface ResampleOptions {
  /** Start of the data range, epoch ms. No point may lie before it. */
  readonly fromMs: number;
  /** End of the data range, epoch ms, inclusive. No point may lie after it. */
  readonly toMs: number;
  /** Bucket width in ms; buckets are aligned to multiples of it from UTC midnight. */
  readonly resolutionMs: number;
  /** Default `mean`, as Gordo's `aggregation_methods`. */
  readonly aggregation?: Aggregation;
  /** Default `linear_interpolation`, as Gordo's `interpolation_method`. */
  readonly interpolation?: Interpolation;
  /**
   * Longest gap that is filled, in ms; default 48 hours (Gordo's `interpolation_limit`). At most
   * `floor(limit / resolution)` consecutive empty buckets are filled; `Infinity` fills every gap.
   */
  readonly interpolationLimitMs?: number;
}

/** Rows of aligned values: `values[tagIndex][row]` belongs to `tags[tagIndex]` at `timesMs[row]`. */
export interface Frame {
  timesMs: number[];
  tags: string[];
  values: number[][];
}

export const DEFAULT_INTERPOLATION_LIMIT_MS = 48 * 3_600_000;

const DAY_MS = 86_400_000;

/**
 * Resamples raw tag series into a frame of complete rows, the way Gordo's client shapes sensor
 * data (gordo.md §7.4, steps 4 and 5):
 *
 * 1. Buckets `[t, t + resolution)` are aligned to multiples of the resolution counted from UTC
 *    midnight of the day of `fromMs`, labelled by their left edge, and span `fromMs` to `toMs`
 *    inclusive: when `toMs` lies on a boundary there is a bucket labelled `toMs` (Gordo appends a
 *    NaN point there, which opens the bucket).
 * 2. Points of each bucket are aggregated (NaN values ignored).
 * 3. Empty buckets are filled forward only: linearly between values, with the last value after
 *    the last one, or by forward fill; at most `floor(limit / resolution)` buckets per gap.
 *    Leading empty buckets stay empty.
 * 4. Buckets still empty are dropped, tags are inner-joined on bucket times, and any row with a
 *    gap is dropped. The result may have no rows; the caller decides whether that is an error.
 *
 * Throws SENSOR_DATA_MISSING naming the tag when a tag has no finite point at all, and
 * SENSOR_DATA_INVALID when a point lies outside `[fromMs, toMs]` (callers filter first).
 */
export function resampleToFrame(series: readonly TagSeries[], options: ResampleOptions): Frame {
  const grid = bucketGrid(options);
  const fillLimit = bucketFillLimit(options);
  const aggregation = options.aggregation ?? 'mean';
  const interpolation = options.interpolation ?? 'linear_interpolation';

  const filled = series.map((one) => {
    const buckets = aggregateIntoBuckets(one, grid, aggregation, options);
    return interpolation === 'ffill'
      ? forwardFill(buckets, fillLimit)
      : interpolateLinear(buckets, fillLimit);
  });

  const rows: number[] = [];
  for (let bucket = 0; bucket < grid.count; bucket += 1) {
    if (filled.every((values) => Number.isFinite(values[bucket]))) {
      rows.push(bucket);
    }
  }
  return {
    timesMs: rows.map((bucket) => grid.firstMs + bucket * options.resolutionMs),
    tags: series.map((one) => one.tag.name),
    values: filled.map((values) => rows.map((bucket) => values[bucket] ?? Number.NaN)),
  };
}

interface BucketGrid {
  /** Label of the first bucket (the one holding `fromMs`). */
  readonly firstMs: number;
  readonly count: number;
}

function bucketGrid(options: ResampleOptions): BucketGrid {
  const { fromMs, toMs, resolutionMs } = options;
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new LatigoError('INTERNAL', 'resampling needs a range that ends after it starts', {
      context: { fromMs, toMs },
    });
  }
  if (!Number.isSafeInteger(resolutionMs) || resolutionMs <= 0) {
    throw new LatigoError('INTERNAL', 'resampling needs a resolution of at least 1 ms', {
      context: { resolutionMs },
    });
  }
  const midnightMs = Math.floor(fromMs / DAY_MS) * DAY_MS;
  const firstMs = midnightMs + Math.floor((fromMs - midnightMs) / resolutionMs) * resolutionMs;
  return { firstMs, count: Math.floor((toMs - firstMs) / resolutionMs) + 1 };
}

function bucketFillLimit(options: ResampleOptions): number {
  const limitMs = options.interpolationLimitMs ?? DEFAULT_INTERPOLATION_LIMIT_MS;
  const limit = Math.floor(limitMs / options.resolutionMs);
  if (!(limit >= 1)) {
    throw new LatigoError(
      'INTERNAL',
      'the interpolation limit must be at least one resolution step',
      { context: { interpolationLimitMs: limitMs, resolutionMs: options.resolutionMs } },
    );
  }
  return limit;
}

function aggregateIntoBuckets(
  series: TagSeries,
  grid: BucketGrid,
  aggregation: Aggregation,
  options: ResampleOptions,
): number[] {
  const tag = series.tag.name;
  const sums = new Array<number>(grid.count).fill(0);
  const counts = new Array<number>(grid.count).fill(0);
  const picked = new Array<number>(grid.count).fill(Number.NaN);
  const pickedTimes = new Array<number>(grid.count).fill(Number.NaN);
  let finitePoints = 0;

  series.timesMs.forEach((timeMs, index) => {
    if (!(timeMs >= options.fromMs && timeMs <= options.toMs)) {
      throw new LatigoError(
        'SENSOR_DATA_INVALID',
        `tag "${tag}" has a point at ${describeInstant(timeMs)} outside [${isoUtc(options.fromMs)}, ${isoUtc(options.toMs)}]; points must be filtered to the range before resampling`,
        { context: { tag, timeMs } },
      );
    }
    const value = series.values[index] ?? Number.NaN;
    if (Number.isNaN(value)) {
      return;
    }
    finitePoints += 1;
    const bucket = Math.floor((timeMs - grid.firstMs) / options.resolutionMs);
    sums[bucket] = (sums[bucket] ?? 0) + value;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
    if (replacesPick(aggregation, value, timeMs, picked[bucket], pickedTimes[bucket])) {
      picked[bucket] = value;
      pickedTimes[bucket] = timeMs;
    }
  });

  if (finitePoints === 0) {
    throw new LatigoError(
      'SENSOR_DATA_MISSING',
      `tag "${tag}" has no data in [${isoUtc(options.fromMs)}, ${isoUtc(options.toMs)}]`,
      { context: { tag, fromMs: options.fromMs, toMs: options.toMs } },
    );
  }
  if (aggregation === 'mean') {
    return sums.map((sum, bucket) => {
      const count = counts[bucket] ?? 0;
      return count === 0 ? Number.NaN : sum / count;
    });
  }
  return picked;
}

/** Whether a point replaces the value kept so far for min, max, first or last. */
function replacesPick(
  aggregation: Aggregation,
  value: number,
  timeMs: number,
  current: number | undefined,
  currentTimeMs: number | undefined,
): boolean {
  if (current === undefined || currentTimeMs === undefined || Number.isNaN(current)) {
    return true;
  }
  switch (aggregation) {
    case 'min':
      return value < current;
    case 'max':
      return value > current;
    case 'first':
      return timeMs < currentTimeMs;
    case 'last':
      return timeMs >= currentTimeMs;
    case 'mean':
      return false;
  }
}

/** Forward fill of at most `limit` consecutive empty buckets after a value. */
function forwardFill(buckets: readonly number[], limit: number): number[] {
  const result = [...buckets];
  let last = Number.NaN;
  let run = 0;
  result.forEach((value, index) => {
    if (!Number.isNaN(value)) {
      last = value;
      run = 0;
    } else if (!Number.isNaN(last) && run < limit) {
      result[index] = last;
      run += 1;
    }
  });
  return result;
}

/**
 * Linear interpolation over bucket positions, filling at most `limit` buckets of each gap, forward
 * only. After the last value the last value is repeated (as pandas does).
 */
function interpolateLinear(buckets: readonly number[], limit: number): number[] {
  const result = [...buckets];
  let previous = -1;
  for (let index = 0; index < buckets.length; index += 1) {
    if (Number.isNaN(buckets[index])) {
      continue;
    }
    if (previous >= 0 && index - previous > 1) {
      fillGap(result, previous, index, limit);
    }
    previous = index;
  }
  if (previous >= 0 && previous < buckets.length - 1) {
    fillGap(result, previous, buckets.length, limit);
  }
  return result;
}

/** Fills buckets strictly between `start` (a value) and `end` (a value, or past the end). */
function fillGap(values: number[], start: number, end: number, limit: number): void {
  const startValue = values[start] ?? Number.NaN;
  const endValue = values[end];
  const lastFilled = Math.min(end - 1, start + limit);
  for (let index = start + 1; index <= lastFilled; index += 1) {
    values[index] =
      endValue === undefined
        ? startValue
        : startValue + ((endValue - startValue) * (index - start)) / (end - start);
  }
}

function describeInstant(timeMs: number): string {
  return Number.isFinite(timeMs) ? new Date(timeMs).toISOString() : String(timeMs);
}
