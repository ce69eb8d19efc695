/**
 * Values of one facet field for every row, as dictionary codes: the first
 * value in a typed array, the rare others in a map behind a per-row flag.
 * Counting walks a row list and touches only typed arrays unless a row has
 * several values, which is what keeps facet counting over a 100k match set
 * at about a millisecond a field.
 *
 * Why not one compressed bitmap per value: counts are wanted for every
 * value of a field at once, and `hospital` has thousands of values, so
 * intersecting the match set with each value's bitmap costs one
 * intersection per value where the column walk costs one lookup per
 * matched row. The column is also what filters and collapsing read.
 */
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
  /** 1 when the row has values beyond `first`, kept in `extra`. */
  private several: Uint8Array;
  private readonly extra = new Map<number, number[]>();

  constructor(capacity: number) {
    this.first = new Int32Array(capacity).fill(-1);
    this.several = new Uint8Array(capacity);
  }

  static fromData(data: FacetColumnData): FacetColumn {
    const column = new FacetColumn(0);
    column.first = data.first;
    column.several = new Uint8Array(data.first.length);
    data.values.forEach((value, code) => {
      column.values.push(value);
      column.codes.set(value, code);
    });
    for (const [row, codes] of data.extra) {
      column.extra.set(row, codes);
      column.several[row] = 1;
    }
    return column;
  }

  toData(): FacetColumnData {
    return { values: this.values, first: this.first, extra: this.extra };
  }

  grow(capacity: number): void {
    const next = new Int32Array(capacity).fill(-1);
    next.set(this.first);
    this.first = next;
    const several = new Uint8Array(capacity);
    several.set(this.several);
    this.several = several;
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
    }
    return code;
  }

  add(row: number, value: string): void {
    const code = this.intern(value);
    if (this.first[row] === -1) {
      this.first[row] = code;
      return;
    }
    if (this.first[row] === code) return;
    const more = this.extra.get(row);
    if (!more) {
      this.extra.set(row, [code]);
      this.several[row] = 1;
    } else if (!more.includes(code)) more.push(code);
  }

  clear(row: number): void {
    this.first[row] = -1;
    if (this.several[row] === 1) {
      this.several[row] = 0;
      this.extra.delete(row);
    }
  }

  /** True when any of the row's values has `allowed[code] === 1`. */
  matches(row: number, allowed: Uint8Array): boolean {
    const first = this.first[row] ?? -1;
    if (first === -1) return false;
    if (allowed[first] === 1) return true;
    if (this.several[row] !== 1) return false;
    const more = this.extra.get(row);
    if (more) for (const code of more) if (allowed[code] === 1) return true;
    return false;
  }

  codesOf(row: number): number[] {
    const first = this.first[row] ?? -1;
    if (first === -1) return [];
    if (this.several[row] !== 1) return [first];
    return [first, ...(this.extra.get(row) ?? [])];
  }

  /** Adds the row's values to `counts` (indexed by code). */
  count(row: number, counts: Uint32Array): void {
    const first = this.first[row] ?? -1;
    if (first === -1) return;
    counts[first] = (counts[first] ?? 0) + 1;
    if (this.several[row] !== 1) return;
    const more = this.extra.get(row);
    if (more) for (const code of more) counts[code] = (counts[code] ?? 0) + 1;
  }

  /**
   * value → count for the non-zero `counts`, largest first then by value; at
   * most `limit` of them (the largest) when given.
   */
  toRecord(counts: Uint32Array, limit?: number): Record<string, number> {
    const codes: number[] = [];
    for (let code = 0; code < counts.length; code++) if ((counts[code] ?? 0) > 0) codes.push(code);
    const values = this.values;
    codes.sort((a, b) => (counts[b] ?? 0) - (counts[a] ?? 0) || compareText(values[a] ?? '', values[b] ?? ''));
    const record: Record<string, number> = {};
    const end = limit === undefined ? codes.length : Math.min(codes.length, Math.max(0, Math.floor(limit)));
    for (let i = 0; i < end; i++) {
      const code = codes[i] ?? 0;
      record[values[code] ?? ''] = counts[code] ?? 0;
    }
    return record;
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
