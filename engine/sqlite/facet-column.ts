/**
 * Values of one facet field for every row, as dictionary codes: the first
 * value in a typed array, any others in a per-row list. Counting walks a
 * row list over these arrays, which is what keeps facet counting over a
 * 100k match set at about a millisecond a field.
 *
 * Why not one compressed bitmap per value: counts are wanted for every
 * value of a field at once, and `hospital` has thousands of values, so
 * intersecting the match set with each value's bitmap costs one
 * intersection per value where the column walk costs one lookup per
 * matched row. The column is also what filters and collapsing read.
 */
import { popCount, setBit } from './term-sets.js';

/**
 * A field with at most this many values can be counted from a bitset per
 * value (facet-column.ts `countBits`): intersecting a few dozen bitsets with
 * the result's costs less than looking up every row of a large result, and
 * far less for a field with several values a row (award types and levels).
 */
const bitsetValuesMax = 64;

/** A column as saved beside the index (column-snapshot.ts). */
export interface FacetColumnData {
  values: string[];
  first: Int32Array<ArrayBuffer>;
  extra: Map<number, number[]>;
}

export class FacetColumn {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  first: Int32Array<ArrayBuffer>;
  /**
   * The values beyond `first`, indexed by row (null for most rows). A dense
   * array, not a map: award type and level have several values on most
   * honoured articles, and a map lookup per row made counting those two
   * fields cost more than the other five together (10 ms of a 12 ms count
   * over 14k rows at 100k articles).
   */
  private extra: Array<number[] | null>;
  /**
   * `extra` packed into two typed arrays (row r's codes are
   * codes[start[r]..start[r+1]]), built on the first count after a change:
   * walking one flat array instead of a list object per row halves the cost
   * of counting award types.
   */
  private packed: { start: Int32Array; codes: Int32Array } | null = null;
  /**
   * The rows of each code (code c's rows are rows[start[c]..start[c+1]], in
   * row order), built on the first filter after a change: a filter's bitset
   * then costs its own rows, where a pass over the column cost 2 ms at 100k.
   */
  private postings: { start: Int32Array; rows: Int32Array } | null = null;
  /** Per value, its rows as a bitset; built from `postings` (`source`), so stale once those are. */
  private valueBits: { source: { start: Int32Array; rows: Int32Array }; bits: Uint32Array[] } | null = null;
  /** Alphabetical rank of each code (the tie order of `toRecord`) and its inverse; rebuilt after new values. */
  private ranks: Int32Array | null = null;
  private byRank = new Int32Array(0);

  constructor(capacity: number) {
    this.first = new Int32Array(capacity).fill(-1);
    this.extra = new Array<number[] | null>(capacity).fill(null);
  }

  static fromData(data: FacetColumnData): FacetColumn {
    const column = new FacetColumn(0);
    column.first = data.first;
    column.extra = new Array<number[] | null>(data.first.length).fill(null);
    data.values.forEach((value, code) => {
      column.values.push(value);
      column.codes.set(value, code);
    });
    for (const [row, codes] of data.extra) if (row < data.first.length) column.extra[row] = codes;
    return column;
  }

  toData(): FacetColumnData {
    const extra = new Map<number, number[]>();
    this.extra.forEach((codes, row) => {
      if (codes !== null) extra.set(row, codes);
    });
    return { values: this.values, first: this.first, extra };
  }

  grow(capacity: number): void {
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.first);
    this.first = next;
    while (this.extra.length < capacity) this.extra.push(null);
    this.packed = null;
    this.postings = null;
  }

  codeOf(value: string): number | undefined {
    return this.codes.get(value);
  }

  private intern(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.codes.set(value, code);
      this.ranks = null;
    }
    return code;
  }

  add(row: number, value: string): void {
    const code = this.intern(value);
    this.postings = null;
    if (this.first[row] === -1) {
      this.first[row] = code;
      return;
    }
    if (this.first[row] === code) return;
    const more = this.extra[row] ?? null;
    if (more === null) this.extra[row] = [code];
    else if (!more.includes(code)) more.push(code);
    else return;
    this.packed = null;
  }

  clear(row: number): void {
    if (this.first[row] !== -1) this.postings = null;
    this.first[row] = -1;
    if (row < this.extra.length && this.extra[row] !== null) {
      this.extra[row] = null;
      this.packed = null;
    }
  }

  /** True when any of the row's values has `allowed[code] === 1`. */
  matches(row: number, allowed: Uint8Array): boolean {
    const first = this.first[row] ?? -1;
    if (first === -1) return false;
    if (allowed[first] === 1) return true;
    const more = this.extra[row] ?? null;
    if (more !== null) for (const code of more) if (allowed[code] === 1) return true;
    return false;
  }

  /** Sets bit `row` of `bits` for every row with a value that has `allowed[code] === 1`. */
  markMatching(allowed: Uint8Array, bits: Uint32Array): void {
    const { start, rows } = this.rowsByCode();
    for (let code = 0; code < allowed.length; code++) {
      if (allowed[code] !== 1) continue;
      const end = start[code + 1] ?? 0;
      for (let j = start[code] ?? 0; j < end; j++) {
        setBit(bits, rows[j] ?? 0);
      }
    }
  }

  private rowsByCode(): { start: Int32Array; rows: Int32Array } {
    if (this.postings !== null && this.postings.start.length === this.values.length + 1) return this.postings;
    const first = this.first;
    const { start: extraStart, codes: extraCodes } = this.pack();
    const width = this.values.length;
    const start = new Int32Array(width + 1);
    for (let row = 0; row < first.length; row++) {
      const code = first[row] ?? -1;
      if (code === -1) continue;
      start[code + 1] = (start[code + 1] ?? 0) + 1;
      const end = extraStart[row + 1] ?? 0;
      for (let j = extraStart[row] ?? 0; j < end; j++) start[(extraCodes[j] ?? 0) + 1] = (start[(extraCodes[j] ?? 0) + 1] ?? 0) + 1;
    }
    for (let code = 0; code < width; code++) start[code + 1] = (start[code + 1] ?? 0) + (start[code] ?? 0);
    const rows = new Int32Array(start[width] ?? 0);
    const next = start.slice(0, width);
    for (let row = 0; row < first.length; row++) {
      const code = first[row] ?? -1;
      if (code === -1) continue;
      rows[(next[code] = (next[code] ?? 0) + 1) - 1] = row;
      const end = extraStart[row + 1] ?? 0;
      for (let j = extraStart[row] ?? 0; j < end; j++) {
        const more = extraCodes[j] ?? 0;
        rows[(next[more] = (next[more] ?? 0) + 1) - 1] = row;
      }
    }
    this.postings = { start, rows };
    return this.postings;
  }

  codesOf(row: number): number[] {
    const first = this.first[row] ?? -1;
    if (first === -1) return [];
    const more = this.extra[row] ?? null;
    return more === null ? [first] : [first, ...more];
  }

  /** Adds the values of every row in `rows` to `counts`. */
  countAll(rows: ArrayLike<number>, counts: Uint32Array): void {
    const first = this.first;
    const { start, codes } = this.pack();
    if (codes.length === 0) {
      // One value a row at most (province, hospital, year…): no per-row range to read.
      for (let i = 0; i < rows.length; i++) {
        const code = first[rows[i] ?? 0] ?? -1;
        if (code !== -1) counts[code] = (counts[code] ?? 0) + 1;
      }
      return;
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      const code = first[row] ?? -1;
      if (code === -1) continue;
      counts[code] = (counts[code] ?? 0) + 1;
      const end = start[row + 1] ?? 0;
      for (let j = start[row] ?? 0; j < end; j++) {
        const more = codes[j] ?? 0;
        counts[more] = (counts[more] ?? 0) + 1;
      }
    }
  }

  /**
   * Whether counting `rows` rows is cheaper from per-value bitsets
   * (`countBits`) than row by row (`countAll`).
   */
  prefersBits(rows: number, capacity: number): boolean {
    const values = this.values.length;
    // An AND and a population count per word of each value's bitset, against a lookup or two per row.
    return values > 0 && values <= bitsetValuesMax && rows * 2 >= values * Math.ceil(capacity / 32);
  }

  /** Adds to `counts[code]` the rows of `rowBits` (a bitset over rows) that have the value. */
  countBits(rowBits: Uint32Array, counts: Uint32Array): void {
    const postings = this.rowsByCode();
    if (this.valueBits?.source !== postings) {
      const words = Math.ceil(this.first.length / 32);
      const bits = this.values.map((_, code) => {
        const out = new Uint32Array(words);
        const end = postings.start[code + 1] ?? 0;
        for (let j = postings.start[code] ?? 0; j < end; j++) setBit(out, postings.rows[j] ?? 0);
        return out;
      });
      this.valueBits = { source: postings, bits };
    }
    this.valueBits.bits.forEach((bits, code) => {
      const words = Math.min(bits.length, rowBits.length);
      let n = 0;
      for (let w = 0; w < words; w++) {
        const both = (bits[w] ?? 0) & (rowBits[w] ?? 0);
        if (both !== 0) n += popCount(both);
      }
      counts[code] = (counts[code] ?? 0) + n;
    });
  }

  private pack(): { start: Int32Array; codes: Int32Array } {
    if (this.packed !== null) return this.packed;
    const rows = this.first.length;
    const start = new Int32Array(rows + 1);
    let total = 0;
    for (let row = 0; row < rows; row++) {
      start[row] = total;
      total += this.extra[row]?.length ?? 0;
    }
    start[rows] = total;
    const codes = new Int32Array(total);
    for (let row = 0; row < rows; row++) {
      const more = this.extra[row];
      if (more) codes.set(more, start[row] ?? 0);
    }
    this.packed = { start, codes };
    return this.packed;
  }

  /**
   * value → count for the non-zero `counts`, largest first then by value; at
   * most `limit` of them (the largest) when given.
   */
  toRecord(counts: Uint32Array, limit?: number): Record<string, number> {
    // One numeric sort key per counted code (more first, then alphabetical):
    // a typed-array sort, where comparing strings made this 1 ms for hospitals.
    const ranks = this.rankOfCodes();
    const width = ranks.length;
    const keys: number[] = [];
    let most = 0;
    for (let code = 0; code < counts.length; code++) most = Math.max(most, counts[code] ?? 0);
    for (let code = 0; code < counts.length; code++) {
      const n = counts[code] ?? 0;
      if (n > 0) keys.push((most - n) * width + (ranks[code] ?? 0));
    }
    const sorted = Float64Array.from(keys).sort();
    const codeAtRank = this.byRank;
    const values = this.values;
    const record: Record<string, number> = {};
    const end = limit === undefined ? sorted.length : Math.min(sorted.length, Math.max(0, Math.floor(limit)));
    for (let i = 0; i < end; i++) {
      const code = codeAtRank[(sorted[i] ?? 0) % width] ?? 0;
      record[values[code] ?? ''] = counts[code] ?? 0;
    }
    return record;
  }

  private rankOfCodes(): Int32Array {
    if (this.ranks !== null && this.ranks.length === this.values.length) return this.ranks;
    const values = this.values;
    const byText = values.map((_, code) => code).sort((a, b) => compareText(values[a] ?? '', values[b] ?? ''));
    const ranks = new Int32Array(values.length);
    byText.forEach((code, rank) => (ranks[code] = rank));
    this.ranks = ranks;
    this.byRank = Int32Array.from(byText);
    return ranks;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
