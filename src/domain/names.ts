import { LatigoError } from '../errors/index.js';
import { characterNumber, codePointHex } from '../util/unicode.js';

/** Longest project or model name, in characters (code points). */
export const MAX_NAME_LENGTH = 256;

/**
 * Invisible characters: control and formatting characters (a right-to-left override or a
 * zero-width space among them), line and paragraph separators, unpaired surrogates (not text at
 * all). No name may hold them, nor the path separators `/` and `\`.
 */
const INVISIBLE_CLASS = String.raw`\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}`;
const FORBIDDEN = new RegExp(String.raw`[${INVISIBLE_CLASS}/\\]`, 'u');
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, 'gu');

/**
 * What is wrong with a project or model name, or undefined when it is fine. Names travel in task
 * messages, log lines and URL paths (`/gordo/v0/<project>/<model>/…`), so a name must be one
 * visible path segment: not empty, not `.` or `..`, at most 256 characters, none forbidden.
 */
export function nameProblem(value: string): string | undefined {
  if (value === '') {
    return 'must not be empty';
  }
  if (value === '.' || value === '..') {
    return `must not be "${value}"`;
  }
  if (value.trim() !== value) {
    return 'must not start or end with white space';
  }
  // Code points: a character outside the BMP is one character, two UTF-16 units.
  if (value.length > MAX_NAME_LENGTH && [...value].length > MAX_NAME_LENGTH) {
    return `is longer than ${MAX_NAME_LENGTH} characters`;
  }
  const forbidden = FORBIDDEN.exec(value);
  if (forbidden !== null) {
    return `contains ${describeCharacter(forbidden[0])} at character ${characterNumber(value, forbidden.index)}`;
  }
  return undefined;
}

function describeCharacter(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = `U+${codePointHex(code)}`;
  if (character === '/' || character === '\\') {
    return `the path separator "${character}"`;
  }
  if (/\p{Cs}/u.test(character)) {
    return `an unpaired surrogate (${hex})`;
  }
  return `a control or invisible character (${hex})`;
}

/**
 * `value` as one URL path segment, percent-encoded. Throws NAME_INVALID, not retriable, naming
 * what it is (`project`, `model`) when it is no valid name: `..` or a `/` would move the request
 * to another path of the server.
 */
export function namePathSegment(what: string, value: string): string {
  const problem = nameProblem(value);
  if (problem !== undefined) {
    throw new LatigoError('NAME_INVALID', `${what} name ${quoteName(value)} ${problem}`, {
      context: { [what]: value },
    });
  }
  return encodeURIComponent(value);
}

/**
 * A name in double quotes for a message, its invisible characters written as `\uXXXX`: printed
 * raw, a right-to-left override would turn the rest of the line around.
 */
export function quoteName(value: string): string {
  const visible = value.replace(
    INVISIBLE,
    (character) => `\\u${codePointHex(character.codePointAt(0) ?? 0)}`,
  );
  return `"${visible}"`;
}
