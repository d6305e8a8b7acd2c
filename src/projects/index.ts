import type { ProviderFactory } from '../registry/registry.js';
import { metadataApiProjectsFactory } from './metadata-api/metadata-api-projects.js';
import { noneProjectsFactory } from './none-projects.js';

/** Every projects source type (scheduler `models_metadata_info` section). */
export const projectsFactories: readonly ProviderFactory<'projects'>[] = [
  noneProjectsFactory,
  metadataApiProjectsFactory,
];
