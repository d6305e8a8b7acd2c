import type { TokenProvider } from '../../auth/token-provider.js';
import { HttpClient, retryPolicyOf } from '../../http/index.js';
import type { Logger } from '../../logging/logger.js';
import { parseGordoConnectionString } from './connection-string.js';
import type { GordoSection } from './gordo-config.js';
import { GordoProjectClient, type GordoClientSettings } from './gordo-project-client.js';

export interface GordoClientPoolOptions {
  /** Dotted name of the config section, for messages. */
  readonly section: string;
  readonly tokenProvider?: TokenProvider | undefined;
  /** Headers on every request (the auth section's extra headers). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly logger: Logger;
}

/**
 * One Gordo client per project, created on first use, all sharing one HTTP client (and so one
 * token). Mirrors the original Latigo's client pool (gordo.md §8.1).
 */
export class GordoClientPool {
  private readonly http: HttpClient;
  private readonly clients = new Map<string, GordoProjectClient>();
  private readonly settings: GordoClientSettings;
  private readonly logger: Logger;

  constructor(config: GordoSection, options: GordoClientPoolOptions) {
    const endpoint = parseGordoConnectionString(config.connection_string, options.section);
    this.logger = options.logger;
    this.http = new HttpClient({
      service: 'gordo',
      baseUrl: endpoint.baseUrl,
      timeoutMs: config.http.timeout,
      retry: retryPolicyOf(config.http, config.n_retries + 1),
      tokenProvider: options.tokenProvider,
      headers: options.headers,
      logger: options.logger,
    });
    this.settings = {
      revisionsCacheTtlMs: config.revisions_cache_ttl,
      modelsCacheTtlMs: config.models_cache_ttl,
      metadataCacheTtlMs: config.metadata_cache_ttl,
      metadataCacheSize: config.metadata_cache_size,
      allColumns: config.all_columns,
    };
  }

  /** The client of one project. */
  project(project: string): GordoProjectClient {
    let client = this.clients.get(project);
    if (client === undefined) {
      client = new GordoProjectClient(
        project,
        this.http,
        this.settings,
        this.logger.child({ project }),
      );
      this.clients.set(project, client);
    }
    return client;
  }
}

/** Spec keys Latigo accepts but does not use, with the reason, for one start-up log line. */
export function ignoredGordoKeys(config: GordoSection): Record<string, string> {
  const ignored: Record<string, string> = {};
  if (config.use_parquet) {
    ignored['use_parquet'] = 'Latigo sends and reads JSON';
  }
  if (config.forward_resampled_sensors) {
    ignored['forward_resampled_sensors'] = 'Latigo has no Influx forwarder';
  }
  if (config.metadata !== null) {
    ignored['metadata'] = "it only fed gordo-client's Influx forwarder";
  }
  ignored['data_provider'] = 'sensor data comes from the sensor_data section';
  ignored['prediction_forwarder'] = 'predictions go to the prediction_storage section';
  return ignored;
}
