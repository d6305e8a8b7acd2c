import type { ModelInfo } from '../domain/model.js';
import type { PredictionData } from '../domain/prediction.js';
import type { StoredPrediction } from './prediction-storage.js';

/** Everything known about one stored prediction, for the metadata API. */
export interface PredictionMetadata {
  readonly prediction: PredictionData;
  readonly stored: StoredPrediction;
  readonly model?: ModelInfo | undefined;
}

/** Where prediction metadata goes after each stored window. */
export interface PredictionMetadataStorage {
  putPredictionMetadata(metadata: PredictionMetadata, signal?: AbortSignal): Promise<void>;
  /** Start-up check (reachability, credentials); throws a LatigoError naming the section. */
  check?(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** The scheduler's source of project names (the metadata API), when projects are not listed. */
export interface ProjectsProvider {
  getProjects(signal?: AbortSignal): Promise<readonly string[]>;
  /** Start-up check (reachability, credentials); throws a LatigoError naming the section. */
  check?(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}
