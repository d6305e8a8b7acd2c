import { z } from 'zod';

import { booleanFlag, durationMs } from '../config/fields.js';

const headerMap = z.record(z.string().min(1), z.string());

/**
 * The `auth` section of an HTTP provider: Azure AD client credentials. The spec's keys (resource,
 * tenant, authority_host_url, client_id, client_secret, scope, auto_adding_headers,
 * verification_url, verification_element) plus our own (extra_headers, verify_on_startup,
 * ca_file, token_renewal_margin, token_timeout). An empty `client_id` means no auth at all.
 */
export const authSchema = z
  .object({
    /** App id URI or GUID of the API; the token is asked for scope `<resource>/.default`. */
    resource: z.string().optional(),
    /** Azure AD tenant id or domain. */
    tenant: z.string().optional(),
    /** Host of the authority; tokens come from `<authority_host_url>/<tenant>`. Must be https. */
    authority_host_url: z.string().prefault('https://login.microsoftonline.com'),
    /** App registration id; empty = no auth. */
    client_id: z.string().prefault(''),
    /** App registration secret; from the environment, never a committed file. */
    client_secret: z.string().prefault(''),
    /**
     * Original Latigo sent `['read', 'write']` here, which never reached Azure AD. Entries ending
     * in `/.default` are used as the token scopes instead of `<resource>/.default`; other entries
     * are accepted and ignored.
     */
    scope: z.union([z.string(), z.array(z.string())]).optional(),
    /** Headers added to every request (spec name), e.g. Ocp-Apim-Subscription-Key. */
    auto_adding_headers: headerMap.prefault({}),
    /** Same as auto_adding_headers (our name); wins when both name a header. */
    extra_headers: headerMap.prefault({}),
    /** A URL the start-up check GETs with the token; must answer 2xx JSON. */
    verification_url: z.string().optional(),
    /** A top-level key the verification answer must contain (guards against sign-in pages). */
    verification_element: z.string().optional(),
    /** Get a token (and call verification_url) when the provider starts. Default true. */
    verify_on_startup: booleanFlag().prefault(true),
    /** Accepted for compatibility with the original's config; MSAL (v2 endpoint) is always used. */
    do_adal: booleanFlag().optional(),
    /** PEM file of extra CA certificates to trust for the authority (the token stand-in). */
    ca_file: z.string().min(1).optional(),
    /** Renew a cached token this long before it expires (at most half its lifetime). */
    token_renewal_margin: durationMs().prefault('60s'),
    /** Deadline of one token request, discovery included. */
    token_timeout: durationMs().prefault('30s'),
  })
  .strict()
  .superRefine((auth, ctx) => {
    if (auth.client_id === '') {
      return;
    }
    if (auth.tenant === undefined || auth.tenant === '') {
      ctx.addIssue({ code: 'custom', path: ['tenant'], message: 'required when client_id is set' });
    }
    if (auth.client_secret === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['client_secret'],
        message: 'required when client_id is set (put it in the environment)',
      });
    }
    if (tokenScopes(auth).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['resource'],
        message: 'required when client_id is set (or a scope ending in "/.default")',
      });
    }
    if (!/^https:\/\/[^\s/]+/.test(auth.authority_host_url)) {
      ctx.addIssue({
        code: 'custom',
        path: ['authority_host_url'],
        message: `expected an https:// URL (MSAL refuses plain http), got "${auth.authority_host_url}"`,
      });
    }
  });

export type AuthConfig = z.output<typeof authSchema>;

/** True when the section asks for tokens. */
export function authEnabled(auth: AuthConfig | undefined): auth is AuthConfig {
  return auth !== undefined && auth.client_id !== '';
}

/** The scopes a token is asked for: `/.default` entries of `scope`, else `<resource>/.default`. */
export function tokenScopes(auth: Pick<AuthConfig, 'resource' | 'scope'>): string[] {
  const given = auth.scope === undefined ? [] : [auth.scope].flat();
  const full = given.filter((scope) => scope.endsWith('/.default'));
  if (full.length > 0) {
    return full;
  }
  return auth.resource === undefined || auth.resource === '' ? [] : [`${auth.resource}/.default`];
}

/** The extra headers of a section (auto_adding_headers, then extra_headers over them). */
export function authHeaders(auth: AuthConfig | undefined): Record<string, string> {
  return auth === undefined ? {} : { ...auth.auto_adding_headers, ...auth.extra_headers };
}

/** `<authority_host_url>/<tenant>` without a doubled slash. */
export function authorityUrl(auth: AuthConfig): string {
  return `${auth.authority_host_url.replace(/\/+$/, '')}/${encodeURIComponent(auth.tenant ?? '')}`;
}
