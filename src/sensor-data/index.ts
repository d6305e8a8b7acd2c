import type { ProviderFactory } from '../registry/registry.js';
import { csvSensorDataFactory } from './csv/csv-sensor-data.js';
import { timeSeriesApiSensorDataFactory } from './time-series-api/time-series-api-sensor-data-factory.js';

/** Every sensor_data type Latigo ships. Add a factory here to make its `type` known. */
export const sensorDataFactories: readonly ProviderFactory<'sensor_data'>[] = [
  csvSensorDataFactory,
  timeSeriesApiSensorDataFactory,
];
