import type { SensorData, TagSeries } from '../../domain/sensor.js';
import { formatRange, type TimeRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import { resampleToFrame } from '../../timeseries/resample.js';

/** Resampled rows of a model's tags over a range: `rows[row][tagIndex]`. */
export interface ModelRows {
  readonly timesMs: number[];
  readonly rows: number[][];
}

/**
 * Resamples the sensor data of `tags` over `range` at `resolutionMs` and keeps the complete rows
 * labelled before `to`. When `from` is not on a bucket boundary the first row is labelled
 * `floor(from)`, as in Gordo, and holds only the data from `from` on. The row labelled `to` is
 * dropped: it only repeats the last value. Points outside `[from, to]` are ignored; a tag missing
 * from the data, or without any point, is a SENSOR_DATA_MISSING error naming it.
 */
export function modelRows(
  data: SensorData,
  tags: readonly string[],
  range: TimeRange,
  resolutionMs: number,
): ModelRows {
  const series = tags.map((tag) => seriesOf(data, tag, range));
  const frame = resampleToFrame(series, {
    fromMs: range.fromMs,
    toMs: range.toMs,
    resolutionMs,
  });
  const kept = frame.timesMs
    .map((timeMs, row) => ({ timeMs, row }))
    .filter(({ timeMs }) => timeMs < range.toMs);
  return {
    timesMs: kept.map(({ timeMs }) => timeMs),
    rows: kept.map(({ row }) => frame.values.map((column) => column[row] ?? Number.NaN)),
  };
}

function seriesOf(data: SensorData, tag: string, range: TimeRange): TagSeries {
  const found = data.series.find((series) => series.tag.name === tag);
  if (found === undefined) {
    throw new LatigoError(
      'SENSOR_DATA_MISSING',
      `the sensor data for ${formatRange(range)} has no series for tag "${tag}"`,
      { context: { tag } },
    );
  }
  const inside = found.timesMs
    .map((timeMs, index) => ({ timeMs, value: found.values[index] ?? Number.NaN }))
    .filter(({ timeMs }) => timeMs >= range.fromMs && timeMs <= range.toMs);
  return {
    tag: found.tag,
    timesMs: inside.map(({ timeMs }) => timeMs),
    values: inside.map(({ value }) => value),
  };
}
