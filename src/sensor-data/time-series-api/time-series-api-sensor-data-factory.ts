import { timeSeriesApiSensorDataSchema } from '../../clients/time-series-api/config.js';
import { connectTimeSeriesApi } from '../../clients/time-series-api/connection.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { TimeSeriesApiSensorData } from './time-series-api-sensor-data.js';

/** `sensor_data: {type: time_series_api, ...}`: raw points from the Omnia Time Series API. */
export const timeSeriesApiSensorDataFactory: ProviderFactory<
  'sensor_data',
  typeof timeSeriesApiSensorDataSchema
> = {
  kind: 'sensor_data',
  type: 'time_series_api',
  schema: timeSeriesApiSensorDataSchema,
  create: async (config, context) => {
    const logger = context.logger.child({ section: context.section });
    if (config.async) {
      logger.info({ key: `${context.section}.async` }, 'async has no effect on reads; ignored');
    }
    const connection = await connectTimeSeriesApi(
      config,
      { pageLimit: config.page_limit, idsPerRead: config.ids_per_read, pointsPerWrite: 1 },
      context,
    );
    return new TimeSeriesApiSensorData({
      ...connection,
      facility: config.facility,
      lookupParallelism: config.lookup_parallelism,
      section: context.section,
      logger,
    });
  },
};
