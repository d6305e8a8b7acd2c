import { describeError, toLatigoError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';

/** Anything built from config that may hold connections or files. */
export interface Closable {
  close?(): Promise<void>;
  check?(signal?: AbortSignal): Promise<void>;
}

/** Runs every start-up check; the first failure is thrown naming the config section. */
export async function checkAll(
  parts: readonly (readonly [string, Closable])[],
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  for (const [section, part] of parts) {
    if (part.check !== undefined) {
      await part.check(signal);
      logger.debug({ section }, 'start-up check passed');
    }
  }
}

/** Closes every part, logging (not throwing) failures, each part once. */
export async function closeAll(
  parts: readonly (readonly [string, Closable])[],
  logger: Logger,
): Promise<void> {
  const seen = new Set<Closable>();
  for (const [section, part] of parts) {
    if (seen.has(part) || part.close === undefined) {
      continue;
    }
    seen.add(part);
    try {
      await part.close();
    } catch (error) {
      logger.warn(
        { section, err: toLatigoError(error), reason: describeError(error) },
        'closing failed',
      );
    }
  }
}

/** Runs the start-up checks; when one fails, closes every part before passing the error on. */
export async function checkOrClose(
  parts: readonly (readonly [string, Closable])[],
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  try {
    await checkAll(parts, signal, logger);
  } catch (error) {
    await closeAll(parts, logger);
    throw error;
  }
}
