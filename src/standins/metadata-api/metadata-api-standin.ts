import type { Logger } from '../../logging/logger.js';
import type { FaultInjector, FaultRule } from '../common/faults.js';
import type { RequestLog } from '../common/request-log.js';
import { startStandinServer, type StandinAuthOptions } from '../common/server.js';
import { metadataControlRoutes, metadataRoutes } from './metadata-routes.js';
import { MetadataStore, type StoredModelRecord } from './metadata-store.js';

/** The header the Prevent metadata API's gateway (APIM) requires. */
export const SUBSCRIPTION_KEY_HEADER = 'Ocp-Apim-Subscription-Key';

export interface MetadataApiStandinOptions {
  /** What `GET /projects` answers. */
  readonly projects: readonly string[];
  /** SQLite file for the records; default `:memory:`. */
  readonly databasePath?: string | undefined;
  /** Require this Ocp-Apim-Subscription-Key on every non-public request. */
  readonly subscriptionKey?: string | undefined;
  /** Require bearer tokens from the token stand-in. */
  readonly auth?: StandinAuthOptions | undefined;
  readonly basePath?: string | undefined;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  readonly faults?: readonly FaultRule[] | undefined;
  readonly control?: boolean | undefined;
  readonly logger: Logger;
}

export interface MetadataApiStandin {
  /** Base URL including the base path: the clients' `base_url`. */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  /** The stored records, oldest first. */
  records(): StoredModelRecord[];
  close(): Promise<void>;
}

/** Starts the metadata API stand-in; `close()` also closes its database. */
export async function startMetadataApiStandin(
  options: MetadataApiStandinOptions,
): Promise<MetadataApiStandin> {
  const store = new MetadataStore(options.databasePath ?? ':memory:');
  try {
    const server = await startStandinServer({
      name: 'metadata-api',
      routes: metadataRoutes(options.projects, store),
      controlRoutes: metadataControlRoutes(store),
      auth: options.auth,
      requiredHeaders:
        options.subscriptionKey === undefined
          ? undefined
          : { [SUBSCRIPTION_KEY_HEADER]: options.subscriptionKey },
      basePath: options.basePath,
      host: options.host,
      port: options.port,
      faults: options.faults,
      control: options.control,
      logger: options.logger,
    });
    return {
      url: `${server.url}${(options.basePath ?? '').replace(/\/+$/, '')}`,
      port: server.port,
      faults: server.faults,
      requests: server.requests,
      records: () => store.list(),
      close: async () => {
        await server.close();
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
