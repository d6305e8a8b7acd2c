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
