import { describe, expect, it } from 'vitest';

import { maxOfRollingMin, timeOrderedFolds } from './folds.js';

describe('timeOrderedFolds', () => {
  it('splits like TimeSeriesSplit: equal test blocks at the end, training on all rows before', () => {
    // 10 rows, 3 folds: test size floor(10 / 4) = 2, first test row 10 - 6 = 4
    expect(timeOrderedFolds(10, 3)).toEqual([
      { trainRows: 4, testRows: 2 },
      { trainRows: 6, testRows: 2 },
      { trainRows: 8, testRows: 2 },
    ]);
  });

  it('gives no folds when there are too few rows', () => {
    expect(timeOrderedFolds(3, 3)).toEqual([]);
  });
});

describe('maxOfRollingMin', () => {
  it('takes the largest minimum over windows of consecutive values', () => {
    // windows of 3: min(1,5,4)=1, min(5,4,6)=4, min(4,6,2)=2
    expect(maxOfRollingMin([1, 5, 4, 6, 2], 3)).toBe(4);
  });

  it('uses the whole sequence when it is shorter than the window', () => {
    expect(maxOfRollingMin([3, 2], 6)).toBe(2);
  });

  it('is NaN for no values', () => {
    expect(maxOfRollingMin([], 6)).toBeNaN();
  });
});
