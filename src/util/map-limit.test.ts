import { describe, expect, it } from 'vitest';

import { mapLimit } from './map-limit.js';

describe('mapLimit', () => {
  it('should keep at most limit calls in flight and the results in input order', async () => {
    let inFlight = 0;
    let highest = 0;
    const results = await mapLimit([5, 1, 3, 2, 4], 2, async (value) => {
      inFlight += 1;
      highest = Math.max(highest, inFlight);
      await new Promise((resolve) => setTimeout(resolve, value));
      inFlight -= 1;
      return value * 10;
    });

    expect(results).toEqual([50, 10, 30, 20, 40]);
    expect(highest).toBe(2);
  });

  it('should reject with the first failure and start no new calls after it', async () => {
    const started: number[] = [];

    await expect(
      mapLimit([1, 2, 3, 4], 1, (value) => {
        started.push(value);
        return value === 2 ? Promise.reject(new Error('two failed')) : Promise.resolve(value);
      }),
    ).rejects.toThrow('two failed');
    expect(started).toEqual([1, 2]);
  });

  it('should map an empty list to an empty list', async () => {
    expect(await mapLimit([], 4, () => Promise.resolve(1))).toEqual([]);
  });
});
