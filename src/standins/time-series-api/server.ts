import type { Logger } from '../../logging/logger.js';
import {
  startStandinServer,
  type FaultRule,
  type StandinAuthOptions,
  type StandinServer,
} from '../common/index.js';
import { DEFAULT_BEHAVIOUR, type ApiBehaviour } from './api-types.js';
import { timeSeriesApiControlRoutes, timeSeriesApiRoutes } from './router.js';
import { seedStore } from './seed.js';
import type { SeedSource } from './seed-config.js';
import { SeriesStore } from './store.js';

/** The versioned prefix the stand-in serves by default. */
export const DEFAULT_TIME_SERIES_BASE_PATH = '/plant/timeseries/v1.7';

export interface TimeSeriesApiStandinOptions {
  readonly logger: Logger;
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Port; default 0 (any free port). */
  readonly port?: number | undefined;
  /** Versioned prefix of every route; default `/plant/timeseries/v1.7`. */
  readonly basePath?: string | undefined;
  /** SQLite file, or ':memory:' (default). */
  readonly database?: string | undefined;
  readonly behaviour?: Partial<ApiBehaviour> | undefined;
  /** CSV files to load at start (see seed-config.ts). */
  readonly sources?: readonly SeedSource[] | undefined;
  /** Bearer-token checking; absent means no check. */
  readonly auth?: StandinAuthOptions | undefined;
  /** Fault rules active from the start. */
  readonly faults?: readonly FaultRule[] | undefined;
  /** Serve `/_control/*`; default true. */
  readonly control?: boolean | undefined;
  /** The clock of the replay; Date.now by default. */
  readonly clock?: (() => number) | undefined;
}

export interface TimeSeriesApiStandin extends StandinServer {
  /** The URL clients use as `base_url`: server URL plus the versioned prefix. */
  readonly apiUrl: string;
  /** The database behind the stand-in. */
  readonly store: SeriesStore;
}

/**
 * Starts the Time Series API stand-in: the contract's routes below the versioned prefix, backed
 * by SQLite and seeded from CSV files, with the common fault injection, token check, request log
 * and control endpoints (plus `/_control/series` for reading back stored points).
 */
export async function startTimeSeriesApiStandin(
  options: TimeSeriesApiStandinOptions,
): Promise<TimeSeriesApiStandin> {
  const basePath = (options.basePath ?? DEFAULT_TIME_SERIES_BASE_PATH).replace(/\/+$/, '');
  const behaviour: ApiBehaviour = { ...DEFAULT_BEHAVIOUR, ...options.behaviour };
  const store = new SeriesStore(options.database ?? ':memory:');
  let seed: { stop(): void } | undefined;
  let server: StandinServer;
  try {
    seed = seedStore(store, options.sources ?? [], options.logger, options.clock);
    server = await startStandinServer({
      name: 'time-series-api',
      host: options.host,
      port: options.port,
      basePath,
      routes: timeSeriesApiRoutes(store, behaviour),
      controlRoutes: timeSeriesApiControlRoutes(store, behaviour),
      auth: options.auth,
      faults: options.faults,
      control: options.control,
      logger: options.logger,
    });
  } catch (error) {
    seed?.stop();
    store.close();
    throw error;
  }
  return {
    url: server.url,
    port: server.port,
    faults: server.faults,
    requests: server.requests,
    apiUrl: `${server.url}${basePath}`,
    store,
    close: async () => {
      seed?.stop();
      await server.close();
      store.close();
    },
  };
}
