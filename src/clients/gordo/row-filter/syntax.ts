/**
 * The parsed form of a row filter. Every node is either a number per row (`NumberNode`) or a
 * condition per row (`ConditionNode`); the parser checks which one each operator needs, so the
 * evaluator never meets a condition where it wants a number.
 */

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '**';
export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';

/** One-argument functions of pandas eval (numexpr) that a filter may call. */
export const FUNCTIONS: ReadonlyMap<string, (value: number) => number> = new Map([
  ['abs', Math.abs],
  ['sqrt', Math.sqrt],
  ['exp', Math.exp],
  ['expm1', Math.expm1],
  ['log', Math.log],
  ['log10', Math.log10],
  ['log1p', Math.log1p],
  ['floor', Math.floor],
  ['ceil', Math.ceil],
  ['sin', Math.sin],
  ['cos', Math.cos],
  ['tan', Math.tan],
  ['arcsin', Math.asin],
  ['arccos', Math.acos],
  ['arctan', Math.atan],
  ['sinh', Math.sinh],
  ['cosh', Math.cosh],
  ['tanh', Math.tanh],
  ['arcsinh', Math.asinh],
  ['arccosh', Math.acosh],
  ['arctanh', Math.atanh],
]);

export type NumberNode =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'negate'; readonly operand: NumberNode }
  | {
      readonly kind: 'arithmetic';
      readonly operator: ArithmeticOperator;
      readonly left: NumberNode;
      readonly right: NumberNode;
    }
  | { readonly kind: 'call'; readonly name: string; readonly argument: NumberNode };

export type ConditionNode =
  | { readonly kind: 'constant'; readonly value: boolean }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | {
      readonly kind: 'logical';
      readonly operator: 'and' | 'or';
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    }
  | {
      readonly kind: 'compare';
      readonly operator: ComparisonOperator;
      readonly left: NumberNode;
      readonly right: NumberNode;
    }
  /** `==` or `!=` between two conditions. */
  | {
      readonly kind: 'same';
      readonly negated: boolean;
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    };

/** The column names a condition reads, first use first, each once. */
export function columnsOf(condition: ConditionNode): string[] {
  const names = new Set<string>();
  const visitNumber = (node: NumberNode): void => {
    switch (node.kind) {
      case 'number':
        return;
      case 'column':
        names.add(node.name);
        return;
      case 'negate':
        visitNumber(node.operand);
        return;
      case 'arithmetic':
        visitNumber(node.left);
        visitNumber(node.right);
        return;
      case 'call':
        visitNumber(node.argument);
        return;
    }
  };
  const visitCondition = (node: ConditionNode): void => {
    switch (node.kind) {
      case 'constant':
        return;
      case 'not':
        visitCondition(node.operand);
        return;
      case 'compare':
        visitNumber(node.left);
        visitNumber(node.right);
        return;
      case 'logical':
      case 'same':
        visitCondition(node.left);
        visitCondition(node.right);
        return;
    }
  };
  visitCondition(condition);
  return [...names];
}
