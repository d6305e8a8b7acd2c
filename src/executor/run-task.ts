import { LatigoError, toLatigoError } from '../errors/index.js';
import { trimToWindow, type PredictionData } from '../domain/prediction.js';
import type { Task } from '../domain/task.js';
import type { TaskProviders } from './providers.js';

/** What one successful task did. */
export interface TaskResult {
  readonly rows: number;
  readonly points: number;
  /** Non-finite values that were not stored. */
  readonly skipped: number;
}

/** The steps of a task, as named in errors. */
type Step = 'model-info' | 'read' | 'predict' | 'store' | 'record';

/**
 * One attempt at a task: read the window's sensor data, predict, store the rows inside the window,
 * record the metadata. Every failure comes out as a LatigoError whose context names the step.
 * The step is tracked in a variable rather than by wrapping each call: a task makes six calls,
 * and a closure and an extra promise for each were measurable at thousands of tasks a slot.
 */
export async function runTask(
  task: Task,
  providers: TaskProviders,
  signal: AbortSignal,
): Promise<TaskResult> {
  const { project, model, window } = task;
  let step: Step = 'model-info';
  try {
    const modelInfo = await providers.modelInfo.getModelByKey(project, model, signal);
    if (modelInfo === undefined) {
      throw new LatigoError('MODEL_NOT_FOUND', `project ${project} has no model ${model}`, {
        context: { step },
      });
    }
    const spec = await providers.modelInfo.getSpec(project, model, signal);
    if (spec === undefined || spec.tags.length === 0) {
      throw new LatigoError('MODEL_NOT_FOUND', `model ${project}/${model} has no tags to read`, {
        context: { step },
      });
    }
    signal.throwIfAborted();

    let inputRange = window;
    if (providers.predictor.inputRange !== undefined) {
      step = 'predict';
      inputRange = await providers.predictor.inputRange(project, model, window, signal);
    }
    step = 'read';
    const sensorData = await providers.sensorData.getDataForRange(spec, inputRange, signal);
    signal.throwIfAborted();

    step = 'predict';
    const raw = await providers.predictor.executePrediction(
      { project, model, window, spec, modelInfo, sensorData },
      signal,
    );
    // Field by field into one fixed shape: a spread, or Object.assign, of the prediction cost
    // a microsecond per task.
    const trimmed = trimToWindow(raw);
    const prediction: PredictionData = {
      project: trimmed.project,
      model: trimmed.model,
      window: trimmed.window,
      revision: trimmed.revision,
      timesMs: trimmed.timesMs,
      columns: trimmed.columns,
      nonFiniteCount: trimmed.nonFiniteCount,
      inputTags: spec.tags,
    };
    if (prediction.timesMs.length === 0) {
      throw new LatigoError('PREDICTION_INVALID', 'the prediction has no rows inside the window', {
        context: { step, rowsReturned: raw.timesMs.length },
      });
    }
    signal.throwIfAborted();

    step = 'store';
    const stored = await providers.storage.putPrediction(prediction, signal);
    step = 'record';
    await providers.metadata.putPredictionMetadata(
      { prediction, stored, model: modelInfo },
      signal,
    );
    return { rows: stored.rows, points: stored.points, skipped: stored.skipped };
  } catch (error) {
    throw stepError(step, error);
  }
}

function stepError(name: Step, error: unknown): LatigoError {
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
