import { AnomalyModel, type AnomalyModelOptions } from '../../anomaly/index.js';
import type { ModelInfo } from '../../domain/model.js';
import { formatRange } from '../../domain/time-range.js';
import { LatigoError } from '../../errors/index.js';
import type { SensorDataProvider } from '../../interfaces/index.js';
import { modelRows } from './model-rows.js';

/**
 * Trains the anomaly model of one model on its training range: reads the training data through
 * `sensorData`, resamples it at `resolutionMs`, keeps the complete rows inside the range and
 * fits. Throws MODEL_TRAINING_FAILED when the model has no training range or fitting fails; a
 * sensor data error keeps its code and retriable flag. Every message names the model.
 */
export async function trainModel(
  modelInfo: ModelInfo,
  sensorData: SensorDataProvider,
  resolutionMs: number,
  options: AnomalyModelOptions,
  signal?: AbortSignal,
): Promise<AnomalyModel> {
  const key = `${modelInfo.project}/${modelInfo.name}`;
  const range = modelInfo.trainingRange;
  if (range === undefined) {
    throw new LatigoError(
      'MODEL_TRAINING_FAILED',
      `model ${key} has no training range; the builtin predictor trains each model on its training range (static model_info: training.from and training.to)`,
      { context: { project: modelInfo.project, model: modelInfo.name } },
    );
  }
  const tags = modelInfo.tags.map((tag) => tag.name);

  try {
    const data = await sensorData.getDataForRange({ tags: modelInfo.tags }, range, signal);
    const training = modelRows(data, tags, range, resolutionMs);
    return AnomalyModel.fit(
      {
        tags,
        targetTags: modelInfo.targetTags.map((tag) => tag.name),
        rows: training.rows,
        training: {
          fromMs: range.fromMs,
          toMs: range.toMs,
          resolutionMs,
          ...(training.timesMs.length > 0
            ? { firstRowMs: training.timesMs[0], lastRowMs: training.timesMs.at(-1) }
            : {}),
        },
      },
      options,
    );
  } catch (error) {
    if (signal?.aborted === true) {
      throw error;
    }
    const cause = error instanceof LatigoError ? error : undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new LatigoError(
      cause?.code ?? 'MODEL_TRAINING_FAILED',
      `training model ${key} on ${formatRange(range)}: ${message}`,
      {
        cause: error,
        retriable: cause?.retriable ?? false,
        context: { ...cause?.context, project: modelInfo.project, model: modelInfo.name },
      },
    );
  }
}
