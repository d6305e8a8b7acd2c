import { describe, expect, it } from 'vitest';

import { chunkItems } from './chunk-items.js';
import type { WriteItem } from './wire.js';

function item(id: string, count: number): WriteItem {
  return {
    id,
    datapoints: Array.from({ length: count }, (_unused, index) => ({
      time: `t${index}`,
      value: index,
      status: 192,
    })),
  };
}

function shape(chunks: WriteItem[][]): string[][] {
  return chunks.map((chunk) => chunk.map((part) => `${part.id}:${part.datapoints.length}`));
}

describe('write chunking', () => {
  it('fills each request up to the point limit, splitting a series where needed', () => {
    expect(shape(chunkItems([item('a', 3), item('b', 4), item('c', 1)], 5))).toEqual([
      ['a:3', 'b:2'],
      ['b:2', 'c:1'],
    ]);
  });

  it('keeps the points of a split series in order', () => {
    const chunks = chunkItems([item('a', 5)], 2);

    expect(chunks.flat().flatMap((part) => part.datapoints.map((point) => point.value))).toEqual([
      0, 1, 2, 3, 4,
    ]);
  });

  it('sends nothing for series without points', () => {
    expect(chunkItems([item('a', 0), item('b', 0)], 5)).toEqual([]);
  });
});
