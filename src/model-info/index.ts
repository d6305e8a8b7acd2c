import type { ProviderFactory } from '../registry/registry.js';
import { gordoModelInfoFactory } from './gordo/gordo-model-info-factory.js';
import { staticModelInfoFactory } from './static/static-model-info.js';

/** Every model_info type Latigo ships. Add a factory here to make its `type` known. */
export const modelInfoFactories: readonly ProviderFactory<'model_info'>[] = [
  gordoModelInfoFactory,
  staticModelInfoFactory,
];
