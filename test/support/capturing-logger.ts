import { Writable } from 'node:stream';

import { createLogger, type Logger } from '../../src/logging/logger.js';

/**
 * A logger at `level` whose lines are kept, parsed from JSON; `Line` types them for a test that
 * knows which fields it reads.
 */
export function capturingLogger<Line extends object = Record<string, unknown>>(
  level = 'info',
): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  return { logger: createLogger({ level, destination }), lines };
}
