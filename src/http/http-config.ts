import { z } from 'zod';

import { durationMs, integer } from '../config/fields.js';
import type { RetryPolicy } from './retry.js';

/**
 * The `http` sub-section every HTTP provider accepts (our own keys, not in the original spec):
 *
 * ```yaml
 * http:
 *   timeout: '30s'          # deadline of one attempt, sending to last byte
 *   retry:
 *     attempts: 4           # total attempts, 1 = no retry
 *     base_delay: '500ms'   # first backoff, doubling
 *     max_delay: '30s'      # cap of one backoff
 *     max_retry_after: '60s' # cap on a server's Retry-After
 *     jitter: 0.2           # random share of each backoff, 0..1
 * ```
 */
export const httpRetrySchema = z
  .object({
    attempts: integer({ min: 1, max: 100 }).prefault(4),
    base_delay: durationMs().prefault('500ms'),
    max_delay: durationMs().prefault('30s'),
    max_retry_after: durationMs().prefault('60s'),
    jitter: z.number().min(0).max(1).prefault(0.2),
  })
  .strict();

export const httpSettingsSchema = z
  .object({
    timeout: durationMs().prefault('30s'),
    retry: httpRetrySchema.prefault({}),
  })
  .strict();

export type HttpSettings = z.output<typeof httpSettingsSchema>;

/** The retry policy of a parsed `http` section; `attempts` may be overridden (e.g. n_retries). */
export function retryPolicyOf(settings: HttpSettings, attempts?: number): RetryPolicy {
  return {
    attempts: attempts ?? settings.retry.attempts,
    baseDelayMs: settings.retry.base_delay,
    maxDelayMs: settings.retry.max_delay,
    maxRetryAfterMs: settings.retry.max_retry_after,
    jitter: settings.retry.jitter,
  };
}
