import type { ModelInfo } from '../domain/model.js';
import type { PredictionData } from '../domain/prediction.js';
import type { SensorData, SensorDataSpec } from '../domain/sensor.js';
import type { TimeRange } from '../domain/time-range.js';
import type { SensorDataProvider } from './sensor-data.js';

/** What a predictor needs to predict one window of one model. */
export interface PredictionRequest {
  readonly project: string;
  readonly model: string;
  /** The task's window; rows outside it may be returned and are trimmed by the executor. */
  readonly window: TimeRange;
  readonly spec: SensorDataSpec;
  /** The model as the model info provider knows it (training range, resolution, revision). */
  readonly modelInfo?: ModelInfo | undefined;
  /** Sensor data for `inputRange(...)` of this predictor (the window, or wider). */
  readonly sensorData: SensorData;
}

/** The engine that turns sensor data into predictions (spec: PredictionExecutionProviderInterface). */
export interface PredictionExecutionProvider {
  /**
   * The range of sensor data needed to predict `window` (a model with a look-back needs more
   * than the window). Defaults to the window itself when not implemented.
   */
  inputRange?(
    project: string,
    model: string,
    window: TimeRange,
    signal?: AbortSignal,
  ): Promise<TimeRange>;
  executePrediction(request: PredictionRequest, signal?: AbortSignal): Promise<PredictionData>;
  /** Start-up check (reachability, credentials); throws a LatigoError naming the section. */
  check?(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
}

/** Some predictors (the builtin one) read their own training data. */
export interface SensorDataAware {
  attachSensorData(provider: SensorDataProvider): void;
}
