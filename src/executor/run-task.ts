import { LatigoError, toLatigoError } from '../errors/index.js';
import { trimToWindow } from '../domain/prediction.js';
import type { Task } from '../domain/task.js';
import type { TaskProviders } from './providers.js';

/** What one successful task did. */
export interface TaskResult {
  readonly rows: number;
  readonly points: number;
  /** Non-finite values that were not stored. */
  readonly skipped: number;
}

/**
 * One attempt at a task: read the window's sensor data, predict, store the rows inside the window,
 * record the metadata. Every failure comes out as a LatigoError whose context names the step.
 */
export async function runTask(
  task: Task,
  providers: TaskProviders,
  signal: AbortSignal,
): Promise<TaskResult> {
  const { project, model, window } = task;

  const modelInfo = await step('model-info', () =>
    providers.modelInfo.getModelByKey(project, model, signal),
  );
  if (modelInfo === undefined) {
    throw new LatigoError('MODEL_NOT_FOUND', `project ${project} has no model ${model}`, {
      context: { step: 'model-info' },
    });
  }
  const spec = await step('model-info', () => providers.modelInfo.getSpec(project, model, signal));
  if (spec === undefined || spec.tags.length === 0) {
    throw new LatigoError('MODEL_NOT_FOUND', `model ${project}/${model} has no tags to read`, {
      context: { step: 'model-info' },
    });
  }
  signal.throwIfAborted();

  const inputRange = providers.predictor.inputRange
    ? await step('predict', () => providers.predictor.inputRange!(project, model, window, signal))
    : window;
  const sensorData = await step('read', () =>
    providers.sensorData.getDataForRange(spec, inputRange, signal),
  );
  signal.throwIfAborted();

  const raw = await step('predict', () =>
    providers.predictor.executePrediction(
      { project, model, window, spec, modelInfo, sensorData },
      signal,
    ),
  );
  const prediction = { ...trimToWindow(raw), inputTags: spec.tags };
  if (prediction.timesMs.length === 0) {
    throw new LatigoError('PREDICTION_INVALID', 'the prediction has no rows inside the window', {
      context: { step: 'predict', rowsReturned: raw.timesMs.length },
    });
  }
  signal.throwIfAborted();

  const stored = await step('store', () => providers.storage.putPrediction(prediction, signal));
  await step('record', () =>
    providers.metadata.putPredictionMetadata({ prediction, stored, model: modelInfo }, signal),
  );
  return { rows: stored.rows, points: stored.points, skipped: stored.skipped };
}

/**
 * Runs one step; an error that is not a LatigoError yet becomes one naming the step. Not an
 * async function: a task runs six steps, and the extra promise of each was measurable.
 */
function step<T>(name: string, operation: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(operation()).catch((error: unknown) => {
      throw stepError(name, error);
    });
  } catch (error) {
    return Promise.reject(stepError(name, error));
  }
}

function stepError(name: string, error: unknown): LatigoError {
  if (error instanceof LatigoError) {
    return error;
  }
  if (isAbortError(error)) {
    return new LatigoError('TASK_ABORTED', `the task was aborted during ${name}`, {
      cause: error,
      context: { step: name },
    });
  }
  return toLatigoError(error, 'INTERNAL', { step: name });
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
