import { z } from 'zod';

import { authSchema } from '../../auth/auth-config.js';
import { booleanFlag, durationMs, integer, text } from '../../config/fields.js';
import { httpSettingsSchema } from '../../http/index.js';
import { parseGordoConnectionString } from './connection-string.js';

/** `data_provider` / `prediction_forwarder` of gordo-client: accepted, not used by Latigo. */
const gordoClientPartSchema = (debugDefault: boolean) =>
  z
    .object({
      debug: booleanFlag().prefault(debugDefault),
      n_retries: integer({ min: 0 }).prefault(5),
    })
    .strict();

/**
 * The `model_info` and `predictor` sections of `type: gordo` (spec: model_info; predictor is
 * "configured identically"). Spec keys keep the spec's names and defaults; keys after the spec's
 * are Latigo's own. Durations are milliseconds once parsed.
 */
export const gordoSectionSchema = z
  .object({
    type: z.literal('gordo'),
    /** `https://host/gordo/v0/`: scheme, host, port and API path of the Gordo deployment. */
    connection_string: z
      .string({ error: 'expected the Gordo URL as text, e.g. "https://host/gordo/v0/"' })
      .superRefine((value, ctx) => {
        if (value.trim() === '') {
          ctx.addIssue({
            code: 'custom',
            message:
              'is empty: set the Gordo URL, e.g. "https://host/gordo/v0/" (the default config reads LATIGO_GORDO_CONNECTION_STRING)',
          });
          return;
        }
        try {
          parseGordoConnectionString(value, 'this section');
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message:
              error instanceof Error
                ? error.message.replace(/^this section\.connection_string /, '')
                : 'invalid',
          });
        }
      }),
    /** Model name, or list of names: only these models are listed (null: every model). */
    target: z
      .union([text(), z.array(text())])
      .nullable()
      .prefault(null),
    /** gordo-client's metadata for its forwarder; accepted and ignored. */
    metadata: z.record(z.string(), z.unknown()).nullable().prefault(null),
    /** Rows per prediction request. */
    batch_size: integer({ min: 1, max: 1_000_000 }).prefault(1000),
    /** Requests in flight per model, and projects or models listed at once. */
    parallelism: integer({ min: 1, max: 100 }).prefault(10),
    /** gordo-client's forwarding of resampled sensors to Influx; accepted and ignored. */
    forward_resampled_sensors: booleanFlag().prefault(false),
    /** Skip models whose metadata cannot be read or used when listing a project. */
    ignore_unhealthy_targets: booleanFlag().prefault(true),
    /** Retries of one request on network errors, timeouts, 429 and 5xx (attempts = n + 1). */
    n_retries: integer({ min: 0, max: 50 }).prefault(5),
    /** gordo-client's parquet transport; accepted and ignored: Latigo sends and reads JSON. */
    use_parquet: booleanFlag().prefault(true),
    data_provider: gordoClientPartSchema(true).prefault({}),
    prediction_forwarder: gordoClientPartSchema(false).prefault({}),
    /** Azure AD client credentials; absent or an empty client_id means no token is sent. */
    auth: authSchema.optional(),
    /** Latigo's own: request timeout and backoff (`http.retry.attempts` is replaced by n_retries). */
    http: httpSettingsSchema.prefault({ timeout: '60s' }),
    /** Latigo's own: how long the latest revision is trusted (gordo-client: 5 s). */
    revisions_cache_ttl: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('5s'),
    /** Latigo's own: how long a revision's model list is kept (gordo-client: 30 s). */
    models_cache_ttl: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('30s'),
    /** Latigo's own: how long one model's metadata of one revision is kept (gordo-client: 10 min). */
    metadata_cache_ttl: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('10m'),
    /** Latigo's own: most metadata documents kept per project. */
    metadata_cache_size: integer({ min: 1 }).prefault(10_000),
    /** Latigo's own: ask the anomaly endpoint for the `smooth-*` groups too. */
    all_columns: booleanFlag().prefault(false),
  })
  .strict();

export type GordoSection = z.output<typeof gordoSectionSchema>;
