import type { ReplayedRecording } from './seeds.js';

export interface DelayChoice {
  readonly intervalMs: number;
  /** The shortest delay acceptable (the stand-in replays data up to about a minute ago). */
  readonly minDelayMs: number;
  /** Slots that must find data: every slot of the grid in `[fromMs, toMs]`. */
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * The scheduler delay (`minDelayMs` plus whole intervals) for which the window of every slot in
 * `[fromMs, toMs]` lies where the replayed recording has rows.
 *
 * The replay repeats the recording back to back, and each period has about a minute without
 * rows (between the recording's last row and the next period's first). A short window falling
 * there has no sensor data at all, which the executor rightly fails; the test moves its windows
 * away from that gap instead of depending on the time of day it runs at. Slots sit on the grid
 * `k * intervalMs` from midnight UTC (start time 00:00).
 */
export function delayWithData(recording: ReplayedRecording, choice: DelayChoice): number {
  const { intervalMs, minDelayMs } = choice;
  const firstSlotMs = Math.ceil(choice.fromMs / intervalMs) * intervalMs;
  const covered = (windowFromMs: number): boolean => {
    const offset = mod(windowFromMs - recording.originMs, recording.periodMs);
    return (
      offset >= recording.firstRowOffsetMs &&
      offset + intervalMs <= recording.lastRowOffsetMs + 1_000
    );
  };
  for (let delayMs = minDelayMs; delayMs < minDelayMs + recording.periodMs; delayMs += intervalMs) {
    let all = true;
    for (let slotMs = firstSlotMs; slotMs <= choice.toMs && all; slotMs += intervalMs) {
      all = covered(slotMs - delayMs);
    }
    if (all) {
      return delayMs;
    }
  }
  throw new Error('no delay puts every window where the replayed recording has rows');
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}
