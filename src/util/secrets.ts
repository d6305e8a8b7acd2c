/** Keys whose values are secrets wherever they appear (config sections, log fields, headers). */
const SECRET_KEYS = new Set([
  'client_secret',
  'connection_string',
  'password',
  'sasl.password',
  'access_token',
  'refresh_token',
  'authorization',
  'ocp-apim-subscription-key',
  'secret',
]);

export const REDACTED = '[redacted]';

/** Whether the value under this key must never be shown. */
export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return (
    SECRET_KEYS.has(lower) ||
    lower.endsWith('_secret') ||
    lower.endsWith('_key') ||
    lower.endsWith('-key') ||
    lower.endsWith('password') ||
    lower.endsWith('token') ||
    lower.endsWith('connection_string')
  );
}

/** How deep the walk goes; a map or list deeper than this is not shown at all. */
export const REDACTION_MAX_DEPTH = 32;

/** What stands for a map or list nested deeper than REDACTION_MAX_DEPTH. */
export const TOO_DEEP = '[nested too deep to show]';

/**
 * A copy of `value` with every non-empty value under a secret key replaced by `[redacted]`.
 * Walks plain objects and arrays only; anything else (Buffers, Errors, Dates, class instances)
 * is kept as it is. Maps and lists deeper than 32 levels are replaced by TOO_DEEP, never shown
 * unwalked.
 */
export function redactSecrets<T>(value: T): T {
  return walk(value, undefined, 0) as T;
}

function walk(value: unknown, key: string | undefined, depth: number): unknown {
  if (
    key !== undefined &&
    isSecretKey(key) &&
    value !== null &&
    value !== undefined &&
    value !== '' &&
    !isPlainWebAddress(key, value)
  ) {
    return REDACTED;
  }
  if (depth >= REDACTION_MAX_DEPTH) {
    // Unwalked, a secret down there would be shown: the whole subtree is left out instead.
    return Array.isArray(value) || isPlainObject(value) ? TOO_DEEP : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => walk(item, undefined, depth + 1));
  }
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      copy[name] = walk(item, name, depth + 1);
    }
    return copy;
  }
  return value;
}

/**
 * A connection string that is a bare http(s) address (Gordo's URL): no user, password, query or
 * fragment, so nothing in it can be a credential, and operators need to see where it points.
 * An Event Hubs connection string (`Endpoint=sb://…;SharedAccessKey=…`) is no such address.
 */
function isPlainWebAddress(key: string, value: unknown): boolean {
  if (typeof value !== 'string' || !key.toLowerCase().endsWith('connection_string')) {
    return false;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    !value.includes('?') &&
    !value.includes('#')
  );
}

/** The objects `redactSecrets` walks into: plain objects only (not Buffers, Errors, Dates...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
