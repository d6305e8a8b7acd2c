import type { WriteItem } from './wire.js';

/**
 * Splits write items into requests of at most `maxPoints` points, keeping series order; a series
 * larger than the rest of a request continues in the next one.
 */
export function chunkItems(items: readonly WriteItem[], maxPoints: number): WriteItem[][] {
  const chunks: WriteItem[][] = [];
  let current: WriteItem[] = [];
  let room = maxPoints;
  for (const item of items) {
    let offset = 0;
    while (offset < item.datapoints.length) {
      const take = Math.min(room, item.datapoints.length - offset);
      current.push({ id: item.id, datapoints: item.datapoints.slice(offset, offset + take) });
      offset += take;
      room -= take;
      if (room === 0) {
        chunks.push(current);
        current = [];
        room = maxPoints;
      }
    }
  }
  if (current.length > 0) {
    chunks.push(current);
  }
  return chunks;
}
