import { LatigoError } from '../errors/index.js';

/** Where a request went, for error messages and context. Never includes headers or bodies. */
export interface RequestTarget {
  readonly service: string;
  readonly method: string;
  readonly url: string;
  readonly path: string;
}

const EXCERPT_LENGTH = 300;

/** The first few hundred characters of a body on one line, for messages. */
export function bodyExcerpt(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > EXCERPT_LENGTH ? `${oneLine.slice(0, EXCERPT_LENGTH)}...` : oneLine;
}

/**
 * Reads a Retry-After header: whole seconds or an HTTP date. Undefined when absent or unreadable;
 * a date in the past gives 0.
 */
export function parseRetryAfterMs(
  value: string | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    return Math.round(Number(trimmed) * 1000);
  }
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/** The error for a non-2xx answer: HTTP_THROTTLED for 429, else HTTP_STATUS. */
export function statusError(
  target: RequestTarget,
  status: number,
  body: string,
  headers: Readonly<Record<string, string>>,
): LatigoError {
  const retryAfterMs = parseRetryAfterMs(headers['retry-after']);
  const context = {
    service: target.service,
    method: target.method,
    path: target.path,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  const excerpt = bodyExcerpt(body);
  const said = excerpt === '' ? 'an empty body' : `"${excerpt}"`;
  if (status === 429) {
    return new LatigoError(
      'HTTP_THROTTLED',
      `${target.service} throttled ${target.method} ${target.url} (429${retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`}): ${said}`,
      { retriable: true, context },
    );
  }
  if (status >= 300 && status < 400) {
    const location = headers['location'] ?? 'nowhere';
    return new LatigoError(
      'HTTP_STATUS',
      `${target.service} answered ${target.method} ${target.url} with a redirect (${status}) to ${location}; redirects are not followed, check the base URL`,
      { retriable: false, context },
    );
  }
  return new LatigoError(
    'HTTP_STATUS',
    `${target.service} answered ${target.method} ${target.url} with status ${status}: ${said}`,
    { retriable: status >= 500 || status === 408, context },
  );
}

/** A 2xx answer whose body is not what was expected (not JSON, wrong shape, a sign-in page). */
export function badResponseError(
  target: RequestTarget,
  status: number,
  problem: string,
  cause?: unknown,
): LatigoError {
  return new LatigoError(
    'HTTP_BAD_RESPONSE',
    `${target.service} answered ${target.method} ${target.url} (${status}) with an unexpected body: ${problem}`,
    {
      retriable: false,
      context: { service: target.service, method: target.method, path: target.path, status },
      cause,
    },
  );
}

export function timeoutError(target: RequestTarget, timeoutMs: number): LatigoError {
  return new LatigoError(
    'HTTP_TIMEOUT',
    `${target.service} did not answer ${target.method} ${target.url} within ${timeoutMs} ms`,
    {
      retriable: true,
      context: { service: target.service, method: target.method, path: target.path, timeoutMs },
    },
  );
}

export function networkError(target: RequestTarget, cause: unknown): LatigoError {
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : undefined;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new LatigoError(
    'HTTP_NETWORK',
    `${target.service} could not be reached for ${target.method} ${target.url}: ${reason}`,
    {
      retriable: true,
      context: {
        service: target.service,
        method: target.method,
        path: target.path,
        ...(code === undefined ? {} : { networkCode: code }),
      },
      cause,
    },
  );
}

export function abortedError(target: RequestTarget, cause: unknown): LatigoError {
  return new LatigoError(
    'TASK_ABORTED',
    `${target.method} ${target.url} to ${target.service} was aborted`,
    { retriable: false, context: { service: target.service, path: target.path }, cause },
  );
}
