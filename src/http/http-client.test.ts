import { getEventListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { waitUntil } from '../../test/support/wait.js';
import { silentLogger } from '../logging/logger.js';
import { startStandinServer, type Route, type StandinServer } from '../standins/common/index.js';
import { HttpClient, type HttpClientOptions } from './http-client.js';
import type { RetryPolicy } from './retry.js';

const FAST_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 5,
  maxRetryAfterMs: 5_000,
  jitter: 0,
};

const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/items',
    handler: (request) => ({
      status: 200,
      body: { tags: request.query.getAll('tag'), limit: request.query.get('limit') },
    }),
  },
  {
    method: 'POST',
    path: '/echo',
    handler: (request) => ({
      status: 200,
      body: { contentType: request.headers['content-type'] ?? null, text: request.bodyText },
    }),
  },
  {
    method: 'GET',
    path: '/headers',
    handler: (request) => ({
      status: 200,
      body: {
        authorization: request.headers.authorization ?? null,
        key: request.headers['ocp-apim-subscription-key'] ?? null,
      },
    }),
  },
  {
    method: 'GET',
    path: '/sign-in',
    handler: () => ({
      status: 200,
      text: '<html><body>Sign in to your account</body></html>',
      headers: { 'Content-Type': 'text/html' },
    }),
  },
  {
    method: 'GET',
    path: '/python',
    handler: () => ({ status: 200, text: '{"values": [1.5, NaN, Infinity]}' }),
  },
  { method: 'GET', path: '/ready', handler: () => ({ status: 200, text: 'Ok' }) },
  {
    method: 'GET',
    path: '/moved',
    handler: () => ({ status: 302, headers: { Location: 'http://127.0.0.1:9/login' } }),
  },
  { method: 'GET', path: '/missing', handler: () => ({ status: 404, text: 'no such thing' }) },
];

const servers: StandinServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(): Promise<StandinServer> {
  const server = await startStandinServer({ name: 'test', routes: ROUTES, logger: silentLogger() });
  servers.push(server);
  return server;
}

function createClient(
  server: { url: string },
  overrides: Partial<HttpClientOptions> = {},
): HttpClient {
  return new HttpClient({
    service: 'test-api',
    baseUrl: server.url,
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    logger: silentLogger(),
    ...overrides,
  });
}

describe('HttpClient', () => {
  it('sends query lists as repeated keys and answers the parsed JSON', async () => {
    const server = await startServer();

    const response = await createClient(server).request({
      method: 'GET',
      path: 'items',
      query: { tag: ['a', 'b c'], limit: 10, skip: undefined },
    });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ tags: ['a', 'b c'], limit: '10' });
    expect(response.headers['content-type']).toContain('application/json');
  });

  it('sends a body as JSON with a content type, and a raw body without one', async () => {
    const server = await startServer();
    const client = createClient(server);

    const asJson = await client.request({ method: 'POST', path: '/echo', body: { a: 1 } });
    const raw = await client.request({
      method: 'POST',
      path: '/echo',
      rawBody: '{\n    "a": 1\n}',
    });

    expect(asJson.body).toEqual({ contentType: 'application/json', text: '{"a":1}' });
    expect(raw.body).toEqual({ contentType: null, text: '{\n    "a": 1\n}' });
  });

  it('adds the bearer token and the configured extra headers', async () => {
    const server = await startServer();
    const client = createClient(server, {
      tokenProvider: { getToken: () => Promise.resolve('token-1') },
      headers: { 'Ocp-Apim-Subscription-Key': 'key-1' },
    });

    const response = await client.request({ method: 'GET', path: '/headers' });

    expect(response.body).toEqual({ authorization: 'Bearer token-1', key: 'key-1' });
  });

  it('retries a 429 after the Retry-After seconds the server gave', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'status', status: 429, retryAfter: '2', times: 1 }]);
    const delays: number[] = [];
    const client = createClient(server, {
      sleep: (ms) => {
        delays.push(ms);
        return Promise.resolve();
      },
    });

    const response = await client.request({ method: 'GET', path: '/items' });

    expect(response.status).toBe(200);
    expect(delays).toEqual([2_000]);
    expect(server.requests.list().map((request) => request.status)).toEqual([429, 200]);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const server = await startServer();
    const retryAt = new Date(Date.now() + 3_000).toUTCString();
    server.faults.add([{ type: 'status', status: 429, retryAfter: retryAt }]);

    const failure = await createClient(server, { retry: { ...FAST_RETRY, attempts: 1 } })
      .request({ method: 'GET', path: '/items' })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'HTTP_THROTTLED', retriable: true });
    const retryAfterMs = (failure as { context: { retryAfterMs: number } }).context.retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(1_000);
    expect(retryAfterMs).toBeLessThanOrEqual(3_000);
  });

  it('retries 5xx answers and gives up after the configured attempts', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'status', status: 502, body: '' }]);

    const failure = createClient(server).request({ method: 'GET', path: '/items' });

    await expect(failure).rejects.toMatchObject({
      code: 'HTTP_STATUS',
      retriable: true,
      context: { status: 502, service: 'test-api', path: '/items' },
    });
    expect(server.requests.list()).toHaveLength(3);
  });

  it('does not retry a 404 and quotes the body in the message', async () => {
    const server = await startServer();

    const failure = createClient(server).request({ method: 'GET', path: '/missing' });

    await expect(failure).rejects.toMatchObject({ code: 'HTTP_STATUS', retriable: false });
    await expect(failure).rejects.toThrow(/status 404: "no such thing"/);
    expect(server.requests.list()).toHaveLength(1);
  });

  it('does not follow a redirect and names where it pointed', async () => {
    const server = await startServer();

    await expect(createClient(server).request({ method: 'GET', path: '/moved' })).rejects.toThrow(
      /redirect \(302\) to http:\/\/127\.0\.0\.1:9\/login/,
    );
  });

  it('gives up an attempt after the timeout and retries it', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'timeout', times: 1 }]);

    const response = await createClient(server, { timeoutMs: 200 }).request({
      method: 'GET',
      path: '/items',
    });

    expect(response.status).toBe(200);
    expect(server.requests.list()).toHaveLength(2);
  });

  it('reports a timeout as HTTP_TIMEOUT when no attempt answers', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'timeout' }]);

    const failure = createClient(server, {
      timeoutMs: 100,
      retry: { ...FAST_RETRY, attempts: 2 },
    }).request({ method: 'GET', path: '/items' });

    await expect(failure).rejects.toMatchObject({ code: 'HTTP_TIMEOUT', retriable: true });
  });

  it('reports a dropped connection as a retriable HTTP_NETWORK error', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'reset' }]);

    const failure = createClient(server).request({ method: 'GET', path: '/items' });

    await expect(failure).rejects.toMatchObject({ code: 'HTTP_NETWORK', retriable: true });
  });

  it('reports a refused connection as HTTP_NETWORK', async () => {
    const closedPort = await freePort();

    const failure = createClient({ url: `http://127.0.0.1:${closedPort}` }).request({
      method: 'GET',
      path: '/items',
    });

    await expect(failure).rejects.toMatchObject({
      code: 'HTTP_NETWORK',
      context: { networkCode: 'ECONNREFUSED' },
    });
  });

  it('treats a 2xx sign-in page as HTTP_BAD_RESPONSE without retrying', async () => {
    const server = await startServer();

    const failure = createClient(server).request({ method: 'GET', path: '/sign-in' });

    await expect(failure).rejects.toMatchObject({ code: 'HTTP_BAD_RESPONSE', retriable: false });
    await expect(failure).rejects.toThrow(/not JSON \(text\/html\)/);
    expect(server.requests.list()).toHaveLength(1);
  });

  it('accepts NaN and Infinity tokens in python mode and refuses them in strict mode', async () => {
    const server = await startServer();
    const client = createClient(server);

    const response = await client.request({ method: 'GET', path: '/python', json: 'python' });
    const strict = client.request({ method: 'GET', path: '/python' });

    const values = (response.body as { values: number[] }).values;
    expect(values[0]).toBe(1.5);
    expect(values[1]).toBeNaN();
    expect(values[2]).toBe(Number.POSITIVE_INFINITY);
    await expect(strict).rejects.toMatchObject({ code: 'HTTP_BAD_RESPONSE' });
  });

  it('answers the text of a non-JSON body when asked for none', async () => {
    const server = await startServer();

    const response = await createClient(server).request({
      method: 'GET',
      path: '/ready',
      json: 'none',
    });

    expect(response.body).toBe('Ok');
  });

  it('checks the body against a schema and names the path on a mismatch', async () => {
    const server = await startServer();
    const client = createClient(server);

    const good = await client.requestJson(
      { method: 'GET', path: '/items' },
      z.object({ tags: z.array(z.string()) }),
    );
    const bad = client.requestJson({ method: 'GET', path: '/items' }, z.object({ id: z.number() }));

    expect(good.tags).toEqual([]);
    await expect(bad).rejects.toMatchObject({ code: 'HTTP_BAD_RESPONSE' });
    await expect(bad).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/items .*id:/);
  });

  it('asks the token provider for a new token after a 401', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'status', status: 401, times: 1 }]);
    let invalidated = 0;
    const client = createClient(server, {
      tokenProvider: {
        getToken: () => Promise.resolve('t'),
        invalidate: () => {
          invalidated += 1;
        },
      },
    });

    const failure = client.request({ method: 'GET', path: '/items' });

    await expect(failure).rejects.toMatchObject({ code: 'HTTP_STATUS', context: { status: 401 } });
    expect(invalidated).toBe(1);
  });

  it('puts one abort listener on a signal shared by many requests, and none after them', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'latency', ms: 100 }]);
    const stop = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const client = createClient(server);
    try {
      const requests = Array.from({ length: 25 }, () =>
        client.request({ method: 'GET', path: 'items', signal: stop.signal }),
      );
      await waitUntil(
        'every request at the server, waiting out its latency',
        () => server.requests.list().length >= 25,
        { intervalMs: 5 },
      );
      const listenersWhileRunning = getEventListeners(stop.signal, 'abort').length;
      await Promise.all(requests);

      expect(listenersWhileRunning).toBe(1);
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual(
        [],
      );
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('stops with TASK_ABORTED when the caller aborts', async () => {
    const server = await startServer();
    server.faults.add([{ type: 'timeout' }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const failure = createClient(server, { timeoutMs: 10_000 }).request({
      method: 'GET',
      path: '/items',
      signal: controller.signal,
    });

    await expect(failure).rejects.toMatchObject({ code: 'TASK_ABORTED' });
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
