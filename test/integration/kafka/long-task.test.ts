import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import type { Delivery } from '../../../src/interfaces/index.js';
import {
  committedOffsets,
  createTopics,
  groupAssignment,
  makeQueue,
  slotTasks,
  uniqueName,
  waitFor,
  waitForStableGroup,
} from './support/kafka-fixtures.js';
import { kafkaSuite } from './support/kafka-suite.js';

const suite = kafkaSuite();

const SESSION_TIMEOUT_MS = 2_000;

describe('a task longer than the session timeout', () => {
  it('keeps its partition and is not delivered to another member while it runs', async () => {
    const topic = uniqueName('long');
    const groupId = uniqueName('group');
    await createTopics(suite.admin, topic, 1);
    const timing = { 'session.timeout.ms': SESSION_TIMEOUT_MS, 'heartbeat.interval.ms': 500 };
    const scheduler = makeQueue('scheduler', { topic });
    const first = makeQueue('executor', { topic, 'group.id': groupId, ...timing });
    const second = makeQueue('executor', { topic, 'group.id': groupId, ...timing });
    const stopReceiving = new AbortController();
    try {
      const received: { member: string; delivery: Delivery }[] = [];
      for (const [member, queue] of [
        ['first', first],
        ['second', second],
      ] as const) {
        void queue.receive(stopReceiving.signal).then((delivery) => {
          if (delivery !== undefined) {
            received.push({ member, delivery });
          }
        });
      }
      await waitForStableGroup(suite.admin, groupId, topic, 2);
      const before = await groupAssignment(suite.admin, groupId, topic);

      // A second task waits behind the first: the member holds it in its fetched batch, with no
      // receiver free, and must heartbeat by itself.
      await scheduler.send(slotTasks(2));
      await waitFor('the first task delivered', () => received.length === 1);
      const holder = received[0]!;
      const holderQueue = holder.member === 'first' ? first : second;

      // The task runs for three session timeouts; the group must stay as it was throughout.
      const runsUntil = Date.now() + 3 * SESSION_TIMEOUT_MS;
      while (Date.now() < runsUntil) {
        const now = await groupAssignment(suite.admin, groupId, topic);
        expect(now.state).toBe('Stable');
        expect(now.members).toEqual(before.members);
        await sleep(250);
      }
      await holderQueue.acknowledge(holder.delivery, { status: 'succeeded' });

      await waitFor('the offset committed', async () => {
        return (await committedOffsets(suite.admin, groupId, topic))[0] === 1;
      });
      expect(received).toHaveLength(1);
    } finally {
      stopReceiving.abort();
      await Promise.all([scheduler.close(), first.close(), second.close()]);
    }
  });
});
