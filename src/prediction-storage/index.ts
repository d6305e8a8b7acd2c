import type { ProviderFactory } from '../registry/registry.js';

/** Every prediction_storage type Latigo ships. Add a factory here to make its `type` known. */
export const predictionStorageFactories: readonly ProviderFactory<'prediction_storage'>[] = [];
