import { Matrix, SingularValueDecomposition } from 'ml-matrix';

/** How many principal components to keep. */
export type ComponentChoice =
  | { readonly nComponents: number }
  /** The fewest components whose explained variance ratios add up to at least this fraction. */
  | { readonly explainedVariance: number };

/** The fitted state of a PCA autoencoder, as plain JSON. */
export interface PcaAutoencoderJson {
  /** Per column mean of the training rows. */
  mean: number[];
  /** Kept components, one unit row vector each, strongest first. */
  components: number[][];
  /** Share of the training variance each kept component explains. */
  explainedVarianceRatio: number[];
}

/** Tolerance when comparing a cumulative variance ratio with the requested fraction. */
const RATIO_TOLERANCE = 1e-12;

/**
 * A linear autoencoder: principal component analysis on centred rows, encoding onto the strongest
 * components and decoding back. Reconstruction is `mean + (x - mean) Cᵀ C` with C the kept
 * components. The decomposition is ml-matrix's singular value decomposition of the centred
 * training matrix; each component's sign is fixed so that its largest entry is positive, which
 * makes fitting deterministic (the reconstruction does not depend on signs).
 */
export class PcaAutoencoder {
  private constructor(
    readonly mean: readonly number[],
    readonly components: readonly (readonly number[])[],
    readonly explainedVarianceRatio: readonly number[],
  ) {}

  /**
   * Fits on rows of equal width (at least one row). The component count is capped at the smaller
   * of the row count and the width, and is at least 1.
   */
  static fit(rows: readonly (readonly number[])[], choice: ComponentChoice): PcaAutoencoder {
    const data = new Matrix(rows.map((row) => [...row]));
    const mean = data.mean('column');
    const centred = data.clone().subRowVector(mean);
    const svd = new SingularValueDecomposition(centred, {
      computeLeftSingularVectors: false,
      autoTranspose: true,
    });

    const squares = svd.diagonal.map((value) => value * value);
    const total = squares.reduce((sum, value) => sum + value, 0);
    const ratios = squares.map((value) => (total > 0 ? value / total : 0));
    const count = componentCount(choice, ratios);
    const vectors = svd.rightSingularVectors;
    const components: number[][] = [];
    for (let index = 0; index < count; index += 1) {
      components.push(withPositiveLargestEntry(vectors.getColumn(index)));
    }
    return new PcaAutoencoder(mean, components, ratios.slice(0, count));
  }

  static fromJSON(json: PcaAutoencoderJson): PcaAutoencoder {
    return new PcaAutoencoder(
      [...json.mean],
      json.components.map((component) => [...component]),
      [...json.explainedVarianceRatio],
    );
  }

  /** Encodes and decodes rows: their projection onto the kept components. */
  reconstruct(rows: readonly (readonly number[])[]): number[][] {
    if (rows.length === 0) {
      return [];
    }
    const components = new Matrix(this.components.map((component) => [...component]));
    const centred = new Matrix(rows.map((row) => [...row])).subRowVector([...this.mean]);
    const codes = centred.mmul(components.transpose());
    return codes
      .mmul(components)
      .addRowVector([...this.mean])
      .to2DArray();
  }

  toJSON(): PcaAutoencoderJson {
    return {
      mean: [...this.mean],
      components: this.components.map((component) => [...component]),
      explainedVarianceRatio: [...this.explainedVarianceRatio],
    };
  }
}

function componentCount(choice: ComponentChoice, ratios: readonly number[]): number {
  const available = Math.max(1, ratios.length);
  if ('nComponents' in choice) {
    return Math.max(1, Math.min(choice.nComponents, available));
  }
  let cumulative = 0;
  for (let index = 0; index < ratios.length; index += 1) {
    cumulative += ratios[index] ?? 0;
    if (cumulative >= choice.explainedVariance - RATIO_TOLERANCE) {
      return index + 1;
    }
  }
  return available;
}

function withPositiveLargestEntry(vector: readonly number[]): number[] {
  let largest = 0;
  for (const value of vector) {
    if (Math.abs(value) > Math.abs(largest)) {
      largest = value;
    }
  }
  return largest < 0 ? vector.map((value) => -value) : [...vector];
}
