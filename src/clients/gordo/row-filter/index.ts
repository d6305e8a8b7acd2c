export { parseCondition, type ParseResult } from './parse.js';
export {
  NO_ROW_FILTER,
  keepsRow,
  parseRowFilter,
  rowsKept,
  type RowFilter,
  type RowFilterSource,
} from './row-filter.js';
export { columnsOf, type ConditionNode } from './syntax.js';
