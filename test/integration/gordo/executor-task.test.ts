import { afterEach, describe, expect, it } from 'vitest';

import { createTask } from '../../../src/domain/task.js';
import { runTask } from '../../../src/executor/run-task.js';
import { recordingProviders } from '../../support/fake-providers.js';
import {
  SECOND,
  SKAB_TAGS,
  closeStandins,
  gordoSection,
  modelInfoFor,
  predictorFor,
  skabSensorData,
  startStandin,
} from './gordo-support.js';

afterEach(closeStandins);

describe('an executor task against the gordo stand-in', () => {
  it('reads the widened range, predicts and stores only the rows of its window', async () => {
    const standin = await startStandin();
    const section = gordoSection(standin);
    const providers = recordingProviders({
      modelInfo: await modelInfoFor(section),
      predictor: await predictorFor(section),
      sensorData: {
        getDataForRange: (spec, range) =>
          Promise.resolve(
            skabSensorData(
              range,
              spec.tags.map((tag) => tag.name),
            ),
          ),
      },
    });
    const window = {
      fromMs: Date.parse('2020-03-09T10:25:00Z'),
      toMs: Date.parse('2020-03-09T10:26:00Z'),
    };

    const result = await runTask(
      createTask('skab', 'valve1', window),
      providers,
      new AbortController().signal,
    );

    expect(providers.reads).toEqual([{ fromMs: window.fromMs - 25 * SECOND, toMs: window.toMs }]);
    expect(result.rows).toBe(12);
    const stored = providers.stored[0];
    expect(stored?.timesMs[0]).toBe(window.fromMs);
    expect(stored?.timesMs.at(-1)).toBe(window.toMs - 5 * SECOND);
    expect(stored?.columns.filter((column) => column.group === 'model-output')).toHaveLength(
      SKAB_TAGS.length,
    );
  });
});
