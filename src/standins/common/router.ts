import type { IncomingHttpHeaders } from 'node:http';

import type { TokenClaims } from './bearer.js';

/** One request as a stand-in route sees it. */
export interface StandinRequest {
  readonly method: string;
  /** Path below the stand-in's base path, without query; no trailing slash (except `/`). */
  readonly path: string;
  /** Values of `:name` segments of the route pattern, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Header names in lower case, as node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** The body as UTF-8 text ('' when none). */
  readonly bodyText: string;
  /** Claims of the validated bearer token, when the stand-in requires tokens. */
  readonly token?: TokenClaims | undefined;
}

/** What a route answers: `body` is sent as JSON, `text` as is (one of them, or neither). */
export interface StandinResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly text?: string | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export type RouteHandler = (request: StandinRequest) => StandinResponse | Promise<StandinResponse>;

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path pattern below the base path: literal segments and `:name` segments, e.g. `/:id/data`. */
  readonly path: string;
  readonly handler: RouteHandler;
  /** Served without a bearer token or required headers (readiness probes). Default false. */
  readonly public?: boolean | undefined;
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/** Matches request paths to routes; one trailing slash is ignored. */
export class Router {
  private readonly compiled: readonly { route: Route; segments: readonly string[] }[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: splitPath(route.path) }));
  }

  match(method: string, path: string): RouteMatch {
    const segments = splitPath(path);
    const allowed: string[] = [];
    for (const { route, segments: pattern } of this.compiled) {
      const params = matchSegments(pattern, segments);
      if (params === undefined) {
        continue;
      }
      if (route.method === method) {
        return { kind: 'found', route, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
  }
}

/** `/a/b/` -> ['a', 'b']; `/` -> []. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(
  pattern: readonly string[],
  segments: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) {
    return undefined;
  }
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part.startsWith(':')) {
      params[part.slice(1)] = safeDecode(segment);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A JSON answer. */
export function json(
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): StandinResponse {
  return { status, body, headers };
}

/** An error answer in the `{statusCode, message}` shape the Equinor APIs use. */
export function problem(status: number, message: string): StandinResponse {
  return { status, body: { statusCode: status, message } };
}

/** Parses the body as JSON whatever the content type; undefined plus a problem when it is not. */
export function readJsonBody(
  request: StandinRequest,
): { ok: true; value: unknown } | { ok: false; response: StandinResponse } {
  try {
    return { ok: true, value: JSON.parse(request.bodyText) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, response: problem(400, `request body is not JSON: ${reason}`) };
  }
}
