import { describe, expect, it } from 'vitest';

import { replayPieces } from './replay.js';

const MINUTE_MS = 60_000;
const ORIGIN_MS = Date.UTC(2020, 2, 9, 10, 14);
const REPLAY = { originMs: ORIGIN_MS, periodMs: 21 * MINUTE_MS };

function minutes(offset: number): number {
  return ORIGIN_MS + offset * MINUTE_MS;
}

describe('replayPieces', () => {
  it('reads the range itself without replay', () => {
    const range = { fromMs: minutes(0), toMs: minutes(5) };

    expect(replayPieces(range, undefined)).toEqual([{ data: range, shiftMs: 0 }]);
  });

  it('maps times of the recording to themselves', () => {
    const range = { fromMs: minutes(1), toMs: minutes(21) };

    expect(replayPieces(range, REPLAY)).toEqual([{ data: range, shiftMs: 0 }]);
  });

  it('maps a later window onto the same offset in the recording', () => {
    // 100 periods and 3 minutes after the origin reads minutes 3 to 4 of the recording
    const shiftMs = 100 * 21 * MINUTE_MS;

    expect(
      replayPieces({ fromMs: minutes(3) + shiftMs, toMs: minutes(4) + shiftMs }, REPLAY),
    ).toEqual([{ data: { fromMs: minutes(3), toMs: minutes(4) }, shiftMs }]);
  });

  it('maps a time before the origin into the last cycle', () => {
    expect(replayPieces({ fromMs: minutes(-2), toMs: minutes(-1) }, REPLAY)).toEqual([
      { data: { fromMs: minutes(19), toMs: minutes(20) }, shiftMs: -21 * MINUTE_MS },
    ]);
  });

  it('splits a range that crosses the end of a period', () => {
    expect(replayPieces({ fromMs: minutes(20), toMs: minutes(23) }, REPLAY)).toEqual([
      { data: { fromMs: minutes(20), toMs: minutes(21) }, shiftMs: 0 },
      { data: { fromMs: minutes(0), toMs: minutes(2) }, shiftMs: 21 * MINUTE_MS },
    ]);
  });

  it('does not add an empty piece when the range ends on a period boundary', () => {
    expect(replayPieces({ fromMs: minutes(20), toMs: minutes(21) }, REPLAY)).toHaveLength(1);
  });
});
