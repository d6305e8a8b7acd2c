import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PredictionColumn, PredictionData } from '../../src/domain/prediction.js';
import type { PredictionStorageProvider, StoredPrediction } from '../../src/interfaces/index.js';

/** A stored point as read back from the storage. */
export interface ContractPoint {
  readonly timeMs: number;
  readonly value: number;
}

/** A storage under test, and how to read back what it stored. */
export interface PredictionStorageContractSubject {
  readonly storage: PredictionStorageProvider;
  /** Every stored point of the output series with this name, ascending by time. */
  readPoints(seriesName: string): Promise<readonly ContractPoint[]>;
  readonly close?: () => Promise<void>;
}

/** 2024-01-01T00:00:00Z. */
const T0_MS = Date.UTC(2024, 0, 1);
const STEP_MS = 10_000;
const MODEL = 'contract-model';

function prediction(
  windowIndex: number,
  values: (base: number) => Partial<Record<string, number[]>> = () => ({}),
): PredictionData {
  const fromMs = T0_MS + windowIndex * 3 * STEP_MS;
  const base = windowIndex * 100;
  const overrides = values(base);
  const column = (
    group: PredictionColumn['group'],
    tag: string | undefined,
    fallback: number[],
  ) => ({
    group,
    ...(tag === undefined ? {} : { tag }),
    values: overrides[`${group}:${tag ?? ''}`] ?? fallback,
  });
  const columns: PredictionColumn[] = [
    column('model-input', 'CONTRACT.A', [base + 1, base + 2, base + 3]),
    column('model-output', 'CONTRACT.A', [base + 1.5, base + 2.5, base + 3.5]),
    column('model-output', 'CONTRACT.B', [base + 4, base + 5, base + 6]),
    column('tag-anomaly-scaled', 'CONTRACT.A', [0.5, Number.NaN, 0.25]),
    column('total-anomaly-scaled', undefined, [0.125, 0.5, Number.POSITIVE_INFINITY]),
    column('anomaly-confidence', 'CONTRACT.B', [2, 3, 4]),
  ];
  return {
    project: 'contract',
    model: MODEL,
    window: { fromMs, toMs: fromMs + 3 * STEP_MS },
    timesMs: [fromMs, fromMs + STEP_MS, fromMs + 2 * STEP_MS],
    columns,
    nonFiniteCount: 2,
  };
}

const PER_TAG_NAMES = [
  `CONTRACT.A|${MODEL}|model-output`,
  `CONTRACT.B|${MODEL}|model-output`,
  `CONTRACT.A|${MODEL}|tag-anomaly-scaled`,
  `CONTRACT.B|${MODEL}|anomaly-confidence`,
];
const TOTAL_NAME = new RegExp(`^[^|]+\\.INDICATOR\\|${MODEL}\\|total-anomaly-scaled$`);

function totalName(stored: StoredPrediction): string {
  return stored.series.find((series) => series.group === 'total-anomaly-scaled')?.name ?? '';
}

/**
 * The promises of PredictionStorageProvider, run against one implementation. `makeStorage`
 * returns an empty storage; the suite writes windows of project `contract`, model
 * `contract-model`.
 */
export function describePredictionStorageContract(
  name: string,
  makeStorage: () => Promise<PredictionStorageContractSubject>,
): void {
  describe(`${name} (prediction storage contract)`, () => {
    let subject: PredictionStorageContractSubject;

    beforeAll(async () => {
      subject = await makeStorage();
    });

    afterAll(async () => {
      await subject.close?.();
    });

    it('stores every column but the model input under tag|model|group names', async () => {
      const stored = await subject.storage.putPrediction(prediction(0));

      const names = stored.series.map((series) => series.name);
      expect(names.filter((seriesName) => !TOTAL_NAME.test(seriesName)).sort()).toEqual(
        [...PER_TAG_NAMES].sort(),
      );
      expect(names.filter((seriesName) => TOTAL_NAME.test(seriesName))).toHaveLength(1);
      expect(names.some((seriesName) => seriesName.endsWith('|model-input'))).toBe(false);
    });

    it('skips non-finite values and counts them', async () => {
      const stored = await subject.storage.putPrediction(prediction(0));

      // 5 stored columns of 3 rows, one NaN and one Infinity
      expect(stored.rows).toBe(3);
      expect(stored.points).toBe(13);
      expect(stored.skipped).toBe(2);
      expect(stored.series.reduce((sum, series) => sum + series.points, 0)).toBe(13);
      const total = await subject.readPoints(totalName(stored));
      expect(total.map((point) => point.value)).toEqual([0.125, 0.5]);
    });

    it('keeps exactly one value per series and time when a window is written again', async () => {
      await subject.storage.putPrediction(prediction(0));
      await subject.storage.putPrediction(prediction(0));

      const points = await subject.readPoints(`CONTRACT.A|${MODEL}|model-output`);
      expect(points).toEqual([
        { timeMs: T0_MS, value: 1.5 },
        { timeMs: T0_MS + STEP_MS, value: 2.5 },
        { timeMs: T0_MS + 2 * STEP_MS, value: 3.5 },
      ]);
    });

    it('overwrites the values of a window written again with new values', async () => {
      await subject.storage.putPrediction(prediction(0));
      await subject.storage.putPrediction(
        prediction(0, () => ({ 'model-output:CONTRACT.B': [40, 50, 60] })),
      );

      const points = await subject.readPoints(`CONTRACT.B|${MODEL}|model-output`);
      expect(points.map((point) => point.value)).toEqual([40, 50, 60]);
    });

    it('leaves the previous window alone when the next one is written', async () => {
      const first = await subject.storage.putPrediction(prediction(0));
      await subject.storage.putPrediction(prediction(1));

      const points = await subject.readPoints(`CONTRACT.A|${MODEL}|model-output`);
      expect(points.map((point) => point.value)).toEqual([1.5, 2.5, 3.5, 101.5, 102.5, 103.5]);
      expect((await subject.readPoints(totalName(first))).length).toBe(4);
    });
  });
}
