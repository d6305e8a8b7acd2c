import type { ProviderFactory } from '../registry/registry.js';

/** Every model_info type Latigo ships. Add a factory here to make its `type` known. */
export const modelInfoFactories: readonly ProviderFactory<'model_info'>[] = [];
