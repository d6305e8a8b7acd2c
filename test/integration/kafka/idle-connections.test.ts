import { afterEach, describe, expect, it } from 'vitest';

import { LatigoError } from '../../../src/errors/index.js';
import { PROXIED_PORT, PROXY_PORT } from './support/broker.js';
import { IdleDroppingProxy } from './support/idle-dropping-proxy.js';
import {
  createTopics,
  makeQueue,
  readRecords,
  slotTasks,
  uniqueName,
  waitFor,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

/**
 * Azure drops connections idle for 240 s; here the proxy does it after 3 s, 2 s after the
 * scheduler's own idle limit below, a margin no pause of a loaded test machine comes near.
 */
const DROP_AFTER_MS = 3_000;

let proxy: IdleDroppingProxy;

afterEach(async () => {
  await proxy.close();
});

async function startProxy(): Promise<void> {
  proxy = new IdleDroppingProxy(PROXY_PORT, PROXIED_PORT, DROP_AFTER_MS);
  await proxy.start();
}

describe('a scheduler idle between slots behind connections that die when idle', () => {
  it('closes its idle connections in time and delivers the next slot at once', async () => {
    await startProxy();
    const topic = uniqueName('idle');
    await createTopics(suite.admin, topic, 2);
    const scheduler = makeQueue('scheduler', {
      topic,
      brokers: [`127.0.0.1:${PROXY_PORT}`],
      'connections.max.idle.ms': 1_000,
      'request.timeout.ms': 2_000,
    });
    try {
      await scheduler.send(slotTasks(5, 0));
      await waitFor('the producer closing its idle connections', () => proxy.open === 0);

      await scheduler.send(slotTasks(5, 1));

      // No connection went dead: the next slot never met one, so it waited for no timeout.
      expect(proxy.dropped).toBe(0);
      expect(await readRecords(suite.kafka, topic, 10)).toHaveLength(10);
    } finally {
      await scheduler.close();
    }
  });

  it('without that, fails the slot on the dead connection, and the retry delivers it', async () => {
    await startProxy();
    const topic = uniqueName('dead');
    await createTopics(suite.admin, topic, 1);
    const scheduler = makeQueue('scheduler', {
      topic,
      brokers: [`127.0.0.1:${PROXY_PORT}`],
      'connections.max.idle.ms': 600_000,
      'request.timeout.ms': 1_000,
    });
    try {
      await scheduler.send(slotTasks(5, 0));
      await waitFor('the proxy dropping the idle connections', () => proxy.dropped > 0);

      const failure = await scheduler.send(slotTasks(5, 1)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(LatigoError);
      expect(failure).toMatchObject({ code: 'QUEUE_SEND_FAILED', retriable: true });

      // The dead connections stay dead: the retry gets through only on new ones. No new one may
      // die meanwhile, whatever pauses a loaded machine makes between the client's requests.
      proxy.stopDropping();
      await scheduler.send(slotTasks(5, 1));
      const records = await readRecords(suite.kafka, topic, 10);
      expect(new Set(records.map((record) => record.value)).size).toBe(10);
    } finally {
      await scheduler.close();
    }
  });
});
