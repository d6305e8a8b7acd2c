import { authHeaders, checkAuth, createTokenProvider, type AuthConfig } from '../../auth/index.js';
import { HttpClient, retryPolicyOf, type HttpSettings } from '../../http/index.js';
import type { ProviderContext } from '../../registry/registry.js';
import { SeriesDirectory } from './series-directory.js';
import { TimeSeriesApiClient } from './time-series-api-client.js';

/** The keys of a time_series_api section that the connection needs. */
export interface TimeSeriesApiConnectionConfig {
  readonly base_url: string;
  readonly async: boolean;
  readonly auth?: AuthConfig | undefined;
  readonly http: HttpSettings;
  readonly cache_ttl: number;
}

/** Paging and chunking of one provider. */
export interface TimeSeriesApiLimits {
  readonly pageLimit: number;
  readonly idsPerRead: number;
  readonly pointsPerWrite: number;
}

export interface TimeSeriesApiConnection {
  readonly client: TimeSeriesApiClient;
  readonly directory: SeriesDirectory;
}

/**
 * Builds the client and id directory of a `sensor_data` or `prediction_storage` section of type
 * time_series_api, and runs the start-up auth check (a token can be had, and the verification
 * URL answers, when the section asks for auth). Throws AUTH_FAILED naming the section.
 */
export async function connectTimeSeriesApi(
  config: TimeSeriesApiConnectionConfig,
  limits: TimeSeriesApiLimits,
  context: ProviderContext,
): Promise<TimeSeriesApiConnection> {
  const logger = context.logger.child({ section: context.section });
  const authSection = `${context.section}.auth`;
  const tokenProvider = createTokenProvider(config.auth, { section: authSection, logger });
  const http = new HttpClient({
    service: 'time-series-api',
    baseUrl: config.base_url,
    timeoutMs: config.http.timeout,
    retry: retryPolicyOf(config.http),
    tokenProvider,
    headers: authHeaders(config.auth),
    logger,
  });
  const client = new TimeSeriesApiClient({
    http,
    ...limits,
    asyncWrites: config.async,
    logger,
  });
  await checkAuth(config.auth, tokenProvider, { section: authSection, logger });
  return {
    client,
    directory: new SeriesDirectory({ client, cacheTtlMs: config.cache_ttl, logger }),
  };
}
