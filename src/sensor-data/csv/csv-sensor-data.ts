import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

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
import type { ProviderFactory } from '../../registry/registry.js';
import { csvSensorDataSchema, type CsvSensorDataConfig } from './csv-config.js';
import { parseSensorCsv } from './parse-csv.js';
import { replayPieces, type Replay } from './replay.js';

/** The points of one tag over all files: times ascending, values finite. */
interface TagPoints {
  readonly timesMs: number[];
  readonly values: number[];
}

/** How many known tags an unknown-tag error lists. */
const LISTED_TAGS = 30;

/**
 * Sensor data from a folder of CSV files, parsed once on first use and kept in memory. Empty
 * cells are skipped. With `replay`, any real range reads the recording cyclically (see
 * {@link replayPieces}) and the points come back at real times.
 */
export class CsvSensorData implements SensorDataProvider {
  private loading: Promise<ReadonlyMap<string, TagPoints>> | undefined;
  private readonly folder: string;
  private readonly replay: Replay | undefined;

  constructor(
    private readonly config: CsvSensorDataConfig,
    private readonly logger: Logger,
  ) {
    this.folder = resolve(config.folder);
    this.replay =
      config.replay === undefined
        ? undefined
        : { originMs: config.replay.origin, periodMs: config.replay.period };
  }

  /** Reads and parses every file, so that a bad file is reported at start-up. */
  async check(): Promise<void> {
    await this.load();
  }

  /**
   * Points in `[from, to)` of every tag of the spec, in the spec's order. Throws
   * SENSOR_DATA_MISSING naming the tag when a tag is not in the files, or has no point in range.
   */
  async getDataForRange(spec: SensorDataSpec, range: TimeRange): Promise<SensorData> {
    const tags = await this.load();
    const pieces = replayPieces(range, this.replay);
    const series = spec.tags.map((tag): TagSeries => {
      const points = tags.get(tag.name);
      if (points === undefined) {
        throw this.unknownTag(tag, tags);
      }
      const found = pointsInRange(points, pieces);
      if (found.timesMs.length === 0) {
        const replayed = this.replay === undefined ? '' : ' (after replay)';
        throw new LatigoError(
          'SENSOR_DATA_MISSING',
          `tag "${tag.name}"${readForNote(tag)} has no data in ${formatRange(range)}${replayed} in the CSV files of ${this.folder}`,
          { context: { tag: tag.name, fromMs: range.fromMs, toMs: range.toMs } },
        );
      }
      return { tag, ...found };
    });
    return { range, series };
  }

  private load(): Promise<ReadonlyMap<string, TagPoints>> {
    if (this.loading === undefined) {
      const loading = this.readFiles();
      loading.catch(() => {
        if (this.loading === loading) {
          this.loading = undefined;
        }
      });
      this.loading = loading;
    }
    return this.loading;
  }

  private async readFiles(): Promise<ReadonlyMap<string, TagPoints>> {
    const files = this.config.files ?? (await this.csvFilesInFolder());
    const collected = new Map<string, { timesMs: number[]; values: number[] }>();
    for (const name of files) {
      const path = join(this.folder, name);
      const parsed = parseSensorCsv(await this.readText(path), {
        file: path,
        delimiter: this.config.delimiter,
        timestampColumn: this.config.timestamp_column,
        timeZone: this.config.time_zone,
        columns: this.config.columns,
      });
      parsed.tags.forEach((tag, column) => {
        const points = collected.get(tag) ?? { timesMs: [], values: [] };
        parsed.timesMs.forEach((timeMs, row) => {
          const value = parsed.values[column]?.[row] ?? Number.NaN;
          if (Number.isFinite(value)) {
            points.timesMs.push(timeMs);
            points.values.push(value);
          }
        });
        collected.set(tag, points);
      });
    }
    const tags = new Map([...collected].map(([tag, points]) => [tag, sortedByTime(points)]));
    this.logger.info(
      { folder: this.folder, files: files.length, tags: tags.size },
      'csv sensor data loaded',
    );
    return tags;
  }

  private async csvFilesInFolder(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.folder);
    } catch (error) {
      throw new LatigoError('SENSOR_DATA_INVALID', `cannot list the CSV folder ${this.folder}`, {
        cause: error,
        context: { folder: this.folder },
      });
    }
    const files = entries.filter((entry) => entry.toLowerCase().endsWith('.csv')).sort();
    if (files.length === 0) {
      throw new LatigoError('SENSOR_DATA_INVALID', `the folder ${this.folder} has no .csv file`, {
        context: { folder: this.folder },
      });
    }
    return files;
  }

  private async readText(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new LatigoError('SENSOR_DATA_INVALID', `cannot read the CSV file ${path}`, {
        cause: error,
        context: { file: path },
      });
    }
  }

  private unknownTag(tag: SensorTag, tags: ReadonlyMap<string, TagPoints>): LatigoError {
    const known = [...tags.keys()].sort();
    const listed = known.slice(0, LISTED_TAGS).join(', ');
    const more = known.length > LISTED_TAGS ? ` and ${known.length - LISTED_TAGS} more` : '';
    return new LatigoError(
      'SENSOR_DATA_MISSING',
      `tag "${tag.name}"${readForNote(tag)} is not in the CSV files of ${this.folder}; known tags: ${listed}${more}`,
      { context: { tag: tag.name } },
    );
  }
}

function sortedByTime(points: { timesMs: number[]; values: number[] }): TagPoints {
  const order = points.timesMs
    .map((_time, index) => index)
    .sort((a, b) => (points.timesMs[a] ?? 0) - (points.timesMs[b] ?? 0));
  return {
    timesMs: order.map((index) => points.timesMs[index] ?? Number.NaN),
    values: order.map((index) => points.values[index] ?? Number.NaN),
  };
}

/** Points of every piece, shifted to real time; pieces come in time order. */
function pointsInRange(
  points: TagPoints,
  pieces: readonly { data: TimeRange; shiftMs: number }[],
): { timesMs: number[]; values: number[] } {
  const timesMs: number[] = [];
  const values: number[] = [];
  for (const piece of pieces) {
    const end = firstIndexAtOrAfter(points.timesMs, piece.data.toMs);
    for (
      let index = firstIndexAtOrAfter(points.timesMs, piece.data.fromMs);
      index < end;
      index += 1
    ) {
      timesMs.push((points.timesMs[index] ?? Number.NaN) + piece.shiftMs);
      values.push(points.values[index] ?? Number.NaN);
    }
  }
  return { timesMs, values };
}

/** Binary search in ascending times. */
function firstIndexAtOrAfter(timesMs: readonly number[], instantMs: number): number {
  let low = 0;
  let high = timesMs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((timesMs[middle] ?? Number.POSITIVE_INFINITY) < instantMs) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** `sensor_data.type: csv`. */
export const csvSensorDataFactory: ProviderFactory<'sensor_data', typeof csvSensorDataSchema> = {
  kind: 'sensor_data',
  type: 'csv',
  schema: csvSensorDataSchema,
  create: (config, context) => new CsvSensorData(config, context.logger),
};
