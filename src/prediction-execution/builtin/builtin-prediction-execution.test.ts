import { describe, expect, it } from 'vitest';

import type { ModelInfo } from '../../domain/model.js';
import type { SensorData, SensorDataSpec } from '../../domain/sensor.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { PredictionRequest, SensorDataProvider } from '../../interfaces/index.js';
import { silentLogger } from '../../logging/logger.js';
import { builtinPredictorSchema } from './builtin-config.js';
import { BuiltinPredictionExecution } from './builtin-prediction-execution.js';

const SECOND_MS = 1_000;
const TRAINING_FROM_MS = Date.UTC(2024, 0, 1);
const WINDOW_FROM_MS = Date.UTC(2024, 0, 2);

/*
 * The tiny data set of src/anomaly/anomaly-model.test.ts, one row every 10 s. Its hand-worked
 * values: for row (3,0) the output is (1.5, 1.5), total-anomaly-scaled 0.25, confidence 1.5 per
 * tag and total confidence 1; row (2,2) is reconstructed exactly.
 */
const TRAINING_ROWS = [
  [0, 0],
  [2, 2],
  [1, 2],
  [2, 1],
  [3, 1],
  [1, 3],
];
const WINDOW_ROWS = [
  [3, 0],
  [2, 2],
  [3, 2],
];

/** An in-memory sensor data provider over rows at 10-second steps, counting its reads. */
function sensorData(): SensorDataProvider & { reads: TimeRange[] } {
  const rows = new Map<number, readonly number[]>();
  TRAINING_ROWS.forEach((row, index) => rows.set(TRAINING_FROM_MS + index * 10 * SECOND_MS, row));
  WINDOW_ROWS.forEach((row, index) => rows.set(WINDOW_FROM_MS + index * 10 * SECOND_MS, row));
  const reads: TimeRange[] = [];
  return {
    reads,
    getDataForRange(spec: SensorDataSpec, range: TimeRange): Promise<SensorData> {
      reads.push(range);
      const times = [...rows.keys()].filter((time) => time >= range.fromMs && time < range.toMs);
      return Promise.resolve({
        range,
        series: spec.tags.map((tag) => ({
          tag,
          timesMs: times,
          values: times.map((time) => rows.get(time)?.[tag.name === 'a' ? 0 : 1] ?? Number.NaN),
        })),
      });
    },
  };
}

function modelInfo(overrides: Partial<ModelInfo> = {}): ModelInfo {
  const tags = [{ name: 'a' }, { name: 'b' }];
  return {
    project: 'p',
    name: 'm',
    tags,
    targetTags: tags,
    trainingRange: { fromMs: TRAINING_FROM_MS, toMs: TRAINING_FROM_MS + 60 * SECOND_MS },
    resolutionMs: 10 * SECOND_MS,
    revision: '7',
    ...overrides,
  };
}

function predictor(
  config: Record<string, unknown> = {},
  provider: SensorDataProvider = sensorData(),
): BuiltinPredictionExecution {
  const builtin = new BuiltinPredictionExecution(
    builtinPredictorSchema.parse({
      type: 'builtin',
      n_components: 1,
      threshold_folds: 2,
      ...config,
    }),
    silentLogger(),
  );
  builtin.attachSensorData(provider);
  return builtin;
}

async function request(
  info: ModelInfo | undefined = modelInfo(),
  window: TimeRange = { fromMs: WINDOW_FROM_MS, toMs: WINDOW_FROM_MS + 30 * SECOND_MS },
): Promise<PredictionRequest> {
  const spec = { tags: info?.tags ?? [] };
  return {
    project: 'p',
    model: 'm',
    window,
    spec,
    modelInfo: info,
    sensorData: await sensorData().getDataForRange(spec, window),
  };
}

function column(
  prediction: {
    columns: readonly { group: string; tag?: string | undefined; values: readonly number[] }[];
  },
  group: string,
  tag?: string,
) {
  return prediction.columns.find((candidate) => candidate.group === group && candidate.tag === tag)
    ?.values;
}

describe('BuiltinPredictionExecution', () => {
  it('trains on the training range and returns the hand-worked Gordo groups', async () => {
    const prediction = await predictor().executePrediction(await request());

    expect(prediction.timesMs).toEqual([
      WINDOW_FROM_MS,
      WINDOW_FROM_MS + 10 * SECOND_MS,
      WINDOW_FROM_MS + 20 * SECOND_MS,
    ]);
    expect(prediction.revision).toBe('7');
    expect(column(prediction, 'model-input', 'a')).toEqual([3, 2, 3]);
    expect(column(prediction, 'model-output', 'a')?.[0]).toBeCloseTo(1.5, 12);
    expect(column(prediction, 'model-output', 'b')?.[1]).toBeCloseTo(2, 12);
    expect(column(prediction, 'total-anomaly-scaled')?.[0]).toBeCloseTo(0.25, 12);
    expect(column(prediction, 'total-anomaly-unscaled')?.[0]).toBeCloseTo(2.25, 12);
    expect(column(prediction, 'anomaly-confidence', 'b')?.[0]).toBeCloseTo(1.5, 12);
    expect(column(prediction, 'total-anomaly-confidence')?.[0]).toBeCloseTo(1, 12);
    expect(prediction.nonFiniteCount).toBe(0);
  });

  it('returns one column per group and tag, totals without a tag', async () => {
    const prediction = await predictor().executePrediction(await request());

    expect(prediction.columns.map((one) => `${one.group}:${one.tag ?? ''}`)).toEqual([
      'model-input:a',
      'model-input:b',
      'model-output:a',
      'model-output:b',
      'tag-anomaly-scaled:a',
      'tag-anomaly-scaled:b',
      'total-anomaly-scaled:',
      'tag-anomaly-unscaled:a',
      'tag-anomaly-unscaled:b',
      'total-anomaly-unscaled:',
      'anomaly-confidence:a',
      'anomaly-confidence:b',
      'total-anomaly-confidence:',
    ]);
  });

  it('trains a model once and reuses it for later windows', async () => {
    const provider = sensorData();
    const builtin = predictor({}, provider);

    await Promise.all([
      builtin.executePrediction(await request()),
      builtin.executePrediction(await request()),
    ]);
    await builtin.executePrediction(await request());

    expect(provider.reads).toEqual([modelInfo().trainingRange]);
  });

  it('trains again when the training range changes', async () => {
    const provider = sensorData();
    const builtin = predictor({}, provider);
    const later = { fromMs: TRAINING_FROM_MS, toMs: TRAINING_FROM_MS + 70 * SECOND_MS };

    await builtin.executePrediction(await request());
    await builtin.executePrediction(await request(modelInfo({ trainingRange: later })));

    expect(provider.reads).toHaveLength(2);
  });

  it('keeps at most max_cached_models models', async () => {
    const provider = sensorData();
    const builtin = predictor({ max_cached_models: 1 }, provider);

    await builtin.executePrediction(await request(modelInfo({ name: 'm' })));
    await builtin.executePrediction(await request(modelInfo({ name: 'other' })));
    await builtin.executePrediction(await request(modelInfo({ name: 'm' })));

    expect(provider.reads).toHaveLength(3);
  });

  it('uses the configured resolution when the model has none', async () => {
    const builtin = predictor({ resolution: '20s' });

    const prediction = await builtin.executePrediction(
      await request(modelInfo({ resolutionMs: undefined })),
    );

    expect(prediction.timesMs).toEqual([WINDOW_FROM_MS, WINDOW_FROM_MS + 20 * SECOND_MS]);
  });

  it('refuses a model without a training range, naming it', async () => {
    await expect(
      predictor().executePrediction(await request(modelInfo({ trainingRange: undefined }))),
    ).rejects.toMatchObject({
      code: 'MODEL_TRAINING_FAILED',
      message: expect.stringMatching(/^model p\/m has no training range/) as unknown,
    });
  });

  it('names the model when training fails', async () => {
    const tooShort = { fromMs: TRAINING_FROM_MS, toMs: TRAINING_FROM_MS + 20 * SECOND_MS };

    await expect(
      predictor().executePrediction(await request(modelInfo({ trainingRange: tooShort }))),
    ).rejects.toThrow(
      /^training model p\/m on \[2024-01-01T00:00:00Z, 2024-01-01T00:00:20Z\): 2 training rows are too few/,
    );
  });

  it('reports a window without a complete row', async () => {
    const empty = { fromMs: WINDOW_FROM_MS + 3_600_000, toMs: WINDOW_FROM_MS + 3_660_000 };
    const builtin = predictor();
    const base = await request();

    await expect(
      builtin.executePrediction({
        ...base,
        window: empty,
        sensorData: { range: empty, series: base.sensorData.series },
      }),
    ).rejects.toMatchObject({ code: 'SENSOR_DATA_MISSING' });
  });

  it('needs a sensor data provider to train', async () => {
    const builtin = new BuiltinPredictionExecution(
      builtinPredictorSchema.parse({ type: 'builtin' }),
      silentLogger(),
    );

    await expect(builtin.check()).rejects.toMatchObject({ code: 'STARTUP_CHECK_FAILED' });
    await expect(builtin.executePrediction(await request())).rejects.toThrow(/none was attached/);
  });

  it('asks for the window itself as input range', async () => {
    const window = { fromMs: WINDOW_FROM_MS, toMs: WINDOW_FROM_MS + 30 * SECOND_MS };

    expect(await predictor().inputRange('p', 'm', window)).toEqual(window);
  });

  it('has documented config defaults', () => {
    expect(builtinPredictorSchema.parse({ type: 'builtin' })).toEqual({
      type: 'builtin',
      resolution: 600_000,
      explained_variance: 0.95,
      threshold_folds: 3,
      threshold_window: 6,
      max_cached_models: 100,
    });
  });
});
