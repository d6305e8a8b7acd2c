import { z } from 'zod';

/** Marks a JSON document as a saved Latigo anomaly model. */
export const ANOMALY_MODEL_FORMAT = 'latigo-anomaly-model';

/** A threshold: a number, or NaN when it could not be computed (null once through JSON). */
const threshold = z
  .union([z.number(), z.nan(), z.null()])
  .transform((value) => value ?? Number.NaN);
const numbers = z.array(z.number());

const trainingInfoSchema = z.object({
  /** Training rows used to fit the final model. */
  rows: z.number().int().nonnegative(),
  /** The training range asked for, epoch ms (end exclusive). */
  fromMs: z.number().optional(),
  toMs: z.number().optional(),
  /** Row spacing of the training rows, ms. */
  resolutionMs: z.number().optional(),
  /** Times of the first and last training rows, epoch ms. */
  firstRowMs: z.number().optional(),
  lastRowMs: z.number().optional(),
});

const foldThresholdsSchema = z.object({
  trainRows: z.number().int().positive(),
  testRows: z.number().int().positive(),
  featureThresholds: z.array(threshold),
  aggregateThreshold: threshold,
});

/** The JSON form of an {@link AnomalyModel}; `fromJSON` validates input against it. */
export const anomalyModelJsonSchema = z.object({
  format: z.literal(ANOMALY_MODEL_FORMAT),
  version: z.literal(1),
  tags: z.array(z.string()),
  targetTags: z.array(z.string()),
  options: z.object({
    nComponents: z.number().int().positive().optional(),
    explainedVariance: z.number(),
    thresholdFolds: z.number().int().positive(),
    thresholdWindow: z.number().int().positive(),
  }),
  scaler: z.object({ dataMin: numbers, scale: numbers }),
  pca: z.object({ mean: numbers, components: z.array(numbers), explainedVarianceRatio: numbers }),
  /** Per target tag, in `targetTags` order. */
  featureThresholds: z.array(threshold),
  aggregateThreshold: threshold,
  folds: z.array(foldThresholdsSchema),
  training: trainingInfoSchema,
});

export type AnomalyModelJson = z.output<typeof anomalyModelJsonSchema>;
export type FoldThresholdsJson = z.output<typeof foldThresholdsSchema>;
export type TrainingInfo = z.output<typeof trainingInfoSchema>;
