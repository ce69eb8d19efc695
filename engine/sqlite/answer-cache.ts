/**
 * What reads remember until the next write: match sets, scores and whole
 * answers (least recently used out first), and document frequencies looked
 * up in the FTS vocabulary. A write, or a swap to another generation, clears
 * both: cached values are functions of the index contents.
 */
export class AnswerCache {
  private readonly entries = new Map<string, unknown>();
  /** Document (or prefix) frequencies: cheap to keep, bounded separately. */
  readonly frequencies = new Map<string, number>();

  /** `capacity` 0 turns the answer cache off (for cold benchmarks); frequencies are always kept. */
  constructor(private readonly capacity: number) {}

  remember<T>(key: string, compute: () => T): T {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      // Refresh its place: the map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached as T;
    }
    const value = compute();
    if (this.capacity > 0) {
      this.entries.set(key, value);
      while (this.entries.size > this.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
    }
    return value;
  }

  /** Drops one entry: an answer cut short by its deadline must not stand in for a complete one. */
  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.frequencies.clear();
  }
}
