import type { CliCommand } from './command.js';

/** The stand-ins `latigo standin` can start. */
export function standinCommands(): readonly CliCommand[] {
  return [];
}
