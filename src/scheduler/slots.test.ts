import { describe, expect, it } from 'vitest';

import { isoUtc } from '../domain/time-range.js';
import {
  createSlotGrid,
  slotAfter,
  slotsBetween,
  windowOfSlot,
  type SlotGridOptions,
} from './slots.js';

const at = (iso: string): number => Date.parse(iso);

function grid(overrides: Partial<SlotGridOptions> = {}) {
  return createSlotGrid({
    startMinutes: 8 * 60,
    intervalMs: 30 * 60_000,
    delayMs: 3 * 3_600_000,
    ...overrides,
  });
}

describe('slot grid', () => {
  it('should place the next slot on the half hour after now with the defaults', () => {
    expect(isoUtc(slotAfter(grid(), at('2024-05-01T09:10:00Z')))).toBe('2024-05-01T09:30:00Z');
  });

  it('should move to the following slot when now is exactly on a slot', () => {
    expect(isoUtc(slotAfter(grid(), at('2024-05-01T09:30:00Z')))).toBe('2024-05-01T10:00:00Z');
  });

  it('should predict the half-open window starting delay before the slot', () => {
    const window = windowOfSlot(grid(), at('2024-05-01T09:30:00Z'));
    expect(isoUtc(window.fromMs)).toBe('2024-05-01T06:30:00Z');
    expect(isoUtc(window.toMs)).toBe('2024-05-01T07:00:00Z');
  });

  it('should keep one continuous 7h grid across midnight instead of re-anchoring daily', () => {
    const sevenHours = grid({ startMinutes: 0, intervalMs: 7 * 3_600_000, delayMs: 0 });
    const slots = slotsBetween(sevenHours, at('1970-01-01T20:00:00Z'), at('1970-01-02T23:00:00Z'));
    // 00:00 on 1970-01-01 is the anchor: 21:00, then 04:00, 11:00, 18:00 on the next day.
    expect(slots.map((slot) => isoUtc(slot.slotMs))).toEqual([
      '1970-01-01T21:00:00Z',
      '1970-01-02T04:00:00Z',
      '1970-01-02T11:00:00Z',
      '1970-01-02T18:00:00Z',
    ]);
  });

  it('should give a 7h grid the same slots whatever day the scheduler starts on', () => {
    const sevenHours = grid({ startMinutes: 0, intervalMs: 7 * 3_600_000, delayMs: 0 });
    const first = slotAfter(sevenHours, at('2024-03-10T23:30:00Z'));
    const restarted = slotAfter(sevenHours, first - 1);
    expect(restarted).toBe(first);
    expect((first - at('1970-01-01T00:00:00Z')) % (7 * 3_600_000)).toBe(0);
  });

  it('should take the grid slot before the start time when the start time is later in the day', () => {
    // Start 08:00, 30m: at 06:10 the next slot is 06:30, not 08:00; the grid reaches back.
    expect(isoUtc(slotAfter(grid(), at('2024-05-01T06:10:00Z')))).toBe('2024-05-01T06:30:00Z');
  });

  it('should honour a start time that is not on the hour grid with a 7h interval', () => {
    const late = grid({ startMinutes: 22 * 60 + 15, intervalMs: 7 * 3_600_000, delayMs: 0 });
    const next = slotAfter(late, at('1970-01-01T10:00:00Z'));
    // The grid through 22:15 on day 0 steps back by 7h: 15:15, 08:15, 01:15.
    expect(isoUtc(next)).toBe('1970-01-01T15:15:00Z');
  });

  it('should make consecutive windows touch without overlapping', () => {
    const slots = slotsBetween(grid(), at('2024-05-01T00:00:00Z'), at('2024-05-01T12:00:00Z'));
    expect(slots).toHaveLength(24);
    for (let index = 1; index < slots.length; index += 1) {
      expect(slots[index]?.window.fromMs).toBe(slots[index - 1]?.window.toMs);
    }
  });

  it('should list slots in (from, to] with the newest kept when a limit applies', () => {
    const slots = slotsBetween(grid(), at('2024-05-01T08:00:00Z'), at('2024-05-01T10:00:00Z'), 2);
    expect(slots.map((slot) => isoUtc(slot.slotMs))).toEqual([
      '2024-05-01T09:30:00Z',
      '2024-05-01T10:00:00Z',
    ]);
  });

  it('should list nothing for an empty or reversed span', () => {
    expect(slotsBetween(grid(), at('2024-05-01T08:00:00Z'), at('2024-05-01T08:00:00Z'))).toEqual(
      [],
    );
    expect(slotsBetween(grid(), at('2024-05-01T09:00:00Z'), at('2024-05-01T08:00:00Z'))).toEqual(
      [],
    );
  });

  it('should anchor a start time in a configured zone', () => {
    const oslo = grid({
      startMinutes: 8 * 60,
      intervalMs: 24 * 3_600_000,
      delayMs: 0,
      timeZone: 'Europe/Oslo',
    });
    // 08:00 in Oslo in winter is 07:00 UTC.
    expect(isoUtc(slotAfter(oslo, at('2024-01-15T00:00:00Z')))).toBe('2024-01-15T07:00:00Z');
  });

  it('should reject an unknown time zone', () => {
    expect(() => grid({ timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone "Mars\/Olympus"/);
  });
});
