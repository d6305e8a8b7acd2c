import { randomUUID } from 'node:crypto';

import { signToken, type TokenClaims } from '../common/bearer.js';
import { json, type Route, type StandinRequest, type StandinResponse } from '../common/router.js';

/** A client the token stand-in knows: an app registration's id and secret. */
export interface TokenClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** One token handed out, for tests (never the token itself). */
export interface IssuedToken {
  readonly clientId: string;
  readonly tenant: string;
  readonly audience: string;
  readonly endpoint: 'v1' | 'v2';
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
}

export interface TokenRoutesOptions {
  readonly clients: readonly TokenClient[];
  /** Tenants served; empty accepts any tenant id. */
  readonly tenants: readonly string[];
  readonly signingSecret: string;
  readonly expiresInSeconds: number;
  /** The server's own URL, known once it listens. */
  readonly baseUrl: () => string;
  readonly onIssued: (token: IssuedToken) => void;
}

/**
 * Routes of the token stand-in, shaped like Azure AD's:
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration` and `GET /{tenant}/.well-known/openid-configuration`
 * - `POST /{tenant}/oauth2/v2.0/token` (client credentials, `scope=<resource>/.default`)
 * - `POST /{tenant}/oauth2/token` (AAD v1 client credentials with `resource`)
 * - `GET /{tenant}/discovery/v2.0/keys` and `GET /{tenant}/discovery/keys` (empty: tokens are
 *   HS256 with a shared secret, see common/bearer.ts)
 */
export function tokenRoutes(options: TokenRoutesOptions): Route[] {
  const withTenant =
    (handler: (request: StandinRequest, tenant: string) => StandinResponse) =>
    (request: StandinRequest): StandinResponse => {
      const tenant = request.params['tenant'] ?? '';
      if (options.tenants.length > 0 && !options.tenants.includes(tenant)) {
        return oauthError(400, 'invalid_tenant', `tenant "${tenant}" is not served here`);
      }
      return handler(request, tenant);
    };

  return [
    {
      method: 'GET',
      path: '/:tenant/v2.0/.well-known/openid-configuration',
      public: true,
      handler: withTenant((_request, tenant) =>
        json(200, openIdConfiguration(options, tenant, 'v2')),
      ),
    },
    {
      method: 'GET',
      path: '/:tenant/.well-known/openid-configuration',
      public: true,
      handler: withTenant((_request, tenant) =>
        json(200, openIdConfiguration(options, tenant, 'v1')),
      ),
    },
    {
      method: 'GET',
      path: '/:tenant/discovery/v2.0/keys',
      public: true,
      handler: withTenant(() => json(200, { keys: [] })),
    },
    {
      method: 'GET',
      path: '/:tenant/discovery/keys',
      public: true,
      handler: withTenant(() => json(200, { keys: [] })),
    },
    {
      method: 'POST',
      path: '/:tenant/oauth2/v2.0/token',
      public: true,
      handler: withTenant((request, tenant) => issue(options, request, tenant, 'v2')),
    },
    {
      method: 'POST',
      path: '/:tenant/oauth2/token',
      public: true,
      handler: withTenant((request, tenant) => issue(options, request, tenant, 'v1')),
    },
  ];
}

function openIdConfiguration(
  options: TokenRoutesOptions,
  tenant: string,
  version: 'v1' | 'v2',
): Record<string, unknown> {
  const root = `${options.baseUrl()}/${encodeURIComponent(tenant)}`;
  const v2 = version === 'v2' ? '/v2.0' : '';
  return {
    issuer: version === 'v2' ? `${root}/v2.0` : `${root}/`,
    authorization_endpoint: `${root}/oauth2${v2}/authorize`,
    token_endpoint: `${root}/oauth2${v2}/token`,
    end_session_endpoint: `${root}/oauth2${v2}/logout`,
    jwks_uri: `${root}/discovery${v2}/keys`,
    response_types_supported: ['code', 'id_token', 'token'],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    id_token_signing_alg_values_supported: ['HS256'],
    subject_types_supported: ['pairwise'],
    tenant_region_scope: 'EU',
  };
}

function issue(
  options: TokenRoutesOptions,
  request: StandinRequest,
  tenant: string,
  endpoint: 'v1' | 'v2',
): StandinResponse {
  const form = new URLSearchParams(request.bodyText);
  const grantType = form.get('grant_type');
  if (grantType !== 'client_credentials') {
    return oauthError(
      400,
      'unsupported_grant_type',
      `only client_credentials is served here, got "${grantType ?? ''}"`,
    );
  }
  const credentials = clientCredentials(request, form);
  const client = options.clients.find((known) => known.clientId === credentials.clientId);
  if (client === undefined) {
    return oauthError(
      400,
      'unauthorized_client',
      `application "${credentials.clientId}" is not known to this tenant`,
    );
  }
  if (credentials.clientSecret !== client.clientSecret) {
    return oauthError(401, 'invalid_client', 'invalid client secret provided');
  }
  const audience = endpoint === 'v2' ? audienceOfScope(form.get('scope')) : form.get('resource');
  if (audience === undefined || audience === null || audience === '') {
    return endpoint === 'v2'
      ? oauthError(400, 'invalid_scope', 'scope must name one resource as "<resource>/.default"')
      : oauthError(400, 'invalid_resource', 'the resource parameter is required');
  }

  const nowSeconds = Math.floor(Date.now() / 1000);
  const expiresAt = nowSeconds + options.expiresInSeconds;
  const claims: TokenClaims = {
    aud: audience,
    iss: `${options.baseUrl()}/${tenant}/${endpoint === 'v2' ? 'v2.0' : ''}`,
    sub: client.clientId,
    appid: client.clientId,
    tid: tenant,
    iat: nowSeconds,
    nbf: nowSeconds,
    exp: expiresAt,
    ver: endpoint === 'v2' ? '2.0' : '1.0',
  };
  const accessToken = signToken(claims, options.signingSecret);
  options.onIssued({
    clientId: client.clientId,
    tenant,
    audience,
    endpoint,
    issuedAtMs: nowSeconds * 1000,
    expiresAtMs: expiresAt * 1000,
  });
  if (endpoint === 'v2') {
    return json(200, {
      token_type: 'Bearer',
      expires_in: options.expiresInSeconds,
      ext_expires_in: options.expiresInSeconds,
      access_token: accessToken,
    });
  }
  // AAD v1 answers numbers as strings.
  return json(200, {
    token_type: 'Bearer',
    expires_in: String(options.expiresInSeconds),
    ext_expires_in: String(options.expiresInSeconds),
    expires_on: String(expiresAt),
    not_before: String(nowSeconds),
    resource: audience,
    access_token: accessToken,
  });
}

/** client_secret_post (form fields) or client_secret_basic (Authorization: Basic). */
function clientCredentials(
  request: StandinRequest,
  form: URLSearchParams,
): { clientId: string; clientSecret: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1] !== undefined) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon)),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1)),
    };
  }
  return { clientId: form.get('client_id') ?? '', clientSecret: form.get('client_secret') ?? '' };
}

/** `<resource>/.default` -> `<resource>`; other scopes (openid, profile ...) are ignored. */
function audienceOfScope(scope: string | null): string | undefined {
  const resources = (scope ?? '')
    .split(/\s+/)
    .filter((item) => item.endsWith('/.default'))
    .map((item) => item.slice(0, -'/.default'.length));
  return resources.length === 1 ? resources[0] : undefined;
}

function oauthError(status: number, error: string, description: string): StandinResponse {
  return json(status, {
    error,
    error_description: description,
    error_codes: [],
    timestamp: new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z'),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  });
}
