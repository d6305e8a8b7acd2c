import { describe, expect, it } from 'vitest';

import { partitionStatus } from './queue-status.js';

describe('the status of one partition of the task topic', () => {
  it('counts the lag from the committed offset', () => {
    expect(partitionStatus(3, 10, 25, 18)).toEqual({
      partition: 3,
      startOffset: 10,
      endOffset: 25,
      committedOffset: 18,
      lag: 7,
      lagFrom: 'committed',
    });
  });

  it("counts the lag from the oldest offset still there when the group committed nothing (Kafka's -1)", () => {
    expect(partitionStatus(0, 40, 52, -1)).toEqual({
      partition: 0,
      startOffset: 40,
      endOffset: 52,
      committedOffset: null,
      lag: 12,
      lagFrom: 'start',
    });
  });

  it('shows no lag on an empty partition without commits', () => {
    expect(partitionStatus(1, 0, 0, undefined)).toMatchObject({ committedOffset: null, lag: 0 });
  });
});
