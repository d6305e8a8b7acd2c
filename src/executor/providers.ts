import type {
  ModelInfoProvider,
  PredictionExecutionProvider,
  PredictionMetadataStorage,
  PredictionStorageProvider,
  SensorDataProvider,
  TaskQueue,
} from '../interfaces/index.js';

/** Everything one task needs, each behind its interface. */
export interface TaskProviders {
  readonly modelInfo: ModelInfoProvider;
  readonly sensorData: SensorDataProvider;
  readonly predictor: PredictionExecutionProvider;
  readonly storage: PredictionStorageProvider;
  readonly metadata: PredictionMetadataStorage;
}

export interface ExecutorProviders extends TaskProviders {
  readonly taskQueue: TaskQueue;
}
