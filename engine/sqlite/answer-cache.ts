/**
 * What reads remember until the next write: match sets, scores and whole
 * answers (least recently used out first), and document frequencies looked
 * up in the FTS vocabulary. A write, or a swap to another generation, clears
 * both: cached values are functions of the index contents.
 *
 * Bounded by entries and by bytes: at 100k articles one match set or score
 * array of a frequent word is up to 1 MB, so 256 of them grew each serving
 * thread by hundreds of MB under a varied load (serving RSS 1.15 GB against
 * 0.8 GB idle).
 */
export class AnswerCache {
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private bytes = 0;
  /** Document (or prefix) frequencies: cheap to keep, bounded separately. */
  readonly frequencies = new Map<string, number>();

  /**
   * `capacity` 0 turns the answer cache off (for cold benchmarks); frequencies are always kept.
   * An entry above a quarter of `maxBytes` is computed but not kept: it would evict most others.
   */
  constructor(
    private readonly capacity: number,
    private readonly maxBytes: number = defaultCacheBytes,
  ) {}

  /** Bytes the kept entries take, as estimated (estimateBytes). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  remember<T>(key: string, compute: () => T): T {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      // Refresh its place: the map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.value as T;
    }
    const value = compute();
    if (this.capacity > 0) {
      const bytes = estimateBytes(value) + key.length * 2;
      if (bytes <= this.maxBytes / 4) {
        this.entries.set(key, { value, bytes });
        this.bytes += bytes;
        while (this.entries.size > this.capacity || this.bytes > this.maxBytes) {
          const oldest = this.entries.keys().next().value;
          if (oldest === undefined) break;
          this.forget(oldest);
        }
      }
    }
    return value;
  }

  /** Drops one entry: an answer cut short by its deadline must not stand in for a complete one. */
  forget(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
    this.frequencies.clear();
  }
}

/** Per serving thread (the main thread and each read worker). */
export const defaultCacheBytes = 48 * 1024 * 1024;

const objectOverhead = 32;

/**
 * A rough size of a cached value: typed arrays by their bytes, strings by
 * their characters, arrays, maps and plain objects by what they hold, a few
 * levels deep (deeper, a flat guess). Documents shared with other entries are
 * counted in each: the estimate errs towards keeping less.
 */
export function estimateBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return objectOverhead + value.length * 2;
  if (value === null || typeof value !== 'object') return 8;
  if (ArrayBuffer.isView(value)) return objectOverhead + value.byteLength;
  if (depth >= 6) return objectOverhead * 4;
  let bytes = objectOverhead;
  if (value instanceof Map) {
    for (const [key, item] of value as Map<unknown, unknown>) bytes += estimateBytes(key, depth + 1) + estimateBytes(item, depth + 1);
  } else if (value instanceof Set) {
    for (const item of value as Set<unknown>) bytes += estimateBytes(item, depth + 1);
  } else if (Array.isArray(value)) {
    for (const item of value) bytes += estimateBytes(item, depth + 1);
  } else {
    for (const item of Object.values(value)) bytes += 8 + estimateBytes(item, depth + 1);
  }
  return bytes;
}
