import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { PredictionData } from '../../../src/domain/prediction.js';
import type { SensorData } from '../../../src/domain/sensor.js';
import type { TimeRange } from '../../../src/domain/time-range.js';
import type { PredictionExecutionProvider } from '../../../src/interfaces/index.js';
import { parseGordoStandinConfig } from '../../../src/standins/gordo/standin-config.js';
import {
  REVISION,
  SECOND,
  SKAB_TAGS,
  closeStandins,
  gordoSection,
  predictorFor,
  skabSensorData,
  standinConfig,
  startStandin,
  valveModel,
} from './gordo-support.js';

const NEXT_REVISION = '1583749999000';
const WINDOW: TimeRange = {
  fromMs: Date.parse('2020-03-09T10:25:00Z'),
  toMs: Date.parse('2020-03-09T10:30:00Z'),
};

afterEach(closeStandins);

/** What the executor does: ask for the input range, read it, predict. */
async function predict(
  predictor: PredictionExecutionProvider,
  window: TimeRange = WINDOW,
  sensorData?: (range: TimeRange) => SensorData,
  model = 'valve1',
): Promise<PredictionData> {
  const range = (await predictor.inputRange?.('skab', model, window)) ?? window;
  return predictor.executePrediction({
    project: 'skab',
    model,
    window,
    spec: { tags: SKAB_TAGS.map((name) => ({ name })) },
    sensorData: (sensorData ?? skabSensorData)(range),
  });
}

function column(prediction: PredictionData, group: string, tag?: string): readonly number[] {
  const found = prediction.columns.find((one) => one.group === group && one.tag === tag);
  if (found === undefined) {
    throw new Error(`no column ${group}/${tag ?? ''}`);
  }
  return found.values;
}

function predictionPosts(standin: Awaited<ReturnType<typeof startStandin>>, endpoint: string) {
  return standin.requests
    .list()
    .filter((entry) => entry.method === 'POST' && entry.path.endsWith(`/valve1/${endpoint}`));
}

describe('gordo predictions', () => {
  it('asks for the window widened by five resolution steps', async () => {
    const standin = await startStandin();
    const predictor = await predictorFor(gordoSection(standin));

    await expect(predictor.inputRange?.('skab', 'valve1', WINDOW)).resolves.toEqual({
      fromMs: WINDOW.fromMs - 5 * 5 * SECOND,
      toMs: WINDOW.toMs,
    });
  });

  it('predicts every resampled row of the window with all anomaly groups', async () => {
    const standin = await startStandin();
    const predictor = await predictorFor(gordoSection(standin));

    const prediction = await predict(predictor);

    expect(prediction).toMatchObject({ project: 'skab', model: 'valve1', revision: REVISION });
    expect(prediction.timesMs).toHaveLength(60);
    expect(prediction.timesMs[0]).toBe(WINDOW.fromMs);
    expect(prediction.timesMs.at(-1)).toBe(WINDOW.toMs - 5 * SECOND);
    expect(prediction.nonFiniteCount).toBe(0);
    const groups = new Set(prediction.columns.map((one) => one.group));
    expect([...groups]).toEqual([
      'model-input',
      'model-output',
      'tag-anomaly-scaled',
      'tag-anomaly-unscaled',
      'anomaly-confidence',
      'total-anomaly-scaled',
      'total-anomaly-unscaled',
      'total-anomaly-confidence',
    ]);
    expect(
      prediction.columns.filter((one) => one.group === 'model-output').map((one) => one.tag),
    ).toEqual(SKAB_TAGS);
    expect(prediction.columns.every((one) => one.values.every(Number.isFinite))).toBe(true);
  });

  it('sends the mean of each 5 s bucket as the model input', async () => {
    const standin = await startStandin();
    const predictor = await predictorFor(gordoSection(standin));

    const prediction = await predict(predictor);

    const points = skabSensorData({ fromMs: WINDOW.fromMs, toMs: WINDOW.fromMs + 5 * SECOND })
      .series[2];
    const mean =
      (points?.values ?? []).reduce((sum, value) => sum + value, 0) / (points?.values.length ?? 1);
    expect(points?.values.length).toBeGreaterThan(0);
    expect(column(prediction, 'model-input', 'SKAB.Current')[0]).toBeCloseTo(mean, 10);
  });

  it('cuts the rows into batches and gets the same result', async () => {
    const standin = await startStandin();
    const whole = await predict(await predictorFor(gordoSection(standin)));
    standin.requests.clear();

    const batched = await predict(
      await predictorFor(gordoSection(standin, { batch_size: 16, parallelism: 3 })),
    );

    // 5 lead-in rows, 60 in the window and one at its end: 66 rows in 5 batches.
    expect(predictionPosts(standin, 'anomaly/prediction')).toHaveLength(5);
    expect(batched.timesMs).toEqual(whole.timesMs);
    expect(column(batched, 'total-anomaly-scaled')).toEqual(column(whole, 'total-anomaly-scaled'));
  });

  it('leaves no hole at batch boundaries for a model with an offset', async () => {
    const standin = await startStandin(
      standinConfig({ [REVISION]: { valve1: valveModel({ model_offset: 2 }) } }),
    );
    const predictor = await predictorFor(gordoSection(standin, { batch_size: 10 }));

    await expect(predictor.inputRange?.('skab', 'valve1', WINDOW)).resolves.toEqual({
      fromMs: WINDOW.fromMs - 7 * 5 * SECOND,
      toMs: WINDOW.toMs,
    });
    const prediction = await predict(predictor);

    expect(prediction.timesMs).toHaveLength(60);
    expect(prediction.nonFiniteCount).toBe(0);
  });

  it('falls back to the plain prediction endpoint when the anomaly endpoint answers 422', async () => {
    const standin = await startStandin();
    standin.state.setAnomalyEndpoint('skab', REVISION, 'valve1', false);
    const predictor = await predictorFor(gordoSection(standin));

    const first = await predict(predictor);
    const second = await predict(predictor);

    expect([...new Set(first.columns.map((one) => one.group))]).toEqual([
      'model-input',
      'model-output',
    ]);
    expect(second.timesMs).toHaveLength(60);
    expect(predictionPosts(standin, 'anomaly/prediction').map((entry) => entry.status)).toEqual([
      422,
    ]);
    expect(predictionPosts(standin, 'prediction').map((entry) => entry.status)).toEqual([200, 200]);
  });

  it('predicts again with the latest revision when its revision is gone (410)', async () => {
    const standin = await startStandin(
      standinConfig(
        { [REVISION]: { valve1: valveModel() }, [NEXT_REVISION]: { valve1: valveModel() } },
        { current_revision: REVISION },
      ),
    );
    const predictor = await predictorFor(gordoSection(standin, { revisions_cache_ttl: '1h' }));
    const range = (await predictor.inputRange?.('skab', 'valve1', WINDOW)) ?? WINDOW;

    standin.state.setCurrentRevision('skab', NEXT_REVISION);
    const deleted = await fetch(`${standin.connectionString}skab/valve1/revision/${REVISION}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);

    const prediction = await predictor.executePrediction({
      project: 'skab',
      model: 'valve1',
      window: WINDOW,
      spec: { tags: [] },
      sensorData: skabSensorData(range),
    });

    expect(prediction.revision).toBe(NEXT_REVISION);
    expect(prediction.timesMs).toHaveLength(60);
    expect(predictionPosts(standin, 'anomaly/prediction').map((entry) => entry.status)).toEqual([
      410, 200,
    ]);
  });

  it('retries a prediction request that failed with 503', async () => {
    const standin = await startStandin();
    standin.faults.add([{ type: 'status', status: 503, times: 1, method: 'POST' }]);
    const predictor = await predictorFor(gordoSection(standin));

    await expect(predict(predictor)).resolves.toMatchObject({ revision: REVISION });
    expect(predictionPosts(standin, 'anomaly/prediction').map((entry) => entry.status)).toEqual([
      503, 200,
    ]);
  });

  it('names the tag that has no sensor data', async () => {
    const standin = await startStandin();
    const predictor = await predictorFor(gordoSection(standin));

    await expect(
      predict(predictor, WINDOW, (range) => skabSensorData(range, SKAB_TAGS.slice(1))),
    ).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
      message: expect.stringContaining('no sensor data for tag "SKAB.Accelerometer1RMS"') as string,
    });
  });

  it('fails naming model and window when the row filter keeps no row of the window', async () => {
    const tags = SKAB_TAGS.filter((tag) => tag !== 'SKAB.Pressure');
    const standin = await startStandin(
      standinConfig({
        [REVISION]: { valve1: valveModel({ tags, row_filter: '`SKAB.Pressure` > 100' }) },
      }),
    );
    const predictor = await predictorFor(gordoSection(standin));

    await expect(predict(predictor)).rejects.toMatchObject({
      code: 'SENSOR_DATA_MISSING',
      retriable: false,
      message: expect.stringMatching(
        /^model skab\/valve1 window \[2020-03-09T10:25:00Z, 2020-03-09T10:30:00Z\): the row_filter "`SKAB.Pressure` > 100" keeps none of the 60 complete rows inside the window/,
      ) as string,
    });
    expect(predictionPosts(standin, 'anomaly/prediction')).toEqual([]);
  });

  it('says when the model does not exist', async () => {
    const standin = await startStandin();
    const predictor = await predictorFor(gordoSection(standin));

    await expect(predictor.inputRange?.('skab', 'valve9', WINDOW)).rejects.toMatchObject({
      code: 'MODEL_NOT_FOUND',
    });
  });
});

describe('gordo predictions with values that are not finite', () => {
  let directory: string;
  let csv: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'latigo-gordo-nan-'));
    csv = join(directory, 'constant.csv');
    const lines = ['time;A;B'];
    for (let second = 0; second < 600; second += 1) {
      const time = new Date(Date.parse('2024-01-01T00:00:00Z') + second * SECOND).toISOString();
      lines.push(`${time};${Math.sin(second / 7) * 10 + second / 60};1`);
    }
    writeFileSync(csv, `${lines.join('\n')}\n`);
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('counts and keeps as NaN the values the server writes as NaN or Infinity', async () => {
    const config = parseGordoStandinConfig(
      {
        sources: { flat: { file: csv, timestamp_column: 'time', columns: { A: 'A', B: 'B' } } },
        projects: {
          skab: {
            revisions: {
              [REVISION]: {
                valve1: {
                  source: 'flat',
                  tags: ['A', 'B'],
                  train_start: '2024-01-01T00:00:00Z',
                  train_end: '2024-01-01T00:05:00Z',
                  resolution: '5S',
                },
              },
            },
          },
        },
      },
      'test',
    );
    const standin = await startStandin({ config, baseDir: directory });
    const predictor = await predictorFor(gordoSection(standin));
    const window = {
      fromMs: Date.parse('2024-01-01T00:06:00Z'),
      toMs: Date.parse('2024-01-01T00:07:00Z'),
    };
    const sensorData = (range: TimeRange): SensorData => {
      const times: number[] = [];
      for (let time = range.fromMs; time < range.toMs; time += SECOND) {
        times.push(time);
      }
      return {
        range,
        series: [
          { tag: { name: 'A' }, timesMs: times, values: times.map((time) => (time / SECOND) % 13) },
          { tag: { name: 'B' }, timesMs: times, values: times.map(() => 1) },
        ],
      };
    };

    const prediction = await predict(predictor, window, sensorData);

    // B never varied in training: its threshold is 0, and 0 / 0 is NaN in every window row.
    expect(column(prediction, 'anomaly-confidence', 'B').every(Number.isNaN)).toBe(true);
    expect(prediction.nonFiniteCount).toBeGreaterThanOrEqual(12);
    expect(prediction.nonFiniteCount).toBe(
      prediction.columns.reduce(
        (count, one) => count + one.values.filter((v) => !Number.isFinite(v)).length,
        0,
      ),
    );
  });
});
