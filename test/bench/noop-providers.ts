import type { ModelInfo } from '../../src/domain/model.js';
import type { TaskProviders } from '../../src/executor/providers.js';

const MODEL: Omit<ModelInfo, 'project' | 'name'> = {
  tags: [{ name: 'T1' }],
  targetTags: [{ name: 'T1' }],
};

/**
 * Providers that do nothing but answer: every model exists with one tag, the sensor data and the
 * prediction are one row at the window's start, storing and recording return at once. With them
 * an executor measures the task queue and its own loop, nothing else.
 */
export function noopProviders(): TaskProviders {
  return {
    modelInfo: {
      getAllModels: () => Promise.resolve([]),
      getModelByKey: (project, name) =>
        Promise.resolve({ project, name, tags: MODEL.tags, targetTags: MODEL.targetTags }),
      getSpec: () => Promise.resolve({ tags: MODEL.tags }),
    },
    sensorData: {
      getDataForRange: (spec, range) =>
        Promise.resolve({
          range,
          series: spec.tags.map((tag) => ({ tag, timesMs: [range.fromMs], values: [1] })),
        }),
    },
    predictor: {
      executePrediction: (request) =>
        Promise.resolve({
          project: request.project,
          model: request.model,
          window: request.window,
          timesMs: [request.window.fromMs],
          columns: [{ group: 'total-anomaly-scaled', values: [0] }],
          nonFiniteCount: 0,
        }),
    },
    storage: {
      putPrediction: () => Promise.resolve({ series: [], rows: 1, points: 1, skipped: 0 }),
    },
    metadata: { putPredictionMetadata: () => Promise.resolve() },
  };
}
