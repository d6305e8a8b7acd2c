/** `summary_statistics` of one tag, as pandas `describe()` names them. */
export interface SummaryStatistics {
  readonly count: number;
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly '25%': number;
  readonly '50%': number;
  readonly '75%': number;
  readonly max: number;
}

/** Count, mean, sample standard deviation, quartiles (linear interpolation) and extremes. */
export function summaryStatistics(values: readonly number[]): SummaryStatistics {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  const count = sorted.length;
  const mean = sorted.reduce((sum, value) => sum + value, 0) / count;
  const variance =
    sorted.reduce((sum, value) => sum + (value - mean) * (value - mean), 0) / (count - 1);
  return {
    count,
    mean,
    std: Math.sqrt(variance),
    min: sorted[0] ?? Number.NaN,
    '25%': quantile(sorted, 0.25),
    '50%': quantile(sorted, 0.5),
    '75%': quantile(sorted, 0.75),
    max: sorted[count - 1] ?? Number.NaN,
  };
}

function quantile(sorted: readonly number[], fraction: number): number {
  const position = (sorted.length - 1) * fraction;
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return low + (high - low) * (position - below);
}

/**
 * `x_hist` of one tag: a JSON text mapping value intervals `"(low, high]"` to counts, as the Gordo
 * builder stores it (ten equal-width bins here).
 */
export function valueHistogram(values: readonly number[], bins = 10): string {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) {
    return '{}';
  }
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const width = max > min ? (max - min) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (const value of finite) {
    const bin = Math.min(bins - 1, Math.floor((value - min) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const round = (value: number): number => Number(value.toFixed(3));
  const histogram: Record<string, number> = {};
  counts.forEach((count, bin) => {
    histogram[
      `(${round(min + bin * width - (bin === 0 ? width / 1000 : 0))}, ${round(min + (bin + 1) * width)}]`
    ] = count;
  });
  return JSON.stringify(histogram);
}
