import { FUNCTIONS, type ConditionNode, type NumberNode } from './syntax.js';

/** The values of one column by row, or undefined when the table has no such column. */
export type ColumnLookup = (name: string) => readonly number[] | undefined;

/** Thrown by `compileCondition` for a column the table lacks. */
export class MissingColumn extends Error {
  override readonly name = 'MissingColumn';

  constructor(readonly column: string) {
    super(`no column "${column}"`);
  }
}

/**
 * Turns a condition into a function of the row index over the given columns. Arithmetic follows
 * IEEE doubles as numpy does (`1 / 0` is Infinity, `0 / 0` NaN); a comparison with NaN is false
 * except `!=`, which is true, as in pandas. Throws MissingColumn for a column `columns` lacks.
 */
export function compileCondition(
  node: ConditionNode,
  columns: ColumnLookup,
): (row: number) => boolean {
  switch (node.kind) {
    case 'constant': {
      const value = node.value;
      return () => value;
    }
    case 'not': {
      const operand = compileCondition(node.operand, columns);
      return (row) => !operand(row);
    }
    case 'logical': {
      const left = compileCondition(node.left, columns);
      const right = compileCondition(node.right, columns);
      return node.operator === 'and'
        ? (row) => left(row) && right(row)
        : (row) => left(row) || right(row);
    }
    case 'same': {
      const left = compileCondition(node.left, columns);
      const right = compileCondition(node.right, columns);
      return node.negated ? (row) => left(row) !== right(row) : (row) => left(row) === right(row);
    }
    case 'compare': {
      const left = compileNumber(node.left, columns);
      const right = compileNumber(node.right, columns);
      switch (node.operator) {
        case '>':
          return (row) => left(row) > right(row);
        case '>=':
          return (row) => left(row) >= right(row);
        case '<':
          return (row) => left(row) < right(row);
        case '<=':
          return (row) => left(row) <= right(row);
        case '==':
          return (row) => left(row) === right(row);
        case '!=':
          return (row) => left(row) !== right(row);
      }
    }
  }
}

function compileNumber(node: NumberNode, columns: ColumnLookup): (row: number) => number {
  switch (node.kind) {
    case 'number': {
      const value = node.value;
      return () => value;
    }
    case 'column': {
      const values = columns(node.name);
      if (values === undefined) {
        throw new MissingColumn(node.name);
      }
      return (row) => values[row] ?? Number.NaN;
    }
    case 'negate': {
      const operand = compileNumber(node.operand, columns);
      return (row) => -operand(row);
    }
    case 'call': {
      const apply = FUNCTIONS.get(node.name) ?? (() => Number.NaN);
      const argument = compileNumber(node.argument, columns);
      return (row) => apply(argument(row));
    }
    case 'arithmetic': {
      const left = compileNumber(node.left, columns);
      const right = compileNumber(node.right, columns);
      switch (node.operator) {
        case '+':
          return (row) => left(row) + right(row);
        case '-':
          return (row) => left(row) - right(row);
        case '*':
          return (row) => left(row) * right(row);
        case '/':
          return (row) => left(row) / right(row);
        case '**':
          return (row) => left(row) ** right(row);
      }
    }
  }
}
