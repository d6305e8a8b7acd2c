import { LatigoError } from '../../src/errors/index.js';
import type { ModelInfo } from '../../src/domain/model.js';
import type { PredictionData } from '../../src/domain/prediction.js';
import type { SensorData, SensorDataSpec } from '../../src/domain/sensor.js';
import type { TimeRange } from '../../src/domain/time-range.js';
import type { TaskProviders } from '../../src/executor/providers.js';
import type {
  ModelInfoProvider,
  PredictionExecutionProvider,
  PredictionMetadataStorage,
  PredictionRequest,
  PredictionStorageProvider,
  SensorDataProvider,
  StoredPrediction,
} from '../../src/interfaces/index.js';

/**
 * Small in-memory providers for executor and scheduler tests: each does real, simple work (a
 * one-row-per-minute "prediction" of the mean of the inputs) and records what it was asked.
 */
export interface RecordingProviders extends TaskProviders {
  readonly stored: PredictionData[];
  readonly recorded: string[];
  readonly reads: TimeRange[];
}

export function makeModel(overrides: Partial<ModelInfo> = {}): ModelInfo {
  return {
    project: 'p',
    name: 'm',
    tags: [{ name: 'T1' }, { name: 'T2' }],
    targetTags: [{ name: 'T1' }, { name: 'T2' }],
    ...overrides,
  };
}

export function staticModels(models: readonly ModelInfo[]): ModelInfoProvider {
  const find = (project: string, name: string) =>
    models.find((model) => model.project === project && model.name === name);
  return {
    getAllModels: (projects) =>
      Promise.resolve(models.filter((model) => projects.includes(model.project))),
    getModelByKey: (project, name) => Promise.resolve(find(project, name)),
    getSpec: (project, name) => {
      const model = find(project, name);
      return Promise.resolve(model === undefined ? undefined : { tags: model.tags });
    },
  };
}

export function minuteData(): SensorDataProvider {
  return {
    getDataForRange(spec: SensorDataSpec, range: TimeRange): Promise<SensorData> {
      const times: number[] = [];
      for (let time = range.fromMs; time < range.toMs; time += 60_000) {
        times.push(time);
      }
      return Promise.resolve({
        range,
        series: spec.tags.map((tag, index) => ({
          tag,
          timesMs: times,
          values: times.map(() => index + 1),
        })),
      });
    },
  };
}

export function meanPredictor(): PredictionExecutionProvider {
  return {
    executePrediction(request: PredictionRequest): Promise<PredictionData> {
      const times = request.sensorData.series[0]?.timesMs ?? [];
      const mean = times.map((_time, row) => {
        const values = request.sensorData.series.map((series) => series.values[row] ?? Number.NaN);
        return values.reduce((sum, value) => sum + value, 0) / values.length;
      });
      return Promise.resolve({
        project: request.project,
        model: request.model,
        window: request.window,
        timesMs: [...times],
        columns: [{ group: 'total-anomaly-scaled', values: mean }],
        nonFiniteCount: 0,
      });
    },
  };
}

export function recordingProviders(overrides: Partial<TaskProviders> = {}): RecordingProviders {
  const stored: PredictionData[] = [];
  const recorded: string[] = [];
  const reads: TimeRange[] = [];
  const baseData = overrides.sensorData ?? minuteData();
  const storage: PredictionStorageProvider = {
    putPrediction(prediction): Promise<StoredPrediction> {
      stored.push(prediction);
      const points = prediction.columns.reduce((sum, column) => sum + column.values.length, 0);
      return Promise.resolve({ series: [], rows: prediction.timesMs.length, points, skipped: 0 });
    },
  };
  const metadata: PredictionMetadataStorage = {
    putPredictionMetadata({ prediction }) {
      recorded.push(`${prediction.project}/${prediction.model}`);
      return Promise.resolve();
    },
  };
  return {
    modelInfo: staticModels([makeModel()]),
    predictor: meanPredictor(),
    storage,
    metadata,
    ...overrides,
    sensorData: {
      getDataForRange(spec, range, signal) {
        reads.push(range);
        return baseData.getDataForRange(spec, range, signal);
      },
    },
    stored,
    recorded,
    reads,
  };
}

/** A provider step that fails `times` times with the given error, then works. */
export function failingTimes<T>(
  times: number,
  error: () => Error,
  work: () => Promise<T>,
): () => Promise<T> {
  let failures = 0;
  return () => {
    if (failures < times) {
      failures += 1;
      return Promise.reject(error());
    }
    return work();
  };
}

export const retriableError = (): LatigoError =>
  new LatigoError('HTTP_STATUS', 'service answered 503', {
    retriable: true,
    context: { status: 503 },
  });
