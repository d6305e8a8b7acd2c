import type { ModelInfo } from '../../src/domain/model.js';
import type { PredictionData } from '../../src/domain/prediction.js';
import type { SensorData } from '../../src/domain/sensor.js';
import type { TimeRange } from '../../src/domain/time-range.js';
import type { TaskProviders } from '../../src/executor/providers.js';

const MODEL: Omit<ModelInfo, 'project' | 'name'> = {
  tags: [{ name: 'T1' }],
  targetTags: [{ name: 'T1' }],
};
const SPEC = { tags: MODEL.tags };
const STORED = { series: [], rows: 1, points: 1, skipped: 0 };
const DONE = Promise.resolve();
const SPEC_ANSWER = Promise.resolve(SPEC);
const STORED_ANSWER = Promise.resolve(STORED);

/** The answers that depend on the window only, kept for the last window asked about. */
interface WindowAnswers {
  readonly window: TimeRange;
  readonly sensorData: Promise<SensorData>;
  readonly timesMs: readonly number[];
  readonly columns: PredictionData['columns'];
}

/**
 * Providers that do nothing but answer: every model exists with one tag, the sensor data and the
 * prediction are one row at the window's start, storing and recording return at once. With them
 * an executor measures the task queue and its own loop, nothing else: the tasks of a slot share
 * one window, so what depends only on the window is built once, and a task costs the providers
 * two small objects (its model and its prediction, which name the model).
 */
export function noopProviders(): TaskProviders {
  let last: WindowAnswers | undefined;
  const answersFor = (window: TimeRange): WindowAnswers => {
    if (last?.window.fromMs !== window.fromMs || last.window.toMs !== window.toMs) {
      last = {
        window,
        sensorData: Promise.resolve({
          range: window,
          series: SPEC.tags.map((tag) => ({ tag, timesMs: [window.fromMs], values: [1] })),
        }),
        timesMs: [window.fromMs],
        columns: [{ group: 'total-anomaly-scaled', values: [0] }],
      };
    }
    return last;
  };
  return {
    modelInfo: {
      getAllModels: () => Promise.resolve([]),
      getModelByKey: (project, name) =>
        Promise.resolve({ project, name, tags: MODEL.tags, targetTags: MODEL.targetTags }),
      getSpec: () => SPEC_ANSWER,
    },
    sensorData: {
      getDataForRange: (_spec, range) => answersFor(range).sensorData,
    },
    predictor: {
      executePrediction: (request) => {
        const { timesMs, columns } = answersFor(request.window);
        return Promise.resolve({
          project: request.project,
          model: request.model,
          window: request.window,
          timesMs,
          columns,
          nonFiniteCount: 0,
        });
      },
    },
    storage: { putPrediction: () => STORED_ANSWER },
    metadata: { putPredictionMetadata: () => DONE },
  };
}
