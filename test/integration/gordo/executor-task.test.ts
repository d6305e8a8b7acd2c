import { afterEach, describe, expect, it } from 'vitest';

import { formatPandasTimestamp } from '../../../src/clients/gordo/timestamps.js';
import { createTask } from '../../../src/domain/task.js';
import type { TimeRange } from '../../../src/domain/time-range.js';
import { runTask } from '../../../src/executor/run-task.js';
import { recordingProviders } from '../../support/fake-providers.js';
import {
  REVISION,
  SECOND,
  SKAB_TAGS,
  closeStandins,
  gordoSection,
  modelInfoFor,
  predictorFor,
  skabSensorData,
  standinConfig,
  startRecordingProxy,
  startStandin,
  valveModel,
} from './gordo-support.js';

const PRESSURE = 'SKAB.Pressure';

/** Left edges of the 5 s buckets in `range` whose mean raw pressure is above 0.1. */
function pressureAbove(range: TimeRange, threshold: number): number[] {
  const kept: number[] = [];
  for (let bucket = range.fromMs; bucket < range.toMs; bucket += 5 * SECOND) {
    const values =
      skabSensorData({ fromMs: bucket, toMs: bucket + 5 * SECOND }, [PRESSURE]).series[0]?.values ??
      [];
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    if (mean > threshold) {
      kept.push(bucket);
    }
  }
  return kept;
}

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

  it('reads the trigger tag of a row filter, sends only the kept rows and never the trigger tag', async () => {
    const tags = SKAB_TAGS.filter((tag) => tag !== PRESSURE);
    const standin = await startStandin(
      standinConfig({
        [REVISION]: { valve1: valveModel({ tags, row_filter: [`\`${PRESSURE}\` > 0.1`] }) },
      }),
    );
    const proxy = await startRecordingProxy(standin);
    const section = gordoSection(proxy);
    const readTags: string[][] = [];
    const providers = recordingProviders({
      modelInfo: await modelInfoFor(section),
      predictor: await predictorFor(section),
      sensorData: {
        getDataForRange: (spec, range) => {
          readTags.push(spec.tags.map((tag) => tag.name));
          return Promise.resolve(
            skabSensorData(
              range,
              spec.tags.map((tag) => tag.name),
            ),
          );
        },
      },
    });
    const window = {
      fromMs: Date.parse('2020-03-09T10:25:00Z'),
      toMs: Date.parse('2020-03-09T10:27:00Z'),
    };
    const widened = { fromMs: window.fromMs - 25 * SECOND, toMs: window.toMs };

    const result = await runTask(
      createTask('skab', 'valve1', window),
      providers,
      new AbortController().signal,
    );

    expect(readTags).toEqual([[...tags, PRESSURE]]);
    const posts = proxy.requests.filter((request) => request.method === 'POST');
    expect(posts).toHaveLength(1);
    const body = JSON.parse(posts[0]?.body ?? '{}') as Record<string, Record<string, unknown>>;
    expect(Object.keys(body['X'] ?? {})).toEqual(tags);
    expect(Object.keys(body['y'] ?? {})).toEqual(tags);
    const kept = pressureAbove(widened, 0.1);
    const keptInWindow = kept.filter((timeMs) => timeMs >= window.fromMs);
    expect(keptInWindow.length).toBeGreaterThan(5);
    expect(keptInWindow.length).toBeLessThan(24 - 5);
    // The row labelled with the window's end repeats the last bucket's value (gordo.md §7.4).
    const endRow = kept.at(-1) === window.toMs - 5 * SECOND ? [window.toMs] : [];
    expect(Object.keys(body['X']?.[tags[0] ?? ''] ?? {})).toEqual(
      [...kept, ...endRow].map(formatPandasTimestamp),
    );
    expect(result.rows).toBe(keptInWindow.length);
    expect(providers.stored[0]?.timesMs).toEqual(keptInWindow);
  });
});
