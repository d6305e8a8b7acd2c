import { describe, expect, it } from 'vitest';

import { formatApiTime, parseApiTime } from './timestamps.js';

describe('Time Series API timestamps', () => {
  it('parses 0, 3, 6, 7 and 9 fractional digits to the millisecond', () => {
    const whole = Date.UTC(2021, 1, 1, 9, 54, 5);
    expect(parseApiTime('2021-02-01T09:54:05Z')).toBe(whole);
    expect(parseApiTime('2021-02-01T09:54:05.420Z')).toBe(whole + 420);
    expect(parseApiTime('2021-02-01T09:54:05.420000Z')).toBe(whole + 420);
    expect(parseApiTime('2021-02-01T09:54:05.4200000Z')).toBe(whole + 420);
    expect(parseApiTime('2021-02-01T09:54:05.4209999Z')).toBe(whole + 420);
    expect(parseApiTime('2021-02-01T09:54:05.4Z')).toBe(whole + 400);
    expect(parseApiTime('2021-02-01T09:54:05.123456789Z')).toBe(whole + 123);
  });

  it('applies offsets', () => {
    expect(parseApiTime('2020-04-10T12:00:00+02:00')).toBe(Date.UTC(2020, 3, 10, 10));
    expect(parseApiTime('2020-04-10T08:30:00-01:30')).toBe(Date.UTC(2020, 3, 10, 10));
  });

  it('rejects what is not RFC 3339 or not a real date', () => {
    for (const text of [
      '2020-04-10 10:00:00Z',
      '2020-04-10T10:00:00',
      '2020-02-30T10:00:00Z',
      '2020-04-10T24:00:00Z',
      '2020-04-10T10:00:00.Z',
      '2020-04-10T10:00:00.1234567890Z',
      'yesterday',
    ]) {
      expect(parseApiTime(text), text).toBeUndefined();
    }
  });

  it('writes whole seconds without a fraction, else three or seven digits as asked', () => {
    const instant = Date.UTC(2020, 4, 30, 10, 10);
    expect(formatApiTime(instant)).toBe('2020-05-30T10:10:00Z');
    expect(formatApiTime(instant + 5)).toBe('2020-05-30T10:10:00.005Z');
    expect(formatApiTime(instant, 3)).toBe('2020-05-30T10:10:00.000Z');
    expect(formatApiTime(instant + 420, 7)).toBe('2020-05-30T10:10:00.4200000Z');
  });

  it('reads back what it writes', () => {
    const instant = Date.UTC(2023, 5, 29, 5, 58, 52, 360);
    for (const digits of [0, 3, 7] as const) {
      expect(parseApiTime(formatApiTime(instant, digits))).toBe(instant);
    }
  });
});
