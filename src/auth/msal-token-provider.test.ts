import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INetworkModule } from '@azure/msal-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { silentLogger } from '../logging/logger.js';
import { verifyToken } from '../standins/common/bearer.js';
import { startTokenStandin, type TokenStandin } from '../standins/token/token-standin.js';
import { authSchema, type AuthConfig } from './auth-config.js';
import { AuthorityNetworkClient } from './authority-network-client.js';
import { createTokenProvider } from './msal-token-provider.js';

const SIGNING_SECRET = 'signing-secret-for-tests';
const RESOURCE = 'api://latigo-test-resource';
const SECTION = 'prediction_metadata_storage.auth';

let directory: string;
const standins: TokenStandin[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'latigo-auth-'));
});

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(standins.splice(0).map((standin) => standin.close()));
});

async function startStandin(expiresInSeconds = 3600): Promise<TokenStandin> {
  const standin = await startTokenStandin({
    clients: [{ clientId: 'client-1', clientSecret: 'secret-1' }],
    tenants: ['tenant-1'],
    signingSecret: SIGNING_SECRET,
    expiresInSeconds,
    logger: silentLogger(),
  });
  standins.push(standin);
  return standin;
}

function authFor(standin: TokenStandin, overrides: Record<string, unknown> = {}): AuthConfig {
  const caFile = join(directory, `ca-${standin.port}.pem`);
  writeFileSync(caFile, standin.caCertificate);
  return authSchema.parse({
    resource: RESOURCE,
    tenant: 'tenant-1',
    authority_host_url: standin.url,
    client_id: 'client-1',
    client_secret: 'secret-1',
    ca_file: caFile,
    ...overrides,
  });
}

function providerFor(auth: AuthConfig, networkClient?: INetworkModule) {
  const provider = createTokenProvider(auth, {
    section: SECTION,
    logger: silentLogger(),
    networkClient,
  });
  if (provider === undefined) {
    throw new Error('expected a token provider');
  }
  return provider;
}

/** Records every URL MSAL asks for, then lets the real client handle it. */
function recordingClient(inner: INetworkModule, urls: string[]): INetworkModule {
  return {
    sendGetRequestAsync: (url, options, timeout) => {
      urls.push(url);
      return inner.sendGetRequestAsync(url, options, timeout);
    },
    sendPostRequestAsync: (url, options) => {
      urls.push(url);
      return inner.sendPostRequestAsync(url, options);
    },
  };
}

describe('createTokenProvider', () => {
  it('answers no provider when client_id is empty', () => {
    expect(
      createTokenProvider(authSchema.parse({}), { section: SECTION, logger: silentLogger() }),
    ).toBeUndefined();
  });

  it('gets a token for <resource>/.default that the stand-ins accept', async () => {
    const standin = await startStandin();

    const token = await providerFor(authFor(standin)).getToken();

    const verified = verifyToken(token, { secret: SIGNING_SECRET, audiences: [RESOURCE] });
    expect(verified).toMatchObject({ ok: true, claims: { sub: 'client-1', tid: 'tenant-1' } });
  });

  it('contacts only the configured authority: discovery and token endpoint', async () => {
    const standin = await startStandin();
    const auth = authFor(standin);
    const urls: string[] = [];
    const network = recordingClient(
      new AuthorityNetworkClient({
        allowedOrigin: standin.url,
        ca: standin.caCertificate,
        timeoutMs: 5_000,
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, jitter: 0 },
        section: SECTION,
        logger: silentLogger(),
      }),
      urls,
    );

    await providerFor(auth, network).getToken();

    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((url) => new URL(url).origin === standin.url)).toBe(true);
    expect(urls.map((url) => new URL(url).pathname)).toEqual([
      '/tenant-1/v2.0/.well-known/openid-configuration',
      '/tenant-1/oauth2/v2.0/token',
    ]);
  });

  it('caches the token and shares one request among concurrent callers', async () => {
    const standin = await startStandin();
    const provider = providerFor(authFor(standin));

    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => provider.getToken()));
    const again = await provider.getToken();

    expect(new Set([...tokens, again]).size).toBe(1);
    expect(standin.issuedTokens()).toHaveLength(1);
  });

  it('renews a short-lived token before it expires', async () => {
    const standin = await startStandin(2);
    const provider = providerFor(authFor(standin, { token_renewal_margin: '60s' }));
    const first = await provider.getToken();

    // Lifetime 2 s, so renewal is due after 1 s (half the lifetime).
    const deadline = Date.now() + 5_000;
    let latest = first;
    while (latest === first && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      latest = await provider.getToken();
    }

    expect(latest).not.toBe(first);
    expect(standin.issuedTokens()).toHaveLength(2);
    expect(verifyToken(latest, { secret: SIGNING_SECRET }).ok).toBe(true);
  });

  it('fetches a new token after invalidate', async () => {
    const standin = await startStandin();
    const provider = providerFor(authFor(standin));
    await provider.getToken();

    provider.invalidate?.();
    await provider.getToken();

    expect(standin.issuedTokens()).toHaveLength(2);
  });

  it('fails with a final AUTH_FAILED naming the section for a wrong secret', async () => {
    const standin = await startStandin();

    const failure = providerFor(authFor(standin, { client_secret: 'wrong' })).getToken();

    await expect(failure).rejects.toMatchObject({ code: 'AUTH_FAILED', retriable: false });
    await expect(failure).rejects.toThrow(/prediction_metadata_storage\.auth: .*invalid_client/);
  });

  it('fails when the authority certificate is not trusted', async () => {
    const standin = await startStandin();
    const auth = authFor(standin);

    const failure = providerFor({ ...auth, ca_file: undefined }).getToken();

    await expect(failure).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(standin.issuedTokens()).toHaveLength(0);
  });

  it('refuses a ca_file that cannot be read, naming the key', async () => {
    const standin = await startStandin();

    expect(() =>
      providerFor(authFor(standin, { ca_file: join(directory, 'missing.pem') })),
    ).toThrow(/prediction_metadata_storage\.auth\.ca_file: cannot read/);
  });
});

describe('AuthorityNetworkClient', () => {
  it('refuses a host other than the configured authority without contacting it', async () => {
    const standin = await startStandin();
    const client = new AuthorityNetworkClient({
      allowedOrigin: standin.url,
      ca: standin.caCertificate,
      timeoutMs: 5_000,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, jitter: 0 },
      section: SECTION,
      logger: silentLogger(),
    });

    const failure = client.sendGetRequestAsync(
      `https://localhost:${standin.port}/common/discovery`,
    );

    await expect(failure).rejects.toThrow(/refused to contact https:\/\/localhost:\d+/);
    expect(standin.requests.list()).toHaveLength(0);
  });
});

describe('authSchema', () => {
  it('names the missing keys when client_id is set', () => {
    const parsed = authSchema.safeParse({ client_id: 'c', authority_host_url: 'http://127.0.0.1' });

    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['tenant', 'client_secret', 'resource', 'authority_host_url']);
  });

  it('accepts the original config keys, scope words and auto_adding_headers included', () => {
    const parsed = authSchema.parse({
      resource: 'r',
      tenant: 't',
      authority_host_url: 'https://login.microsoftonline.com',
      client_id: 'c',
      client_secret: 's',
      scope: ['read', 'write'],
      auto_adding_headers: { 'Ocp-Apim-Subscription-Key': 'k' },
    });

    expect(parsed.token_renewal_margin).toBe(60_000);
    expect(parsed.verify_on_startup).toBe(true);
    expect(parsed.auto_adding_headers).toEqual({ 'Ocp-Apim-Subscription-Key': 'k' });
  });
});
