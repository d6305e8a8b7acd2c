import { parseArgs, type ParseArgsConfig } from 'node:util';

import { LatigoError } from '../errors/index.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's arguments; unknown options are a usage error naming them. */
export function parseCommandArgs<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LatigoError('CONFIG_INVALID', `${reason} (see latigo ${command} --help)`, {
      cause: error,
    });
  }
}

/**
 * The `scheduler|executor` argument of a command: `fallback` when absent (undefined: required).
 * Anything else is a usage error naming it.
 */
export function roleArgument(
  command: string,
  positionals: readonly string[],
  fallback?: 'scheduler' | 'executor',
): 'scheduler' | 'executor' {
  const [role = fallback, ...extra] = positionals;
  if (extra.length > 0) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `unexpected argument "${extra[0]}" (see latigo ${command} --help)`,
    );
  }
  if (role !== 'scheduler' && role !== 'executor') {
    throw new LatigoError(
      'CONFIG_INVALID',
      role === undefined
        ? `say which configuration: scheduler or executor (see latigo ${command} --help)`
        : `unknown configuration "${role}": scheduler or executor (see latigo ${command} --help)`,
    );
  }
  return role;
}
