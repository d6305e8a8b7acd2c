export {
  AnomalyModel,
  DEFAULT_EXPLAINED_VARIANCE,
  DEFAULT_THRESHOLD_FOLDS,
  DEFAULT_THRESHOLD_WINDOW,
  type AnomalyModelOptions,
  type AnomalyPrediction,
  type FitInput,
  type Rows,
} from './anomaly-model.js';
export {
  ANOMALY_MODEL_FORMAT,
  type AnomalyModelJson,
  type FoldThresholdsJson,
  type TrainingInfo,
} from './anomaly-model-json.js';
export { maxOfRollingMin, timeOrderedFolds, type TimeOrderedFold } from './folds.js';
export { MinMaxScaler, type MinMaxScalerJson } from './min-max-scaler.js';
export {
  PcaAutoencoder,
  type ComponentChoice,
  type PcaAutoencoderJson,
} from './pca-autoencoder.js';
