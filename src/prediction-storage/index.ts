import type { ProviderFactory } from '../registry/registry.js';
import { sqlitePredictionStorageFactory } from './sqlite/sqlite-prediction-storage.js';
import { timeSeriesApiPredictionStorageFactory } from './time-series-api/time-series-api-prediction-storage-factory.js';

/** Every prediction_storage type Latigo ships. Add a factory here to make its `type` known. */
export const predictionStorageFactories: readonly ProviderFactory<'prediction_storage'>[] = [
  sqlitePredictionStorageFactory,
  timeSeriesApiPredictionStorageFactory,
];
