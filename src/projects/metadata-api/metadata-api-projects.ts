import { z } from 'zod';

import { metadataApiClientFor } from '../../clients/metadata-api/metadata-api-client.js';
import { metadataApiConnectionShape } from '../../clients/metadata-api/metadata-api-config.js';
import { LatigoError } from '../../errors/index.js';
import type { ProjectsProvider } from '../../interfaces/index.js';
import type { ProviderFactory } from '../../registry/registry.js';

const schema = z
  .object({ type: z.literal('metadata_api'), ...metadataApiConnectionShape })
  .strict();

export type MetadataApiProjectsConfig = z.output<typeof schema>;

/**
 * The scheduler's project list from the metadata API (`models_metadata_info`, type
 * `metadata_api`): `GET /projects` on every scheduling run. An empty list is an error naming the
 * URL, as in the original, because scheduling nothing is never what was meant.
 */
export const metadataApiProjectsFactory: ProviderFactory<'projects', typeof schema> = {
  kind: 'projects',
  type: 'metadata_api',
  schema,
  create: (config, context): ProjectsProvider => {
    const logger = context.logger.child({ type: 'metadata_api' });
    const client = metadataApiClientFor(config, { section: context.section, logger });
    return {
      check: (signal) => client.check(signal),
      getProjects: async (signal) => {
        const projects = await client.getProjects(signal);
        if (projects.length === 0) {
          throw new LatigoError(
            'METADATA_FAILED',
            `${context.section}: ${client.baseUrl}/projects answered no projects; there is nothing to schedule`,
            { context: { section: context.section } },
          );
        }
        logger.debug({ projects: projects.length }, 'projects fetched');
        return projects;
      },
    };
  },
};
