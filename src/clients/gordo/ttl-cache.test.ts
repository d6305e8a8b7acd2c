import { describe, expect, it } from 'vitest';

import { TtlCache } from './ttl-cache.js';

function counter() {
  let calls = 0;
  return {
    load:
      (value = 'v') =>
      () => {
        calls += 1;
        return Promise.resolve(`${value}${calls}`);
      },
    get calls() {
      return calls;
    },
  };
}

describe('the gordo client cache', () => {
  it('shares one load between callers of a key', async () => {
    const cache = new TtlCache<string>(60_000, 10);
    const loads = counter();

    const values = await Promise.all([cache.get('k', loads.load()), cache.get('k', loads.load())]);

    expect(values).toEqual(['v1', 'v1']);
    expect(loads.calls).toBe(1);
  });

  it('forgets a failed load so the next caller tries again', async () => {
    const cache = new TtlCache<string>(60_000, 10);
    await expect(cache.get('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');

    await expect(cache.get('k', () => Promise.resolve('up'))).resolves.toBe('up');
  });

  it('loads again once the time to live has passed', async () => {
    const cache = new TtlCache<string>(1, 10);
    const loads = counter();
    await cache.get('k', loads.load());
    const loadedMs = Date.now();
    while (Date.now() <= loadedMs + 1) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }

    await expect(cache.get('k', loads.load())).resolves.toBe('v2');
  });

  it('drops the least recently used key beyond its size', async () => {
    const cache = new TtlCache<string>(60_000, 2);
    const loads = counter();
    await cache.get('a', loads.load());
    await cache.get('b', loads.load());
    await cache.get('a', loads.load());
    await cache.get('c', loads.load());

    await expect(cache.get('a', loads.load())).resolves.toBe('v1');
    await expect(cache.get('b', loads.load())).resolves.toBe('v4');
  });
});
