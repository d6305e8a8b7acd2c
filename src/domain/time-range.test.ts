import { describe, expect, it } from 'vitest';

import { formatRange, timeRange } from './time-range.js';

const at = (text: string): number => Date.parse(text);

describe('time range', () => {
  it('should render a half-open range in ISO 8601 UTC with whole seconds', () => {
    const range = timeRange(at('2024-05-01T06:00:00.750Z'), at('2024-05-01T06:30:00Z'));

    expect(formatRange(range)).toBe('[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)');
  });

  it('should render each range right when ranges alternate', () => {
    const first = timeRange(at('2024-05-01T06:00:00Z'), at('2024-05-01T06:30:00Z'));
    const second = timeRange(at('2024-05-01T06:00:00Z'), at('2024-05-01T07:00:00Z'));

    const rendered = [first, second, first, { ...first }, second].map(formatRange);

    expect(rendered).toEqual([
      '[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)',
      '[2024-05-01T06:00:00Z, 2024-05-01T07:00:00Z)',
      '[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)',
      '[2024-05-01T06:00:00Z, 2024-05-01T06:30:00Z)',
      '[2024-05-01T06:00:00Z, 2024-05-01T07:00:00Z)',
    ]);
  });
});
