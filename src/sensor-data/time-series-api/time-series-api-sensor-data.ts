import { mapLimit } from '../../util/map-limit.js';
import type { SeriesDirectory } from '../../clients/time-series-api/series-directory.js';
import type {
  ReadPoint,
  TimeSeriesApiClient,
} from '../../clients/time-series-api/time-series-api-client.js';
import {
  readForNote,
  type SensorData,
  type SensorDataSpec,
  type SensorTag,
  type TagSeries,
} from '../../domain/sensor.js';
import { formatRange, type TimeRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import type { SensorDataProvider } from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';

export interface TimeSeriesApiSensorDataOptions {
  readonly client: TimeSeriesApiClient;
  readonly directory: SeriesDirectory;
  /** The facility of every tag; absent: the facility of the first tag, looked up by name. */
  readonly facility?: string | undefined;
  /** Name lookups in flight at once. */
  readonly lookupParallelism: number;
  /** Dotted config section, for messages. */
  readonly section: string;
  readonly logger: Logger;
}

/**
 * Sensor data from the Omnia Time Series API. Tags are found by exact name within one facility
 * (configured, or the facility of the first tag), their raw points read with `POST /query/data`
 * (batches of ids, pages followed to the end) and cut to the half-open window on parsed times.
 * A tag that is not found, or has no point in the window, fails the read with
 * SENSOR_DATA_MISSING naming it.
 */
export class TimeSeriesApiSensorData implements SensorDataProvider {
  constructor(private readonly options: TimeSeriesApiSensorDataOptions) {}

  async getDataForRange(
    spec: SensorDataSpec,
    range: TimeRange,
    signal?: AbortSignal,
  ): Promise<SensorData> {
    if (spec.tags.length === 0) {
      throw new LatigoError('SENSOR_DATA_INVALID', 'no tags were asked for', {
        context: { range: formatRange(range) },
      });
    }
    const names = [...new Set(spec.tags.map((tag) => tag.name))];
    const tagsByName = new Map(spec.tags.map((tag) => [tag.name, tag]));
    const describe = (some: readonly string[]): string => describeTags(some, tagsByName);
    const facility = await this.facilityFor(names[0] ?? '', signal);
    const ids = await this.resolveIds(names, facility, range, describe, signal);

    let read;
    try {
      read = await this.options.client.readPoints(
        [...ids.values()],
        range.fromMs,
        range.toMs,
        signal,
      );
    } catch (error) {
      throw this.options.directory.afterFailure(error);
    }
    if (read.nullValues > 0) {
      this.options.logger.warn(
        { nullValues: read.nullValues, range: formatRange(range) },
        'time series api answered points without a value; they were left out',
      );
    }

    const byName = new Map<string, { timesMs: number[]; values: number[] }>();
    for (const [name, id] of ids) {
      byName.set(name, inWindow(read.points.get(id) ?? [], range));
    }
    const empty = names.filter((name) => (byName.get(name)?.timesMs.length ?? 0) === 0);
    if (empty.length > 0) {
      throw new LatigoError(
        'SENSOR_DATA_MISSING',
        `no data in ${formatRange(range)} for ${describe(empty)} in the time series API (facility "${facility}")`,
        { context: { tag: empty[0], tags: empty.join(', '), range: formatRange(range), facility } },
      );
    }
    return {
      range,
      series: spec.tags.map((tag: SensorTag): TagSeries => {
        const points = byName.get(tag.name) ?? { timesMs: [], values: [] };
        return { tag, timesMs: points.timesMs, values: points.values };
      }),
    };
  }

  /** The configured facility, or the one of the first tag (exactly one series of that name). */
  private async facilityFor(firstTag: string, signal: AbortSignal | undefined): Promise<string> {
    if (this.options.facility !== undefined) {
      return this.options.facility;
    }
    const lookup = await this.options.directory.facilityOf(firstTag, signal);
    switch (lookup.kind) {
      case 'found':
        return lookup.facility;
      case 'missing':
        throw new LatigoError(
          'SENSOR_DATA_MISSING',
          `tag "${firstTag}" is not in the time series API, so the facility of the model's tags is unknown`,
          { context: { tag: firstTag } },
        );
      case 'ambiguous':
        throw new LatigoError(
          'SENSOR_DATA_INVALID',
          `tag "${firstTag}" exists in several facilities (${lookup.facilities.join(', ')}) of the time series API; set ${this.options.section}.facility`,
          { context: { tag: firstTag } },
        );
      case 'no-facility':
        throw new LatigoError(
          'SENSOR_DATA_INVALID',
          `tag "${firstTag}" (series ${lookup.seriesId}) has no facility in the time series API; set ${this.options.section}.facility`,
          { context: { tag: firstTag, seriesId: lookup.seriesId } },
        );
    }
  }

  /** Series id of every tag, in tag order; SENSOR_DATA_MISSING naming every tag not found. */
  private async resolveIds(
    names: readonly string[],
    facility: string,
    range: TimeRange,
    describe: (names: readonly string[]) => string,
    signal: AbortSignal | undefined,
  ): Promise<Map<string, string>> {
    const found = await mapLimit(names, this.options.lookupParallelism, (name) =>
      this.options.directory.idOf(name, facility, signal),
    );
    const missing = names.filter((_name, index) => found[index] === undefined);
    if (missing.length > 0) {
      throw new LatigoError(
        'SENSOR_DATA_MISSING',
        `${describe(missing)} not found in facility "${facility}" of the time series API (reading ${formatRange(range)})`,
        {
          context: {
            tag: missing[0],
            tags: missing.join(', '),
            range: formatRange(range),
            facility,
          },
        },
      );
    }
    return new Map(names.map((name, index) => [name, found[index] ?? '']));
  }
}

/** Points with `from <= time < to`, ascending, one per timestamp (the last answered wins). */
function inWindow(
  points: readonly ReadPoint[],
  range: TimeRange,
): { timesMs: number[]; values: number[] } {
  const kept = new Map<number, number>();
  for (const point of points) {
    if (point.timeMs >= range.fromMs && point.timeMs < range.toMs && Number.isFinite(point.value)) {
      kept.set(point.timeMs, point.value);
    }
  }
  const timesMs = [...kept.keys()].sort((a, b) => a - b);
  return { timesMs, values: timesMs.map((time) => kept.get(time) ?? Number.NaN) };
}

/** `tag "A"` or `tags "A", "B" (read for the row filter)…`, at most ten named. */
function describeTags(names: readonly string[], tags: ReadonlyMap<string, SensorTag>): string {
  const shown = names
    .slice(0, 10)
    .map((name) => `"${name}"${readForNote(tags.get(name))}`)
    .join(', ');
  const more = names.length > 10 ? ` and ${names.length - 10} more` : '';
  return `${names.length === 1 ? 'tag' : 'tags'} ${shown}${more}`;
}
