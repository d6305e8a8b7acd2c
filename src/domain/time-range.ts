import { DateTime } from 'luxon';

import { LatigoError } from '../errors/index.js';

/**
 * A half-open interval of time `[fromMs, toMs)`, in epoch milliseconds. Consecutive windows touch
 * and never overlap.
 */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

export function timeRange(fromMs: number, toMs: number): TimeRange {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || toMs <= fromMs) {
    throw new LatigoError('INTERNAL', 'a time range must end after it starts', {
      context: { fromMs, toMs },
    });
  }
  return { fromMs, toMs };
}

export function rangeContains(range: TimeRange, instantMs: number): boolean {
  return instantMs >= range.fromMs && instantMs < range.toMs;
}

export function rangeDurationMs(range: TimeRange): number {
  return range.toMs - range.fromMs;
}

/** ISO 8601 UTC with `Z`, whole seconds: `2024-01-01T08:00:00Z`. Sub-second parts are dropped. */
export function isoUtc(instantMs: number): string {
  const wholeSeconds = Math.floor(instantMs / 1000) * 1000;
  return new Date(wholeSeconds).toISOString().replace('.000Z', 'Z');
}

/** The last range rendered: the tasks of a slot share one window, logged once per task. */
let lastFormatted: { readonly fromMs: number; readonly toMs: number; readonly text: string } = {
  fromMs: Number.NaN,
  toMs: Number.NaN,
  text: '',
};

/** Renders `[from, to)` for log lines and error messages. */
export function formatRange(range: TimeRange): string {
  const { fromMs, toMs } = range;
  if (fromMs === lastFormatted.fromMs && toMs === lastFormatted.toMs) {
    return lastFormatted.text;
  }
  const text = `[${isoUtc(fromMs)}, ${isoUtc(toMs)})`;
  lastFormatted = { fromMs, toMs, text };
  return text;
}

const ISO_UTC_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * Parses a window boundary as it travels on the wire: ISO 8601 UTC ending in `Z`, whole seconds.
 * Returns undefined for anything else.
 */
export function parseIsoUtcSeconds(text: string): number | undefined {
  if (!ISO_UTC_SECONDS.test(text)) {
    return undefined;
  }
  const parsed = DateTime.fromISO(text, { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
}
