import { describe, expect, it } from 'vitest';

import { PartitionOffsets } from './partition-offsets.js';

function offsetsTaken(...taken: number[]): PartitionOffsets {
  const offsets = new PartitionOffsets(0);
  for (const offset of taken) {
    offsets.take(offset);
  }
  return offsets;
}

describe('partition offsets', () => {
  it('has nothing to commit before anything was taken', () => {
    const offsets = new PartitionOffsets(0);

    expect(offsets.commitPoint()).toBeUndefined();
    expect(offsets.uncommitted()).toBeUndefined();
  });

  it('holds the commit point at the oldest unfinished offset', () => {
    const offsets = offsetsTaken(10, 11, 12);

    offsets.finish(11);
    offsets.finish(12);

    expect(offsets.commitPoint()).toBe(10);
  });

  it('moves the commit point past every offset once all are finished', () => {
    const offsets = offsetsTaken(10, 11, 12);

    offsets.finish(12);
    offsets.finish(10);
    expect(offsets.commitPoint()).toBe(11);

    offsets.finish(11);
    expect(offsets.commitPoint()).toBe(13);
  });

  it('counts a dead-lettered offset as finished and skips gaps', () => {
    const offsets = offsetsTaken(3);
    offsets.takeFinished(4);
    offsets.take(7);

    offsets.finish(3);

    expect(offsets.commitPoint()).toBe(7);
    offsets.finish(7);
    expect(offsets.commitPoint()).toBe(8);
  });

  it('has nothing to commit while the first offset taken is unfinished', () => {
    const offsets = offsetsTaken(4, 5);

    offsets.finish(5);

    expect(offsets.commitPoint()).toBe(4);
    expect(offsets.uncommitted()).toBeUndefined();
  });

  it('reports only commit points beyond the last commit', () => {
    const offsets = offsetsTaken(0, 1);
    offsets.finish(0);
    expect(offsets.uncommitted()).toBe(1);

    offsets.markCommitted(1);
    expect(offsets.uncommitted()).toBeUndefined();

    offsets.finish(1);
    expect(offsets.uncommitted()).toBe(2);
  });

  it('knows which offsets were taken, for messages fetched again after a rebalance', () => {
    const offsets = offsetsTaken(5, 6);

    expect(offsets.wasTaken(4)).toBe(true);
    expect(offsets.wasTaken(6)).toBe(true);
    expect(offsets.wasTaken(7)).toBe(false);
  });

  it('keeps a released offset unfinished, so nothing after it is committed', () => {
    const offsets = offsetsTaken(1, 2);

    offsets.finish(2);

    expect(offsets.unfinishedCount).toBe(1);
    expect(offsets.commitPoint()).toBe(1);
  });
});
