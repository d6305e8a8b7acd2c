import { readFileSync } from 'node:fs';

import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  type INetworkModule,
} from '@azure/msal-node';

import { LatigoError } from '../errors/index.js';
import type { RetryPolicy } from '../http/retry.js';
import type { Logger } from '../logging/logger.js';
import { whenAborted } from '../util/abort.js';
import { authEnabled, authorityUrl, tokenScopes, type AuthConfig } from './auth-config.js';
import { AuthorityNetworkClient } from './authority-network-client.js';
import type { TokenProvider } from './token-provider.js';

export interface TokenProviderOptions {
  /** Dotted config section of the `auth` block, for messages, e.g. `model_info.auth`. */
  readonly section: string;
  readonly logger: Logger;
  /** MSAL's HTTP client; default an AuthorityNetworkClient limited to the authority's origin. */
  readonly networkClient?: INetworkModule | undefined;
}

/**
 * A TokenProvider for an `auth` section, or undefined when the section asks for no auth (absent
 * or empty client_id). Throws CONFIG_INVALID when `ca_file` cannot be read.
 */
export function createTokenProvider(
  auth: AuthConfig | undefined,
  options: TokenProviderOptions,
): TokenProvider | undefined {
  if (!authEnabled(auth)) {
    return undefined;
  }
  return new MsalTokenProvider(auth, options);
}

/** Retries of one authority request (network errors, 429, 5xx), inside token_timeout. */
const AUTHORITY_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
  jitter: 0.2,
};

interface CachedToken {
  readonly token: string;
  readonly obtainedMs: number;
  readonly expiresMs: number;
}

/**
 * Client-credentials tokens through MSAL, cached here and renewed `token_renewal_margin` before
 * they expire (at most half their lifetime before, so short-lived tokens are still reused).
 * Concurrent callers share one token request. MSAL's own cache is bypassed (`skipCache`) so this
 * class alone decides when to renew. MSAL is configured to contact only the authority's host:
 * the host is a known authority (no instance discovery) and the network client refuses others.
 */
export class MsalTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly scopes: string[];
  private readonly authority: string;
  private readonly logger: Logger;
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(
    private readonly auth: AuthConfig,
    private readonly options: TokenProviderOptions,
  ) {
    this.scopes = tokenScopes(auth);
    this.authority = authorityUrl(auth);
    this.logger = options.logger.child({ authSection: options.section });
    const authorityHost = new URL(auth.authority_host_url).host;
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: auth.client_id,
        clientSecret: auth.client_secret,
        authority: this.authority,
        knownAuthorities: [authorityHost],
      },
      system: {
        networkClient:
          options.networkClient ??
          new AuthorityNetworkClient({
            allowedOrigin: auth.authority_host_url,
            ca: readCaFile(auth, options.section),
            timeoutMs: auth.token_timeout,
            retry: AUTHORITY_RETRY_POLICY,
            section: options.section,
            logger: this.logger,
          }),
        loggerOptions: {
          logLevel: LogLevel.Warning,
          piiLoggingEnabled: false,
          loggerCallback: (_level, message, containsPii) => {
            if (!containsPii) {
              this.logger.debug({ msal: message }, 'msal message');
            }
          },
        },
      },
    });
  }

  async getToken(signal?: AbortSignal): Promise<string> {
    const cached = this.cached;
    if (cached !== undefined && Date.now() < renewAtMs(cached, this.auth.token_renewal_margin)) {
      return cached.token;
    }
    this.pending ??= this.acquire().finally(() => {
      this.pending = undefined;
    });
    const fresh = await abortable(this.pending, signal, this.options.section);
    return fresh.token;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async acquire(): Promise<CachedToken> {
    const startedMs = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new LatigoError(
              'AUTH_FAILED',
              `${this.options.section}: no access token from ${this.authority} within ${this.auth.token_timeout} ms`,
              { retriable: true, context: { section: this.options.section } },
            ),
          ),
        this.auth.token_timeout,
      );
    });
    try {
      const result = await Promise.race([
        this.app.acquireTokenByClientCredential({ scopes: this.scopes, skipCache: true }),
        deadline,
      ]);
      if (result === null || result.accessToken === '') {
        throw new LatigoError(
          'AUTH_FAILED',
          `${this.options.section}: ${this.authority} answered without an access token`,
          { retriable: true, context: { section: this.options.section } },
        );
      }
      const expiresMs = result.expiresOn?.getTime() ?? startedMs + 3_600_000;
      const token: CachedToken = { token: result.accessToken, obtainedMs: startedMs, expiresMs };
      this.cached = token;
      this.logger.info(
        { expiresAt: new Date(expiresMs).toISOString(), durationMs: Date.now() - startedMs },
        'access token obtained',
      );
      return token;
    } catch (error) {
      throw toAuthError(error, this.options.section, this.authority);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** When a token should be renewed: margin before expiry, at most half its lifetime before. */
function renewAtMs(token: CachedToken, marginMs: number): number {
  const lifetimeMs = token.expiresMs - token.obtainedMs;
  return token.expiresMs - Math.min(marginMs, lifetimeMs / 2);
}

function readCaFile(auth: AuthConfig, section: string): string | undefined {
  if (auth.ca_file === undefined) {
    return undefined;
  }
  try {
    return readFileSync(auth.ca_file, 'utf8');
  } catch (error) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `${section}.ca_file: cannot read "${auth.ca_file}": ${error instanceof Error ? error.message : String(error)}`,
      { context: { key: `${section}.ca_file` }, cause: error },
    );
  }
}

/** Server errors the authority may recover from; everything else (bad secret ...) is final. */
const RETRIABLE_AUTH_ERRORS = new Set([
  'network_error',
  'temporarily_unavailable',
  'server_error',
  'endpoints_resolution_error',
  'openid_config_error',
]);

function toAuthError(error: unknown, section: string, authority: string): LatigoError {
  if (error instanceof LatigoError) {
    return error;
  }
  if (error instanceof AuthError && error.errorCode === '' && error.errorMessage === '') {
    // MSAL's own throttle after a 429/5xx: it holds requests back for the Retry-After time.
    return new LatigoError(
      'AUTH_FAILED',
      `${section}: ${authority} answered 429 or 5xx recently; MSAL waits its Retry-After (60 s when none was given) before asking again`,
      { retriable: true, context: { section, authError: 'throttled' }, cause: error },
    );
  }
  if (error instanceof AuthError) {
    const retriable = RETRIABLE_AUTH_ERRORS.has(error.errorCode);
    const detail = error.errorMessage.split('\n')[0] ?? '';
    return new LatigoError(
      'AUTH_FAILED',
      `${section}: could not get an access token from ${authority}: ${error.errorCode}${detail === '' ? '' : ` (${detail})`}`,
      { retriable, context: { section, authError: error.errorCode }, cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new LatigoError(
    'AUTH_FAILED',
    `${section}: could not get an access token from ${authority}: ${reason}`,
    { retriable: true, context: { section }, cause: error },
  );
}

function abortable<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  section: string,
): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  const aborted = (): LatigoError =>
    new LatigoError('TASK_ABORTED', `${section}: token request aborted`, { cause: signal.reason });
  if (signal.aborted) {
    return Promise.reject(aborted());
  }
  return new Promise<T>((resolve, reject) => {
    const stopWaiting = whenAborted(signal, () => reject(aborted()));
    promise.then(
      (value) => {
        stopWaiting();
        resolve(value);
      },
      (error: Error) => {
        stopWaiting();
        reject(error);
      },
    );
  });
}
