/**
 * What reads remember until the next write: match sets, scores and whole
 * answers (least recently used out first), and document frequencies looked
 * up in the FTS vocabulary. A write, or a swap to another generation, clears
 * both: cached values are functions of the index contents.
 *
 * Bounded by entries and by bytes: at 100k articles one broad match set
 * with its scores and tiers is over a megabyte, so 256 entries alone could
 * hold hundreds of megabytes in every thread that reads.
 */
export class AnswerCache {
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private bytes = 0;
  /** Document (or prefix) frequencies: cheap to keep, bounded separately. */
  readonly frequencies = new Map<string, number>();

  /**
   * `capacity` 0 turns the answer cache off (for cold benchmarks); frequencies
   * are always kept. `maxBytes`: what the entries may hold, as estimated by
   * estimateBytes.
   */
  constructor(
    private readonly capacity: number,
    private readonly maxBytes = defaultMaxBytes,
  ) {}

  /** The bytes the entries hold (estimated). */
  get heldBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.entries.size;
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
      const bytes = estimateBytes(value);
      // One answer larger than the whole budget is not kept: it would evict everything else.
      if (bytes <= this.maxBytes) {
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

/** Per thread that reads; a few dozen broad queries' match sets at 100k articles. */
export const defaultMaxBytes = 48 * 1024 * 1024;

/** What any value costs beyond its contents (object headers, the map entry). */
const overheadBytes = 64;
/** Deep enough for a search result's hits → document → fields. */
const maxDepth = 4;

/**
 * The bytes a cached value holds, roughly: typed arrays by their length,
 * strings at two bytes a character, maps, arrays and objects by what they
 * hold, plus a fixed overhead for each. Walked only when a value is cached,
 * which follows computing it, the costlier step by far.
 */
export function estimateBytes(value: unknown, depth = 0): number {
  if (typeof value === 'string') return overheadBytes + value.length * 2;
  if (value === null || typeof value !== 'object') return 8;
  if (ArrayBuffer.isView(value)) return overheadBytes + value.byteLength;
  if (depth >= maxDepth) return overheadBytes;
  let bytes = overheadBytes;
  if (value instanceof Map) {
    for (const [key, item] of value) bytes += estimateBytes(key, depth + 1) + estimateBytes(item, depth + 1);
  } else if (Array.isArray(value)) {
    for (const item of value) bytes += estimateBytes(item, depth + 1);
  } else {
    for (const item of Object.values(value)) bytes += estimateBytes(item, depth + 1);
  }
  return bytes;
}
