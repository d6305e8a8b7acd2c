import { timeSeriesApiPredictionStorageSchema } from '../../clients/time-series-api/config.js';
import { connectTimeSeriesApi } from '../../clients/time-series-api/connection.js';
import {
  MAX_IDS_PER_READ,
  MAX_POINTS_PER_PAGE,
} from '../../clients/time-series-api/time-series-api-client.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { TimeSeriesApiPredictionStorage } from './time-series-api-prediction-storage.js';

/** `prediction_storage: {type: time_series_api, ...}`: output series in the Time Series API. */
export const timeSeriesApiPredictionStorageFactory: ProviderFactory<
  'prediction_storage',
  typeof timeSeriesApiPredictionStorageSchema
> = {
  kind: 'prediction_storage',
  type: 'time_series_api',
  schema: timeSeriesApiPredictionStorageSchema,
  create: async (config, context) => {
    const connection = await connectTimeSeriesApi(
      config,
      {
        pageLimit: MAX_POINTS_PER_PAGE,
        idsPerRead: MAX_IDS_PER_READ,
        pointsPerWrite: config.points_per_write,
      },
      context,
    );
    return new TimeSeriesApiPredictionStorage({
      ...connection,
      facility: config.facility,
      status: config.status,
      lookupParallelism: config.lookup_parallelism,
      section: context.section,
      logger: context.logger.child({ section: context.section }),
    });
  },
};
