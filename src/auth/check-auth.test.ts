import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../logging/logger.js';
import { startStandinServer, type StandinServer } from '../standins/common/server.js';
import { startTokenStandin, type TokenStandin } from '../standins/token/token-standin.js';
import { authSchema, type AuthConfig } from './auth-config.js';
import { checkAuth } from './check-auth.js';
import { createTokenProvider } from './msal-token-provider.js';

const SECRET = 'check-auth-secret';
const SECTION = 'models_metadata_info.auth';

let directory: string;
const closers: (() => Promise<void>)[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'latigo-check-auth-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function startServers(): Promise<{ token: TokenStandin; api: StandinServer }> {
  const token = await startTokenStandin({
    clients: [{ clientId: 'c', clientSecret: 's' }],
    signingSecret: SECRET,
    logger: silentLogger(),
  });
  const api = await startStandinServer({
    name: 'api',
    auth: { secret: SECRET, audiences: ['api://x'] },
    requiredHeaders: { 'Ocp-Apim-Subscription-Key': 'k' },
    logger: silentLogger(),
    routes: [
      { method: 'GET', path: '/verify', handler: () => ({ status: 200, body: { ok: true } }) },
      {
        method: 'GET',
        path: '/login',
        handler: () => ({ status: 200, text: '<html>sign in</html>' }),
      },
      { method: 'GET', path: '/other', handler: () => ({ status: 200, body: { other: 1 } }) },
    ],
  });
  closers.push(
    () => token.close(),
    () => api.close(),
  );
  return { token, api };
}

function authFor(token: TokenStandin, overrides: Record<string, unknown> = {}): AuthConfig {
  const caFile = join(directory, `ca-${token.port}.pem`);
  writeFileSync(caFile, token.caCertificate);
  return authSchema.parse({
    resource: 'api://x',
    tenant: 't',
    authority_host_url: token.url,
    client_id: 'c',
    client_secret: 's',
    ca_file: caFile,
    extra_headers: { 'Ocp-Apim-Subscription-Key': 'k' },
    ...overrides,
  });
}

function check(auth: AuthConfig): Promise<void> {
  const provider = createTokenProvider(auth, { section: SECTION, logger: silentLogger() });
  return checkAuth(auth, provider, { section: SECTION, logger: silentLogger() });
}

describe('checkAuth', () => {
  it('passes when a token is obtained and the verification URL answers the element', async () => {
    const { token, api } = await startServers();

    await check(
      authFor(token, { verification_url: `${api.url}/verify`, verification_element: 'ok' }),
    );

    expect(token.issuedTokens()).toHaveLength(1);
    expect(api.requests.list().map((request) => request.status)).toEqual([200]);
  });

  it('fails fast naming the section when no token can be had', async () => {
    const { token } = await startServers();

    const failure = check(authFor(token, { client_secret: 'wrong' }));

    await expect(failure).rejects.toMatchObject({ code: 'AUTH_FAILED', retriable: false });
    await expect(failure).rejects.toThrow(
      /start-up auth check of models_metadata_info\.auth failed, no access token/,
    );
  });

  it('fails when the verification URL answers a sign-in page', async () => {
    const { token, api } = await startServers();

    await expect(check(authFor(token, { verification_url: `${api.url}/login` }))).rejects.toThrow(
      /models_metadata_info\.auth failed, .*\/login did not verify/,
    );
  });

  it('fails when the verification answer lacks the element', async () => {
    const { token, api } = await startServers();

    await expect(
      check(authFor(token, { verification_url: `${api.url}/other`, verification_element: 'ok' })),
    ).rejects.toThrow(/has no "ok"/);
  });

  it('skips the check when verify_on_startup is false', async () => {
    const { token } = await startServers();

    await check(authFor(token, { verify_on_startup: false }));

    expect(token.issuedTokens()).toHaveLength(0);
  });

  it('gets a token despite one 503 from the token endpoint', async () => {
    const { token } = await startServers();
    token.faults.add([{ type: 'status', status: 503, path: '/t/oauth2', times: 1 }]);
    const provider = createTokenProvider(authFor(token), {
      section: SECTION,
      logger: silentLogger(),
    });

    const got = await provider?.getToken();

    expect(typeof got).toBe('string');
    expect(token.requests.list().map((request) => request.status)).toEqual([200, 503, 200]);
  });

  it('reports MSAL holding back after the authority kept failing', async () => {
    const { token } = await startServers();
    token.faults.add([
      { type: 'status', status: 503, path: '/t/oauth2', retryAfter: '0', times: 3 },
    ]);
    const provider = createTokenProvider(authFor(token), {
      section: SECTION,
      logger: silentLogger(),
    });

    const first = provider?.getToken();
    await expect(first).rejects.toMatchObject({ code: 'AUTH_FAILED', retriable: true });
    const second = provider?.getToken();

    await expect(second).rejects.toThrow(/answered 429 or 5xx recently/);
  });
});
