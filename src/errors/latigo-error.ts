import type { ErrorCode } from './codes.js';

/** Context fields attached to an error; values must never contain secrets. */
export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined>>;

export interface LatigoErrorOptions {
  /** Whether trying the same operation again may succeed. Defaults to false. */
  readonly retriable?: boolean;
  readonly context?: ErrorContext;
  readonly cause?: unknown;
}

/**
 * The one error type of Latigo. Every failure that crosses a module boundary is a LatigoError with
 * a stable `code`, a `retriable` flag and context fields (model, window, tag, URL, ...).
 */
export class LatigoError extends Error {
  override readonly name: string = 'LatigoError';
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: LatigoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

export function isLatigoError(value: unknown): value is LatigoError {
  return value instanceof LatigoError;
}

/**
 * Wraps anything thrown into a LatigoError. A LatigoError passes through unchanged; anything else
 * becomes `fallbackCode`, not retriable, with the original kept as `cause`.
 */
export function toLatigoError(
  value: unknown,
  fallbackCode: ErrorCode = 'INTERNAL',
  context: ErrorContext = {},
): LatigoError {
  if (value instanceof LatigoError) {
    return value;
  }
  const message = value instanceof Error ? value.message : String(value);
  return new LatigoError(fallbackCode, message, { cause: value, context });
}

/** One line naming the code and the message, and the causes below it. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    const part =
      current instanceof LatigoError
        ? `${current.code}: ${current.message}`
        : current instanceof Error
          ? current.message
          : typeof current === 'string'
            ? current
            : JSON.stringify(current);
    // A wrapper often repeats its cause's text; say each thing once.
    if (!parts.some((earlier) => earlier.includes(stripCode(part)))) {
      parts.push(part);
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' <- ');
}

function stripCode(text: string): string {
  return text.replace(/^[A-Z_]+: /, '');
}
