/**
 * A set of rows held either as an ascending row list (what FTS5 lists) or as
 * a bitset (what a held word's rows are, term-sets.ts), converted only when
 * a step needs the other form. The match path combines clauses as bitsets
 * (union, intersection, the partial-match sweep), so a frequent word's
 * bitset goes through it without being listed and set again: at 100k
 * articles each of those conversions walks tens of thousands of rows.
 *
 * Conversions are not kept: a row set may sit in the answer cache, whose
 * byte budget counts what it held when stored.
 */
import { popCount, rowsOfBits, setBit } from './term-sets.js';

export class RowSet {
  private constructor(
    private readonly list: Int32Array | null,
    private readonly set: Uint32Array | null,
    private counted: number,
  ) {}

  /** `rows` ascending, each once. */
  static ofRows(rows: Int32Array): RowSet {
    return new RowSet(rows, null, rows.length);
  }

  /** The set bits of `bits`, which the row set shares: neither side may change them while it is in use. */
  static ofBits(bits: Uint32Array): RowSet {
    return new RowSet(null, bits, -1);
  }

  /** How many rows (a bitset's counted when first asked). */
  get count(): number {
    if (this.counted === -1) {
      const set = this.set ?? new Uint32Array(0);
      let count = 0;
      for (let w = 0; w < set.length; w++) count += popCount(set[w] ?? 0);
      this.counted = count;
    }
    return this.counted;
  }

  static readonly empty = RowSet.ofRows(new Int32Array(0));

  /** The rows, ascending. */
  rows(): Int32Array {
    return this.list ?? rowsOfBits(this.set ?? new Uint32Array(0));
  }

  /** The rows as a bitset of `words` 32-bit words (rows past it left out); shared when already one of that width, so read-only. */
  bits(words: number): Uint32Array {
    const set = this.set;
    if (set !== null) {
      if (set.length === words) return set;
      const out = new Uint32Array(words);
      out.set(set.length > words ? set.subarray(0, words) : set);
      return out;
    }
    const out = new Uint32Array(words);
    const list = this.list ?? new Int32Array(0);
    const limit = words * 32;
    for (let i = 0; i < list.length; i++) {
      const row = list[i] ?? 0;
      if (row < limit) setBit(out, row);
    }
    return out;
  }

  /** Whether some row has its bit set in `bits` (a bitset over rows). */
  intersects(bits: Uint32Array): boolean {
    const list = this.list;
    if (list !== null) {
      for (let i = 0; i < list.length; i++) {
        const row = list[i] ?? 0;
        if (((bits[row >>> 5] ?? 0) & (1 << (row & 31))) !== 0) return true;
      }
      return false;
    }
    const set = this.set ?? new Uint32Array(0);
    const words = Math.min(set.length, bits.length);
    for (let w = 0; w < words; w++) if (((set[w] ?? 0) & (bits[w] ?? 0)) !== 0) return true;
    return false;
  }

  /** Whether `test` holds for some row, in row order. */
  some(test: (row: number) => boolean): boolean {
    const list = this.list;
    if (list !== null) {
      for (let i = 0; i < list.length; i++) if (test(list[i] ?? 0)) return true;
      return false;
    }
    const set = this.set ?? new Uint32Array(0);
    for (let w = 0; w < set.length; w++) {
      let word = set[w] ?? 0;
      while (word !== 0) {
        const low = word & -word;
        if (test((w << 5) + 31 - Math.clz32(low))) return true;
        word = (word ^ low) >>> 0;
      }
    }
    return false;
  }
}

/** The rows in any of `sets`. */
export function unionOf(sets: readonly RowSet[], capacity: number): RowSet {
  if (sets.length === 1) return sets[0] ?? RowSet.empty;
  const words = Math.ceil(capacity / 32);
  const out = new Uint32Array(words);
  for (const set of sets) {
    const bits = set.bits(words);
    for (let w = 0; w < words; w++) out[w] = (out[w] ?? 0) | (bits[w] ?? 0);
  }
  return RowSet.ofBits(out);
}

/** The rows in every one of `sets`. */
export function intersectionOf(sets: readonly RowSet[], capacity: number): RowSet {
  if (sets.length === 1) return sets[0] ?? RowSet.empty;
  if (sets.length === 0) return RowSet.empty;
  const words = Math.ceil(capacity / 32);
  const out = Uint32Array.from(sets[0]?.bits(words) ?? []);
  for (const set of sets.slice(1)) {
    const bits = set.bits(words);
    for (let w = 0; w < words; w++) out[w] = (out[w] ?? 0) & (bits[w] ?? 0);
  }
  return RowSet.ofBits(out);
}
