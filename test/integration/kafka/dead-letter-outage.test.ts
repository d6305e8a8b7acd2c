import { describe, expect, it } from 'vitest';

import { encodeTaskMessage } from '../../../src/task-queue/task-message.js';
import { capturingLogger } from '../../support/capturing-logger.js';
import {
  committedOffsets,
  makeQueue,
  publishRaw,
  readRecords,
  receiveOne,
  slotTasks,
  uniqueName,
  waitFor,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

describe('a dead-letter topic that cannot be written', () => {
  it('keeps the executor in its group while it retries, then dead-letters and goes on', async () => {
    const topic = uniqueName('dlq-outage');
    const groupId = uniqueName('group');
    // The task topic only: the dead-letter topic appears later.
    await suite.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const [good] = slotTasks(1);
    await publishRaw(suite.kafka, topic, [
      { key: 'x', value: 'garbage' },
      { key: 'lat-lit/pump-0', value: encodeTaskMessage(good!) },
    ]);
    const { logger, lines } = capturingLogger();
    const executor = suite.open(
      makeQueue(
        'executor',
        {
          topic,
          'group.id': groupId,
          // Shorter than one refused send, which kafkajs retries for several seconds.
          'session.timeout.ms': 6_000,
          'heartbeat.interval.ms': 1_000,
        },
        logger,
      ),
    );
    const logged = (message: string) => lines.filter((line) => line['msg'] === message);

    const receiving = receiveOne(executor, 120_000);
    await waitFor(
      'two refused dead-letter sends',
      () => logged('dead-lettering failed; retrying').length >= 2,
      90_000,
    );
    await suite.admin.createTopics({
      topics: [{ topic: `${topic}.dead-letter`, numPartitions: 1 }],
      waitForLeaders: true,
    });
    const delivery = await receiving;
    await executor.acknowledge(delivery, { status: 'succeeded' });

    expect(delivery.task).toEqual(good);
    const [letter] = await readRecords(suite.kafka, `${topic}.dead-letter`, 1);
    expect(JSON.parse(letter!.value)).toMatchObject({
      reason: 'malformed',
      error: { message: expect.stringMatching(/^not JSON: /) as unknown },
    });
    const attempts = logged('dead-lettering failed; retrying').map((line) => line['attempt']);
    expect(attempts.slice(0, 2)).toEqual([1, 2]);
    expect(logged('joined the consumer group')).toHaveLength(1);
    await waitFor('both offsets committed', async () => {
      return (await committedOffsets(suite.admin, groupId, topic))[0] === 2;
    });
  }, 150_000);
});
