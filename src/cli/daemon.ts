import type { Logger } from '../logging/logger.js';
import { redactConfig } from '../config/redact.js';

/** Logs the resolved configuration with every secret replaced. */
export function logConfiguration(
  logger: Logger,
  config: { readonly files: readonly string[] },
): void {
  logger.info({ files: config.files, config: redactConfig(config) }, 'configuration loaded');
}
