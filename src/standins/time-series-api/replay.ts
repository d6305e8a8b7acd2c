import { LatigoError } from '../../errors/index.js';
import type { StoredPoint } from './store.js';

/** A recording: `values[tag][row]` at `timesMs[row]`, NaN where there was no value. */
export interface Recording {
  readonly timesMs: readonly number[];
  readonly values: readonly (readonly number[])[];
}

/** How a recording is repeated: copy k sits at `time + k * periodMs`. */
export interface ReplayPlan {
  readonly originMs: number;
  readonly periodMs: number;
}

/** Status of seeded and replayed points: Good. */
export const SEEDED_STATUS = 192;

/** Throws CONFIG_INVALID when a row of the recording lies outside [origin, origin + period). */
export function checkRecordingFits(recording: Recording, plan: ReplayPlan, file: string): void {
  const first = recording.timesMs[0];
  const last = recording.timesMs[recording.timesMs.length - 1];
  if (first === undefined || last === undefined) {
    return;
  }
  const endMs = plan.originMs + plan.periodMs;
  if (first < plan.originMs || last >= endMs) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `${file}: rows from ${new Date(first).toISOString()} to ${new Date(last).toISOString()} do not fit the replay period [${new Date(plan.originMs).toISOString()}, ${new Date(endMs).toISOString()}); widen replay.period or move replay.origin`,
      { context: { file } },
    );
  }
}

/**
 * The points of every copy of the recording that fall in `[fromMs, toMs)`, per tag. Values that
 * are not finite are left out.
 */
export function replayPoints(
  recording: Recording,
  plan: ReplayPlan,
  fromMs: number,
  toMs: number,
): StoredPoint[][] {
  const perTag: StoredPoint[][] = recording.values.map(() => []);
  if (toMs <= fromMs) {
    return perTag;
  }
  const firstCopy = Math.floor((fromMs - plan.originMs) / plan.periodMs) - 1;
  const lastCopy = Math.floor((toMs - plan.originMs) / plan.periodMs) + 1;
  for (let copy = firstCopy; copy <= lastCopy; copy += 1) {
    const shiftMs = copy * plan.periodMs;
    recording.timesMs.forEach((timeMs, row) => {
      const at = timeMs + shiftMs;
      if (at < fromMs || at >= toMs) {
        return;
      }
      recording.values.forEach((values, tag) => {
        const value = values[row];
        if (value !== undefined && Number.isFinite(value)) {
          perTag[tag]?.push({ timeMs: at, value, status: SEEDED_STATUS });
        }
      });
    });
  }
  return perTag;
}
