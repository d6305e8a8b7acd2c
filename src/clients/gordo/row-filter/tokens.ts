/**
 * Tokens of a Gordo row filter: the part of pandas `DataFrame.eval` syntax that row filters use
 * (gordo.md §6.1). Positions are 0-based offsets into the expression.
 */
import { codePointHex } from '../../../util/unicode.js';

/** Operators and punctuation, longest first so that `**` wins over `*` and `>=` over `>`. */
const SYMBOLS = [
  '**',
  '>=',
  '<=',
  '==',
  '!=',
  '>',
  '<',
  '+',
  '-',
  '*',
  '/',
  '&',
  '|',
  '~',
  '(',
  ')',
  ',',
] as const;

export type SymbolText = (typeof SYMBOLS)[number];

export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly position: number }
  /** A bare word: a column name, or a keyword such as `and`, `not`, `True`. */
  | { readonly kind: 'word'; readonly text: string; readonly position: number }
  /** A backtick-quoted column name, without the backticks. */
  | { readonly kind: 'quoted'; readonly text: string; readonly position: number }
  | { readonly kind: 'symbol'; readonly text: SymbolText; readonly position: number }
  | { readonly kind: 'end'; readonly position: number }
  /** Where reading stopped: the parser reports it when it gets there, so earlier problems win. */
  | { readonly kind: 'invalid'; readonly problem: string; readonly position: number };

/** Why an expression cannot be read, and where (0-based offset). */
export class SyntaxProblem extends Error {
  override readonly name = 'SyntaxProblem';

  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;
const WORD_CHARACTER = /[\p{L}\p{N}_]/u;

/** Characters that have a meaning in pandas eval which Latigo does not support. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  "'": 'string literals are not supported; quote column names with backticks',
  '"': 'string literals are not supported; quote column names with backticks',
  '=': 'assignment (=) is not supported; compare with ==',
  '.': 'attribute access (.) is not supported; quote a column name holding dots with backticks',
  '@': 'local variables (@name) are not supported',
  '[': 'subscripts and lists are not supported',
  ']': 'subscripts and lists are not supported',
  '%': 'the operator % is not supported',
  '^': 'the operator ^ is not supported; use & or |',
  '!': 'the operator ! is not supported; use ~ or not',
  ':': 'the character : is not supported',
};

/**
 * Splits an expression into tokens, ending with `end`, or with `invalid` at the first character
 * it cannot read.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  try {
    readTokens(text, tokens);
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) {
      throw error;
    }
    tokens.push({ kind: 'invalid', problem: error.message, position: error.position });
  }
  return tokens;
}

/**
 * White space between tokens, as Python's tokenizer reads it: space, tab, form feed and line
 * ends. Other spaces (no-break, line separator, zero width) are refused by Python, and so here.
 */
const WHITE_SPACE = new Set([' ', '\t', '\f', '\r', '\n']);

function readTokens(text: string, tokens: Token[]): void {
  let position = 0;
  while (position < text.length) {
    const character = text.charAt(position);
    if (WHITE_SPACE.has(character)) {
      position += 1;
      continue;
    }
    if (character === '`') {
      const close = text.indexOf('`', position + 1);
      if (close < 0) {
        throw new SyntaxProblem('the backtick-quoted name is not closed', position);
      }
      const name = text.slice(position + 1, close);
      if (name.trim() === '') {
        throw new SyntaxProblem('a backtick-quoted name is empty', position);
      }
      tokens.push({ kind: 'quoted', text: name, position });
      position = close + 1;
      continue;
    }
    const number = matchAt(NUMBER, text, position);
    if (number !== undefined) {
      const after = text.charAt(position + number.length);
      if (WORD_CHARACTER.test(after) || after === '.') {
        throw new SyntaxProblem(
          `"${number}${after}" is neither a number nor a name; quote a column name that starts with a digit with backticks`,
          position,
        );
      }
      tokens.push({ kind: 'number', value: Number(number), position });
      position += number.length;
      continue;
    }
    const word = matchAt(WORD, text, position);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word, position });
      position += word.length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => text.startsWith(candidate, position));
    if (symbol === '/' && text.startsWith('//', position)) {
      throw new SyntaxProblem('the operator // is not supported', position);
    }
    if (symbol === '<' && text.startsWith('<<', position)) {
      throw new SyntaxProblem('the operator << is not supported', position);
    }
    if (symbol === '>' && text.startsWith('>>', position)) {
      throw new SyntaxProblem('the operator >> is not supported', position);
    }
    if (symbol !== undefined) {
      tokens.push({ kind: 'symbol', text: symbol, position });
      position += symbol.length;
      continue;
    }
    throw new SyntaxProblem(
      UNSUPPORTED[character] ??
        `the character ${describeCharacter(text, position)} is not supported`,
      position,
    );
  }
  tokens.push({ kind: 'end', position: text.length });
}

function matchAt(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

/** Characters shown by their code point in messages: controls, format characters, spaces. */
const INVISIBLE = /^[\p{C}\p{Z}]$/u;

/** The whole character at `position` (both halves of a surrogate pair), quoted or as U+XXXX. */
function describeCharacter(text: string, position: number): string {
  const codePoint = text.codePointAt(position) ?? 0;
  const character = String.fromCodePoint(codePoint);
  return INVISIBLE.test(character) ? `U+${codePointHex(codePoint)}` : `"${character}"`;
}
