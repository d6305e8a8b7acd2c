import { existsSync, rmSync } from 'node:fs';

import { STARTED_BY_TESTS_MARKER, stopKafkaBroker } from '../integration/kafka/support/broker.js';

/**
 * Vitest global setup for the Kafka broker. Test files that need the broker start it
 * (`ensureKafkaBroker()`), so a run without them never starts Java; at the end of the run this
 * stops the broker, but only when the tests started it: a broker that was already running
 * (`deploy/kafka/broker.sh start` by hand) is left alone.
 */
export function setup(): () => Promise<void> {
  return async () => {
    if (!existsSync(STARTED_BY_TESTS_MARKER)) {
      return;
    }
    try {
      await stopKafkaBroker();
    } finally {
      rmSync(STARTED_BY_TESTS_MARKER, { force: true });
    }
  };
}
