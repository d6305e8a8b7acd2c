import { rmSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { runEmbedded, type EmbeddedSummary } from '../../../src/app/embedded.js';
import { loadExecutorConfig, loadSchedulerConfig } from '../../../src/config/resolve.js';
import { silentLogger } from '../../../src/logging/logger.js';
import {
  backFillWindows,
  EMBEDDED_NOW,
  embeddedTestRegistry,
  olderTasks,
  writeEmbeddedOverlays,
} from '../../support/embedded-run.js';
import { FakeClock } from '../../support/fake-clock.js';
import { BROKER } from './support/broker.js';
import { createTopics, makeQueue, uniqueName } from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

const NOW = EMBEDDED_NOW;
const BACK_FILL_WINDOWS = backFillWindows();

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

describe('latigo run on a Kafka topic with older tasks on it', () => {
  it('counts only its own windows and ends the back-fill when they are done', async () => {
    const topic = uniqueName('run-backlog');
    await createTopics(suite.admin, topic, 2);
    const earlier = makeQueue('scheduler', { topic });
    await earlier.send(olderTasks(6), undefined, Date.parse('2024-04-30T09:06:00Z'));
    await earlier.close();
    const { folder, scheduler, executor } = writeEmbeddedOverlays(
      `  type: 'kafka'
  brokers: '${BROKER}'
  topic: '${topic}'
  group.id: '${uniqueName('group')}'
  session.timeout.ms: 6000
  heartbeat.interval.ms: 500
  max.poll.interval.ms: 30000
  auto.commit.interval.ms: 100
`,
    );
    folders.push(folder);
    const { registry, stored } = embeddedTestRegistry();
    let atCatchUpEnd: EmbeddedSummary | undefined;
    let storedAtCatchUpEnd: string[] = [];
    const stop = AbortSignal.timeout(45_000);

    const summary = await runEmbedded(
      {
        schedulerConfig: loadSchedulerConfig(registry, { overlayFile: scheduler, environment: {} }),
        executorConfig: loadExecutorConfig(registry, { overlayFile: executor, environment: {} }),
        registry,
        logger: silentLogger(),
        clock: new FakeClock(NOW),
        once: true,
        observer: {
          catchUpStarted: () => undefined,
          taskFinished: () => undefined,
          catchUpFinished: (result) => {
            atCatchUpEnd = result;
            storedAtCatchUpEnd = [...stored];
          },
          slotScheduled: () => undefined,
        },
      },
      stop,
    );

    expect(stop.aborted, 'the back-fill never ended').toBe(false);
    // One model: its tasks share a partition, so the older ones come first.
    expect(storedAtCatchUpEnd).toEqual(expect.arrayContaining(BACK_FILL_WINDOWS));
    expect(atCatchUpEnd).toMatchObject({ total: 5, succeeded: 5, failed: 0, older: 6 });
    expect(summary).toMatchObject({ total: 5, succeeded: 5, failed: 0, older: 6 });
  });
});
