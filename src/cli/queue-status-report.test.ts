import { describe, expect, it } from 'vitest';

import { partitionStatus, type QueueStatus } from '../task-queue/kafka/queue-status.js';
import { queueStatusJson, queueStatusTable } from './queue-status-report.js';

function status(overrides: Partial<QueueStatus> = {}): QueueStatus {
  return {
    broker: 'ns.servicebus.windows.net:9093',
    topic: 'latigo_topic',
    groupId: 'latigo-executors',
    partitions: [partitionStatus(0, 0, 120_345, 120_300), partitionStatus(1, 7, 9, 9)],
    totals: { endOffset: 120_354, lag: 45, partitionsWithoutCommit: 0 },
    deadLetter: { topic: 'latigo_topic.dead-letter', exists: true, messages: 3 },
    ...overrides,
  };
}

describe('the queue status report', () => {
  it('aligns the columns to the widest figure and totals end offsets and lag', () => {
    expect(queueStatusTable(status())).toBe(
      [
        'Kafka broker ns.servicebus.windows.net:9093, task topic "latigo_topic", consumer group "latigo-executors"',
        '',
        'partition  start     end  committed  lag',
        '        0      0  120345     120300   45',
        '        1      7       9          9    0',
        '    total         120354              45',
        '',
        'dead-letter topic "latigo_topic.dead-letter": 3 messages',
        '',
      ].join('\n'),
    );
  });

  it('marks a lag counted from the start offset and explains the mark once', () => {
    const table = queueStatusTable(
      status({
        partitions: [partitionStatus(0, 5, 1_500, -1), partitionStatus(1, 0, 2, -1)],
        totals: { endOffset: 1_502, lag: 1_497, partitionsWithoutCommit: 2 },
      }),
    );

    expect(table).toContain(
      [
        'partition  start   end  committed   lag',
        '        0      5  1500          -  1495 *',
        '        1      0     2          -     2 *',
        '    total         1502             1497',
        '',
        "* no offset committed by the group: lag counted from the partition's start offset",
      ].join('\n'),
    );
  });

  it("says when the connection string's EntityPath replaced task_queue.topic", () => {
    const table = queueStatusTable(status({ configuredTopic: 'tasks' }));

    expect(table.split('\n').slice(0, 3)).toEqual([
      'Kafka broker ns.servicebus.windows.net:9093, task topic "latigo_topic", consumer group "latigo-executors"',
      `(the topic is the connection string's EntityPath; task_queue.topic "tasks" is not used)`,
      '',
    ]);
    expect(queueStatusTable(status())).not.toContain('EntityPath');
  });

  it('says when the dead-letter topic does not exist', () => {
    const table = queueStatusTable(
      status({ deadLetter: { topic: 'latigo_topic.dead-letter', exists: false, messages: null } }),
    );

    expect(table).toMatch(/\ndead-letter topic "latigo_topic.dead-letter": does not exist\n$/);
  });

  it('gives machines the whole status as one JSON document', () => {
    const report = status();

    expect(JSON.parse(queueStatusJson(report))).toEqual(report);
  });
});
