import { describeError, isLatigoError } from '../errors/index.js';
import { createLogger } from '../logging/logger.js';
import { causedByAbort } from '../util/abort.js';
import { latigoVersion } from '../util/package-root.js';
import type { CliCommand, CliContext } from './command.js';
import { configCommand } from './commands/config.js';
import { executorCommand } from './commands/executor.js';
import { queueStatusCommand } from './commands/queue-status.js';
import { runCommand } from './commands/run.js';
import { schedulerCommand } from './commands/scheduler.js';
import { standinCommand } from './commands/standin.js';

const COMMANDS: readonly CliCommand[] = [
  runCommand,
  schedulerCommand,
  executorCommand,
  configCommand,
  queueStatusCommand,
  standinCommand,
];

/**
 * Commands whose stdout is their result (the embedded run's progress, a report): they log to
 * stderr, at this level unless LATIGO_LOG_LEVEL sets one, and print a failure as one line.
 */
const STDERR_LOG_LEVELS: Readonly<Record<string, string>> = {
  run: 'warn',
  'queue-status': 'error',
};

function usage(): string {
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(14)}${command.summary}`);
  return `Latigo ${latigoVersion()}: continuous prediction service for predictive maintenance

Usage: latigo <command> [options]

Commands:
${lines.join('\n')}

latigo <command> --help shows the options of a command.
Logs are JSON lines (pino); set LATIGO_LOG_LEVEL (trace, debug, info, warn, error) to change the level.`;
}

/** Runs the command line; resolves the exit code. */
export async function main(
  argv: readonly string[],
  environment: NodeJS.ProcessEnv,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${latigoVersion()}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    process.stderr.write(`latigo: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }

  const stderrLogLevel = STDERR_LOG_LEVELS[name];
  let logger;
  try {
    logger = createLogger({
      name: `latigo-${name}`,
      ...(stderrLogLevel === undefined
        ? {}
        : {
            level: environment['LATIGO_LOG_LEVEL'] ?? stderrLogLevel,
            destination: process.stderr,
          }),
    });
  } catch (error) {
    process.stderr.write(`latigo ${name}: ${describeError(error)}\n`);
    return 2;
  }
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      logger.warn({ signal }, 'second stop signal: exiting now');
      process.exit(130);
    }
    logger.info({ signal }, 'stop requested');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const context: CliContext = {
    logger,
    signal: controller.signal,
    out: process.stdout,
    environment,
  };

  try {
    return await command.run(args, context);
  } catch (error) {
    if (controller.signal.aborted && causedByAbort(error)) {
      // Stopped while starting (a start-up check under way): a stop as asked, not a failure.
      logger.info({ reason: describeError(error) }, 'stopped before start-up finished');
      return 0;
    }
    if (
      isLatigoError(error) &&
      (error.code === 'CONFIG_INVALID' ||
        error.code === 'UNKNOWN_PROVIDER_TYPE' ||
        error.code === 'CONFIG_FILE_UNREADABLE')
    ) {
      process.stderr.write(`latigo ${name}: ${error.message}\n`);
      return 2;
    }
    const reason = describeError(error);
    // Daemons log the failure with its stack for operators; the embedded run and reports only
    // print it.
    if (stderrLogLevel === undefined) {
      logger.error({ err: error, reason }, 'latigo stopped on an error');
    }
    process.stderr.write(`latigo ${name}: ${reason}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
