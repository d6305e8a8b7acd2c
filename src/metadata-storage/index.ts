import type { ProviderFactory } from '../registry/registry.js';
import { metadataApiStorageFactory } from './metadata-api/metadata-api-storage.js';
import { noneMetadataStorageFactory } from './none/none-metadata-storage.js';
import { sqliteMetadataStorageFactory } from './sqlite/sqlite-metadata-storage.js';

/** Every prediction metadata storage type Latigo ships. */
export const metadataStorageFactories: readonly ProviderFactory<'prediction_metadata_storage'>[] = [
  noneMetadataStorageFactory,
  sqliteMetadataStorageFactory,
  metadataApiStorageFactory,
];
