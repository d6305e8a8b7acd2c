import { describe, expect, it } from 'vitest';

import { parsePandasOffset } from './pandas-offset.js';

describe('pandas offset aliases', () => {
  it.each([
    ['10T', 600_000],
    ['10min', 600_000],
    ['T', 60_000],
    ['1H', 3_600_000],
    ['1h', 3_600_000],
    ['30S', 30_000],
    ['5s', 5_000],
    ['500ms', 500],
    ['250L', 250],
    ['1D', 86_400_000],
    ['1H30T', 5_400_000],
    ['1.5H', 5_400_000],
    [' 48H ', 172_800_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parsePandasOffset(text)).toEqual({ ms });
  });

  it.each(['', '10', 'M', '1W', '10X', '0T', '1U', '-5S'])('refuses "%s"', (text) => {
    expect(parsePandasOffset(text)).toHaveProperty('problem');
  });

  it('names the accepted units when it refuses an alias', () => {
    const parsed = parsePandasOffset('2M');
    expect('problem' in parsed && parsed.problem).toMatch(/"2M".*T, min/);
  });
});
