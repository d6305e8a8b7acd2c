import { z } from 'zod';

import { authSchema } from '../../auth/auth-config.js';
import {
  booleanFlag,
  CREDENTIALS_IN_URL,
  describeValue,
  durationMs,
  hasUserInfo,
  integer,
  text,
} from '../../config/fields.js';
import { httpSettingsSchema } from '../../http/index.js';
import { MAX_IDS_PER_READ, MAX_POINTS_PER_PAGE } from './time-series-api-client.js';

/** The versioned base URL; an empty one says where the default config reads it from. */
function baseUrl() {
  return z.unknown().transform((value, ctx): string => {
    if (value === '' || value === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'is empty: set the versioned Time Series API URL, e.g. "http://127.0.0.1:8402/plant/timeseries/v1.7" (the default config reads LATIGO_TIME_SERIES_BASE_URL)',
      });
      return z.NEVER;
    }
    if (typeof value !== 'string' || !/^https?:\/\/[^\s/]+/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected an http:// or https:// URL, got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    if (hasUserInfo(value)) {
      ctx.addIssue({ code: 'custom', message: CREDENTIALS_IN_URL });
      return z.NEVER;
    }
    return value;
  });
}

/**
 * Keys shared by the `sensor_data` and `prediction_storage` sections of `type: time_series_api`.
 * The spec's keys (type, base_url, async, auth) keep their names; the rest are Latigo's own.
 */
const commonKeys = {
  type: z.literal('time_series_api'),
  /**
   * The versioned base URL, e.g. `https://<gateway>/plant/timeseries/v1.7` (the spec's default
   * was the v1.5 Equinor gateway; Latigo has no default so nothing is reached by accident).
   */
  base_url: baseUrl(),
  /** Spec key. Writes: the API's `async` flag (true = queued, answered 202). Reads: no effect. */
  async: booleanFlag().prefault(false),
  /** Azure AD client credentials; absent or an empty client_id means no token is sent. */
  auth: authSchema.optional(),
  /** Request timeout and retry policy (see src/http/http-config.ts). */
  http: httpSettingsSchema.prefault({}),
  /**
   * Facility (plant code) of the series. Absent: the facility of the first tag, looked up by
   * name, as the original did.
   */
  facility: text().optional(),
  /** How long a series id (and a tag's facility) found by name is trusted. */
  cache_ttl: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('24h'),
  /** Name lookups in flight at once when many ids are not cached. */
  lookup_parallelism: integer({ min: 1, max: 64 }).prefault(8),
};

/** `sensor_data` with `type: time_series_api`. */
export const timeSeriesApiSensorDataSchema = z
  .object({
    ...commonKeys,
    /** Points per series per read page (`limit`); the API allows 1 to 100 000. */
    page_limit: integer({ min: 1, max: MAX_POINTS_PER_PAGE }).prefault(MAX_POINTS_PER_PAGE),
    /** Series per read request; the API allows at most 100. */
    ids_per_read: integer({ min: 1, max: MAX_IDS_PER_READ }).prefault(MAX_IDS_PER_READ),
  })
  .strict();

/** `prediction_storage` with `type: time_series_api`. */
export const timeSeriesApiPredictionStorageSchema = z
  .object({
    ...commonKeys,
    /** Points per write request, over all series of the request. */
    points_per_write: integer({ min: 1, max: 1_000_000 }).prefault(10_000),
    /**
     * Status of every written point. 192 is Good in the API's table; the original wrote the
     * string "0", which the table calls Bad.
     */
    status: integer({ min: 0, max: 2_147_483_647 }).prefault(192),
  })
  .strict();

export type TimeSeriesApiSensorDataConfig = z.output<typeof timeSeriesApiSensorDataSchema>;
export type TimeSeriesApiPredictionStorageConfig = z.output<
  typeof timeSeriesApiPredictionStorageSchema
>;
