import { describe, expect, it } from 'vitest';

import { isoUtc } from '../../../src/domain/time-range.js';
import { silentLogger } from '../../../src/logging/logger.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { createSlotGrid } from '../../../src/scheduler/slots.js';
import { FakeClock } from '../../support/fake-clock.js';
import { makeModel, staticModels } from '../../support/fake-providers.js';
import {
  createTopics,
  makeQueue,
  readRecords,
  slotTasks,
  testKafka,
  uniqueName,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

const HALF_HOUR = 1_800_000;

describe('back-fill after downtime on Kafka', () => {
  it('should read the last slot published from the newest message of every partition', async () => {
    const topic = uniqueName('backfill');
    await createTopics(suite.admin, topic, 3);
    const publisher = makeQueue('scheduler', { topic });
    const older = Date.parse('2024-01-01T08:00:00Z');
    const newer = older + HALF_HOUR;
    await publisher.send(slotTasks(6, 0), undefined, older);
    await publisher.send(slotTasks(2, 1), undefined, newer);
    await publisher.close();

    const restarted = makeQueue('scheduler', { topic });
    const last = await restarted.lastScheduledSlotMs();
    await restarted.close();

    expect(last).toBe(newer);
  });

  it('should know no last slot on an empty topic', async () => {
    const topic = uniqueName('backfill-empty');
    await createTopics(suite.admin, topic, 2);
    const queue = makeQueue('scheduler', { topic });

    expect(await queue.lastScheduledSlotMs()).toBeUndefined();
    await queue.close();
  });

  it('should make a restarted scheduler publish exactly the slots it missed', async () => {
    const topic = uniqueName('backfill-restart');
    await createTopics(suite.admin, topic, 2);
    const grid = createSlotGrid({
      startMinutes: 8 * 60,
      intervalMs: HALF_HOUR,
      delayMs: 3 * 3_600_000,
    });
    const lastBeforeDowntime = Date.parse('2024-05-01T08:00:00Z');
    const first = makeQueue('scheduler', { topic });
    await first.send(slotTasks(1), undefined, lastBeforeDowntime);
    await first.close();

    // The scheduler comes back at 09:40: the 08:30, 09:00 and 09:30 slots were missed.
    const queue = makeQueue('scheduler', { topic });
    const stop = new AbortController();
    const clock = new FakeClock(Date.parse('2024-05-01T09:40:00Z'), () => stop.abort());
    const scheduler = new Scheduler(
      {
        taskQueue: queue,
        modelInfo: staticModels([makeModel({ project: 'p', name: 'm' })]),
        projects: () => Promise.resolve(['p']),
        clock,
      },
      {
        grid,
        backFillMaxMs: 86_400_000,
        runAtOnce: false,
        restartIntervalMs: 0,
        backFillFrom: 'queue',
        retryDelayMs: 1_000,
        retryMaxDelayMs: 1_000,
      },
      silentLogger(),
    );
    await scheduler.run(stop.signal);
    await queue.close();

    const offsets = await suite.admin.fetchTopicOffsets(topic);
    expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(4);
    const records = await readRecords(testKafka(), topic, 4);
    const slots = records.map((record) => record.headers['latigo-slot']).sort();
    expect(slots).toEqual([
      isoUtc(lastBeforeDowntime),
      '2024-05-01T08:30:00Z',
      '2024-05-01T09:00:00Z',
      '2024-05-01T09:30:00Z',
    ]);
  });
});
