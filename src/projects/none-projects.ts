import { z } from 'zod';

import type { ProviderFactory } from '../registry/registry.js';

const schema = z.object({ type: z.literal('none') }).strict();

/**
 * No projects source: the scheduler schedules `scheduler.projects`. The provider itself answers
 * an empty list, and the scheduler falls back to its own list when the type is `none`.
 */
export const noneProjectsFactory: ProviderFactory<'projects', typeof schema> = {
  kind: 'projects',
  type: 'none',
  schema,
  create: () => ({ getProjects: () => Promise.resolve([]) }),
};
