import { z } from 'zod';

/**
 * The keys an object schema accepts at `path` below `schema`, through list items and optional,
 * default, prefault, nullable, readonly and pipe wrappers; undefined where the path leads to
 * anything else (a union, a record, a loose map).
 */
export function knownKeysAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
): readonly string[] | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const part of path) {
    let next: unknown;
    if (current instanceof z.ZodObject && typeof part === 'string') {
      next = (current.shape as Record<string, unknown>)[part];
    } else if (current instanceof z.ZodArray && typeof part === 'number') {
      next = current.element;
    } else {
      return undefined;
    }
    current = next instanceof z.ZodType ? unwrap(next) : undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodReadonly
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

/**
 * The known key an unknown one was most likely meant to be: the same words in any order and
 * with any of the separators `.`, `_` and `-`, whatever their case (librdkafka's dotted names
 * against snake_case, the Java client's `fetch.max.wait.ms` against `fetch.wait.max.ms`), else
 * at most two edits away and closer than any other. Undefined when nothing is that close.
 */
export function closestKey(unknown: string, known: readonly string[]): string | undefined {
  const sameWords = known.filter((candidate) => wordsOf(candidate) === wordsOf(unknown));
  if (sameWords.length === 1) {
    return sameWords[0];
  }
  const wanted = normalized(unknown);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalized(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      tie = false;
    } else if (distance === bestDistance) {
      tie = true;
    }
  }
  const limit = Math.min(2, Math.floor(wanted.length / 3));
  return best !== undefined && !tie && bestDistance <= limit ? best : undefined;
}

/** The words of a key, lower case and sorted. */
function wordsOf(key: string): string {
  return key
    .toLowerCase()
    .split(/[._-]+/)
    .sort()
    .join(' ');
}

function normalized(key: string): string {
  return key.toLowerCase().replace(/[._-]/g, '');
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(left: string, right: string): number {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table: number[][] = Array.from({ length: rows }, (_unused, row) =>
    Array.from({ length: columns }, (_ignored, column) =>
      row === 0 ? column : column === 0 ? row : 0,
    ),
  );
  for (let row = 1; row < rows; row += 1) {
    for (let column = 1; column < columns; column += 1) {
      const same = left[row - 1] === right[column - 1];
      let distance = Math.min(
        table[row - 1]![column]! + 1,
        table[row]![column - 1]! + 1,
        table[row - 1]![column - 1]! + (same ? 0 : 1),
      );
      if (
        row > 1 &&
        column > 1 &&
        left[row - 1] === right[column - 2] &&
        left[row - 2] === right[column - 1]
      ) {
        distance = Math.min(distance, table[row - 2]![column - 2]! + 1);
      }
      table[row]![column] = distance;
    }
  }
  return table[rows - 1]![columns - 1]!;
}
