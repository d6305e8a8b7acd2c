import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

import type { Logger } from '../../logging/logger.js';

/** Longest text kept of one structured field of a kafkajs log line. */
const MAX_FIELD_CHARS = 1_000;

/**
 * kafkajs's level for a pino level. kafkajs's debug output (every request and response) is only
 * produced when KAFKAJS_LOG_LEVEL=debug asks for it; Latigo's own debug level stops at kafkajs's
 * info.
 */
export function kafkajsLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
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
 * trouble (a coordinator moving, a connection dropping) at error and recovers by itself, so its
 * errors become warnings: Latigo logs at error only when the daemon itself is hurt. Fields are
 * flattened to plain values first: kafkajs puts buffers and protocol objects into its lines, and
 * logging must never throw into kafkajs.
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _name, ...fields } = log;
      try {
        const line = { kafkajs: namespace, ...plainFields(fields) };
        if (reportedByLatigo(namespace, message)) {
          logger.debug(line, message);
        } else if (level === logLevel.ERROR || level === logLevel.WARN) {
          logger.warn(line, message);
        } else if (level === logLevel.INFO) {
          logger.info(line, message);
        } else {
          logger.debug(line, message);
        }
      } catch {
        // A log line is never worth breaking the client for.
      }
    };
}

/**
 * kafkajs lines about failures that Latigo reports itself: a topic creation's errors (the
 * start-up check takes "already exists" as success and throws the others with each topic's
 * reason), so they stay at debug instead of a misleading warning.
 */
function reportedByLatigo(namespace: string, message: string): boolean {
  return namespace === 'Connection' && message.startsWith('Response CreateTopics');
}

function plainFields(fields: Record<string, unknown>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    plain[key] = plainValue(value);
  }
  return plain;
}

function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) {
    return value;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return `<${value.length} bytes>`;
  }
  if (value instanceof Error) {
    return value.message;
  }
  try {
    const text = JSON.stringify(value, (_key, item: unknown) =>
      typeof item === 'bigint' ? item.toString() : isSerializedBuffer(item) ? '<bytes>' : item,
    );
    return text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…` : text;
  } catch {
    return '[unserializable]';
  }
}

/** What `JSON.stringify` makes of a Buffer before a replacer sees it. */
function isSerializedBuffer(item: unknown): boolean {
  return (
    typeof item === 'object' &&
    item !== null &&
    (item as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((item as { data?: unknown }).data)
  );
}
