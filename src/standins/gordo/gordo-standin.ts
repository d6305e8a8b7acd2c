import { z } from 'zod';

import type { Logger } from '../../logging/logger.js';
import {
  json,
  problem,
  readJsonBody,
  startStandinServer,
  type FaultRule,
  type Route,
  type StandinAuthOptions,
  type StandinServer,
} from '../common/index.js';
import { buildStandinModels } from './build-models.js';
import { gordoRoutes } from './gordo-routes.js';
import type { LoadedStandinConfig } from './standin-config.js';
import { GordoStandinState } from './standin-state.js';

export interface GordoStandinOptions {
  readonly config: LoadedStandinConfig;
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Port to bind; default 0 (any free port). */
  readonly port?: number | undefined;
  /** Require bearer tokens of the token stand-in; absent: no check. */
  readonly auth?: StandinAuthOptions | undefined;
  /** Fault rules active from the start. */
  readonly faults?: readonly FaultRule[] | undefined;
  /** Serve `/_control/*`; default true. */
  readonly control?: boolean | undefined;
  readonly logger: Logger;
}

export interface GordoStandin extends StandinServer {
  /** `<url>/gordo/v0/`: what a `connection_string` names. */
  readonly connectionString: string;
  readonly state: GordoStandinState;
}

/**
 * Starts the Gordo stand-in: trains every configured model with the builtin anomaly model on its
 * CSV source, then serves the Gordo ML server's API for them on loopback, with the common
 * stand-in faults, token checks and request log, plus Gordo controls below `/_control/gordo`.
 */
export async function startGordoStandin(options: GordoStandinOptions): Promise<GordoStandin> {
  const logger = options.logger.child({ standin: 'gordo' });
  const models = buildStandinModels(options.config, logger);
  const state = new GordoStandinState(models, options.config.config);
  const server = await startStandinServer({
    name: 'gordo',
    host: options.host,
    port: options.port,
    routes: gordoRoutes(state, options.config.config.server_version),
    controlRoutes: gordoControlRoutes(state),
    auth: options.auth,
    faults: options.faults,
    control: options.control,
    logger: options.logger,
  });
  return { ...server, connectionString: `${server.url}/gordo/v0/`, state };
}

const revisionBodySchema = z
  .object({
    project: z.string().min(1),
    revision: z.union([z.string(), z.number()]).transform(String),
  })
  .strict();

const anomalyBodySchema = z
  .object({
    project: z.string().min(1),
    model: z.string().min(1),
    /** Default: the project's current revision. */
    revision: z.union([z.string(), z.number()]).transform(String).optional(),
    enabled: z.boolean(),
  })
  .strict();

/**
 * Controls below `/_control` (no token needed):
 * - `GET /_control/gordo`: projects, their revisions and models, the current revisions and the
 *   models whose anomaly endpoint refuses;
 * - `POST /_control/gordo/current-revision` `{"project", "revision"}`: switches the revision
 *   served (clients holding the old one meet 410 once it is gone from their view);
 * - `POST /_control/gordo/anomaly-endpoint` `{"project", "model", "revision"?, "enabled"}`: with
 *   `enabled: false` the model's anomaly endpoint answers 422, as for a model without thresholds.
 */
function gordoControlRoutes(state: GordoStandinState): Route[] {
  return [
    { method: 'GET', path: '/gordo', handler: () => json(200, state.describe()) },
    {
      method: 'POST',
      path: '/gordo/current-revision',
      handler: (request) => {
        const body = readJsonBody(request);
        if (!body.ok) {
          return body.response;
        }
        const parsed = revisionBodySchema.safeParse(body.value);
        if (!parsed.success) {
          return problem(400, 'expected {"project": "...", "revision": "..."}');
        }
        try {
          state.setCurrentRevision(parsed.data.project, parsed.data.revision);
        } catch (error) {
          return problem(400, error instanceof Error ? error.message : String(error));
        }
        return json(200, state.describe());
      },
    },
    {
      method: 'POST',
      path: '/gordo/anomaly-endpoint',
      handler: (request) => {
        const body = readJsonBody(request);
        if (!body.ok) {
          return body.response;
        }
        const parsed = anomalyBodySchema.safeParse(body.value);
        if (!parsed.success) {
          return problem(
            400,
            'expected {"project": "...", "model": "...", "revision"?: "...", "enabled": true|false}',
          );
        }
        const { project, model, enabled } = parsed.data;
        const revision = parsed.data.revision ?? state.currentRevision(project) ?? '';
        try {
          state.setAnomalyEndpoint(project, revision, model, enabled);
        } catch (error) {
          return problem(400, error instanceof Error ? error.message : String(error));
        }
        return json(200, state.describe());
      },
    },
  ];
}
