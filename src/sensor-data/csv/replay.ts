import type { TimeRange } from '../../domain/time-range.js';

/** Replays a recording cyclically: real time t reads data time `origin + ((t - origin) mod period)`. */
export interface Replay {
  readonly originMs: number;
  readonly periodMs: number;
}

/** A piece of a real range and the data range it reads: `real = data + shiftMs`. */
export interface ReplayPiece {
  readonly data: TimeRange;
  readonly shiftMs: number;
}

/**
 * The data ranges to read for a real range `[from, to)`. Without replay that is the range itself.
 * With replay the range is split where it crosses a period boundary (`origin + k·period`), and
 * each piece is shifted back by its whole number of periods, so times in
 * `[origin, origin + period)` read themselves and every other time reads the same offset in the
 * recording.
 */
export function replayPieces(range: TimeRange, replay: Replay | undefined): ReplayPiece[] {
  if (replay === undefined) {
    return [{ data: range, shiftMs: 0 }];
  }
  const { originMs, periodMs } = replay;
  const firstCycle = Math.floor((range.fromMs - originMs) / periodMs);
  const lastCycle = Math.ceil((range.toMs - originMs) / periodMs) - 1;
  const pieces: ReplayPiece[] = [];
  for (let cycle = firstCycle; cycle <= lastCycle; cycle += 1) {
    const shiftMs = cycle * periodMs;
    const fromMs = Math.max(range.fromMs, originMs + shiftMs);
    const toMs = Math.min(range.toMs, originMs + shiftMs + periodMs);
    if (toMs > fromMs) {
      pieces.push({ data: { fromMs: fromMs - shiftMs, toMs: toMs - shiftMs }, shiftMs });
    }
  }
  return pieces;
}
