/** The fitted state of a MinMaxScaler, as plain JSON. */
export interface MinMaxScalerJson {
  /** Per column: the smallest training value. */
  dataMin: number[];
  /** Per column: `1 / (max - min)`, or 1 for a constant column (as scikit-learn does). */
  scale: number[];
}

/**
 * Scales each column to [0, 1] over its training values: `S(x) = (x - min) * scale`. Values
 * outside the training range map outside [0, 1]; nothing is clipped.
 */
export class MinMaxScaler {
  private constructor(
    readonly dataMin: readonly number[],
    readonly scale: readonly number[],
  ) {}

  /** Fits on rows of equal width (at least one row). */
  static fit(rows: readonly (readonly number[])[]): MinMaxScaler {
    const width = rows[0]?.length ?? 0;
    const dataMin: number[] = [];
    const scale: number[] = [];
    for (let column = 0; column < width; column += 1) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      for (const row of rows) {
        const value = row[column] ?? Number.NaN;
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      const range = max - min;
      dataMin.push(min);
      scale.push(range === 0 ? 1 : 1 / range);
    }
    return new MinMaxScaler(dataMin, scale);
  }

  static fromJSON(json: MinMaxScalerJson): MinMaxScaler {
    return new MinMaxScaler([...json.dataMin], [...json.scale]);
  }

  get width(): number {
    return this.scale.length;
  }

  transform(rows: readonly (readonly number[])[]): number[][] {
    return rows.map((row) =>
      row.map((value, column) => (value - (this.dataMin[column] ?? 0)) * (this.scale[column] ?? 1)),
    );
  }

  inverseTransform(rows: readonly (readonly number[])[]): number[][] {
    return rows.map((row) =>
      row.map((value, column) => value / (this.scale[column] ?? 1) + (this.dataMin[column] ?? 0)),
    );
  }

  toJSON(): MinMaxScalerJson {
    return { dataMin: [...this.dataMin], scale: [...this.scale] };
  }
}
