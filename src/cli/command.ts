import type { Logger } from '../logging/logger.js';

/** One `latigo <name>` sub-command. */
export interface CliCommand {
  readonly name: string;
  /** One line for `latigo --help`. */
  readonly summary: string;
  /** The full text of `latigo <name> --help`. */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name. Resolves the process exit code. A
   * daemon-like command resolves only when `signal` aborts (SIGINT/SIGTERM) or it fails.
   */
  run(args: readonly string[], context: CliContext): Promise<number>;
}

export interface CliContext {
  readonly logger: Logger;
  /** Aborted on SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Where human-readable output goes (progress, summaries, help). */
  readonly out: NodeJS.WritableStream;
  readonly environment: Readonly<Record<string, string | undefined>>;
}
