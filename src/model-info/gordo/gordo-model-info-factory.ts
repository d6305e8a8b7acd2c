import { gordoSectionSchema } from '../../clients/gordo/gordo-config.js';
import { gordoConnection } from '../../clients/gordo/gordo-connection.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { GordoModelInfoProvider } from './gordo-model-info.js';

/** `model_info: {type: gordo, ...}`: models, revisions and metadata from a Gordo deployment. */
export const gordoModelInfoFactory: ProviderFactory<'model_info', typeof gordoSectionSchema> = {
  kind: 'model_info',
  type: 'gordo',
  schema: gordoSectionSchema,
  create: (config, context) => {
    const connection = gordoConnection(config, context);
    return new GordoModelInfoProvider(connection.pool, {
      targets: config.target === null ? undefined : new Set([config.target].flat()),
      parallelism: config.parallelism,
      ignoreUnhealthyTargets: config.ignore_unhealthy_targets,
      check: connection.check,
      logger: context.logger.child({ section: context.section }),
    });
  },
};
