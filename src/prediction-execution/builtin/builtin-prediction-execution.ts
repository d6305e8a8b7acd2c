import type { AnomalyModel, AnomalyModelOptions, AnomalyPrediction } from '../../anomaly/index.js';
import type { ModelInfo } from '../../domain/model.js';
import type { PredictionColumn, PredictionData } from '../../domain/prediction.js';
import { formatRange, isoUtc, type TimeRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import type {
  PredictionExecutionProvider,
  PredictionRequest,
  SensorDataAware,
  SensorDataProvider,
} from '../../interfaces/index.js';
import type { Logger } from '../../logging/logger.js';
import type { ProviderFactory } from '../../registry/registry.js';
import { builtinPredictorSchema, type BuiltinPredictorConfig } from './builtin-config.js';
import { ModelCache } from './model-cache.js';
import { modelRows } from './model-rows.js';
import { trainModel } from './train-model.js';

/**
 * Predicts in process with a Gordo-style anomaly model (src/anomaly). Each model is trained on
 * first use from its training range, read through the attached sensor data provider, and kept in
 * a bounded cache keyed by project, model, tags, training range and resolution (a change to any
 * of them trains again). Returns Gordo's output groups for the rows of the window.
 */
export class BuiltinPredictionExecution implements PredictionExecutionProvider, SensorDataAware {
  private sensorData: SensorDataProvider | undefined;
  private readonly models: ModelCache<AnomalyModel>;
  private readonly modelOptions: AnomalyModelOptions;

  constructor(
    private readonly config: BuiltinPredictorConfig,
    private readonly logger: Logger,
  ) {
    this.models = new ModelCache(config.max_cached_models);
    this.modelOptions = {
      nComponents: config.n_components,
      explainedVariance: config.explained_variance,
      thresholdFolds: config.threshold_folds,
      thresholdWindow: config.threshold_window,
    };
  }

  attachSensorData(provider: SensorDataProvider): void {
    this.sensorData = provider;
  }

  check(): Promise<void> {
    if (this.sensorData === undefined) {
      return Promise.reject(noSensorData());
    }
    return Promise.resolve();
  }

  /** The builtin model has no look-back: it needs the window's own data. */
  inputRange(_project: string, _model: string, window: TimeRange): Promise<TimeRange> {
    return Promise.resolve(window);
  }

  async executePrediction(
    request: PredictionRequest,
    signal?: AbortSignal,
  ): Promise<PredictionData> {
    const modelInfo = request.modelInfo;
    if (modelInfo === undefined) {
      throw new LatigoError(
        'MODEL_TRAINING_FAILED',
        `the builtin predictor needs the model info of ${request.project}/${request.model} to train it`,
        { context: { project: request.project, model: request.model } },
      );
    }
    const resolutionMs = modelInfo.resolutionMs ?? this.config.resolution;
    const model = await this.modelFor(modelInfo, resolutionMs, signal);

    const window = modelRows(request.sensorData, model.tags, request.window, resolutionMs);
    if (window.rows.length === 0) {
      throw new LatigoError(
        'SENSOR_DATA_MISSING',
        `no complete row of all tags of ${request.project}/${request.model} in ${formatRange(request.window)} at ${resolutionMs} ms resolution`,
        { context: { project: request.project, model: request.model } },
      );
    }
    const prediction = model.predict(window.rows);
    const columns = predictionColumns(model, prediction);
    return {
      project: request.project,
      model: request.model,
      window: request.window,
      revision: modelInfo.revision,
      timesMs: window.timesMs,
      columns,
      nonFiniteCount: columns.reduce(
        (count, column) => count + column.values.filter((value) => !Number.isFinite(value)).length,
        0,
      ),
    };
  }

  close(): Promise<void> {
    this.models.clear();
    return Promise.resolve();
  }

  private modelFor(
    modelInfo: ModelInfo,
    resolutionMs: number,
    signal: AbortSignal | undefined,
  ): Promise<AnomalyModel> {
    const sensorData = this.sensorData;
    if (sensorData === undefined) {
      return Promise.reject(noSensorData());
    }
    const key = JSON.stringify([
      modelInfo.project,
      modelInfo.name,
      modelInfo.tags.map((tag) => tag.name),
      modelInfo.targetTags.map((tag) => tag.name),
      modelInfo.trainingRange,
      resolutionMs,
    ]);
    return this.models.get(key, async () => {
      const startedMs = Date.now();
      const model = await trainModel(
        modelInfo,
        sensorData,
        resolutionMs,
        this.modelOptions,
        signal,
      );
      this.logger.info(
        {
          project: modelInfo.project,
          model: modelInfo.name,
          trainingRange: modelInfo.trainingRange && formatRange(modelInfo.trainingRange),
          rows: model.training.rows,
          components: model.componentCount,
          aggregateThreshold: model.aggregateThreshold,
          firstRow:
            model.training.firstRowMs === undefined ? undefined : isoUtc(model.training.firstRowMs),
          durationMs: Date.now() - startedMs,
        },
        'builtin model trained',
      );
      return model;
    });
  }
}

/** One column per group and tag, in Gordo's group order; totals have no tag. */
export function predictionColumns(
  model: AnomalyModel,
  prediction: AnomalyPrediction,
): PredictionColumn[] {
  const perTag = (
    group: PredictionColumn['group'],
    tags: readonly string[],
    rows: readonly (readonly number[])[],
  ): PredictionColumn[] =>
    tags.map((tag, index) => ({ group, tag, values: rows.map((row) => row[index] ?? Number.NaN) }));
  const targets = model.targetTags;
  return [
    ...perTag('model-input', model.tags, prediction.modelInput),
    ...perTag('model-output', targets, prediction.modelOutput),
    ...perTag('tag-anomaly-scaled', targets, prediction.tagAnomalyScaled),
    { group: 'total-anomaly-scaled', values: prediction.totalAnomalyScaled },
    ...perTag('tag-anomaly-unscaled', targets, prediction.tagAnomalyUnscaled),
    { group: 'total-anomaly-unscaled', values: prediction.totalAnomalyUnscaled },
    ...perTag('anomaly-confidence', targets, prediction.anomalyConfidence),
    { group: 'total-anomaly-confidence', values: prediction.totalAnomalyConfidence },
  ];
}

function noSensorData(): LatigoError {
  return new LatigoError(
    'STARTUP_CHECK_FAILED',
    'the builtin predictor reads training data through the sensor_data provider, but none was attached',
  );
}

/** `predictor.type: builtin`. */
export const builtinPredictionExecutionFactory: ProviderFactory<
  'prediction_execution',
  typeof builtinPredictorSchema
> = {
  kind: 'prediction_execution',
  type: 'builtin',
  schema: builtinPredictorSchema,
  create: (config, context) => new BuiltinPredictionExecution(config, context.logger),
};
