/**
 * Continuation tokens of the stand-in. They are opaque to clients: base64url of a small JSON
 * document saying where each series of a read resumes. A client repeats its request with the
 * token and gets the next page.
 */

/** Where the read of one request item resumes: after the point at `afterMs`. */
export interface ResumePoint {
  /** Position of the item in the request body (0 for single-series reads). */
  readonly index: number;
  readonly id: string;
  readonly afterMs: number;
}

interface TokenDocument {
  readonly v: 1;
  readonly kind: 'data' | 'list';
  readonly resume?: readonly (readonly [number, string, number])[];
  readonly offset?: number;
}

function encode(document: TokenDocument): string {
  return Buffer.from(JSON.stringify(document), 'utf8').toString('base64url');
}

function decode(token: string): TokenDocument | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && (parsed as { v?: unknown }).v === 1) {
      return parsed as TokenDocument;
    }
  } catch {
    // not one of ours
  }
  return undefined;
}

/** A token for the items of a data read that have more points. */
export function dataToken(resume: readonly ResumePoint[]): string {
  return encode({
    v: 1,
    kind: 'data',
    resume: resume.map((point) => [point.index, point.id, point.afterMs] as const),
  });
}

/** The resume points of a data token; undefined when the token is not a valid data token. */
export function readDataToken(token: string): ResumePoint[] | undefined {
  const document = decode(token);
  const entries: unknown = document?.kind === 'data' ? document.resume : undefined;
  if (!Array.isArray(entries)) {
    return undefined;
  }
  const points: ResumePoint[] = [];
  for (const entry of entries as unknown[]) {
    const [index, id, afterMs] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      typeof id !== 'string' ||
      typeof afterMs !== 'number' ||
      !Number.isFinite(afterMs)
    ) {
      return undefined;
    }
    points.push({ index, id, afterMs });
  }
  return points;
}

/** A token for the next page of a series list. */
export function listToken(offset: number): string {
  return encode({ v: 1, kind: 'list', offset });
}

/** The offset of a list token; undefined when the token is not a valid list token. */
export function readListToken(token: string): number | undefined {
  const document = decode(token);
  return document?.kind === 'list' &&
    Number.isInteger(document.offset) &&
    (document.offset ?? -1) >= 0
    ? document.offset
    : undefined;
}
