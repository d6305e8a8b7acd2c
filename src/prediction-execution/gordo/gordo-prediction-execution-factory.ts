import { gordoSectionSchema } from '../../clients/gordo/gordo-config.js';
import { gordoConnection } from '../../clients/gordo/gordo-connection.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { GordoPredictionExecutionProvider } from './gordo-prediction-execution.js';

/** `predictor: {type: gordo, ...}`: predictions from Gordo's anomaly endpoint. */
export const gordoPredictionExecutionFactory: ProviderFactory<
  'prediction_execution',
  typeof gordoSectionSchema
> = {
  kind: 'prediction_execution',
  type: 'gordo',
  schema: gordoSectionSchema,
  create: (config, context) => {
    const connection = gordoConnection(config, context);
    return new GordoPredictionExecutionProvider(connection.pool, {
      batchSize: config.batch_size,
      parallelism: config.parallelism,
      check: connection.check,
      logger: context.logger.child({ section: context.section }),
    });
  },
};
