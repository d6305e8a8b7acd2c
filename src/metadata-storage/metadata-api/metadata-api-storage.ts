import { z } from 'zod';

import { metadataApiClientFor } from '../../clients/metadata-api/metadata-api-client.js';
import { metadataApiConnectionShape } from '../../clients/metadata-api/metadata-api-config.js';
import { buildMetadataRecord } from '../../clients/metadata-api/metadata-record.js';
import { formatRange } from '../../domain/time-range.js';
import { LatigoError, toLatigoError } from '../../errors/index.js';
import type { PredictionMetadataStorage } from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';

const schema = z
  .object({ type: z.literal('metadata_api'), ...metadataApiConnectionShape })
  .strict();

export type MetadataApiStorageConfig = z.output<typeof schema>;

/**
 * Records each stored prediction in the metadata API (`prediction_metadata_storage`, type
 * `metadata_api`): one `POST /models` per stored window. Failures are METADATA_FAILED naming the
 * model and window, retriable when the HTTP failure was.
 */
export const metadataApiStorageFactory: ProviderFactory<
  'prediction_metadata_storage',
  typeof schema
> = {
  kind: 'prediction_metadata_storage',
  type: 'metadata_api',
  schema,
  create: (config, context): PredictionMetadataStorage => {
    const logger = context.logger.child({ type: 'metadata_api' });
    const client = metadataApiClientFor(config, { section: context.section, logger });
    return {
      check: (signal) => client.check(signal),
      putPredictionMetadata: async (metadata, signal) => {
        const { project, model, window } = metadata.prediction;
        try {
          const modelId = await client.postModel(buildMetadataRecord(metadata), signal);
          logger.debug(
            { project, model, window: formatRange(window), modelId },
            'metadata recorded',
          );
        } catch (error) {
          const cause = toLatigoError(error, 'METADATA_FAILED');
          if (cause.code === 'TASK_ABORTED') {
            throw cause;
          }
          throw new LatigoError(
            'METADATA_FAILED',
            `metadata API did not record model ${model} of project ${project} for ${formatRange(window)}: ${cause.message}`,
            { retriable: cause.retriable, context: { ...cause.context, project, model }, cause },
          );
        }
      },
    };
  },
};
