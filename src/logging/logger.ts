import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

import { LatigoError } from '../errors/index.js';
import { redactLogObject } from './redaction.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: DestinationStream;
}

/** Builds the root logger. Level from the option, else LATIGO_LOG_LEVEL, else info. */
/** The levels LATIGO_LOG_LEVEL may name. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? process.env['LATIGO_LOG_LEVEL'] ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new LatigoError(
      'CONFIG_INVALID',
      `LATIGO_LOG_LEVEL: unknown level "${level}"; use one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  const pinoOptions: LoggerOptions = {
    level,
    name: options.name ?? 'latigo',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      // The last line of defence: a value under a secret key (client_secret, connection_string,
      // password, authorization, *_key ...) never reaches a log line, however deep it sits.
      log: (object) => redactLogObject(object),
    },
  };
  return options.destination === undefined
    ? pino(pinoOptions)
    : pino(pinoOptions, options.destination);
}

/** A logger that drops everything, for tests and library callers that do not log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
