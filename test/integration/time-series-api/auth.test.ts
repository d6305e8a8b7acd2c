import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import type { TimeRange } from '../../../src/domain/time-range.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { startTokenStandin, type TokenStandin } from '../../../src/standins/token/index.js';
import {
  closeAfterTest,
  regularPoints,
  seedSeries,
  sensorDataFor,
  startStandin,
  waitUntil,
} from './support.js';

const T0 = Date.parse('2020-04-20T10:00:00Z');
const WINDOW: TimeRange = { fromMs: T0, toMs: T0 + 60_000 };
const SECRET = 'tsapi-test-signing-secret';
const RESOURCE = '32f2a909-8a98-4eb8-b22d-1208d9350cb0';
const CLIENT = { clientId: 'latigo-test-client', clientSecret: 'not-a-real-secret' };

async function tokenStandin(expiresInSeconds: number): Promise<TokenStandin> {
  return closeAfterTest(
    await startTokenStandin({
      clients: [CLIENT],
      signingSecret: SECRET,
      expiresInSeconds,
      logger: silentLogger(),
    }),
  );
}

/** The `auth` section for the token stand-in, its certificate written to a temporary file. */
function authSection(tokens: TokenStandin, renewalMargin: string): Record<string, unknown> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'latigo-tsapi-auth-')), 'ca.pem');
  writeFileSync(caFile, tokens.caCertificate);
  return {
    resource: RESOURCE,
    tenant: 'test-tenant',
    authority_host_url: tokens.url,
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    ca_file: caFile,
    token_renewal_margin: renewalMargin,
  };
}

describe('time_series_api with Azure AD tokens', () => {
  it('reads with a bearer token the stand-in accepts', async () => {
    const tokens = await tokenStandin(3600);
    const server = await startStandin({ auth: { secret: SECRET, audiences: [RESOURCE] } });
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server, { auth: authSection(tokens, '60s') });

    const data = await provider.getDataForRange({ tags: [{ name: 'A' }] }, WINDOW);

    expect(data.series[0]?.timesMs).toHaveLength(5);
    expect(tokens.issuedTokens().map((token) => token.audience)).toEqual([RESOURCE]);
  });

  it('is refused with a clear 401 when it sends no token', async () => {
    const server = await startStandin({ auth: { secret: SECRET, audiences: [RESOURCE] } });
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    const provider = await sensorDataFor(server);

    await expect(provider.getDataForRange({ tags: [{ name: 'A' }] }, WINDOW)).rejects.toMatchObject(
      {
        code: 'HTTP_STATUS',
        retriable: false,
        context: { status: 401 },
      },
    );
  });

  it('renews its token before it expires and keeps reading', async () => {
    const tokens = await tokenStandin(6);
    const server = await startStandin({ auth: { secret: SECRET, audiences: [RESOURCE] } });
    seedSeries(server, 'A', '1903', regularPoints(T0, 5));
    // Renewal 3 s before expiry: the first token is replaced 3 s after it was obtained.
    const provider = await sensorDataFor(server, { auth: authSection(tokens, '3s') });
    await provider.getDataForRange({ tags: [{ name: 'A' }] }, WINDOW);
    const first = tokens.issuedTokens()[0];

    // The stand-in keeps whole seconds: 1.5 s before the recorded expiry is past the renewal
    // point and still inside the token's lifetime.
    await waitUntil(() => Date.now() >= (first?.expiresAtMs ?? 0) - 1500);
    const data = await provider.getDataForRange({ tags: [{ name: 'A' }] }, WINDOW);

    expect(data.series[0]?.timesMs).toHaveLength(5);
    expect(tokens.issuedTokens()).toHaveLength(2);
    expect(server.requests.list().every((entry) => entry.status === 200)).toBe(true);
  });
});
