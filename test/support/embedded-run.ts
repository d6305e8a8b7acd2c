import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { z } from 'zod';

import { createTask, type Task } from '../../src/domain/task.js';
import { formatRange, timeRange } from '../../src/domain/time-range.js';
import type { PredictionStorageProvider, TaskQueue } from '../../src/interfaces/index.js';
import { createDefaultRegistry } from '../../src/registry/default-registry.js';
import type { ProviderRegistry } from '../../src/registry/registry.js';
import { meanPredictor, minuteData } from './fake-providers.js';

/**
 * Helpers for tests of the embedded run (`runEmbedded`): a registry with small in-memory
 * providers, and overlay files for one model `p/m1` with one-minute slots.
 */
export interface EmbeddedTestRegistry {
  readonly registry: ProviderRegistry;
  /** The windows stored, in order, as `formatRange` writes them. */
  readonly stored: string[];
}

/**
 * The default registry plus the types `test-minutes` (sensor data), `test-mean` (predictor),
 * `test-recording` (prediction storage) and, when `sharedQueue` is given, `test-shared`: a
 * task_queue type whose every instance is that queue.
 */
export function embeddedTestRegistry(sharedQueue?: TaskQueue): EmbeddedTestRegistry {
  const stored: string[] = [];
  const storage: PredictionStorageProvider = {
    putPrediction(prediction) {
      stored.push(formatRange(prediction.window));
      return Promise.resolve({
        series: [],
        rows: prediction.timesMs.length,
        points: 0,
        skipped: 0,
      });
    },
  };
  const registry = createDefaultRegistry()
    .register({
      kind: 'sensor_data',
      type: 'test-minutes',
      schema: z.object({ type: z.literal('test-minutes') }).strict(),
      create: () => minuteData(),
    })
    .register({
      kind: 'prediction_execution',
      type: 'test-mean',
      schema: z.object({ type: z.literal('test-mean') }).strict(),
      create: () => meanPredictor(),
    })
    .register({
      kind: 'prediction_storage',
      type: 'test-recording',
      schema: z.object({ type: z.literal('test-recording') }).strict(),
      create: () => storage,
    });
  if (sharedQueue !== undefined) {
    registry.register({
      kind: 'task_queue',
      type: 'test-shared',
      schema: z.object({ type: z.literal('test-shared') }).strict(),
      create: () => sharedQueue,
    });
  }
  return { registry, stored };
}

const MODELS = `model_info:
  type: 'static'
  models:
    - project: 'p'
      name: 'm1'
      tags: ['T1', 'T2']
      training: { from: '2024-04-01T00:00:00Z', to: '2024-04-02T00:00:00Z' }
`;

/**
 * Overlay files for one model `p/m1`: one-minute slots predicting the minute before, a
 * back-fill of `backFill`, one executor worker, the test providers, and `taskQueue` (YAML lines
 * of the `task_queue` section, indented by two) on both sides.
 */
export function writeEmbeddedOverlays(
  taskQueue: string,
  backFill = '5m',
): { folder: string; scheduler: string; executor: string } {
  const folder = mkdtempSync(join(tmpdir(), 'latigo-embedded-'));
  const scheduler = join(folder, 'scheduler.yaml');
  writeFileSync(
    scheduler,
    `scheduler:
  continuous_prediction_start_time: '00:00'
  continuous_prediction_interval: '1m'
  continuous_prediction_delay: '1m'
  projects: ['p']
  back_fill_max_interval: '${backFill}'
task_queue:
${taskQueue}${MODELS}`,
  );
  const executor = join(folder, 'executor.yaml');
  writeFileSync(
    executor,
    `executor:
  instance_count: 1
task_queue:
${taskQueue}${MODELS}predictor:
  type: 'test-mean'
sensor_data:
  type: 'test-minutes'
prediction_storage:
  type: 'test-recording'
prediction_metadata_storage:
  type: 'none'
`,
  );
  return { folder, scheduler, executor };
}

const MINUTE = 60_000;

/** Now, for a run on the overlays above: its 5-minute back-fill schedules the slots 09:56 to 10:00. */
export const EMBEDDED_NOW = Date.parse('2024-05-01T10:00:30Z');

/** The slots that back-fill schedules. */
export const BACK_FILL_SLOTS = 5;

/** The windows that back-fill schedules, as `formatRange` writes them. */
export function backFillWindows(): string[] {
  return Array.from({ length: BACK_FILL_SLOTS }, (_unused, index) => {
    const slotMs = Date.parse('2024-05-01T09:56:00Z') + index * MINUTE;
    return formatRange(timeRange(slotMs - MINUTE, slotMs));
  });
}

/** Tasks a queue held before the run: the same model, windows a day earlier. */
export function olderTasks(count: number): Task[] {
  return Array.from({ length: count }, (_unused, index) => {
    const fromMs = Date.parse('2024-04-30T09:00:00Z') + index * MINUTE;
    return createTask('p', 'm1', timeRange(fromMs, fromMs + MINUTE));
  });
}
