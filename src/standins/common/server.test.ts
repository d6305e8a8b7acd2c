import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../logging/logger.js';
import { signToken, type TokenClaims } from './bearer.js';
import { startStandinServer, type StandinServer, type StandinServerOptions } from './server.js';

const SECRET = 'test-secret';
const servers: StandinServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(overrides: Partial<StandinServerOptions> = {}): Promise<StandinServer> {
  const server = await startStandinServer({
    name: 'test',
    logger: silentLogger(),
    routes: [
      {
        method: 'GET',
        path: '/things/:id',
        handler: (request) => ({
          status: 200,
          body: { id: request.params['id'], client: request.token?.sub ?? null },
        }),
      },
      { method: 'GET', path: '/ready', public: true, handler: () => ({ status: 200, text: 'Ok' }) },
    ],
    ...overrides,
  });
  servers.push(server);
  return server;
}

function claims(overrides: Partial<TokenClaims> = {}): TokenClaims {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return {
    aud: 'api://metadata',
    iss: 'http://127.0.0.1/tenant/',
    sub: 'client-1',
    appid: 'client-1',
    tid: 'tenant',
    iat: nowSeconds,
    nbf: nowSeconds - 1,
    exp: nowSeconds + 60,
    ver: '1.0',
    ...overrides,
  };
}

async function get(
  server: StandinServer,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}${path}`, { headers });
  const text = await response.text();
  return { status: response.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('startStandinServer', () => {
  it('routes below the base path, with or without a trailing slash', async () => {
    const server = await startServer({ basePath: '/api/v1' });

    expect(await get(server, '/api/v1/things/a%20b')).toMatchObject({
      status: 200,
      body: { id: 'a b' },
    });
    expect((await get(server, '/api/v1/things/x/')).status).toBe(200);
    expect((await get(server, '/things/x')).status).toBe(404);
  });

  it('answers 405 for a known path with another method', async () => {
    const server = await startServer();

    const response = await fetch(`${server.url}/things/1`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });

  it('requires a valid bearer token when auth is on, except on public routes', async () => {
    const server = await startServer({ auth: { secret: SECRET, audiences: ['api://metadata'] } });

    const missing = await get(server, '/things/1');
    const forged = await get(server, '/things/1', {
      Authorization: `Bearer ${signToken(claims(), 'other-secret')}`,
    });
    const expired = await get(server, '/things/1', {
      Authorization: `Bearer ${signToken(claims({ exp: Math.floor(Date.now() / 1000) - 5 }), SECRET)}`,
    });
    const wrongAudience = await get(server, '/things/1', {
      Authorization: `Bearer ${signToken(claims({ aud: 'api://other' }), SECRET)}`,
    });
    const valid = await get(server, '/things/1', {
      Authorization: `Bearer ${signToken(claims(), SECRET)}`,
    });

    expect(missing.status).toBe(401);
    expect(forged).toMatchObject({ status: 401, body: { message: 'token signature is invalid' } });
    expect(expired).toMatchObject({ status: 401, body: { message: 'token expired' } });
    expect(wrongAudience.status).toBe(401);
    expect(valid).toMatchObject({ status: 200, body: { client: 'client-1' } });
    expect(await get(server, '/ready')).toEqual({ status: 200, body: 'Ok' });
  });

  it('requires configured headers with their exact value', async () => {
    const server = await startServer({ requiredHeaders: { 'Ocp-Apim-Subscription-Key': 'k1' } });

    expect((await get(server, '/things/1')).status).toBe(401);
    expect((await get(server, '/things/1', { 'Ocp-Apim-Subscription-Key': 'k2' })).status).toBe(
      401,
    );
    expect((await get(server, '/things/1', { 'Ocp-Apim-Subscription-Key': 'k1' })).status).toBe(
      200,
    );
  });

  it('applies fault rules set through the control endpoint, the given number of times', async () => {
    const server = await startServer();

    const set = await fetch(`${server.url}/_control/faults`, {
      method: 'POST',
      body: JSON.stringify({
        type: 'status',
        status: 429,
        retryAfter: '7',
        times: 2,
        path: '/things',
      }),
    });
    const first = await fetch(`${server.url}/things/1`);
    const second = await fetch(`${server.url}/things/1`);
    const third = await fetch(`${server.url}/things/1`);

    expect(set.status).toBe(200);
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(await get(server, '/_control/faults')).toEqual({ status: 200, body: { faults: [] } });
  });

  it('refuses an invalid fault rule with a message naming the problem', async () => {
    const server = await startServer();

    const response = await fetch(`${server.url}/_control/faults`, {
      method: 'POST',
      body: JSON.stringify({ type: 'latency' }),
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('a latency rule needs \\"ms\\"');
  });

  it('names the known rule types and the rule at fault, in every body shape', async () => {
    const server = await startServer();
    const post = async (body: unknown): Promise<string> => {
      const response = await fetch(`${server.url}/_control/faults`, {
        method: 'POST',
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      return ((await response.json()) as { message: string }).message;
    };

    const single = await post({ type: 'slow' });
    const listed = await post([{ type: 'reset' }, { type: 'slow' }]);
    const wrapped = await post({ faults: [{ type: 'latency', ms: -1 }] });

    expect(single).toMatch(/^invalid fault rule: type: .*"latency".*"status".*"timeout".*"reset"/);
    expect(listed).toMatch(/^invalid fault rule: 1\.type: /);
    expect(wrapped).toMatch(/^invalid fault rule: faults\.0\.ms: /);
    expect(await get(server, '/_control/faults')).toEqual({ status: 200, body: { faults: [] } });
  });

  it('delays answers by the latency rules', async () => {
    const server = await startServer({ faults: [{ type: 'latency', ms: 150, times: 1 }] });

    const startedMs = Date.now();
    const response = await fetch(`${server.url}/things/1`);

    expect(response.status).toBe(200);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(140);
  });

  it('logs requests without secret header values, and clears the log on request', async () => {
    const server = await startServer();
    await get(server, '/things/1?x=1', { Authorization: 'Bearer secret', 'X-Other': 'visible' });

    const log = (await get(server, '/_control/requests')).body as {
      requests: { path: string; query: string; status: number; headers: Record<string, string> }[];
    };
    await fetch(`${server.url}/_control/requests`, { method: 'DELETE' });

    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]).toMatchObject({ path: '/things/1', query: 'x=1', status: 200 });
    expect(log.requests[0]?.headers['authorization']).toBe('[present]');
    expect(log.requests[0]?.headers['x-other']).toBe('visible');
    expect(server.requests.list()).toEqual([]);
  });

  it('closes while a request hangs in a timeout fault', async () => {
    const server = await startServer({ faults: [{ type: 'timeout' }] });
    const hanging = fetch(`${server.url}/things/1`).catch((error: unknown) => error);
    await waitFor(() => server.requests.list().length === 1);

    await server.close();
    servers.splice(servers.indexOf(server), 1);

    expect(await hanging).toBeInstanceOf(Error);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
