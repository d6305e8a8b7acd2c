import { describe, expect, it } from 'vitest';

import { Fifo } from './fifo.js';

function drain<T>(fifo: Fifo<T>): T[] {
  const taken: T[] = [];
  for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) {
    taken.push(item);
  }
  return taken;
}

describe('Fifo', () => {
  it('hands items out in the order they were pushed, with unshifted ones first', () => {
    const fifo = new Fifo<number>();
    fifo.push(1);
    fifo.push(2);
    fifo.push(3);
    expect(fifo.shift()).toBe(1);
    fifo.unshift(10);
    fifo.unshift(20);

    expect(fifo.length).toBe(4);
    expect(fifo.peek()).toBe(20);
    expect(drain(fifo)).toEqual([20, 10, 2, 3]);
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    expect(fifo.peek()).toBeUndefined();
  });

  it('keeps its order across the compaction of a long list that never empties', () => {
    const fifo = new Fifo<number>();
    const taken: number[] = [];
    let next = 0;
    for (let round = 0; round < 5_000; round += 1) {
      fifo.push(next++);
      fifo.push(next++);
      taken.push(fifo.shift()!);
    }

    expect(fifo.length).toBe(5_000);
    expect([...taken, ...drain(fifo)]).toEqual(Array.from({ length: next }, (_unused, i) => i));
  });

  it('keeps only what retain accepts, in order, and clears', () => {
    const fifo = new Fifo<number>();
    for (let item = 1; item <= 6; item += 1) {
      fifo.push(item);
    }
    fifo.shift();
    fifo.retain((item) => item % 2 === 0);

    expect(fifo.length).toBe(3);
    expect(drain(fifo)).toEqual([2, 4, 6]);
    fifo.push(7);
    fifo.clear();
    expect(fifo.length).toBe(0);
  });
});
