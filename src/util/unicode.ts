/** A code point's hexadecimal digits as Unicode writes them: upper case, at least four (`200B`). */
export function codePointHex(codePoint: number): string {
  return codePoint.toString(16).toUpperCase().padStart(4, '0');
}

/**
 * The 1-based number of the character at a string index, counting characters as people do: one
 * for a character outside the Basic Multilingual Plane, such as an emoji, not two.
 */
export function characterNumber(text: string, index: number): number {
  let count = 1;
  for (const _character of text.slice(0, index)) {
    count += 1;
  }
  return count;
}
