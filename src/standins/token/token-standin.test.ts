import { request } from 'node:https';

import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../logging/logger.js';
import { verifyToken } from '../common/bearer.js';
import { startTokenStandin, type TokenStandin } from './token-standin.js';

const SECRET = 'token-standin-secret';
const standins: TokenStandin[] = [];

afterEach(async () => {
  await Promise.all(standins.splice(0).map((standin) => standin.close()));
});

async function startStandin(): Promise<TokenStandin> {
  const standin = await startTokenStandin({
    clients: [{ clientId: 'app', clientSecret: 'app-secret' }],
    tenants: ['t1'],
    signingSecret: SECRET,
    expiresInSeconds: 300,
    logger: silentLogger(),
  });
  standins.push(standin);
  return standin;
}

/** A request trusting only the stand-in's certificate. */
function call(
  standin: TokenStandin,
  method: 'GET' | 'POST',
  path: string,
  form?: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${standin.url}${path}`,
      {
        method,
        ca: standin.caCertificate,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(form === undefined ? undefined : new URLSearchParams(form).toString());
  });
}

const GRANT = { grant_type: 'client_credentials', client_id: 'app', client_secret: 'app-secret' };

describe('token stand-in', () => {
  it('issues an AAD v1 token for a resource, numbers as strings', async () => {
    const standin = await startStandin();

    const answer = await call(standin, 'POST', '/t1/oauth2/token', {
      ...GRANT,
      resource: 'api://r',
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: '300',
      resource: 'api://r',
    });
    expect(typeof answer.body['expires_on']).toBe('string');
    const verified = verifyToken(String(answer.body['access_token']), { secret: SECRET });
    expect(verified).toMatchObject({ ok: true, claims: { aud: 'api://r', ver: '1.0' } });
  });

  it('issues a v2 token for one <resource>/.default scope', async () => {
    const standin = await startStandin();

    const answer = await call(standin, 'POST', '/t1/oauth2/v2.0/token', {
      ...GRANT,
      scope: 'api://r/.default',
    });

    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(standin.issuedTokens()).toEqual([
      expect.objectContaining({ clientId: 'app', audience: 'api://r', endpoint: 'v2' }),
    ]);
  });

  it('answers the OAuth errors Azure AD answers', async () => {
    const standin = await startStandin();

    const unknownClient = await call(standin, 'POST', '/t1/oauth2/token', {
      ...GRANT,
      client_id: 'nobody',
      resource: 'r',
    });
    const wrongSecret = await call(standin, 'POST', '/t1/oauth2/token', {
      ...GRANT,
      client_secret: 'nope',
      resource: 'r',
    });
    const badScope = await call(standin, 'POST', '/t1/oauth2/v2.0/token', {
      ...GRANT,
      scope: 'read',
    });
    const badGrant = await call(standin, 'POST', '/t1/oauth2/token', {
      ...GRANT,
      grant_type: 'password',
    });
    const otherTenant = await call(standin, 'POST', '/t2/oauth2/token', {
      ...GRANT,
      resource: 'r',
    });

    expect(unknownClient).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(badScope).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    expect(badGrant).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    expect(otherTenant).toMatchObject({ status: 400, body: { error: 'invalid_tenant' } });
    expect(standin.issuedTokens()).toEqual([]);
  });

  it('serves the OpenID configuration with its own endpoints', async () => {
    const standin = await startStandin();

    const answer = await call(standin, 'GET', '/t1/v2.0/.well-known/openid-configuration');

    expect(answer.body).toMatchObject({
      issuer: `${standin.url}/t1/v2.0`,
      token_endpoint: `${standin.url}/t1/oauth2/v2.0/token`,
      jwks_uri: `${standin.url}/t1/discovery/v2.0/keys`,
    });
  });
});
