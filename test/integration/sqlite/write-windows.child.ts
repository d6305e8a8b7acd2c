/*
 * Run by two-processes.test.ts in a child process (after transpiling): writes the same windows
 * to a shared SQLite file several times. Arguments: file, writer name, rounds, windows.
 */
import type { PredictionColumn, PredictionData } from '../../../src/domain/prediction.js';
import {
  SqlitePredictionStorage,
  sqlitePredictionStorageSchema,
} from '../../../src/prediction-storage/sqlite/sqlite-prediction-storage.js';

export const T0_MS = Date.UTC(2024, 0, 1);
export const ROWS = 60;
export const TAGS = 8;
const STEP_MS = 1_000;

export function windowPrediction(window: number, writer: string): PredictionData {
  const fromMs = T0_MS + window * ROWS * STEP_MS;
  const timesMs = Array.from({ length: ROWS }, (_unused, row) => fromMs + row * STEP_MS);
  const columns: PredictionColumn[] = Array.from({ length: TAGS }, (_unused, tag) => ({
    group: 'model-output',
    tag: `TAG-${tag}`,
    values: timesMs.map((_time, row) => (writer === 'a' ? 1 : 2) * (row + tag)),
  }));
  return {
    project: 'shared',
    model: 'model',
    window: { fromMs, toMs: fromMs + ROWS * STEP_MS },
    timesMs,
    columns,
    nonFiniteCount: 0,
  };
}

async function main(args: readonly string[]): Promise<void> {
  const [path, writer = 'a', rounds = '1', windows = '1'] = args;
  const storage = new SqlitePredictionStorage(
    sqlitePredictionStorageSchema.parse({ type: 'sqlite', path, busy_timeout: '30s' }),
  );
  for (let round = 0; round < Number(rounds); round += 1) {
    for (let window = 0; window < Number(windows); window += 1) {
      await storage.putPrediction(windowPrediction(window, writer));
    }
  }
  await storage.close();
}

if (process.argv[1]?.endsWith('write-windows.child.js') === true) {
  await main(process.argv.slice(2));
}
