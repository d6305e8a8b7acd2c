import { z } from 'zod';

import { durationMs, integer } from '../../config/fields.js';

/**
 * The `predictor` section for `type: builtin`: an in-process Gordo-style anomaly model trained on
 * each model's training range.
 */
export const builtinPredictorSchema = z
  .object({
    type: z.literal('builtin'),
    /** Row spacing when the model info gives none (static model_info `resolution`). */
    resolution: durationMs({ max: Number.MAX_SAFE_INTEGER }).prefault('10m'),
    /** A fixed number of principal components; when set, `explained_variance` is not used. */
    n_components: integer({ min: 1, max: 10_000 }).optional(),
    /** Keep the fewest components explaining at least this share of the training variance. */
    explained_variance: z
      .number({ error: 'expected a number between 0 (exclusive) and 1' })
      .gt(0)
      .lte(1)
      .prefault(0.95),
    /** Time-ordered validation folds used to compute the anomaly thresholds. */
    threshold_folds: integer({ min: 1, max: 100 }).prefault(3),
    /** Rolling-minimum window, in rows, applied to fold errors before taking their maximum. */
    threshold_window: integer({ min: 1, max: 100_000 }).prefault(6),
    /** Trained models kept in memory; the least recently used one is dropped beyond this. */
    max_cached_models: integer({ min: 1, max: 100_000 }).prefault(100),
  })
  .strict();

export type BuiltinPredictorConfig = z.output<typeof builtinPredictorSchema>;
