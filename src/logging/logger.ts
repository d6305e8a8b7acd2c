import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

import { redactLogObject } from './redaction.js';

export type { Logger } from 'pino';

export interface CreateLoggerOptions {
  readonly level?: string;
  readonly name?: string;
  readonly destination?: DestinationStream;
}

/** Builds the root logger. Level from the option, else LATIGO_LOG_LEVEL, else info. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? process.env['LATIGO_LOG_LEVEL'] ?? 'info',
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
