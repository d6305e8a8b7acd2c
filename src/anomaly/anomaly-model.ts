import { LatigoError } from '../errors/index.js';
import { maxOfRollingMin, timeOrderedFolds } from './folds.js';
import { MinMaxScaler } from './min-max-scaler.js';
import { PcaAutoencoder, type ComponentChoice } from './pca-autoencoder.js';
import {
  anomalyModelJsonSchema,
  ANOMALY_MODEL_FORMAT,
  type AnomalyModelJson,
  type FoldThresholdsJson,
  type TrainingInfo,
} from './anomaly-model-json.js';

/** Rows of values, one number per column: `rows[row][column]`. */
export type Rows = readonly (readonly number[])[];

export interface AnomalyModelOptions {
  /** A fixed number of principal components; when absent, `explainedVariance` decides. */
  readonly nComponents?: number | undefined;
  /** Fraction of training variance the kept components must explain; default 0.95. */
  readonly explainedVariance?: number | undefined;
  /** Time-ordered validation folds used for thresholds; default 3. */
  readonly thresholdFolds?: number | undefined;
  /** Rolling-minimum window, in rows, used for thresholds; default 6. */
  readonly thresholdWindow?: number | undefined;
}

export interface FitInput {
  /** Input tags, in the column order of `rows`. */
  readonly tags: readonly string[];
  /** Output tags: a subset of `tags`; all of `tags` when absent. */
  readonly targetTags?: readonly string[] | undefined;
  /** Training rows, oldest first, one value per input tag. */
  readonly rows: Rows;
  /** Where the rows came from, kept as metadata. */
  readonly training?: Omit<TrainingInfo, 'rows'> | undefined;
}

/** Gordo's output groups for each predicted row (gordo.md §5.2). */
export interface AnomalyPrediction {
  /** `X`, one column per input tag. */
  readonly modelInput: number[][];
  /** `Ŷ`, the reconstruction, one column per target tag. */
  readonly modelOutput: number[][];
  /** `|S(Ŷ) - S(Y)|` per target tag. */
  readonly tagAnomalyScaled: number[][];
  /** Mean over target tags of `tagAnomalyScaled²`. */
  readonly totalAnomalyScaled: number[];
  /** `|Ŷ - Y|` per target tag. */
  readonly tagAnomalyUnscaled: number[][];
  /** Mean over target tags of `tagAnomalyUnscaled²`. */
  readonly totalAnomalyUnscaled: number[];
  /** `tagAnomalyUnscaled / featureThresholds`; Infinity or NaN where a threshold is 0. */
  readonly anomalyConfidence: number[][];
  /** `totalAnomalyScaled / aggregateThreshold`; Infinity or NaN where the threshold is 0. */
  readonly totalAnomalyConfidence: number[];
}

export const DEFAULT_EXPLAINED_VARIANCE = 0.95;
export const DEFAULT_THRESHOLD_FOLDS = 3;
export const DEFAULT_THRESHOLD_WINDOW = 6;

interface FittedParts {
  readonly scaler: MinMaxScaler;
  readonly autoencoder: PcaAutoencoder;
}

/**
 * A Gordo-style anomaly detector: a MinMaxScaler and a linear (PCA) autoencoder, with thresholds
 * in the manner of Gordo's `DiffBasedAnomalyDetector`.
 *
 * Fitting, on training rows (rows × input tags, oldest first):
 * 1. Scale each input tag to [0, 1] over its training values (a constant tag gets scale 1).
 * 2. Fit PCA on the scaled rows, keeping `nComponents` components or the fewest explaining
 *    `explainedVariance` of the variance.
 * 3. Thresholds: split the rows into `thresholdFolds` time-ordered folds (scikit-learn's
 *    `TimeSeriesSplit`, see {@link timeOrderedFolds}). For each fold, fit a fresh scaler and PCA
 *    on the rows before the fold and reconstruct the fold's rows. Per target tag, the fold's
 *    feature threshold is the largest rolling minimum (window `thresholdWindow` rows, or the
 *    fold's row count if smaller) of the absolute unscaled error `|Ŷ - Y|`; the fold's aggregate
 *    threshold is the same statistic of the total scaled error (mean over target tags of
 *    `(S(Ŷ) - S(Y))²`, with the fold's scaler). The model's thresholds are the maxima over folds.
 *    With fewer rows than `thresholdFolds + 1` fitting fails.
 *
 * Predicting returns every group of {@link AnomalyPrediction}. Serialises to plain JSON with
 * {@link AnomalyModel.toJSON} and back with {@link AnomalyModel.fromJSON}.
 */
export class AnomalyModel {
  private readonly targetColumns: readonly number[];

  private constructor(
    private readonly parts: FittedParts,
    private readonly json: Omit<AnomalyModelJson, 'scaler' | 'pca'>,
  ) {
    this.targetColumns = json.targetTags.map((tag) => json.tags.indexOf(tag));
  }

  /**
   * Fits a model. Throws MODEL_TRAINING_FAILED when the tags are inconsistent, a value is not
   * finite, or there are too few rows for the threshold folds.
   */
  static fit(input: FitInput, options: AnomalyModelOptions = {}): AnomalyModel {
    const tags = [...input.tags];
    const targetTags = [...(input.targetTags ?? input.tags)];
    checkTags(tags, targetTags);
    checkRows(input.rows, tags, 'MODEL_TRAINING_FAILED', 'training row');
    const resolved = resolveOptions(options);
    const choice: ComponentChoice =
      resolved.nComponents === undefined
        ? { explainedVariance: resolved.explainedVariance }
        : { nComponents: resolved.nComponents };

    const folds = timeOrderedFolds(input.rows.length, resolved.thresholdFolds);
    if (folds.length === 0) {
      throw new LatigoError(
        'MODEL_TRAINING_FAILED',
        `${input.rows.length} training rows are too few for ${resolved.thresholdFolds} threshold folds: at least ${resolved.thresholdFolds + 1} are needed`,
        { context: { rows: input.rows.length, folds: resolved.thresholdFolds } },
      );
    }
    const targetColumns = targetTags.map((tag) => tags.indexOf(tag));
    const foldThresholds = folds.map((fold): FoldThresholdsJson => {
      const train = input.rows.slice(0, fold.trainRows);
      const test = input.rows.slice(fold.trainRows, fold.trainRows + fold.testRows);
      const parts = fitParts(train, choice);
      const errors = reconstructionErrors(
        parts,
        test,
        selectColumns(test, targetColumns),
        targetColumns,
      );
      return {
        trainRows: fold.trainRows,
        testRows: fold.testRows,
        featureThresholds: targetTags.map((_tag, target) =>
          maxOfRollingMin(
            errors.unscaled.map((row) => row[target] ?? Number.NaN),
            resolved.thresholdWindow,
          ),
        ),
        aggregateThreshold: maxOfRollingMin(errors.totalScaled, resolved.thresholdWindow),
      };
    });

    const parts = fitParts(input.rows, choice);
    return new AnomalyModel(parts, {
      format: ANOMALY_MODEL_FORMAT,
      version: 1,
      tags,
      targetTags,
      options: resolved,
      featureThresholds: targetTags.map((_tag, target) =>
        Math.max(...foldThresholds.map((fold) => fold.featureThresholds[target] ?? Number.NaN)),
      ),
      aggregateThreshold: Math.max(...foldThresholds.map((fold) => fold.aggregateThreshold)),
      folds: foldThresholds,
      training: { ...input.training, rows: input.rows.length },
    });
  }

  /** Rebuilds a model from {@link AnomalyModel.toJSON} output (also after a JSON round trip). */
  static fromJSON(value: unknown): AnomalyModel {
    const parsed = anomalyModelJsonSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LatigoError(
        'MODEL_TRAINING_FAILED',
        `not a saved anomaly model: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const { scaler, pca, ...rest } = parsed.data;
    checkTags(rest.tags, rest.targetTags);
    return new AnomalyModel(
      { scaler: MinMaxScaler.fromJSON(scaler), autoencoder: PcaAutoencoder.fromJSON(pca) },
      rest,
    );
  }

  get tags(): readonly string[] {
    return this.json.tags;
  }

  get targetTags(): readonly string[] {
    return this.json.targetTags;
  }

  /** Per target tag, the threshold of the absolute unscaled error. */
  get featureThresholds(): readonly number[] {
    return this.json.featureThresholds;
  }

  /** Threshold of the total scaled error. */
  get aggregateThreshold(): number {
    return this.json.aggregateThreshold;
  }

  get componentCount(): number {
    return this.parts.autoencoder.components.length;
  }

  get explainedVarianceRatio(): readonly number[] {
    return this.parts.autoencoder.explainedVarianceRatio;
  }

  get folds(): readonly FoldThresholdsJson[] {
    return this.json.folds;
  }

  get training(): TrainingInfo {
    return this.json.training;
  }

  /**
   * Scores rows. `x` has one column per input tag; `y`, one per target tag, defaults to the
   * target columns of `x`. Throws PREDICTION_FAILED for a row of the wrong width or a value that
   * is not finite.
   */
  predict(x: Rows, y?: Rows): AnomalyPrediction {
    checkRows(x, this.json.tags, 'PREDICTION_FAILED', 'input row');
    const actual = y ?? selectColumns(x, this.targetColumns);
    checkRows(actual, this.json.targetTags, 'PREDICTION_FAILED', 'target row');
    if (actual.length !== x.length) {
      throw new LatigoError(
        'PREDICTION_FAILED',
        `${x.length} input rows but ${actual.length} target rows; they must match`,
      );
    }
    const errors = reconstructionErrors(this.parts, x, actual, this.targetColumns);
    const { featureThresholds, aggregateThreshold } = this.json;
    return {
      modelInput: x.map((row) => [...row]),
      modelOutput: errors.output,
      tagAnomalyScaled: errors.scaled,
      totalAnomalyScaled: errors.totalScaled,
      tagAnomalyUnscaled: errors.unscaled,
      totalAnomalyUnscaled: errors.unscaled.map(meanOfSquares),
      anomalyConfidence: errors.unscaled.map((row) =>
        row.map((value, target) => value / (featureThresholds[target] ?? Number.NaN)),
      ),
      totalAnomalyConfidence: errors.totalScaled.map((value) => value / aggregateThreshold),
    };
  }

  /** Plain JSON; non-finite thresholds become null and read back as NaN. */
  toJSON(): AnomalyModelJson {
    return {
      ...this.json,
      scaler: this.parts.scaler.toJSON(),
      pca: this.parts.autoencoder.toJSON(),
    };
  }
}

function resolveOptions(options: AnomalyModelOptions): AnomalyModelJson['options'] {
  const resolved = {
    explainedVariance: options.explainedVariance ?? DEFAULT_EXPLAINED_VARIANCE,
    thresholdFolds: options.thresholdFolds ?? DEFAULT_THRESHOLD_FOLDS,
    thresholdWindow: options.thresholdWindow ?? DEFAULT_THRESHOLD_WINDOW,
  };
  const valid =
    resolved.explainedVariance > 0 &&
    resolved.explainedVariance <= 1 &&
    Number.isInteger(resolved.thresholdFolds) &&
    resolved.thresholdFolds >= 1 &&
    Number.isInteger(resolved.thresholdWindow) &&
    resolved.thresholdWindow >= 1 &&
    (options.nComponents === undefined ||
      (Number.isInteger(options.nComponents) && options.nComponents >= 1));
  if (!valid) {
    throw new LatigoError('MODEL_TRAINING_FAILED', 'invalid anomaly model options', {
      context: { ...resolved, nComponents: options.nComponents },
    });
  }
  return options.nComponents === undefined
    ? resolved
    : { ...resolved, nComponents: options.nComponents };
}

function fitParts(rows: Rows, choice: ComponentChoice): FittedParts {
  const scaler = MinMaxScaler.fit(rows);
  return { scaler, autoencoder: PcaAutoencoder.fit(scaler.transform(rows), choice) };
}

interface ReconstructionErrors {
  /** Ŷ in target columns, unscaled. */
  readonly output: number[][];
  readonly scaled: number[][];
  readonly unscaled: number[][];
  readonly totalScaled: number[];
}

function reconstructionErrors(
  parts: FittedParts,
  x: Rows,
  y: Rows,
  targetColumns: readonly number[],
): ReconstructionErrors {
  const reconstructed = parts.scaler.inverseTransform(
    parts.autoencoder.reconstruct(parts.scaler.transform(x)),
  );
  const output = selectColumns(reconstructed, targetColumns);
  const unscaled = output.map((row, index) =>
    row.map((value, target) => Math.abs(value - (y[index]?.[target] ?? Number.NaN))),
  );
  // S(Ŷ) - S(Y) = (Ŷ - Y) * scale: the scaler's offset cancels.
  const scaled = unscaled.map((row) =>
    row.map((value, target) => value * (parts.scaler.scale[targetColumns[target] ?? -1] ?? 1)),
  );
  return { output, scaled, unscaled, totalScaled: scaled.map(meanOfSquares) };
}

function selectColumns(rows: Rows, columns: readonly number[]): number[][] {
  return rows.map((row) => columns.map((column) => row[column] ?? Number.NaN));
}

function meanOfSquares(row: readonly number[]): number {
  return row.reduce((sum, value) => sum + value * value, 0) / row.length;
}

function checkTags(tags: readonly string[], targetTags: readonly string[]): void {
  if (tags.length === 0 || new Set(tags).size !== tags.length) {
    throw new LatigoError(
      'MODEL_TRAINING_FAILED',
      'an anomaly model needs at least one input tag and no tag twice',
      { context: { tags: tags.join(',') } },
    );
  }
  const unknown = targetTags.filter((tag) => !tags.includes(tag));
  if (
    targetTags.length === 0 ||
    unknown.length > 0 ||
    new Set(targetTags).size !== targetTags.length
  ) {
    throw new LatigoError(
      'MODEL_TRAINING_FAILED',
      `target tags must be distinct input tags; not inputs: ${unknown.join(', ') || '(none)'}`,
      { context: { targetTags: targetTags.join(',') } },
    );
  }
}

function checkRows(
  rows: Rows,
  tags: readonly string[],
  code: 'MODEL_TRAINING_FAILED' | 'PREDICTION_FAILED',
  what: string,
): void {
  rows.forEach((row, index) => {
    if (row.length !== tags.length) {
      throw new LatigoError(
        code,
        `${what} ${index} has ${row.length} values; expected ${tags.length} (${tags.join(', ')})`,
        { context: { row: index } },
      );
    }
    const column = row.findIndex((value) => !Number.isFinite(value));
    if (column >= 0) {
      throw new LatigoError(
        code,
        `${what} ${index}: tag "${tags[column] ?? ''}" has the non-finite value ${String(row[column])}`,
        { context: { row: index, tag: tags[column] } },
      );
    }
  });
}
