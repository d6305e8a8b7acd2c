import { randomBytes } from 'node:crypto';

/**
 * Parses JSON as Python's `json.dumps` writes it: standard JSON plus the bare tokens `NaN`,
 * `Infinity` and `-Infinity`, which become the matching JavaScript numbers (so callers can find
 * and count them with `Number.isFinite`). Inside strings these words stay text. Throws a
 * SyntaxError, like JSON.parse, on anything else that is not JSON.
 */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Only pay for the token scan when plain JSON fails.
    const rewritten = replaceNonFiniteTokens(text);
    if (rewritten === undefined) {
      throw error;
    }
    const { json, markers } = rewritten;
    return JSON.parse(json, (_key, value: unknown) =>
      typeof value === 'string' && markers.has(value) ? markers.get(value) : value,
    );
  }
}

const TOKENS: readonly (readonly [string, number])[] = [
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['NaN', Number.NaN],
];

/**
 * Replaces each bare non-finite token outside strings with a quoted marker that cannot occur in
 * the text. Undefined when there is no such token.
 */
function replaceNonFiniteTokens(
  text: string,
): { json: string; markers: Map<string, number> } | undefined {
  const nonce = uniqueNonce(text);
  const markerOf = (token: string): string => `${nonce}${token}`;
  const markers = new Map<string, number>(TOKENS.map(([token, value]) => [markerOf(token), value]));

  const parts: string[] = [];
  let copiedUpTo = 0;
  let inString = false;
  let found = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') {
        index += 1;
      } else if (char === '"') {
        inString = false;
      }
      continue;
    }
    if (char === '"') {
      inString = true;
      continue;
    }
    if (char !== 'N' && char !== 'I' && char !== '-') {
      continue;
    }
    const token = TOKENS.find(([candidate]) => text.startsWith(candidate, index))?.[0];
    if (token === undefined) {
      continue;
    }
    parts.push(text.slice(copiedUpTo, index), JSON.stringify(markerOf(token)));
    index += token.length - 1;
    copiedUpTo = index + 1;
    found = true;
  }
  if (!found) {
    return undefined;
  }
  parts.push(text.slice(copiedUpTo));
  return { json: parts.join(''), markers };
}

function uniqueNonce(text: string): string {
  for (;;) {
    const nonce = `\u0000latigo-${randomBytes(6).toString('hex')}:`;
    if (!text.includes(nonce)) {
      return nonce;
    }
  }
}
