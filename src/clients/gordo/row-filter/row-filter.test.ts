import { describe, expect, it } from 'vitest';

import { isLatigoError } from '../../../errors/index.js';
import { parseCondition } from './parse.js';
import { keepsRow, parseRowFilter, rowsKept, type RowFilter } from './row-filter.js';

const WHERE = 'model p/m (revision 1)';
const FIXTURE_FILTER = '(`1901.A-40FT0075.MA_Y` > 1000.0)';

function filterOf(...expressions: string[]): RowFilter {
  return parseRowFilter(
    expressions.map((expression, index) => ({
      expression,
      key: `dataset.row_filter[${index}]`,
    })),
    WHERE,
  );
}

function keeps(expression: string, values: Record<string, number>): boolean {
  return keepsRow(filterOf(expression), values, WHERE);
}

function problemOf(expression: string): { problem: string; character: number } {
  const parsed = parseCondition(expression);
  if (!('problem' in parsed)) {
    throw new Error(`"${expression}" was expected to be refused`);
  }
  return parsed;
}

describe('gordo row filter expressions', () => {
  it('keeps the rows of the recorded fixture filter whose flow is above 1000', () => {
    const filter = filterOf(FIXTURE_FILTER);
    const frame = {
      timesMs: [0, 1, 2, 3],
      tags: ['1901.A-40PST0071.MA_Y', '1901.A-40FT0075.MA_Y'],
      values: [
        [1, 2, 3, 4],
        [999.9, 1000, 1000.5, Number.NaN],
      ],
    };

    expect(filter.columns).toEqual(['1901.A-40FT0075.MA_Y']);
    expect(rowsKept(filter, frame, WHERE)).toEqual([false, false, true, false]);
  });

  it('reads tabs, form feeds and line ends between tokens as spaces', () => {
    expect(keeps('A\t>\f1\r\n&\nB < 5', { A: 2, B: 4 })).toBe(true);
    expect(keeps('A\t>\f1\r\n&\nB < 5', { A: 2, B: 5 })).toBe(false);
  });

  it('reads bare and backtick-quoted column names', () => {
    const filter = filterOf('`TAG A` > 0 & TAG_B < 5 and `TAG A` < 10');

    expect(filter.columns).toEqual(['TAG A', 'TAG_B']);
    expect(keepsRow(filter, { 'TAG A': 1, TAG_B: 4 }, WHERE)).toBe(true);
    expect(keepsRow(filter, { 'TAG A': 1, TAG_B: 5 }, WHERE)).toBe(false);
  });

  it('binds & and | looser than comparisons, & tighter than |, as pandas does', () => {
    expect(keeps('A > 1 | B > 1 & C > 1', { A: 2, B: 0, C: 0 })).toBe(true);
    expect(keeps('A > 1 | B > 1 & C > 1', { A: 0, B: 2, C: 0 })).toBe(false);
    expect(keeps('(A > 1 | B > 1) & C > 1', { A: 2, B: 0, C: 0 })).toBe(false);
    expect(keeps('A > 1 or B > 1 and C > 1', { A: 2, B: 0, C: 0 })).toBe(true);
  });

  it('negates with ~ and not', () => {
    expect(keeps('~(A > 1)', { A: 0 })).toBe(true);
    expect(keeps('not A > 1', { A: 2 })).toBe(false);
    expect(keeps('not not A > 1', { A: 2 })).toBe(true);
    expect(keeps('~(A > 1) & ~(B > 1)', { A: 0, B: 2 })).toBe(false);
    expect(keeps('(A > 1) == True', { A: 2 })).toBe(true);
    expect(keeps('(A > 1) != (B > 1)', { A: 2, B: 2 })).toBe(false);
  });

  it('computes arithmetic with the usual precedence', () => {
    expect(keeps('A + B * 2 > 10', { A: 1, B: 5 })).toBe(true);
    expect(keeps('A + B * 2 > 10', { A: 1, B: 4 })).toBe(false);
    expect(keeps('(A + B) / 2 == 3', { A: 2, B: 4 })).toBe(true);
    expect(keeps('10 - 2 - 3 == 5', {})).toBe(true);
    expect(keeps('-A ** 2 == -9', { A: 3 })).toBe(true);
    expect(keeps('2 ** 3 ** 2 == 512', {})).toBe(true);
    expect(keeps('2 ** -1 == 0.5', {})).toBe(true);
    expect(keeps('- -A == +A', { A: 4 })).toBe(true);
  });

  it('reads integers, decimals, exponents and negative numbers', () => {
    expect(keeps('A > 1e3', { A: 1001 })).toBe(true);
    expect(keeps('A < 1.5E-2', { A: 0.01 })).toBe(true);
    expect(keeps('A > .5 & A < 5.', { A: 1 })).toBe(true);
    expect(keeps('A > -1', { A: -0.5 })).toBe(true);
    expect(keeps('A < inf', { A: 1e300 })).toBe(true);
  });

  it('chains comparisons as pandas does', () => {
    expect(keeps('0 < A < 5', { A: 3 })).toBe(true);
    expect(keeps('0 < A < 5', { A: 5 })).toBe(false);
    expect(keeps('0 < A < 5', { A: -1 })).toBe(false);
    expect(keeps('0 < A <= B < 10', { A: 4, B: 4 })).toBe(true);
  });

  it('calls abs and the other one-argument numexpr functions', () => {
    expect(keeps('abs(A - 10) < 1', { A: 9.5 })).toBe(true);
    expect(keeps('abs(A - 10) < 1', { A: 8 })).toBe(false);
    expect(keeps('sqrt(A) == 3 & log10(B) == 2', { A: 9, B: 100 })).toBe(true);
  });

  it('treats NaN as pandas does: comparisons false, != true', () => {
    const nan = { A: Number.NaN };
    expect(keeps('A > 1', nan)).toBe(false);
    expect(keeps('A <= 1', nan)).toBe(false);
    expect(keeps('A == A', nan)).toBe(false);
    expect(keeps('A != 1', nan)).toBe(true);
    expect(keeps('~(A > 1)', nan)).toBe(true);
    expect(keeps('0 / 0 != 0', {})).toBe(true);
  });

  it('keeps a row only when every expression of the list holds', () => {
    const filter = filterOf('A > 0', '`B` > 0');
    const frame = {
      timesMs: [0, 1, 2],
      tags: ['A', 'B'],
      values: [
        [1, 1, 0],
        [1, 0, 1],
      ],
    };

    expect(filter.columns).toEqual(['A', 'B']);
    expect(rowsKept(filter, frame, WHERE)).toEqual([true, false, false]);
  });

  it('keeps every row when there is no expression', () => {
    const frame = { timesMs: [0, 1], tags: ['A'], values: [[1, 2]] };
    expect(rowsKept(filterOf(), frame, WHERE)).toEqual([true, true]);
  });

  it('names the tag a frame lacks', () => {
    const frame = { timesMs: [0], tags: ['A'], values: [[1]] };
    expect(() => rowsKept(filterOf('B > 1'), frame, WHERE)).toThrow(
      expect.objectContaining({
        code: 'SENSOR_DATA_MISSING',
        message: 'model p/m (revision 1): the row_filter reads tag "B", which has no data',
      }),
    );
  });
});

describe('gordo row filter syntax errors', () => {
  it.each([
    ["A > 'x'", /string literals are not supported/, 5],
    ['A > "x"', /string literals are not supported/, 5],
    ['foo(A) > 1', /the function foo\(\) is not supported; supported: abs,/, 1],
    ['constructor(A) > 1', /the function constructor\(\) is not supported/, 1],
    ['abs(A, 2) > 1', /abs\(\) takes one argument/, 6],
    ['A.abs() > 1', /attribute access \(\.\) is not supported/, 2],
    ['A = 1', /assignment \(=\) is not supported/, 3],
    ['A > 1 &', /expected a column name, a number or \( but found the end of the expression/, 8],
    ['(A > 1', /expected \) but found the end of the expression/, 7],
    ['A > 1 B', /expected an operator or the end of the expression but found "B"/, 7],
    ['A + 1', /the expression gives a number per row, not a condition/, 1],
    ['A & B > 1', /"&" needs a condition \(true\/false\) here, not a number/, 1],
    ['~A > 1', /"~" needs a condition \(true\/false\) here, not a number/, 2],
    ['(A > 1) + 1 > 0', /"\+" needs a number here, not a condition/, 1],
    ['(A > 1) < (B > 1)', /"<" compares numbers, not conditions/, 1],
    ['A == (B > 1)', /"==" compares a condition \(true\/false\) with a number/, 6],
    ['`A > 1', /the backtick-quoted name is not closed/, 1],
    ['`` > 1', /a backtick-quoted name is empty/, 1],
    ['1901.A > 0', /"1901\.A" is neither a number nor a name; quote/, 1],
    ['A in [1, 2]', /"in" is not supported/, 3],
    ['@x > 1', /local variables/, 1],
    ['A % 2 == 0', /the operator % is not supported/, 3],
    ['A // 2 == 0', /the operator \/\/ is not supported/, 3],
    ['A > 1 and', /found the end of the expression/, 10],
    ['', /expected a column name, a number or \( but found the end/, 1],
    // Characters are counted as people count them, an emoji as one, and shown whole.
    ['`Ä` > 1 🙂', /^the character "🙂" is not supported$/, 9],
    ['`🙂` > 1 🙃', /^the character "🙃" is not supported$/, 9],
    // Python refuses spaces other than space, tab, form feed and line ends; invisible ones
    // are shown by code point.
    ['A >\u20281', /^the character U\+2028 is not supported$/, 4],
    ['A >\u00a01', /^the character U\+00A0 is not supported$/, 4],
    ['A\u200b> 1', /^the character U\+200B is not supported$/, 2],
  ] as const)(
    'refuses %j naming the problem and its character',
    (expression, problem, character) => {
      const refused = problemOf(expression);
      expect(refused.problem).toMatch(problem);
      expect(refused.character).toBe(character);
    },
  );

  it('refuses an expression nested too deeply for the parser', () => {
    const deep = `${'('.repeat(100_000)}A > 1${')'.repeat(100_000)}`;
    expect(problemOf(deep)).toEqual({
      problem: 'the expression is nested too deeply',
      character: 1,
    });
  });

  it('throws MODEL_METADATA_INVALID naming the model, key, expression and character', () => {
    let thrown: unknown;
    try {
      filterOf('A > 0', "`TAG A` == 'on'");
    } catch (error) {
      thrown = error;
    }

    expect(isLatigoError(thrown)).toBe(true);
    expect(thrown).toMatchObject({
      code: 'MODEL_METADATA_INVALID',
      retriable: false,
      message:
        'model p/m (revision 1): metadata dataset.row_filter[1] "`TAG A` == \'on\'": string literals are not supported; quote column names with backticks (at character 12)',
      context: { key: 'dataset.row_filter[1]', expression: "`TAG A` == 'on'", character: 12 },
    });
  });
});
