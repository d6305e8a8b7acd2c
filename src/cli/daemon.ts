import { LatigoError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import { redactConfig } from '../config/redact.js';

/** Logs the resolved configuration with every secret replaced. */
export function logConfiguration(
  logger: Logger,
  config: { readonly files: readonly string[] },
): void {
  logger.info({ files: config.files, config: redactConfig(config) }, 'configuration loaded');
}

/**
 * A daemon alone cannot use the in-process `memory` queue: its tasks would reach no one. Throws
 * CONFIG_INVALID naming the file and key.
 */
export function requireSharedQueue(
  role: 'scheduler' | 'executor',
  config: { readonly files: readonly string[]; readonly taskQueue: { readonly type: string } },
): void {
  if (config.taskQueue.type === 'memory') {
    const file = config.files[config.files.length - 1] ?? '<config>';
    throw new LatigoError(
      'CONFIG_INVALID',
      `invalid configuration:\n  ${file}: task_queue.type: "memory" only works when scheduler and executor share one process (latigo run); the ${role} daemon needs a queue the other daemons can reach, such as kafka`,
    );
  }
}
