import { describe, expect, it } from 'vitest';

import { AnomalyModel, type AnomalyModelOptions, type FitInput } from './anomaly-model.js';
import { MinMaxScaler } from './min-max-scaler.js';

/*
 * The tiny data set of these tests, worked out by hand.
 *
 * Training rows (a, b), oldest first: (0,0) (2,2) (1,2) (2,1) (3,1) (1,3).
 *
 * Final model, fitted on all six rows:
 *   MinMaxScaler: min 0, max 3 for both tags, so S(x) = x / 3.
 *   Scaled mean (0.5, 0.5). Centred rows (unscaled, to be divided by 3):
 *   (-1.5,-1.5) (0.5,0.5) (-0.5,0.5) (0.5,-0.5) (1.5,-0.5) (-0.5,1.5)
 *   Scatter matrix: [[5.5, 0.5], [0.5, 5.5]] / 9, eigenvalues 6/9 along (1,1)/√2 and 5/9 along
 *   (1,-1)/√2, so one component keeps 6/11 of the variance and is (1,1)/√2.
 *   Reconstruction with one component: the scaled row projected on the diagonal through
 *   (0.5, 0.5), i.e. both tags become the mean of the two scaled values.
 *
 * Thresholds, 2 time-ordered folds of floor(6 / 3) = 2 rows, rolling window min(6, 2) = 2:
 *   Fold 1: fit on (0,0) (2,2): S(x) = x / 2, component (1,1)/√2.
 *     Test (1,2): scaled (0.5, 1) -> reconstructed (0.75, 0.75) -> unscaled (1.5, 1.5);
 *     |Ŷ - Y| = (0.5, 0.5); scaled errors (0.25, 0.25); total scaled 0.0625.
 *     Test (2,1): the mirror image, same errors.
 *     Feature thresholds min(0.5, 0.5) = 0.5 per tag; aggregate 0.0625.
 *   Fold 2: fit on the first four rows: S(x) = x / 2, scaled mean (0.625, 0.625), scatter
 *     [[0.6875, 0.4375], [0.4375, 0.6875]], component (1,1)/√2.
 *     Test (3,1): scaled (1.5, 0.5) -> reconstructed (1, 1) -> unscaled (2, 2);
 *     |Ŷ - Y| = (1, 1); scaled (0.5, 0.5); total scaled 0.25. Test (1,3): the mirror image.
 *     Feature thresholds 1 per tag; aggregate 0.25.
 *   Model: feature thresholds max(0.5, 1) = 1 per tag; aggregate max(0.0625, 0.25) = 0.25.
 *
 * Predictions:
 *   (3,0): scaled (1, 0) -> (0.5, 0.5) -> Ŷ = (1.5, 1.5). |Ŷ-Y| = (1.5, 1.5), scaled (0.5, 0.5),
 *          total scaled 0.25, total unscaled 2.25, confidence 1.5 per tag, total confidence 1.
 *   (2,2): on the diagonal: Ŷ = Y, every error 0.
 *   (3,2): scaled (1, 2/3) -> (5/6, 5/6) -> Ŷ = (2.5, 2.5). |Ŷ-Y| = (0.5, 0.5), scaled (1/6, 1/6),
 *          total scaled 1/36, total unscaled 0.25, confidence 0.5, total confidence 1/9.
 */
const TRAINING_ROWS = [
  [0, 0],
  [2, 2],
  [1, 2],
  [2, 1],
  [3, 1],
  [1, 3],
];

function fitTiny(input: Partial<FitInput> = {}, options: AnomalyModelOptions = {}): AnomalyModel {
  return AnomalyModel.fit(
    { tags: ['a', 'b'], rows: TRAINING_ROWS, ...input },
    { nComponents: 1, thresholdFolds: 2, thresholdWindow: 6, ...options },
  );
}

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index] ?? Number.NaN, 12));
}

describe('AnomalyModel', () => {
  it('keeps one component explaining 6/11 of the training variance', () => {
    const model = fitTiny();

    expect(model.componentCount).toBe(1);
    expectClose(model.explainedVarianceRatio, [6 / 11]);
  });

  it('computes thresholds from two time-ordered folds as worked out by hand', () => {
    const model = fitTiny();

    expect(model.folds.map((fold) => [fold.trainRows, fold.testRows])).toEqual([
      [2, 2],
      [4, 2],
    ]);
    expectClose(model.folds[0]?.featureThresholds ?? [], [0.5, 0.5]);
    expect(model.folds[0]?.aggregateThreshold).toBeCloseTo(0.0625, 12);
    expectClose(model.folds[1]?.featureThresholds ?? [], [1, 1]);
    expect(model.folds[1]?.aggregateThreshold).toBeCloseTo(0.25, 12);
    expectClose(model.featureThresholds, [1, 1]);
    expect(model.aggregateThreshold).toBeCloseTo(0.25, 12);
  });

  it('returns every Gordo group with the values worked out by hand', () => {
    const prediction = fitTiny().predict([
      [3, 0],
      [2, 2],
      [3, 2],
    ]);

    expect(prediction.modelInput).toEqual([
      [3, 0],
      [2, 2],
      [3, 2],
    ]);
    expectClose(prediction.modelOutput.flat(), [1.5, 1.5, 2, 2, 2.5, 2.5]);
    expectClose(prediction.tagAnomalyUnscaled.flat(), [1.5, 1.5, 0, 0, 0.5, 0.5]);
    expectClose(prediction.tagAnomalyScaled.flat(), [0.5, 0.5, 0, 0, 1 / 6, 1 / 6]);
    expectClose(prediction.totalAnomalyScaled, [0.25, 0, 1 / 36]);
    expectClose(prediction.totalAnomalyUnscaled, [2.25, 0, 0.25]);
    expectClose(prediction.anomalyConfidence.flat(), [1.5, 1.5, 0, 0, 0.5, 0.5]);
    expectClose(prediction.totalAnomalyConfidence, [1, 0, 1 / 9]);
  });

  it('compares with separate targets when y is given', () => {
    // Ŷ for (3,0) is (1.5, 1.5); against y = (1.5, 0.5) the errors are (0, 1)
    const prediction = fitTiny().predict([[3, 0]], [[1.5, 0.5]]);

    expect(prediction.tagAnomalyUnscaled[0]?.[0]).toBeCloseTo(0, 12);
    expect(prediction.tagAnomalyUnscaled[0]?.[1]).toBeCloseTo(1, 12);
    expect(prediction.totalAnomalyUnscaled[0]).toBeCloseTo(0.5, 12);
  });

  it('predicts only the target tags when they are a subset of the inputs', () => {
    const prediction = fitTiny({ targetTags: ['b'] }).predict([[3, 0]]);

    expect(prediction.modelInput).toEqual([[3, 0]]);
    expectClose(prediction.modelOutput[0] ?? [], [1.5]);
    expectClose(prediction.tagAnomalyScaled[0] ?? [], [0.5]);
    // the mean over one target tag is that tag's square: 0.5² and 1.5²
    expectClose(prediction.totalAnomalyScaled, [0.25]);
    expectClose(prediction.totalAnomalyUnscaled, [2.25]);
  });

  it('keeps as many components as the explained variance asks for', () => {
    expect(fitTiny({}, { nComponents: undefined, explainedVariance: 0.5 }).componentCount).toBe(1);
    expect(fitTiny({}, { nComponents: undefined }).componentCount).toBe(2);
  });

  it('keeps non-finite confidences where a threshold is zero', () => {
    // b is constant in training, so its fold errors and its feature threshold are exactly 0
    const model = AnomalyModel.fit(
      {
        tags: ['a', 'b'],
        rows: [
          [0, 7],
          [4, 7],
          [2, 7],
          [1, 7],
          [3, 7],
          [2, 7],
        ],
      },
      { nComponents: 1, thresholdFolds: 2 },
    );

    const prediction = model.predict([
      [2, 8],
      [2, 7],
    ]);

    expect(model.featureThresholds[1]).toBe(0);
    expect(prediction.anomalyConfidence[0]?.[1]).toBe(Number.POSITIVE_INFINITY);
    expect(prediction.anomalyConfidence[1]?.[1]).toBeNaN();
  });

  it('survives a JSON round trip with the same predictions', () => {
    const model = fitTiny({ training: { fromMs: 0, toMs: 60_000, resolutionMs: 10_000 } });

    const restored = AnomalyModel.fromJSON(JSON.parse(JSON.stringify(model)));

    expect(restored.toJSON()).toEqual(model.toJSON());
    expect(restored.predict([[3, 2]])).toEqual(model.predict([[3, 2]]));
    expect(restored.training).toEqual({ rows: 6, fromMs: 0, toMs: 60_000, resolutionMs: 10_000 });
  });

  it('reads a threshold that JSON turned into null back as NaN', () => {
    const json = { ...fitTiny().toJSON(), aggregateThreshold: null };

    const restored = AnomalyModel.fromJSON(JSON.parse(JSON.stringify(json)));

    expect(restored.aggregateThreshold).toBeNaN();
    expect(restored.predict([[3, 0]]).totalAnomalyConfidence[0]).toBeNaN();
  });

  it('rejects JSON that is not a saved model', () => {
    expect(() => AnomalyModel.fromJSON({ format: 'other' })).toThrow(/not a saved anomaly model/);
  });

  it('refuses too few rows for the threshold folds', () => {
    expect(() => fitTiny({ rows: TRAINING_ROWS.slice(0, 2) })).toThrow(
      /2 training rows are too few for 2 threshold folds/,
    );
  });

  it('refuses target tags that are not inputs, and non-finite values', () => {
    expect(() => fitTiny({ targetTags: ['c'] })).toThrow(/not inputs: c/);
    expect(() => fitTiny().predict([[1, Number.NaN]])).toThrow(
      expect.objectContaining({ code: 'PREDICTION_FAILED' }),
    );
    expect(() => fitTiny().predict([[1]])).toThrow(/input row 0 has 1 values; expected 2/);
  });
});

describe('MinMaxScaler', () => {
  it('scales a constant column by 1, as scikit-learn does', () => {
    const scaler = MinMaxScaler.fit([
      [1, 5],
      [3, 5],
    ]);

    expect(scaler.toJSON()).toEqual({ dataMin: [1, 5], scale: [0.5, 1] });
    expect(scaler.transform([[2, 6]])).toEqual([[0.5, 1]]);
    expect(scaler.inverseTransform([[0.5, 1]])).toEqual([[2, 6]]);
  });
});
