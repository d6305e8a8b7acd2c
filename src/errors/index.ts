export { ERROR_CODES, type ErrorCode } from './codes.js';
export {
  LatigoError,
  describeError,
  isLatigoError,
  toLatigoError,
  type ErrorContext,
  type LatigoErrorOptions,
} from './latigo-error.js';
