import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names whose values are never logged, wherever they appear in a log object. Config
 * printing uses its own redaction (config/redact.ts); this is the last line of defence.
 */
export const SECRET_FIELD_PATHS = [
  'client_secret',
  'connection_string',
  'password',
  'authorization',
  'access_token',
  '*.client_secret',
  '*.connection_string',
  '*.password',
  '*.authorization',
  '*.Authorization',
  '*.access_token',
  '*.*.client_secret',
  '*.*.connection_string',
  '*.*.password',
  '*.*.Authorization',
  '*.*.authorization',
  '*.*.*.client_secret',
  '*.*.*.Authorization',
  '*.*.*.authorization',
  '*.*.*.connection_string',
] as const;

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
    redact: { paths: [...SECRET_FIELD_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return options.destination === undefined
    ? pino(pinoOptions)
    : pino(pinoOptions, options.destination);
}

/** A logger that drops everything, for tests and library callers that do not log. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
