/**
 * A small cache of promises with a time to live and a size cap (least recently used goes first).
 * Concurrent callers of one key share one load; a failed load is forgotten at once, so the next
 * caller tries again.
 */
export class TtlCache<Value> {
  private readonly entries = new Map<string, { expiresMs: number; value: Promise<Value> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** The cached value of `key`, or the result of `load` (cached when it succeeds). */
  get(key: string, load: () => Promise<Value>): Promise<Value> {
    const nowMs = Date.now();
    const found = this.entries.get(key);
    if (found !== undefined && found.expiresMs > nowMs) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.value;
    }
    if (this.ttlMs <= 0) {
      return load();
    }
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { expiresMs: nowMs + this.ttlMs, value });
    this.evict();
    value.catch(() => {
      if (this.entries.get(key)?.value === value) {
        this.entries.delete(key);
      }
    });
    return value;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every key for which `matches` is true. */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) {
      if (matches(key)) {
        this.entries.delete(key);
      }
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) {
        return;
      }
      this.entries.delete(oldest.value);
    }
  }
}
