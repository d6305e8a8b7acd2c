export type { ModelInfoProvider } from './model-info.js';
export type { SensorDataProvider } from './sensor-data.js';
export type {
  PredictionExecutionProvider,
  PredictionRequest,
  SensorDataAware,
} from './prediction-execution.js';
export type {
  PredictionStorageProvider,
  StoredPrediction,
  StoredSeries,
} from './prediction-storage.js';
export type {
  PredictionMetadata,
  PredictionMetadataStorage,
  ProjectsProvider,
} from './metadata-storage.js';
export type { Delivery, SendResult, TaskOutcome, TaskQueue } from './task-queue.js';
