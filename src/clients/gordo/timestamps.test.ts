import { describe, expect, it } from 'vitest';

import { formatIsoTimestamp, formatPandasTimestamp, parseGordoTimestamp } from './timestamps.js';

const AT = Date.parse('2023-09-15T01:20:00Z');

describe('gordo timestamps', () => {
  it.each([
    '2023-09-15 01:20:00+00:00',
    '2023-09-15T01:20:00+00:00',
    '2023-09-15T01:20:00Z',
    '2023-09-15T01:20:00',
    '2023-09-15 03:20:00+02:00',
    '2023-09-14T23:20:00-0200',
    '2023-09-15 01:20:00.000000+00:00',
  ])('reads %s', (text) => {
    expect(parseGordoTimestamp(text)).toBe(AT);
  });

  it('reads a tz-naive midnight written as a date only', () => {
    expect(parseGordoTimestamp('2020-03-10')).toBe(Date.parse('2020-03-10T00:00:00Z'));
  });

  it('keeps milliseconds of a fractional part', () => {
    expect(parseGordoTimestamp('2023-09-15 01:20:00.123456+00:00')).toBe(AT + 123);
  });

  it.each(['', '0', '12', 'yesterday', '2023-02-30 00:00:00', '2023-09-15X01:20:00'])(
    'refuses "%s"',
    (text) => {
      expect(parseGordoTimestamp(text)).toBeUndefined();
    },
  );

  it('writes request keys as pandas does', () => {
    expect(formatPandasTimestamp(AT)).toBe('2023-09-15 01:20:00+00:00');
    expect(formatPandasTimestamp(AT + 5)).toBe('2023-09-15 01:20:00.005000+00:00');
  });

  it('writes start labels in ISO form', () => {
    expect(formatIsoTimestamp(AT)).toBe('2023-09-15T01:20:00+00:00');
  });

  it('reads back what it writes', () => {
    expect(parseGordoTimestamp(formatPandasTimestamp(AT + 5))).toBe(AT + 5);
  });
});
