import { parseApiTime } from '../../clients/time-series-api/timestamps.js';
import { ApiProblem } from './api-types.js';

/** Raw points per read: default and cap of the real API. */
export const DEFAULT_POINT_LIMIT = 1000;
export const MAX_POINT_LIMIT = 100_000;
/** Time series per multi read. */
export const MAX_QUERY_ITEMS = 100;
/** Metadata list page size: default and cap. */
export const DEFAULT_LIST_LIMIT = 1000;

/** An RFC 3339 time from a parameter or field; 400 naming the field when unreadable. */
export function timeParam(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const parsed = typeof value === 'string' ? parseApiTime(value) : undefined;
  if (parsed === undefined) {
    throw new ApiProblem(400, `'${field}' is not an RFC 3339 time: ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** A whole number in [min, max] from a parameter or field, or the default; 400 otherwise. */
export function intParam(
  value: unknown,
  field: string,
  bounds: { min: number; max: number; fallback: number },
): number {
  if (value === undefined || value === null || value === '') {
    return bounds.fallback;
  }
  const number =
    typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(number) || number < bounds.min || number > bounds.max) {
    throw new ApiProblem(
      400,
      `'${field}' must be a whole number from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

/** A boolean from JSON or a parameter (`true`/`True`/`false`/`False`, as Python sends them). */
export function boolParam(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  throw new ApiProblem(400, `'${field}' must be true or false, got ${JSON.stringify(value)}`);
}

/** A datapoint status: an integer, or a string holding one (old Latigo wrote `"0"`). */
export function statusValue(value: unknown, field: string): number {
  if (value === undefined || value === null) {
    return 192;
  }
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value.trim())
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(number)) {
    throw new ApiProblem(400, `'${field}' must be an integer status, got ${JSON.stringify(value)}`);
  }
  return number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
