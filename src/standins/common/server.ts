import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

import { LatigoError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import { verifyToken, type TokenClaims } from './bearer.js';
import { controlRoutes } from './control.js';
import { FaultInjector, type FaultRule } from './faults.js';
import { RequestLog, loggableHeaders, type LoggedRequest } from './request-log.js';
import {
  Router,
  problem,
  type Route,
  type StandinRequest,
  type StandinResponse,
} from './router.js';

/** Bearer-token checking of a stand-in (see bearer.ts). */
export interface StandinAuthOptions {
  /** The secret the token stand-in signs with. */
  readonly secret: string;
  /** Accepted audiences (resource ids); empty or absent accepts any. */
  readonly audiences?: readonly string[] | undefined;
}

export interface StandinServerOptions {
  /** Service name for logs and messages, e.g. 'metadata-api'. */
  readonly name: string;
  /** Address to bind; default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Port to bind; default 0 (any free port). */
  readonly port?: number | undefined;
  /** Prefix of every service route, e.g. `/plant/timeseries/v1.7`; default none. */
  readonly basePath?: string | undefined;
  readonly routes: readonly Route[];
  /** Extra routes below `/_control` (no token needed), e.g. a listing of stored records. */
  readonly controlRoutes?: readonly Route[] | undefined;
  /** Require `Authorization: Bearer <token>` on non-public routes; absent means no check. */
  readonly auth?: StandinAuthOptions | undefined;
  /** Headers every non-public request must carry with exactly this value (APIM key). */
  readonly requiredHeaders?: Readonly<Record<string, string>> | undefined;
  /** Fault rules active from the start (CLI `--fault`). */
  readonly faults?: readonly FaultRule[] | undefined;
  /** Serve `/_control/*`; default true. */
  readonly control?: boolean | undefined;
  /** Largest accepted request body; default 64 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /** Serve HTTPS with this PEM key and certificate instead of HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string } | undefined;
  readonly logger: Logger;
}

export interface StandinServer {
  /** Base URL, e.g. `http://127.0.0.1:40123` (without the base path). */
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  /** Stops listening and drops every open connection, hung requests included. */
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Starts a stand-in server: routing below a base path, fault injection, bearer-token and header
 * checks, a request log and the `/_control` endpoints. Binds 127.0.0.1 unless told otherwise.
 */
export async function startStandinServer(options: StandinServerOptions): Promise<StandinServer> {
  const logger = options.logger.child({ standin: options.name });
  const faults = new FaultInjector(options.faults ?? []);
  const requests = new RequestLog();
  const router = new Router(options.routes);
  const control = new Router(
    options.control === false
      ? []
      : [...controlRoutes(faults, requests), ...(options.controlRoutes ?? [])],
  );
  const context: HandlerContext = { options, logger, faults, requests, router, control };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res, context).catch((error: unknown) => {
      logger.error({ err: error }, 'stand-in failed to answer a request');
      if (!res.headersSent) {
        send(res, problem(500, 'stand-in internal error'));
      } else {
        res.destroy();
      }
    });
  };
  const server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new LatigoError(
          'STARTUP_CHECK_FAILED',
          `${options.name} stand-in could not listen on ${host}:${options.port ?? 0}: ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = options.tls === undefined ? 'http' : 'https';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, basePath: options.basePath ?? '' }, 'stand-in listening');

  return {
    url,
    port,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

interface HandlerContext {
  readonly options: StandinServerOptions;
  readonly logger: Logger;
  readonly faults: FaultInjector;
  readonly requests: RequestLog;
  readonly router: Router;
  readonly control: Router;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  context: HandlerContext,
): Promise<void> {
  const { options } = context;
  const method = (req.method ?? 'GET').toUpperCase();
  const requestUrl = new URL(req.url ?? '/', 'http://standin.invalid');
  const body = await readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (body === undefined) {
    send(res, problem(413, 'request body too large'));
    return;
  }

  if (requestUrl.pathname === '/_control' || requestUrl.pathname.startsWith('/_control/')) {
    const path = requestUrl.pathname.slice('/_control'.length) || '/';
    const answer = await dispatch(context.control, method, path, requestUrl, req, body, undefined);
    send(res, answer);
    return;
  }

  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const path = belowBasePath(requestUrl.pathname, basePath);
  const outcome = context.faults.decide(method, path ?? requestUrl.pathname);
  const entry = context.requests.record({
    receivedMs: Date.now(),
    method,
    path: path ?? requestUrl.pathname,
    query: requestUrl.search.replace(/^\?/, ''),
    headers: loggableHeaders(req.headers),
    bodyBytes: Buffer.byteLength(body),
    status: 0,
    faults: outcome.applied,
  } satisfies LoggedRequest);
  if (outcome.latencyMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, outcome.latencyMs));
  }
  if (outcome.kind === 'timeout') {
    return;
  }
  if (outcome.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (outcome.kind === 'status') {
    entry.status = outcome.status;
    send(res, {
      status: outcome.status,
      ...(outcome.body === undefined
        ? { body: { statusCode: outcome.status, message: 'fault injected by the stand-in' } }
        : { text: outcome.body }),
      headers: outcome.retryAfter === undefined ? {} : { 'Retry-After': outcome.retryAfter },
    });
    return;
  }

  const answer =
    path === undefined
      ? problem(404, `no such path: ${requestUrl.pathname} (base path is ${basePath || '/'})`)
      : await serveRoute(context, method, path, requestUrl, req, body);
  entry.status = answer.status;
  send(res, answer);
}

async function serveRoute(
  context: HandlerContext,
  method: string,
  path: string,
  requestUrl: URL,
  req: IncomingMessage,
  body: string,
): Promise<StandinResponse> {
  const match = context.router.match(method, path);
  if (match.kind !== 'found') {
    return dispatch(context.router, method, path, requestUrl, req, body, undefined);
  }
  if (match.route.public === true) {
    return dispatch(context.router, method, path, requestUrl, req, body, undefined);
  }
  const missingHeader = checkRequiredHeaders(req, context.options.requiredHeaders ?? {});
  if (missingHeader !== undefined) {
    return problem(401, missingHeader);
  }
  const auth = context.options.auth;
  if (auth === undefined) {
    return dispatch(context.router, method, path, requestUrl, req, body, undefined);
  }
  const checked = checkBearer(req, auth);
  if ('refused' in checked) {
    return {
      ...problem(401, checked.refused),
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    };
  }
  return dispatch(context.router, method, path, requestUrl, req, body, checked.claims);
}

async function dispatch(
  router: Router,
  method: string,
  path: string,
  requestUrl: URL,
  req: IncomingMessage,
  body: string,
  token: TokenClaims | undefined,
): Promise<StandinResponse> {
  const match = router.match(method, path);
  if (match.kind === 'not-found') {
    return problem(404, `no such path: ${path}`);
  }
  if (match.kind === 'method-not-allowed') {
    return {
      ...problem(405, `${method} is not allowed on ${path}`),
      headers: { Allow: match.allowed.join(', ') },
    };
  }
  const request: StandinRequest = {
    method,
    path: path === '' ? '/' : path,
    params: match.params,
    query: requestUrl.searchParams,
    headers: req.headers,
    bodyText: body,
    token,
  };
  return match.route.handler(request);
}

function checkRequiredHeaders(
  req: IncomingMessage,
  required: Readonly<Record<string, string>>,
): string | undefined {
  for (const [name, value] of Object.entries(required)) {
    const given = req.headers[name.toLowerCase()];
    if (given === undefined) {
      return `access denied: the ${name} header is missing`;
    }
    if (given !== value) {
      return `access denied: the ${name} header is not valid`;
    }
  }
  return undefined;
}

function checkBearer(
  req: IncomingMessage,
  auth: StandinAuthOptions,
): { claims: TokenClaims } | { refused: string } {
  const header = req.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  if (match?.[1] === undefined) {
    return { refused: 'a bearer token is required (Authorization: Bearer <token>)' };
  }
  const verified = verifyToken(match[1], { secret: auth.secret, audiences: auth.audiences });
  return verified.ok ? { claims: verified.claims } : { refused: verified.reason };
}

/** The path below `basePath`, or undefined when the request is outside it. */
function belowBasePath(pathname: string, basePath: string): string | undefined {
  if (basePath === '') {
    return pathname;
  }
  if (pathname === basePath || pathname === `${basePath}/`) {
    return '/';
  }
  return pathname.startsWith(`${basePath}/`) ? pathname.slice(basePath.length) : undefined;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, answer: StandinResponse): void {
  if (res.destroyed) {
    return;
  }
  const headers: Record<string, string> = {};
  let payload = '';
  if (answer.text !== undefined) {
    payload = answer.text;
    headers['Content-Type'] = 'text/plain; charset=utf-8';
  } else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  Object.assign(headers, answer.headers ?? {});
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(answer.status, headers);
  res.end(payload);
}
