import { describe, expect, it } from 'vitest';

import { LatigoError } from '../errors/index.js';
import { createTask } from '../domain/task.js';
import { timeRange } from '../domain/time-range.js';
import { recordingProviders } from '../../test/support/fake-providers.js';
import type { TaskProviders } from './providers.js';
import { runTask } from './run-task.js';

const T0 = Date.parse('2024-05-01T06:00:00Z');
const task = createTask('p', 'm', timeRange(T0, T0 + 1_800_000));

function run(overrides: Partial<TaskProviders> = {}) {
  return runTask(task, recordingProviders(overrides), new AbortController().signal);
}

function abortError(): Error {
  const error = new Error('the request was aborted');
  error.name = 'AbortError';
  return error;
}

describe('run task', () => {
  it('should report the rows and points it stored', async () => {
    await expect(run()).resolves.toEqual({ rows: 30, points: 30, skipped: 0 });
  });

  it('should name the step of a provider that rejects with a plain error', async () => {
    const failure = run({
      storage: { putPrediction: () => Promise.reject(new Error('disk full')) },
    });

    await expect(failure).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringContaining('disk full') as unknown,
      context: { step: 'store' },
    });
  });

  it('should name the step of a provider that throws before returning a promise', async () => {
    const failure = run({
      metadata: {
        putPredictionMetadata: () => {
          throw new Error('not configured');
        },
      },
    });

    await expect(failure).rejects.toMatchObject({ code: 'INTERNAL', context: { step: 'record' } });
  });

  it('should turn an abort inside a step into TASK_ABORTED naming the step', async () => {
    const failure = run({
      predictor: { executePrediction: () => Promise.reject(abortError()) },
    });

    await expect(failure).rejects.toMatchObject({
      code: 'TASK_ABORTED',
      message: 'the task was aborted during predict',
      context: { step: 'predict' },
    });
  });

  it('should pass a Latigo error of a provider on unchanged', async () => {
    const error = new LatigoError('SENSOR_DATA_MISSING', 'no data for tag T1');

    await expect(
      run({ sensorData: { getDataForRange: () => Promise.reject(error) } }),
    ).rejects.toBe(error);
  });
});
