import { z } from 'zod';

import type { PredictionMetadataStorage } from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';

const schema = z.object({ type: z.literal('none') }).strict();

/** Records nothing: for setups without a metadata API. */
export const noneMetadataStorageFactory: ProviderFactory<
  'prediction_metadata_storage',
  typeof schema
> = {
  kind: 'prediction_metadata_storage',
  type: 'none',
  schema,
  create: (): PredictionMetadataStorage => ({
    putPredictionMetadata: () => Promise.resolve(),
  }),
};
