import type { ProviderFactory } from '../registry/registry.js';

/** Every prediction_execution type Latigo ships. Add a factory here to make its `type` known. */
export const predictionExecutionFactories: readonly ProviderFactory<'prediction_execution'>[] = [];
