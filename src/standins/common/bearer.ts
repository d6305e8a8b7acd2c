import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Access tokens of the local stand-ins: compact JWTs signed with HS256 and a secret shared by the
 * token stand-in and the stand-ins that check tokens. Sharing the secret through the environment
 * (`LATIGO_STANDIN_TOKEN_SECRET`) lets separate processes verify each other's tokens without
 * calling one another. These tokens are for local testing only; they are not Azure AD tokens.
 */

/** Environment variable holding the shared signing secret. */
export const TOKEN_SECRET_ENV = 'LATIGO_STANDIN_TOKEN_SECRET';

export interface TokenClaims {
  /** Audience: the resource (v1) or the scope without `/.default` (v2). */
  readonly aud: string;
  readonly iss: string;
  /** The client id the token was issued to. */
  readonly sub: string;
  readonly appid: string;
  readonly tid: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly ver: '1.0' | '2.0';
}

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signToken(claims: TokenClaims, secret: string): string {
  const payload = base64url(JSON.stringify(claims));
  return `${HEADER}.${payload}.${signature(`${HEADER}.${payload}`, secret)}`;
}

export interface TokenCheck {
  readonly secret: string;
  /** Accepted audiences; empty accepts any. */
  readonly audiences?: readonly string[] | undefined;
  /** Allowed clock skew in seconds; default 0. */
  readonly leewaySeconds?: number | undefined;
  readonly nowMs?: number | undefined;
}

/** Checks signature, time window and audience. Answers the claims or why the token is refused. */
export function verifyToken(
  token: string,
  check: TokenCheck,
): { ok: true; claims: TokenClaims } | { ok: false; reason: string } {
  const parts = token.split('.');
  if (parts.length !== 3) {
    return { ok: false, reason: 'token is not a compact JWT' };
  }
  const [header = '', payload = '', given = ''] = parts;
  const expected = signature(`${header}.${payload}`, check.secret);
  if (
    header !== HEADER ||
    given.length !== expected.length ||
    !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  ) {
    return { ok: false, reason: 'token signature is invalid' };
  }
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return { ok: false, reason: 'token payload is not JSON' };
  }
  const nowSeconds = (check.nowMs ?? Date.now()) / 1000;
  const leeway = check.leewaySeconds ?? 0;
  if (typeof claims.exp !== 'number' || nowSeconds >= claims.exp + leeway) {
    return { ok: false, reason: 'token expired' };
  }
  if (typeof claims.nbf === 'number' && nowSeconds + leeway < claims.nbf) {
    return { ok: false, reason: 'token not yet valid' };
  }
  const audiences = check.audiences ?? [];
  if (audiences.length > 0 && !audiences.includes(claims.aud)) {
    return { ok: false, reason: `token audience "${claims.aud}" is not accepted here` };
  }
  return { ok: true, claims };
}

function signature(input: string, secret: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
