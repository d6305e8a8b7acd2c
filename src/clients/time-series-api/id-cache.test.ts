import { describe, expect, it } from 'vitest';

import { IdCache } from './id-cache.js';

function cache(overrides: { ttlMs?: number; maxEntries?: number } = {}) {
  let nowMs = 0;
  const ids = new IdCache<string>(overrides.ttlMs ?? 1000, overrides.maxEntries ?? 10, () => nowMs);
  return { ids, advance: (ms: number) => (nowMs += ms) };
}

describe('the id cache', () => {
  it('answers an id until its time to live has passed', () => {
    const { ids, advance } = cache();
    ids.set('1903::A', 'id-a');

    advance(999);
    expect(ids.get('1903::A')).toBe('id-a');
    advance(1);
    expect(ids.get('1903::A')).toBeUndefined();
  });

  it('keeps nothing when the time to live is zero', () => {
    const { ids } = cache({ ttlMs: 0 });
    ids.set('k', 'v');

    expect(ids.get('k')).toBeUndefined();
  });

  it('drops the oldest entry beyond its size', () => {
    const { ids } = cache({ maxEntries: 2 });
    ids.set('a', '1');
    ids.set('b', '2');
    ids.set('c', '3');

    expect([ids.get('a'), ids.get('b'), ids.get('c')]).toEqual([undefined, '2', '3']);
  });
});
