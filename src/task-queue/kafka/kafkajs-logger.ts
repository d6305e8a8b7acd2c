import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

import type { Logger } from '../../logging/logger.js';

/** kafkajs's level for a pino level: kafkajs only produces what the logger would keep. */
export function kafkajsLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/**
 * Sends kafkajs's log lines to pino, under `kafkajs: <namespace>`. kafkajs reports passing
 * trouble (a coordinator moving, a connection dropping) at error, and recovers by itself, so its
 * errors become warnings: Latigo logs at error only when the daemon itself is hurt.
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      const line = { kafkajs: namespace, ...fields };
      if (level === logLevel.ERROR || level === logLevel.WARN) {
        logger.warn(line, message);
      } else if (level === logLevel.INFO) {
        logger.info(line, message);
      } else {
        logger.debug(line, message);
      }
    };
}
