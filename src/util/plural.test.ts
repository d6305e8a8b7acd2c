import { describe, expect, it } from 'vitest';

import { countOf } from './plural.js';

describe('countOf', () => {
  it('puts the noun in the plural unless the count is one', () => {
    expect(countOf(1, 'window')).toBe('1 window');
    expect(countOf(0, 'window')).toBe('0 windows');
    expect(countOf(21, 'older task')).toBe('21 older tasks');
    expect(countOf(2, 'entry', 'entries')).toBe('2 entries');
  });
});
