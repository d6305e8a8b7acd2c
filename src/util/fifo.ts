/** A taken front at least this long, and half the array, is dropped. */
const COMPACT_AFTER = 1_024;

/**
 * A first-in, first-out list whose `shift` costs the same however long the list is: taking moves
 * a head index instead of shifting the array (`Array.prototype.shift` copies the whole array once
 * it is large; 200,000 waiting tasks took 34 s to drain that way). The taken front is dropped once
 * it is at least 1,024 entries and half the array, so a list that never empties does not grow
 * without bound. Items must not be `undefined`.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Puts `item` in front of all others. */
  unshift(item: T): void {
    if (this.head > 0) {
      this.head -= 1;
      this.items[this.head] = item;
    } else {
      this.items.unshift(item);
    }
  }

  /** The first item, left in the list. */
  peek(): T | undefined {
    return this.items[this.head];
  }

  /** Takes the first item. */
  shift(): T | undefined {
    if (this.head >= this.items.length) {
      return undefined;
    }
    const item = this.items[this.head];
    // Taken items are not kept alive by the list.
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.clear();
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Keeps the items `keep` accepts, in their order, and drops the others. */
  retain(keep: (item: T) => boolean): void {
    this.items = this.items.slice(this.head).filter((item) => keep(item as T));
    this.head = 0;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
