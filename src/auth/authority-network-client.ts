import { Agent } from 'node:https';

import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

import { LatigoError } from '../errors/index.js';
import { statusError } from '../http/http-errors.js';
import { withRetry, type RetryPolicy } from '../http/retry.js';
import type { Logger } from '../logging/logger.js';

export interface AuthorityNetworkClientOptions {
  /** The one origin MSAL may contact, e.g. `https://login.microsoftonline.com`. */
  readonly allowedOrigin: string;
  /** Extra trusted CA certificates (PEM), e.g. the token stand-in's. */
  readonly ca?: string | undefined;
  readonly timeoutMs: number;
  /**
   * Retries of network errors, 429 and 5xx before MSAL sees the answer. Worth doing here: after
   * a 429 or 5xx MSAL itself refuses the same request for the Retry-After time (60 s if none).
   */
  readonly retry: RetryPolicy;
  /** Config section for messages. */
  readonly section: string;
  readonly logger: Logger;
}

/**
 * MSAL's HTTP client (`system.networkClient`): axios, limited to the configured authority's
 * origin. A request anywhere else (instance discovery, region discovery, a redirect target) is
 * refused before any connection is made, so MSAL never talks to a host the config did not name.
 */
export class AuthorityNetworkClient implements INetworkModule {
  private readonly axios: AxiosInstance;
  private readonly allowedOrigin: string;

  constructor(private readonly options: AuthorityNetworkClientOptions) {
    this.allowedOrigin = new URL(options.allowedOrigin).origin;
    this.axios = axios.create({
      httpsAgent: new Agent({
        keepAlive: true,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      }),
      maxRedirects: 0,
      proxy: false,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      timeout: options.timeoutMs,
    });
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeoutMs?: number,
  ): Promise<NetworkResponse<T>> {
    const origin = originOf(url);
    if (origin !== this.allowedOrigin) {
      this.options.logger.warn(
        {
          authSection: this.options.section,
          refusedOrigin: origin,
          allowedOrigin: this.allowedOrigin,
        },
        'refused an auth request to a host that is not the configured authority',
      );
      throw new Error(
        `${this.options.section}: refused to contact ${origin}; only the configured authority ${this.allowedOrigin} may be contacted`,
      );
    }
    const target = {
      service: 'authority',
      method,
      url: new URL(url).pathname,
      path: new URL(url).pathname,
    };
    let lastTransient: AxiosResponse<string> | undefined;
    let response: AxiosResponse<string>;
    try {
      response = await withRetry(
        async () => {
          const answer = await this.axios
            .request<string>({
              method,
              url,
              headers: options?.headers ?? {},
              data: options?.body,
              ...(timeoutMs === undefined
                ? {}
                : { timeout: Math.min(timeoutMs, this.options.timeoutMs) }),
            })
            .catch((error: unknown) => {
              throw new LatigoError(
                'HTTP_NETWORK',
                `${this.options.section}: ${url} could not be reached`,
                {
                  retriable: true,
                  cause: error,
                },
              );
            });
          if (answer.status === 429 || answer.status >= 500) {
            lastTransient = answer;
            throw statusError(target, answer.status, '', flatten(answer.headers));
          }
          return answer;
        },
        this.options.retry,
        { logger: this.options.logger },
      );
    } catch (error) {
      if (lastTransient === undefined || (error as LatigoError).code === 'HTTP_NETWORK') {
        throw error;
      }
      // Out of retries: hand MSAL the authority's own answer so its error names the cause.
      response = lastTransient;
    }
    return {
      status: response.status,
      headers: flatten(response.headers),
      body: parseBody(response.data) as T,
    };
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** MSAL expects a parsed JSON body; a non-JSON body (a sign-in page) becomes an empty object. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function flatten(headers: AxiosResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') {
      flat[name.toLowerCase()] = String(value);
    }
  }
  return flat;
}
