import { LatigoError, isLatigoError } from '../errors/index.js';
import { HttpClient } from '../http/http-client.js';
import { DEFAULT_RETRY_POLICY } from '../http/retry.js';
import type { Logger } from '../logging/logger.js';
import { authEnabled, authHeaders, type AuthConfig } from './auth-config.js';
import type { TokenProvider } from './token-provider.js';

export interface CheckAuthOptions {
  /** Dotted config section of the `auth` block, e.g. `prediction_metadata_storage.auth`. */
  readonly section: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal | undefined;
}

/**
 * The start-up check of an `auth` section (when `verify_on_startup` is true): gets a token, then,
 * when `verification_url` is set, GETs it with the token and the extra headers and requires a 2xx
 * JSON answer holding `verification_element`. Throws AUTH_FAILED naming the section on any failure
 * (fail fast: a daemon with wrong credentials should not start). Does nothing without auth.
 */
export async function checkAuth(
  auth: AuthConfig | undefined,
  tokenProvider: TokenProvider | undefined,
  options: CheckAuthOptions,
): Promise<void> {
  if (!authEnabled(auth) || tokenProvider === undefined || !auth.verify_on_startup) {
    return;
  }
  try {
    await tokenProvider.getToken(options.signal);
  } catch (error) {
    throw startupFailure(options.section, 'no access token', error);
  }
  if (auth.verification_url === undefined || auth.verification_url === '') {
    options.logger.info({ authSection: options.section }, 'auth check passed');
    return;
  }

  const client = new HttpClient({
    service: 'auth verification',
    baseUrl: auth.verification_url,
    timeoutMs: auth.token_timeout,
    retry: { ...DEFAULT_RETRY_POLICY, attempts: 1 },
    tokenProvider,
    headers: authHeaders(auth),
    logger: options.logger,
  });
  let body: unknown;
  try {
    body = (await client.request({ method: 'GET', path: '', signal: options.signal })).body;
  } catch (error) {
    throw startupFailure(options.section, `${auth.verification_url} did not verify`, error);
  }
  const element = auth.verification_element;
  if (
    element !== undefined &&
    element !== '' &&
    (typeof body !== 'object' || body === null || !(element in body))
  ) {
    throw startupFailure(
      options.section,
      `the answer of ${auth.verification_url} has no "${element}" (a sign-in page or the wrong URL?)`,
    );
  }
  options.logger.info({ authSection: options.section }, 'auth check passed');
}

function startupFailure(section: string, what: string, cause?: unknown): LatigoError {
  const reason = isLatigoError(cause) || cause instanceof Error ? `: ${cause.message}` : '';
  return new LatigoError(
    'AUTH_FAILED',
    `start-up auth check of ${section} failed, ${what}${reason}`,
    {
      retriable: false,
      context: { section },
      cause,
    },
  );
}
