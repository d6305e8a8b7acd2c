import { mapLimit } from '../../util/map-limit.js';
import type { SeriesDirectory } from '../../clients/time-series-api/series-directory.js';
import type { TimeSeriesApiClient } from '../../clients/time-series-api/time-series-api-client.js';
import { formatApiTime } from '../../clients/time-series-api/timestamps.js';
import type { OutgoingDatapoint, WriteItem } from '../../clients/time-series-api/wire.js';
import {
  isStoredColumn,
  outputSeriesDescription,
  outputSeriesName,
} from '../../domain/output-series.js';
import type { PredictionColumn, PredictionData } from '../../domain/prediction.js';
import { formatRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import type {
  PredictionStorageProvider,
  StoredPrediction,
  StoredSeries,
} from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';

export interface TimeSeriesApiPredictionStorageOptions {
  readonly client: TimeSeriesApiClient;
  readonly directory: SeriesDirectory;
  /** Facility of the output series; absent: the facility of the prediction's first tag. */
  readonly facility?: string | undefined;
  /** Status written with every point. */
  readonly status: number;
  /** Name lookups and creates in flight at once. */
  readonly lookupParallelism: number;
  /** Dotted config section, for messages. */
  readonly section: string;
  readonly logger: Logger;
}

interface OutputSeries {
  readonly column: PredictionColumn;
  readonly name: string;
  readonly description: string;
}

/**
 * Stores predictions in the Omnia Time Series API, one series per output column named
 * `<tag>|<model>|<group>` (`<facility>.INDICATOR` for totals) in the facility of the model's
 * first tag. Everything is looked up before anything is written: input series ids, then output
 * series found or created (a 409 is answered by a lookup), then the points, in chunks. Writes
 * are upserts by timestamp, so storing a window again leaves one value per series and time.
 * Non-finite values are skipped and counted.
 */
export class TimeSeriesApiPredictionStorage implements PredictionStorageProvider {
  constructor(private readonly options: TimeSeriesApiPredictionStorageOptions) {}

  async putPrediction(prediction: PredictionData, signal?: AbortSignal): Promise<StoredPrediction> {
    const where = `model "${prediction.model}" of project "${prediction.project}", window ${formatRange(prediction.window)}`;
    const stored = prediction.columns.filter(isStoredColumn);
    if (stored.length === 0) {
      throw new LatigoError(
        'PREDICTION_INVALID',
        `the prediction of ${where} has no output column to store`,
        {
          context: { model: prediction.model, window: formatRange(prediction.window) },
        },
      );
    }
    const facility = await this.facilityFor(prediction, where, signal);
    const outputs: OutputSeries[] = stored.map((column) => ({
      column,
      name: outputSeriesName(column, prediction.model, facility),
      description: outputSeriesDescription(column),
    }));

    const inputSeriesIds = await this.inputSeriesIds(prediction, facility, signal);
    const ids = await mapLimit(outputs, this.options.lookupParallelism, (output) =>
      this.options.directory.findOrCreate(
        {
          name: output.name,
          description: output.description,
          step: true,
          unit: '',
          facility,
          externalId: '',
        },
        signal,
      ),
    );

    const { items, skipped, rows } = this.writeItems(prediction, outputs, ids);
    try {
      await this.options.client.writePoints(items, signal);
    } catch (error) {
      throw this.options.directory.afterFailure(error);
    }
    const series = outputs.map((output, index): StoredSeries => ({
      group: output.column.group,
      tag: output.column.tag,
      name: output.name,
      description: output.description,
      id: ids[index],
      points: items[index]?.datapoints.length ?? 0,
    }));
    return {
      series,
      rows,
      points: series.reduce((sum, entry) => sum + entry.points, 0),
      skipped,
      inputSeriesIds,
    };
  }

  /** The configured facility, or the one of the first tag named by any column. */
  private async facilityFor(
    prediction: PredictionData,
    where: string,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    if (this.options.facility !== undefined) {
      return this.options.facility;
    }
    const tag = prediction.columns.find(
      (column) => column.tag !== undefined && column.tag !== '',
    )?.tag;
    if (tag === undefined) {
      throw new LatigoError(
        'STORAGE_FAILED',
        `no column of the prediction of ${where} names a tag, so the facility of its output series is unknown; set ${this.options.section}.facility`,
        { context: { model: prediction.model } },
      );
    }
    const lookup = await this.options.directory.facilityOf(tag, signal);
    if (lookup.kind === 'found') {
      return lookup.facility;
    }
    const problem =
      lookup.kind === 'missing'
        ? 'is not in the time series API'
        : lookup.kind === 'ambiguous'
          ? `exists in several facilities (${lookup.facilities.join(', ')})`
          : 'has no facility in the time series API';
    throw new LatigoError(
      'STORAGE_FAILED',
      `tag "${tag}" ${problem}, so the facility of the output series of ${where} is unknown; set ${this.options.section}.facility`,
      { context: { model: prediction.model, tag } },
    );
  }

  /** Ids of the model's input series by tag name (model-input columns), undefined when absent. */
  private async inputSeriesIds(
    prediction: PredictionData,
    facility: string,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string | undefined>> {
    const inputs = prediction.columns.filter((column) => column.group === 'model-input');
    const tags = [
      ...new Set(
        (inputs.length > 0 ? inputs : prediction.columns)
          .map((column) => column.tag)
          .filter((tag): tag is string => tag !== undefined && tag !== ''),
      ),
    ];
    const ids = await mapLimit(tags, this.options.lookupParallelism, (tag) =>
      this.options.directory.idOf(tag, facility, signal),
    );
    return Object.fromEntries(tags.map((tag, index) => [tag, ids[index]]));
  }

  /** One write item per output series with its finite values; skipped and written rows counted. */
  private writeItems(
    prediction: PredictionData,
    outputs: readonly OutputSeries[],
    ids: readonly string[],
  ): { items: WriteItem[]; skipped: number; rows: number } {
    const times = prediction.timesMs.map((timeMs) => formatApiTime(timeMs));
    const writtenRows = new Set<number>();
    let skipped = 0;
    const items = outputs.map((output, index): WriteItem => {
      const datapoints: OutgoingDatapoint[] = [];
      times.forEach((time, row) => {
        const value = output.column.values[row];
        if (value === undefined || !Number.isFinite(value)) {
          skipped += 1;
          return;
        }
        datapoints.push({ time, value, status: this.options.status });
        writtenRows.add(row);
      });
      return { id: ids[index] ?? '', datapoints };
    });
    if (skipped > 0) {
      this.options.logger.warn(
        { model: prediction.model, window: formatRange(prediction.window), skipped },
        'non-finite prediction values were not stored',
      );
    }
    return { items, skipped, rows: writtenRows.size };
  }
}
