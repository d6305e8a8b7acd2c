import { defineConfig } from 'vitest/config';

import { SummaryReporter } from './test/support/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Stops the Kafka broker at the end when tests started it (test/integration/kafka).
    globalSetup: ['test/setup/kafka-broker.ts'],
    reporters: ['default', new SummaryReporter()],
  },
});
