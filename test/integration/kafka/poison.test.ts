import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';

import { encodeTaskMessage } from '../../../src/task-queue/task-message.js';
import {
  committedOffsets,
  createTopics,
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

const [good] = slotTasks(1);
const goodJson = JSON.parse(encodeTaskMessage(good!)) as Record<string, unknown>;

/** Poison messages and the start of the reason each must be dead-lettered with. */
const POISON: readonly { name: string; message: Message; reason: RegExp }[] = [
  { name: 'not JSON', message: { key: 'x', value: '{"version":1,' }, reason: /^not JSON: / },
  {
    name: 'missing fields',
    message: { key: 'x', value: JSON.stringify({ version: 1, project: 'lat-lit' }) },
    reason: /^id is missing; model is missing; from is missing; to is missing$/,
  },
  {
    name: 'wrong field types',
    message: { key: 'x', value: JSON.stringify({ ...goodJson, model: 42 }) },
    reason: /^model must be a string$/,
  },
  {
    name: 'a window that is not a slot window',
    message: { key: 'x', value: JSON.stringify({ ...goodJson, from: '2024-01-01T05:00:00.250Z' }) },
    reason: /^from "2024-01-01T05:00:00.250Z": expected ISO 8601 UTC with whole seconds/,
  },
  {
    name: 'an id that does not match',
    message: { key: 'x', value: JSON.stringify({ ...goodJson, id: 'f'.repeat(32) }) },
    reason: /^id "f{32}" does not match project, model and window/,
  },
  {
    name: 'oversized',
    message: { key: 'x', value: 'x'.repeat(5_000) },
    reason: /^the message has 5000 bytes, more than task_queue.max_message_bytes \(4096\)$/,
  },
  { name: 'no value', message: { key: 'x', value: null }, reason: /^the message has no value$/ },
  {
    name: 'not UTF-8',
    message: { key: 'x', value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
    reason: /^the message is not UTF-8 text$/,
  },
];

describe('poison messages', () => {
  it('go to the dead-letter topic with their reasons, and the task behind them is processed', async () => {
    const topic = uniqueName('poison');
    const groupId = uniqueName('group');
    await createTopics(suite.admin, topic, 1);
    await publishRaw(suite.kafka, topic, [
      ...POISON.map((poison) => poison.message),
      { key: 'lat-lit/pump-0', value: encodeTaskMessage(good!) },
    ]);
    const executor = makeQueue('executor', {
      topic,
      'group.id': groupId,
      max_message_bytes: 4_096,
    });
    try {
      const delivery = await receiveOne(executor);
      await executor.acknowledge(delivery, { status: 'succeeded' });

      expect(delivery.task).toEqual(good);
      const letters = await readRecords(suite.kafka, `${topic}.dead-letter`, POISON.length);
      const byOffset = new Map(
        letters.map((letter) => {
          const record = JSON.parse(letter.value) as {
            reason: string;
            error: { code: string; message: string };
            source: { offset: string };
            value: string;
          };
          return [record.source.offset, { letter, record }];
        }),
      );
      POISON.forEach((poison, index) => {
        const entry = byOffset.get(String(index));
        expect(entry, poison.name).toBeDefined();
        expect(entry!.record.reason, poison.name).toBe('malformed');
        expect(entry!.record.error.code, poison.name).toBe('TASK_INVALID');
        expect(entry!.record.error.message, poison.name).toMatch(poison.reason);
        expect(entry!.letter.headers['latigo-dead-letter-reason'], poison.name).toBe('malformed');
      });
      expect(byOffset.get('0')!.record.value).toBe('{"version":1,');
      await waitFor('every offset committed', async () => {
        return (await committedOffsets(suite.admin, groupId, topic))[0] === POISON.length + 1;
      });
    } finally {
      await executor.close();
    }
  });
});
