import { z } from 'zod';

import { authEnabled, authHeaders, type AuthConfig } from '../../auth/auth-config.js';
import { checkAuth } from '../../auth/check-auth.js';
import { createTokenProvider } from '../../auth/msal-token-provider.js';
import type { TokenProvider } from '../../auth/token-provider.js';
import { HttpClient } from '../../http/http-client.js';
import { retryPolicyOf, type HttpSettings } from '../../http/http-config.js';
import type { SleepFunction } from '../../http/retry.js';
import type { Logger } from '../../logging/logger.js';
import type { MetadataApiConnection } from './metadata-api-config.js';
import type { MetadataRecord } from './metadata-record.js';
import { pythonJsonDumps } from './python-format.js';

export interface MetadataApiClientOptions {
  readonly baseUrl: string;
  readonly auth?: AuthConfig | undefined;
  readonly http: HttpSettings;
  /** Dotted config section, for messages: `models_metadata_info` or `prediction_metadata_storage`. */
  readonly section: string;
  readonly logger: Logger;
  /** Replaces the wait between retries. */
  readonly sleep?: SleepFunction | undefined;
}

const projectsSchema = z.object({ projects: z.array(z.string()) });
const storedSchema = z.looseObject({ model_id: z.union([z.number(), z.string()]) });

/**
 * The Prevent metadata API as Latigo uses it (contract §7): `GET /ready`, `GET /projects`,
 * `POST /models`. Bearer tokens and the extra headers (APIM key) go on every request.
 */
export class MetadataApiClient {
  private readonly http: HttpClient;
  private readonly tokenProvider: TokenProvider | undefined;

  constructor(private readonly options: MetadataApiClientOptions) {
    this.tokenProvider = createTokenProvider(options.auth, {
      section: `${options.section}.auth`,
      logger: options.logger,
    });
    this.http = new HttpClient({
      service: 'metadata-api',
      baseUrl: options.baseUrl,
      timeoutMs: options.http.timeout,
      retry: retryPolicyOf(options.http),
      tokenProvider: this.tokenProvider,
      headers: authHeaders(options.auth),
      logger: options.logger,
      sleep: options.sleep,
    });
    const headerNames = Object.keys(authHeaders(options.auth)).map((name) => name.toLowerCase());
    if (authEnabled(options.auth) && !headerNames.includes('ocp-apim-subscription-key')) {
      // The original refused to start without it; we only warn, for gateways without APIM.
      options.logger.warn(
        { section: `${options.section}.auth` },
        'no Ocp-Apim-Subscription-Key in auto_adding_headers or extra_headers; the metadata API behind APIM refuses such requests',
      );
    }
  }

  /** The base URL, for messages (never carries credentials). */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Start-up check: the auth check of the section, then `GET /ready`. */
  async check(signal?: AbortSignal): Promise<void> {
    await checkAuth(this.options.auth, this.tokenProvider, {
      section: `${this.options.section}.auth`,
      logger: this.options.logger,
      signal,
    });
    await this.http.request({ method: 'GET', path: '/ready', json: 'none', signal });
  }

  /** `GET /projects`: the project names to schedule (may be empty; callers decide). */
  async getProjects(signal?: AbortSignal): Promise<string[]> {
    const answer = await this.http.requestJson(
      { method: 'GET', path: '/projects', signal },
      projectsSchema,
    );
    return answer.projects;
  }

  /**
   * `POST /models`: records one stored prediction. Sent as the original did: Python-style JSON
   * text (sorted keys, indented) without a Content-Type header. Answers the API's `model_id`.
   */
  async postModel(record: MetadataRecord, signal?: AbortSignal): Promise<string | number> {
    const answer = await this.http.requestJson(
      { method: 'POST', path: '/models', rawBody: pythonJsonDumps(record), signal },
      storedSchema,
    );
    return answer.model_id;
  }
}

/** The client of a validated metadata API section. */
export function metadataApiClientFor(
  config: MetadataApiConnection,
  context: { readonly section: string; readonly logger: Logger },
): MetadataApiClient {
  return new MetadataApiClient({
    baseUrl: config.base_url,
    auth: config.auth,
    http: config.http,
    section: context.section,
    logger: context.logger,
  });
}
