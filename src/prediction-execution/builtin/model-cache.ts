/**
 * A bounded cache of values built asynchronously, least recently used dropped first. Concurrent
 * requests for a key share one build; a build that fails is forgotten, so the next request
 * builds again.
 */
export class ModelCache<Value> {
  private readonly entries = new Map<string, Promise<Value>>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, build: () => Promise<Value>): Promise<Value> {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    const building = build();
    this.entries.set(key, building);
    building.catch(() => {
      if (this.entries.get(key) === building) {
        this.entries.delete(key);
      }
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) {
        break;
      }
      this.entries.delete(oldest.value);
    }
    return building;
  }

  clear(): void {
    this.entries.clear();
  }
}
