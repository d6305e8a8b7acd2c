import type { ProviderFactory } from '../registry/registry.js';
import { builtinPredictionExecutionFactory } from './builtin/builtin-prediction-execution.js';
import { gordoPredictionExecutionFactory } from './gordo/gordo-prediction-execution-factory.js';

/** Every prediction_execution type Latigo ships. Add a factory here to make its `type` known. */
export const predictionExecutionFactories: readonly ProviderFactory<'prediction_execution'>[] = [
  builtinPredictionExecutionFactory,
  gordoPredictionExecutionFactory,
];
