/**
 * JSON as the Gordo server writes it (gordo.md §2.3): object keys sorted (Flask's provider), then
 * re-dumped by Python's `json.dumps`, whose separators are `", "` and `": "` and which writes
 * non-finite floats as the bare tokens `NaN`, `Infinity` and `-Infinity`. `revision` is appended
 * last to a top-level object, as the server's revision hook does.
 */
export function gordoJson(body: unknown, revision: string): string {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const sorted = sortedEntries(body as Record<string, unknown>).filter(
      ([key]) => key !== 'revision',
    );
    const parts = sorted.map(([key, value]) => `${JSON.stringify(key)}: ${pythonJson(value)}`);
    parts.push(`"revision": ${JSON.stringify(revision)}`);
    return `{${parts.join(', ')}}`;
  }
  return pythonJson(body);
}

/** One value in Python's `json.dumps` form with sorted keys. */
export function pythonJson(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) {
      return 'NaN';
    }
    if (!Number.isFinite(value)) {
      return value > 0 ? 'Infinity' : '-Infinity';
    }
    return JSON.stringify(value);
  }
  if (value === null || value === undefined) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => pythonJson(item)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const parts = sortedEntries(value as Record<string, unknown>).map(
      ([key, item]) => `${JSON.stringify(key)}: ${pythonJson(item)}`,
    );
    return `{${parts.join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sortedEntries(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
