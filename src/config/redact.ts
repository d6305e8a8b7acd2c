import { isPlainMap } from './load.js';

/** Keys whose values are secrets wherever they appear in a config. */
const SECRET_KEYS = new Set([
  'client_secret',
  'connection_string',
  'password',
  'sasl.password',
  'access_token',
  'ocp-apim-subscription-key',
  'secret',
]);

export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return (
    SECRET_KEYS.has(lower) ||
    lower.endsWith('_secret') ||
    lower.endsWith('_key') ||
    lower.endsWith('password')
  );
}

/** A deep copy of a config with every secret value replaced, for printing and logging. */
export function redactConfig<T>(config: T): T {
  const walk = (value: unknown, key: string | undefined): unknown => {
    if (
      key !== undefined &&
      isSecretKey(key) &&
      value !== null &&
      value !== undefined &&
      value !== ''
    ) {
      return REDACTED;
    }
    if (Array.isArray(value)) {
      return value.map((item) => walk(item, undefined));
    }
    if (isPlainMap(value)) {
      return Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, walk(item, name)]),
      );
    }
    return value;
  };
  return walk(config, undefined) as T;
}
