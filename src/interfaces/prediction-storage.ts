import type { PredictionData } from '../domain/prediction.js';

/** One stored output series (a column of the prediction). */
export interface StoredSeries {
  readonly group: string;
  readonly tag?: string | undefined;
  /** The output series name, e.g. `TAG|model|model-output`. */
  readonly name: string;
  readonly description: string;
  /** The storage's id of the series, when it has one. */
  readonly id?: string | undefined;
  readonly points: number;
}

/** What storing one prediction did. */
export interface StoredPrediction {
  readonly series: readonly StoredSeries[];
  /** Rows (time steps) written. */
  readonly rows: number;
  /** Points written over all series. */
  readonly points: number;
  /** Non-finite values that were skipped. */
  readonly skipped: number;
  /** Ids of the input tags' series in the storage, by tag name, when known. */
  readonly inputSeriesIds?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Where predictions go (spec: PredictionStorageProviderInterface). Writes are idempotent. */
export interface PredictionStorageProvider {
  putPrediction(prediction: PredictionData, signal?: AbortSignal): Promise<StoredPrediction>;
  /** Where the predictions end up, for people: a file path or a base URL without credentials. */
  location?(): string;
  /** Start-up check (reachability, credentials); throws a LatigoError naming the section. */
  check?(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}
