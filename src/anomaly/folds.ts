/** One time-ordered validation fold: fit on rows `[0, trainRows)`, test on the next `testRows`. */
export interface TimeOrderedFold {
  readonly trainRows: number;
  readonly testRows: number;
}

/**
 * Splits `rows` time-ordered rows the way scikit-learn's `TimeSeriesSplit(n_splits=folds)` does:
 * the last `folds * floor(rows / (folds + 1))` rows form `folds` consecutive test blocks of equal
 * size, and each block is tested by a model fitted on every row before it. Returns an empty list
 * when there are fewer than `folds + 1` rows.
 */
export function timeOrderedFolds(rows: number, folds: number): TimeOrderedFold[] {
  const testRows = Math.floor(rows / (folds + 1));
  if (folds < 1 || testRows < 1) {
    return [];
  }
  const firstTestRow = rows - folds * testRows;
  return Array.from({ length: folds }, (_unused, fold) => ({
    trainRows: firstTestRow + fold * testRows,
    testRows,
  }));
}

/**
 * The largest rolling minimum of a sequence: the minimum over each run of `window` consecutive
 * values (pandas `rolling(window).min()`), then the maximum of those. A sequence shorter than the
 * window uses its own length as window. NaN for an empty sequence.
 *
 * Taking the minimum first means a threshold is set by errors that last `window` rows, not by a
 * single outlying row.
 */
export function maxOfRollingMin(values: readonly number[], window: number): number {
  const width = Math.min(window, values.length);
  let best = Number.NaN;
  for (let end = width; end <= values.length && width > 0; end += 1) {
    const minimum = Math.min(...values.slice(end - width, end));
    best = Number.isNaN(best) ? minimum : Math.max(best, minimum);
  }
  return best;
}
