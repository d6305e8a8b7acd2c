import type { ProviderFactory } from '../registry/registry.js';

/** Every sensor_data type Latigo ships. Add a factory here to make its `type` known. */
export const sensorDataFactories: readonly ProviderFactory<'sensor_data'>[] = [];
