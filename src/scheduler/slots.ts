import { DateTime } from 'luxon';

import { LatigoError } from '../errors/index.js';
import { timeRange, type TimeRange } from '../domain/time-range.js';

/**
 * The slot grid: `anchorMs + k * intervalMs` for every whole k. The anchor is the configured start
 * time of day on 1970-01-01 in the configured time zone, so the grid is the same whenever and
 * wherever the scheduler starts, and runs on across midnight without being re-anchored each day.
 */
export interface SlotGrid {
  readonly anchorMs: number;
  readonly intervalMs: number;
  /** Window start = slot - delayMs; window length = intervalMs. */
  readonly delayMs: number;
}

/** One slot and the window its tasks predict. */
export interface Slot {
  readonly slotMs: number;
  readonly window: TimeRange;
}

export interface SlotGridOptions {
  /** Minutes after midnight of the start time. */
  readonly startMinutes: number;
  readonly intervalMs: number;
  readonly delayMs: number;
  /** IANA zone of the start time; UTC by default. */
  readonly timeZone?: string;
}

export function createSlotGrid(options: SlotGridOptions): SlotGrid {
  const zone = options.timeZone ?? 'UTC';
  const anchor = DateTime.fromObject(
    {
      year: 1970,
      month: 1,
      day: 1,
      hour: Math.floor(options.startMinutes / 60),
      minute: options.startMinutes % 60,
    },
    { zone },
  );
  if (!anchor.isValid) {
    throw new LatigoError('CONFIG_INVALID', `unknown time zone "${zone}"`, { context: { zone } });
  }
  if (options.intervalMs < 1000 || options.intervalMs % 1000 !== 0) {
    throw new LatigoError('CONFIG_INVALID', 'the prediction interval must be whole seconds', {
      context: { intervalMs: options.intervalMs },
    });
  }
  if (options.delayMs % 1000 !== 0) {
    throw new LatigoError('CONFIG_INVALID', 'the prediction delay must be whole seconds', {
      context: { delayMs: options.delayMs },
    });
  }
  return { anchorMs: anchor.toMillis(), intervalMs: options.intervalMs, delayMs: options.delayMs };
}

/** The window predicted at slot `slotMs`: `[slot - delay, slot - delay + interval)`. */
export function windowOfSlot(grid: SlotGrid, slotMs: number): TimeRange {
  const fromMs = slotMs - grid.delayMs;
  return timeRange(fromMs, fromMs + grid.intervalMs);
}

/** The latest slot at or before `instantMs`. */
export function slotAtOrBefore(grid: SlotGrid, instantMs: number): number {
  const steps = Math.floor((instantMs - grid.anchorMs) / grid.intervalMs);
  return grid.anchorMs + steps * grid.intervalMs;
}

/** The first slot strictly after `instantMs` (spec: add the interval until X > NOW). */
export function slotAfter(grid: SlotGrid, instantMs: number): number {
  return slotAtOrBefore(grid, instantMs) + grid.intervalMs;
}

/**
 * Every slot `S` with `fromMs < S <= toMs`, oldest first, with its window. At most `limit`
 * slots (the newest ones) are returned, so a long outage cannot flood the queue.
 */
export function slotsBetween(
  grid: SlotGrid,
  fromMs: number,
  toMs: number,
  limit = 100_000,
): Slot[] {
  if (toMs <= fromMs) {
    return [];
  }
  const last = slotAtOrBefore(grid, toMs);
  const first = slotAfter(grid, fromMs);
  const count = Math.max(0, Math.floor((last - first) / grid.intervalMs) + 1);
  const kept = Math.min(count, limit);
  const slots: Slot[] = [];
  for (let index = count - kept; index < count; index += 1) {
    const slotMs = first + index * grid.intervalMs;
    slots.push({ slotMs, window: windowOfSlot(grid, slotMs) });
  }
  return slots;
}
