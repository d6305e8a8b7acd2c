import { characterNumber } from '../../../util/unicode.js';
import {
  FUNCTIONS,
  type ArithmeticOperator,
  type ComparisonOperator,
  type ConditionNode,
  type NumberNode,
} from './syntax.js';
import { SyntaxProblem, tokenize, type SymbolText, type Token } from './tokens.js';

/** A parsed expression, or why it cannot be parsed and where (1-based character). */
export type ParseResult =
  { readonly condition: ConditionNode } | { readonly problem: string; readonly character: number };

/**
 * Parses one row filter expression with the precedence of pandas eval, lowest first:
 * `|`/`or`, `&`/`and`, `not`, comparisons (chained as in Python: `0 < x < 5`), `+ -`, `* /`,
 * unary `- + ~`, `**` (right-associative). Unlike Python, pandas reads `&` and `|` as `and` and
 * `or`, so `x > 1 & y < 2` needs no parentheses. The result must be a condition.
 */
export function parseCondition(text: string): ParseResult {
  try {
    const parser = new Parser(tokenize(text));
    return { condition: parser.parseAll() };
  } catch (error) {
    if (error instanceof SyntaxProblem) {
      return { problem: error.message, character: characterNumber(text, error.position) };
    }
    // Thousands of nested parentheses or signs exhaust the stack of the recursive descent.
    if (error instanceof RangeError) {
      return { problem: 'the expression is nested too deeply', character: 1 };
    }
    throw error;
  }
}

type Parsed =
  | { readonly type: 'number'; readonly node: NumberNode; readonly position: number }
  | { readonly type: 'condition'; readonly node: ConditionNode; readonly position: number };

const COMPARISONS: readonly string[] = ['>', '>=', '<', '<=', '==', '!='];

/** Python words with a meaning in pandas eval that row filters cannot use. */
const UNSUPPORTED_WORDS = new Set([
  'in',
  'is',
  'if',
  'else',
  'lambda',
  'for',
  'None',
  'await',
  'yield',
]);

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): ConditionNode {
    const result = this.or();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw unexpected(next, 'an operator or the end of the expression');
    }
    if (result.type === 'number') {
      throw new SyntaxProblem(
        'the expression gives a number per row, not a condition (true/false); compare it, e.g. `TAG` > 0',
        result.position,
      );
    }
    return result.node;
  }

  private or(): Parsed {
    let left = this.and();
    for (let token = this.peek(); isSymbol(token, '|') || isWord(token, 'or');) {
      this.index += 1;
      const right = this.and();
      const operator = tokenText(token);
      left = {
        type: 'condition',
        node: {
          kind: 'logical',
          operator: 'or',
          left: asCondition(left, operator),
          right: asCondition(right, operator),
        },
        position: left.position,
      };
      token = this.peek();
    }
    return left;
  }

  private and(): Parsed {
    let left = this.not();
    for (let token = this.peek(); isSymbol(token, '&') || isWord(token, 'and');) {
      this.index += 1;
      const right = this.not();
      const operator = tokenText(token);
      left = {
        type: 'condition',
        node: {
          kind: 'logical',
          operator: 'and',
          left: asCondition(left, operator),
          right: asCondition(right, operator),
        },
        position: left.position,
      };
      token = this.peek();
    }
    return left;
  }

  private not(): Parsed {
    const token = this.peek();
    if (!isWord(token, 'not')) {
      return this.comparison();
    }
    this.index += 1;
    const operand = this.not();
    return {
      type: 'condition',
      node: { kind: 'not', operand: asCondition(operand, 'not') },
      position: token.position,
    };
  }

  /** `a < b < c` is `a < b and b < c`, as in Python and pandas. */
  private comparison(): Parsed {
    const first = this.sum();
    let left = first;
    let result: Parsed | undefined;
    for (let token = this.peek(); isComparison(token); token = this.peek()) {
      this.index += 1;
      const right = this.sum();
      const pair = compare(token.text as ComparisonOperator, left, right);
      result =
        result === undefined
          ? pair
          : {
              type: 'condition',
              node: {
                kind: 'logical',
                operator: 'and',
                left: asCondition(result, token.text),
                right: asCondition(pair, token.text),
              },
              position: first.position,
            };
      left = right;
    }
    return result ?? first;
  }

  private sum(): Parsed {
    let left = this.term();
    for (let token = this.peek(); isSymbol(token, '+') || isSymbol(token, '-');) {
      this.index += 1;
      left = arithmetic(token.text as ArithmeticOperator, left, this.term());
      token = this.peek();
    }
    return left;
  }

  private term(): Parsed {
    let left = this.unary();
    for (let token = this.peek(); isSymbol(token, '*') || isSymbol(token, '/');) {
      this.index += 1;
      left = arithmetic(token.text as ArithmeticOperator, left, this.unary());
      token = this.peek();
    }
    return left;
  }

  private unary(): Parsed {
    const token = this.peek();
    if (isSymbol(token, '-') || isSymbol(token, '+')) {
      this.index += 1;
      const operand = asNumber(this.unary(), `unary ${token.text}`);
      return {
        type: 'number',
        node: token.text === '-' ? { kind: 'negate', operand } : operand,
        position: token.position,
      };
    }
    if (isSymbol(token, '~')) {
      this.index += 1;
      const operand = asCondition(this.unary(), '~');
      return { type: 'condition', node: { kind: 'not', operand }, position: token.position };
    }
    return this.power();
  }

  /** `**` binds tighter than a unary minus on its left and takes one on its right: `-2 ** -1`. */
  private power(): Parsed {
    const base = this.primary();
    const token = this.peek();
    if (!isSymbol(token, '**')) {
      return base;
    }
    this.index += 1;
    return arithmetic('**', base, this.unary());
  }

  private primary(): Parsed {
    const token = this.peek();
    this.index += 1;
    switch (token.kind) {
      case 'number':
        return {
          type: 'number',
          node: { kind: 'number', value: token.value },
          position: token.position,
        };
      case 'quoted':
        return {
          type: 'number',
          node: { kind: 'column', name: token.text },
          position: token.position,
        };
      case 'word':
        return this.word(token);
      case 'symbol':
        if (token.text === '(') {
          const inner = this.or();
          this.expect(')');
          return { ...inner, position: token.position };
        }
        break;
      case 'end':
      case 'invalid':
        break;
    }
    throw unexpected(token, 'a column name, a number or (');
  }

  private word(token: Token & { kind: 'word' }): Parsed {
    const position = token.position;
    if (token.text === 'True' || token.text === 'False') {
      return {
        type: 'condition',
        node: { kind: 'constant', value: token.text === 'True' },
        position,
      };
    }
    if (token.text === 'inf' || token.text === 'Inf') {
      return { type: 'number', node: { kind: 'number', value: Infinity }, position };
    }
    if (token.text === 'and' || token.text === 'or' || token.text === 'not') {
      throw unexpected(token, 'a column name, a number or (');
    }
    if (UNSUPPORTED_WORDS.has(token.text)) {
      throw new SyntaxProblem(`"${token.text}" is not supported`, position);
    }
    if (!isSymbol(this.peek(), '(')) {
      return { type: 'number', node: { kind: 'column', name: token.text }, position };
    }
    if (!FUNCTIONS.has(token.text)) {
      throw new SyntaxProblem(
        `the function ${token.text}() is not supported; supported: ${[...FUNCTIONS.keys()].join(', ')}`,
        position,
      );
    }
    this.index += 1;
    const argument = asNumber(this.or(), `${token.text}()`);
    const next = this.peek();
    if (isSymbol(next, ',')) {
      throw new SyntaxProblem(`${token.text}() takes one argument`, next.position);
    }
    this.expect(')');
    return { type: 'number', node: { kind: 'call', name: token.text, argument }, position };
  }

  private expect(text: SymbolText): void {
    const token = this.peek();
    if (!isSymbol(token, text)) {
      throw unexpected(token, text);
    }
    this.index += 1;
  }

  private peek(): Token {
    const token = this.tokens[this.index] ?? this.tokens[this.tokens.length - 1];
    if (token === undefined) {
      throw new SyntaxProblem('the expression is empty', 0);
    }
    if (token.kind === 'invalid') {
      throw new SyntaxProblem(token.problem, token.position);
    }
    return token;
  }
}

function compare(operator: ComparisonOperator, left: Parsed, right: Parsed): Parsed {
  const position = left.position;
  if (left.type === 'number' && right.type === 'number') {
    return {
      type: 'condition',
      node: { kind: 'compare', operator, left: left.node, right: right.node },
      position,
    };
  }
  if (left.type === 'condition' && right.type === 'condition') {
    if (operator !== '==' && operator !== '!=') {
      throw new SyntaxProblem(`"${operator}" compares numbers, not conditions`, position);
    }
    return {
      type: 'condition',
      node: { kind: 'same', negated: operator === '!=', left: left.node, right: right.node },
      position,
    };
  }
  throw new SyntaxProblem(
    `"${operator}" compares a condition (true/false) with a number`,
    left.type === 'condition' ? left.position : right.position,
  );
}

function arithmetic(operator: ArithmeticOperator, left: Parsed, right: Parsed): Parsed {
  return {
    type: 'number',
    node: {
      kind: 'arithmetic',
      operator,
      left: asNumber(left, operator),
      right: asNumber(right, operator),
    },
    position: left.position,
  };
}

function asNumber(parsed: Parsed, operator: string): NumberNode {
  if (parsed.type === 'condition') {
    throw new SyntaxProblem(
      `${quoteOperator(operator)} needs a number here, not a condition (true/false)`,
      parsed.position,
    );
  }
  return parsed.node;
}

function asCondition(parsed: Parsed, operator: string): ConditionNode {
  if (parsed.type === 'number') {
    throw new SyntaxProblem(
      `${quoteOperator(operator)} needs a condition (true/false) here, not a number; compare it, e.g. (\`TAG\` > 0)`,
      parsed.position,
    );
  }
  return parsed.node;
}

function quoteOperator(operator: string): string {
  return /^[a-z]/.test(operator) ? operator : `"${operator}"`;
}

function isSymbol(token: Token, text: SymbolText): token is Token & { kind: 'symbol' } {
  return token.kind === 'symbol' && token.text === text;
}

function isWord(token: Token, text: string): token is Token & { kind: 'word' } {
  return token.kind === 'word' && token.text === text;
}

function isComparison(token: Token): token is Token & { kind: 'symbol' } {
  return token.kind === 'symbol' && COMPARISONS.includes(token.text);
}

function tokenText(token: Token): string {
  return token.kind === 'symbol' || token.kind === 'word' ? token.text : token.kind;
}

function unexpected(token: Token, expected: string): SyntaxProblem {
  if (token.kind === 'word' && UNSUPPORTED_WORDS.has(token.text)) {
    return new SyntaxProblem(`"${token.text}" is not supported`, token.position);
  }
  return new SyntaxProblem(`expected ${expected} but found ${describe(token)}`, token.position);
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'number':
      return `the number ${token.value}`;
    case 'quoted':
      return `the column \`${token.text}\``;
    case 'word':
      return `"${token.text}"`;
    case 'symbol':
      return `"${token.text}"`;
    case 'end':
      return 'the end of the expression';
    case 'invalid':
      return token.problem;
  }
}
