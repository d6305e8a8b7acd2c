/**
 * What Python's `json.dumps(value, indent=4, sort_keys=True, default=str)` writes, which is how the
 * original Latigo sent metadata records: keys sorted at every level, four-space indentation,
 * non-ASCII characters escaped as `\uXXXX`.
 */
export function pythonJsonDumps(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Python's `str()` of a UTC datetime: `2020-02-01 00:00:00+00:00`, with `.ffffff` microseconds
 * only when the instant has a sub-second part.
 */
export function pythonUtcString(instantMs: number): string {
  const iso = new Date(instantMs).toISOString();
  const seconds = iso.slice(0, 19).replace('T', ' ');
  const millis = instantMs % 1000 === 0 ? '' : `.${iso.slice(20, 23)}000`;
  return `${seconds}${millis}+00:00`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
