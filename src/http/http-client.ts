import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';

import type { TokenProvider } from '../auth/token-provider.js';
import type { Logger } from '../logging/logger.js';
import { followSignal } from '../util/abort.js';
import {
  abortedError,
  badResponseError,
  bodyExcerpt,
  networkError,
  statusError,
  timeoutError,
  type RequestTarget,
} from './http-errors.js';
import { parsePythonJson } from './python-json.js';
import { withRetry, type RetryPolicy, type SleepFunction } from './retry.js';

export interface HttpClientOptions {
  /** Service name for messages and logs: 'gordo', 'time-series-api', 'metadata-api', ... */
  readonly service: string;
  /** Prefix of every request path, e.g. `http://127.0.0.1:8080/plant/timeseries/v1.7`. */
  readonly baseUrl: string;
  /** Deadline of one attempt, from sending to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  /** Adds `Authorization: Bearer <token>` to every request when set. */
  readonly tokenProvider?: TokenProvider | undefined;
  /** Extra headers on every request (e.g. Ocp-Apim-Subscription-Key); they win over defaults. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly logger: Logger;
  /** Replaces the wait between retries (benchmarks, tests that record delays). */
  readonly sleep?: SleepFunction | undefined;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the base URL; a leading slash is added when missing. */
  readonly path: string;
  /** Query parameters; a list repeats the key (`tag=a&tag=b`); undefined values are left out. */
  readonly query?: Readonly<Record<string, QueryValue>> | undefined;
  /** Sent as JSON with `Content-Type: application/json`. */
  readonly body?: unknown;
  /** Sent as is, without a Content-Type header (the metadata API's quirk). Wins over `body`. */
  readonly rawBody?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * How a 2xx body is read: 'strict' JSON (default), 'python' JSON that also accepts NaN and
   * Infinity tokens (Gordo), or 'none' to get the body as text (e.g. a readiness `Ok`).
   */
  readonly json?: 'strict' | 'python' | 'none' | undefined;
  /** Whether retriable failures are retried by the client's policy; default true. */
  readonly retry?: boolean | undefined;
}

export interface HttpResponse<T = unknown> {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON (undefined for an empty body), or the text when `json: 'none'`. */
  readonly body: T;
}

/**
 * A small JSON-over-HTTP client for one service: deadlines, bearer tokens, retries with backoff
 * and Retry-After, and typed errors (HTTP_NETWORK, HTTP_TIMEOUT, HTTP_THROTTLED, HTTP_STATUS,
 * HTTP_BAD_RESPONSE, TASK_ABORTED). Redirects are not followed: a 3xx is an HTTP_STATUS error
 * naming the Location, because an API that redirects is usually a wrong base URL or a sign-in.
 */
export class HttpClient {
  private readonly axios: AxiosInstance;
  private readonly baseUrl: string;
  private readonly logger: Logger;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.logger = options.logger.child({ service: options.service });
    this.axios = axios.create({
      maxRedirects: 0,
      responseType: 'text',
      transformRequest: [(data: unknown) => data],
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      proxy: false,
      maxContentLength: Infinity,
      maxBodyLength: Infinity,
    });
  }

  /**
   * Sends a request, retrying retriable failures. A 2xx must carry JSON (unless `json: 'none'`):
   * anything else, such as an HTML sign-in page, is HTTP_BAD_RESPONSE.
   */
  request(request: HttpRequest): Promise<HttpResponse> {
    if (request.retry === false) {
      return this.attempt(request, 1);
    }
    return withRetry((attempt) => this.attempt(request, attempt), this.options.retry, {
      signal: request.signal,
      logger: this.logger,
      sleep: this.options.sleep,
    });
  }

  /** request(), then checks the body against `schema`; a mismatch is HTTP_BAD_RESPONSE. */
  async requestJson<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<T> {
    const response = await this.request(request);
    const parsed = schema.safeParse(response.body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ');
      throw badResponseError(this.target(request), response.status, issues, parsed.error);
    }
    return parsed.data;
  }

  private async attempt(request: HttpRequest, attempt: number): Promise<HttpResponse> {
    const target = this.target(request);
    const startedMs = Date.now();
    const headers = await this.headersFor(request);
    const response = await this.send(request, target, headers);

    if (response.status === 401 && this.options.tokenProvider?.invalidate !== undefined) {
      // A token the server no longer accepts (revoked, key rotated): fetch a new one now.
      this.options.tokenProvider.invalidate();
    }
    const responseHeaders = flattenHeaders(response.headers);
    const text = typeof response.data === 'string' ? response.data : '';
    this.logger.debug(
      {
        method: target.method,
        path: target.path,
        status: response.status,
        attempt,
        durationMs: Date.now() - startedMs,
      },
      'http request finished',
    );
    if (response.status < 200 || response.status >= 300) {
      throw statusError(target, response.status, text, responseHeaders);
    }
    return {
      status: response.status,
      headers: responseHeaders,
      body: this.parseBody(request, target, response.status, text, responseHeaders),
    };
  }

  private async send(
    request: HttpRequest,
    target: RequestTarget,
    headers: Record<string, string | false>,
  ): Promise<AxiosResponse<unknown>> {
    // Aborted at the deadline, or with the caller's signal.
    const deadline = followSignal(request.signal);
    const timer = setTimeout(() => deadline.controller.abort(), this.options.timeoutMs);
    const { signal } = deadline.controller;
    try {
      return await this.axios.request({
        method: request.method,
        url: target.url + queryString(request.query),
        headers,
        data:
          request.rawBody ??
          (request.body === undefined ? undefined : JSON.stringify(request.body)),
        signal,
      });
    } catch (error) {
      if (request.signal?.aborted === true) {
        throw abortedError(target, error);
      }
      if (signal.aborted) {
        throw timeoutError(target, this.options.timeoutMs);
      }
      throw networkError(target, error);
    } finally {
      clearTimeout(timer);
      deadline.release();
    }
  }

  private async headersFor(request: HttpRequest): Promise<Record<string, string | false>> {
    // `false` keeps axios from adding its form content type to a raw body.
    const headers: Record<string, string | false> = {
      Accept: 'application/json',
      'Content-Type':
        request.rawBody === undefined && request.body !== undefined ? 'application/json' : false,
    };
    if (this.options.tokenProvider !== undefined) {
      headers['Authorization'] =
        `Bearer ${await this.options.tokenProvider.getToken(request.signal)}`;
    }
    return { ...headers, ...this.options.headers };
  }

  private parseBody(
    request: HttpRequest,
    target: RequestTarget,
    status: number,
    text: string,
    headers: Readonly<Record<string, string>>,
  ): unknown {
    const mode = request.json ?? 'strict';
    if (mode === 'none') {
      return text;
    }
    if (text.trim() === '') {
      return undefined;
    }
    try {
      return mode === 'python' ? parsePythonJson(text) : JSON.parse(text);
    } catch (error) {
      const contentType = headers['content-type'] ?? 'no content type';
      throw badResponseError(
        target,
        status,
        `not JSON (${contentType}): "${bodyExcerpt(text).slice(0, 120)}"`,
        error,
      );
    }
  }

  private target(request: HttpRequest): RequestTarget {
    const path =
      request.path.startsWith('/') || request.path === '' ? request.path : `/${request.path}`;
    return {
      service: this.options.service,
      method: request.method,
      url: `${this.baseUrl}${path}`,
      path,
    };
  }
}

function queryString(query: HttpRequest['query']): string {
  if (query === undefined) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) {
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) {
        params.append(key, item);
      }
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (typeof value === 'string' || typeof value === 'number') {
      flat[name.toLowerCase()] = String(value);
    } else if (Array.isArray(value)) {
      flat[name.toLowerCase()] = value.map(String).join(', ');
    }
  }
  return flat;
}
