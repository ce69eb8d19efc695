/**
 * Per-document columns held in memory, indexed by the `docs.doc` rowid:
 * facet values as dictionary codes, dates, topicality, titles, duplicate
 * links. Loaded from the narrow tables at open and kept in step with every
 * write, so filtering, collapsing, facet counting and date ordering over a
 * result set of any size touch neither JSON nor the FTS table: at 100k
 * documents a query matching most of them still counts facets in about a
 * millisecond, where decoding rows would take hundreds.
 *
 * Filters are applied here by comparing values for equality, so a filter
 * value is only ever data: there is no query language for it to escape into.
 */
import type Database from 'better-sqlite3';
import { constrainedFields, documentFacetValues, facetFields, type EngineDocument, type FacetField } from '../document.js';
import type { FacetCounts, SearchFilters, SortOrder } from '../port.js';
import { FacetColumn, type FacetColumnData } from './facet-column.js';
import { capIndexedTokens } from './document-writer.js';
import { compactText } from './fts-query.js';
import { RowSet } from './row-set.js';
import { TermSets, hasBit, rowsOfBits, setBit, type TermSetKey } from './term-sets.js';
import { TitleSets } from './title-sets.js';

const noYear = -2147483648;
const noDate = -1;

/** A row predicate that can also hand over every row it passes as a bitset, for callers walking many rows. */
export interface RowFilter {
  (row: number): boolean;
  /** Bit `row` set for every row the filter passes, over the row capacity; built once per filter. */
  bits(): Uint32Array;
}

/**
 * After this many rows tested, a filter answers from its bitset: a facet
 * check costs about 60 ns a row (a code lookup, the values beyond the first,
 * a closure per field) and the bitset costs the rows of the values asked
 * for. A query matching a few hundred rows never builds it; the walks over
 * large row sets (collect, collapseScored, lifted counts) take the bitset at
 * once and test bits inline.
 */
const bitsetAfterTests = 4096;

/**
 * From this many rows out of row order (date order), facet counting first
 * puts them in row order through a bitset, so the columns are read front to
 * back instead of at random. Counting all seven fields over 20k rows of a
 * 100k index went from 8.8 to 2.2 ms; below a thousand rows the two orders
 * cost the same. Relevance results already come in row order.
 */
const orderedCountMin = 1024;

function rowFilter(test: (row: number) => boolean, buildBits: () => Uint32Array): RowFilter {
  let tested = 0;
  let built: Uint32Array | null = null;
  const bits = (): Uint32Array => (built ??= buildBits());
  const filter = (row: number): boolean => {
    if (built !== null) return hasBit(built, row);
    if (++tested > bitsetAfterTests) bits();
    return test(row);
  };
  return Object.assign(filter, { bits });
}

/** The filter's bitset when `rows` rows are about to be tested (enough to pay for it), else null. */
function bitsFor(filter: RowFilter | null, rows: number): Uint32Array | null {
  return filter !== null && rows > bitsetAfterTests ? filter.bits() : null;
}

interface FieldCheck {
  field: FacetField | null;
  test: RowFilter;
}

export interface CollectOptions {
  filter: RowFilter | null;
  collapse: boolean;
  offset: number;
  limit: number;
  facets: boolean;
}

export interface CollectedHit {
  row: number;
  /** Rows folded into this one. */
  duplicates: number[];
}

export interface Collected {
  total: number;
  hits: CollectedHit[];
  facets: FacetCounts | null;
  /** Every representative, in input order. */
  reps: Int32Array;
  /** Representative row → rows folded into it. */
  folded: Map<number, number[]>;
}

export interface Collapsed {
  reps: Int32Array;
  /** Scores of `reps`, aligned. */
  scores: Float64Array;
  /** Representative row → rows folded into it. */
  folded: Map<number, number[]>;
}

export interface MemoryDocument {
  id: string;
  title: string;
  publishedAt: string | null;
  year: number | null;
  topicality: number;
  duplicateOf: string | null;
}

/** What the index keeps of a document: its columns and facet values, small enough to post to another thread. */
export interface MemoryRow extends MemoryDocument {
  facets: Record<FacetField, string[]>;
  /** The token text FTS5 indexes (title, body and metadata tokens, capped, joined by line breaks): what keeps term sets exact. */
  indexed: string;
}

export function memoryRowOf(doc: EngineDocument): MemoryRow {
  return {
    id: doc.id,
    title: doc.title,
    publishedAt: doc.publishedAt,
    year: doc.year,
    topicality: doc.topicality,
    duplicateOf: doc.duplicateOf,
    facets: documentFacetValues(doc),
    indexed: [doc.titleTokens, doc.bodyTokens, doc.metaTokens].map((tokens) => capIndexedTokens(tokens)).join('\n'),
  };
}

/** `YYYY-MM-DD` → yyyymmdd; a year alone sorts as day 0 of that year; neither → no date (sorted last). */
function toDateKey(publishedAt: string | null, year: number | null): number {
  const match = publishedAt ? /^(\d{4})-(\d{2})-(\d{2})/u.exec(publishedAt) : null;
  if (match) return Number(match[1]) * 10000 + Number(match[2]) * 100 + Number(match[3]);
  return year === null ? noDate : year * 10000;
}

/** Whether rows[from..to) are already in `compare` order: rows are mostly added in id order, so a day's rows often are. */
function inOrder(rows: Int32Array, from: number, to: number, compare: (a: number, b: number) => number): boolean {
  for (let i = from + 1; i < to; i++) if (compare(rows[i - 1] ?? 0, rows[i] ?? 0) > 0) return false;
  return true;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyFacetCounts(): FacetCounts {
  return { province: {}, city: {}, hospital: {}, year: {}, awardType: {}, awardLevel: {}, hospitalKind: {} };
}

/** Everything the index holds that is not derived, as saved beside the index file (column-snapshot.ts). */
export interface MemoryColumns {
  capacity: number;
  live: Uint8Array<ArrayBuffer>;
  ids: Array<string | undefined>;
  titleKeys: string[];
  dateKeys: Int32Array<ArrayBuffer>;
  years: Int32Array<ArrayBuffer>;
  topicality: Float32Array<ArrayBuffer>;
  duplicateOfIds: Array<string | null>;
  facets: Record<FacetField, FacetColumnData>;
  /** Bitsets of frequent words (term-sets.ts); absent in copies saved before they existed. */
  termSets?: Map<TermSetKey, Uint32Array>;
}

export class MemoryIndex {
  private capacity = 0;
  private live = new Uint8Array(0);
  private liveCount = 0;
  private ids: Array<string | undefined> = [];
  private titleKeys: string[] = [];
  private dateKeys = new Int32Array(0);
  private years = new Int32Array(0);
  private topicality = new Float32Array(0);
  private duplicateOfIds: Array<string | null> = [];
  private readonly rowById = new Map<string, number>();
  private facets = this.makeFacetColumns(0);
  private readonly terms: TermSets;
  private readonly titleSets = new TitleSets();
  private termsOf: ((indexed: string) => Iterable<string>) | null = null;

  // Derived from the above, recomputed lazily after writes.
  private groups: Int32Array | null = null;
  private dateOrders: DateOrders | null = null;

  // Scratch marks reused across requests: a row is marked when its stamp equals the current generation.
  private stamp = 0;
  private passMarks = new Int32Array(0);
  private groupMarks = new Int32Array(0);
  private groupRep = new Int32Array(0);

  /** `termSetMinRows`: see TermSets. */
  constructor(options: { termSetMinRows?: number } = {}) {
    this.terms = new TermSets(options.termSetMinRows);
  }

  private makeFacetColumns(capacity: number): Record<FacetField, FacetColumn> {
    return {
      province: new FacetColumn(capacity),
      city: new FacetColumn(capacity),
      hospital: new FacetColumn(capacity),
      year: new FacetColumn(capacity),
      awardType: new FacetColumn(capacity),
      awardLevel: new FacetColumn(capacity),
      hospitalKind: new FacetColumn(capacity),
    };
  }

  get size(): number {
    return this.liveCount;
  }

  /** Words and prefixes held as bitsets (term-sets.ts). */
  get heldTermSets(): number {
    return this.terms.size;
  }

  /** One more than the highest row: the length for arrays indexed by row. */
  get rowCapacity(): number {
    return this.capacity;
  }

  private ensureCapacity(row: number): void {
    if (row < this.capacity) return;
    let capacity = Math.max(1024, this.capacity);
    while (capacity <= row) capacity *= 2;
    const grow = <T extends Int32Array | Float32Array | Uint8Array>(old: T, make: (n: number) => T, fill?: number): T => {
      const next = make(capacity);
      if (fill !== undefined) next.fill(fill);
      next.set(old);
      return next;
    };
    this.live = grow(this.live, (n) => new Uint8Array(n));
    this.dateKeys = grow(this.dateKeys, (n) => new Int32Array(n), noDate);
    this.years = grow(this.years, (n) => new Int32Array(n), noYear);
    this.topicality = grow(this.topicality, (n) => new Float32Array(n));
    this.passMarks = grow(this.passMarks, (n) => new Int32Array(n));
    this.groupMarks = grow(this.groupMarks, (n) => new Int32Array(n));
    this.groupRep = grow(this.groupRep, (n) => new Int32Array(n));
    for (const field of facetFields) this.facets[field].grow(capacity);
    this.terms.grow(capacity);
    this.titleSets.grow(capacity);
    this.capacity = capacity;
  }

  private invalidate(): void {
    this.groups = null;
    this.dateOrders = null;
  }

  toColumns(): MemoryColumns {
    const facets = {} as Record<FacetField, FacetColumnData>;
    for (const field of facetFields) facets[field] = this.facets[field].toData();
    return {
      capacity: this.capacity,
      live: this.live,
      ids: this.ids,
      titleKeys: this.titleKeys,
      dateKeys: this.dateKeys,
      years: this.years,
      topicality: this.topicality,
      duplicateOfIds: this.duplicateOfIds,
      facets,
      termSets: this.terms.toData(),
    };
  }

  /** Replaces everything with saved columns (taken over, not copied). */
  loadColumns(columns: MemoryColumns): void {
    this.capacity = columns.capacity;
    this.live = columns.live;
    this.ids = columns.ids;
    this.titleKeys = columns.titleKeys;
    this.dateKeys = columns.dateKeys;
    this.years = columns.years;
    this.topicality = columns.topicality;
    this.duplicateOfIds = columns.duplicateOfIds;
    this.rowById.clear();
    this.liveCount = 0;
    for (let row = 0; row < this.capacity; row++) {
      if (this.live[row] !== 1) continue;
      this.liveCount++;
      const id = this.ids[row];
      if (id !== undefined) this.rowById.set(id, row);
    }
    this.facets = this.makeFacetColumns(0);
    for (const field of facetFields) this.facets[field] = FacetColumn.fromData(columns.facets[field]);
    this.terms.load(columns.termSets, this.capacity);
    this.titleSets.reset(this.capacity);
    this.passMarks = new Int32Array(this.capacity);
    this.groupMarks = new Int32Array(this.capacity);
    this.groupRep = new Int32Array(this.capacity);
    this.invalidate();
  }

  /** Holds nothing (what a writer beside read workers keeps until it needs its columns). */
  clear(): void {
    this.capacity = 0;
    this.live = new Uint8Array(0);
    this.liveCount = 0;
    this.ids = [];
    this.titleKeys = [];
    this.dateKeys = new Int32Array(0);
    this.years = new Int32Array(0);
    this.topicality = new Float32Array(0);
    this.duplicateOfIds = [];
    this.rowById.clear();
    this.facets = this.makeFacetColumns(0);
    this.terms.reset(0);
    this.titleSets.reset(0);
    this.passMarks = new Int32Array(0);
    this.groupMarks = new Int32Array(0);
    this.groupRep = new Int32Array(0);
    this.invalidate();
  }

  /** Replaces everything with the contents of `db` (docs and facets tables). */
  load(db: Database.Database): void {
    this.clear();
    const maxRow = db.prepare('SELECT max(doc) FROM docs').pluck().get() as number | null;
    if (maxRow !== null) this.ensureCapacity(maxRow);
    const rows = db
      .prepare('SELECT doc, id, title, published_at, year, topicality, duplicate_of FROM docs')
      .raw()
      .iterate() as IterableIterator<[number, string, string, string | null, number | null, number, string | null]>;
    for (const [row, id, title, publishedAt, year, topicality, duplicateOf] of rows) {
      this.setColumns(row, { id, title, publishedAt, year, topicality, duplicateOf });
    }
    const facetRows = db.prepare('SELECT field, value, doc FROM facets').raw().iterate() as IterableIterator<
      [string, string, number]
    >;
    for (const [field, value, row] of facetRows) {
      if ((facetFields as readonly string[]).includes(field)) this.facets[field as FacetField].add(row, value);
    }
  }

  private setColumns(row: number, doc: MemoryDocument): void {
    this.ensureCapacity(row);
    const previous = this.ids[row];
    if (previous !== undefined && previous !== doc.id) this.rowById.delete(previous);
    if (this.live[row] !== 1) this.liveCount++;
    this.live[row] = 1;
    this.ids[row] = doc.id;
    this.rowById.set(doc.id, row);
    this.titleKeys[row] = compactText(doc.title).toLowerCase();
    this.titleSets.setRow(row, this.titleKeys[row]);
    this.dateKeys[row] = toDateKey(doc.publishedAt, doc.year);
    this.years[row] = doc.year ?? noYear;
    this.topicality[row] = doc.topicality;
    this.duplicateOfIds[row] = doc.duplicateOf;
    this.invalidate();
  }

  /** Records a written document (after its transaction committed), from the fields this index keeps: what this thread's writes and another thread's notices give. */
  setRow(row: number, doc: MemoryRow): void {
    this.setColumns(row, doc);
    const values = doc.facets;
    for (const field of facetFields) {
      const column = this.facets[field];
      column.clear(row);
      for (const value of values[field]) column.add(row, value);
    }
    if (this.terms.wantsTerms) {
      // Without FTS5's tokenizer at hand the bitsets cannot be kept exact: they are dropped, to be listed again.
      if (this.termsOf) this.terms.setRow(row, this.termsOf(doc.indexed));
      else this.terms.reset(this.capacity);
    }
  }

  removeRow(row: number): void {
    if (row >= this.capacity || this.live[row] !== 1) return;
    const id = this.ids[row];
    if (id !== undefined) this.rowById.delete(id);
    this.live[row] = 0;
    this.liveCount--;
    this.ids[row] = undefined;
    this.titleKeys[row] = '';
    this.titleSets.setRow(row, '');
    this.duplicateOfIds[row] = null;
    for (const field of facetFields) this.facets[field].clear(row);
    this.terms.removeRow(row);
    this.invalidate();
  }

  /** How to get the terms FTS5 makes of a row's indexed text (from the open connection): what keeps term bitsets exact. */
  useTokenizer(termsOf: (indexed: string) => Iterable<string>): void {
    this.termsOf = termsOf;
  }

  /** The rows FTS5 would list for a held word or prefix; null when it is not held. */
  termRows(key: TermSetKey): RowSet | null {
    const bits = this.terms.bits(key);
    return bits === null ? null : RowSet.ofBits(bits);
  }

  /** Holds FTS5's rows for `key` as a bitset kept up to date by every write, when they are many enough to be worth it. */
  offerTermRows(key: TermSetKey, rows: ArrayLike<number>): void {
    if (this.terms.worthHolding(rows.length, this.liveCount)) this.terms.hold(key, rows);
  }

  holdsTerm(key: TermSetKey): boolean {
    return this.terms.has(key);
  }

  /** The share of their memory budget the held word bitsets take (0 to 1). */
  get termBudgetUsed(): number {
    return this.terms.budgetUsed;
  }

  /** Whether a word in `rows` documents would be held once listed. */
  wouldHoldTerm(rows: number): boolean {
    return this.terms.worthHolding(rows, this.liveCount);
  }

  rowOf(id: string): number | undefined {
    return this.rowById.get(id);
  }

  idOf(row: number): string {
    return this.ids[row] ?? '';
  }

  isLive(row: number): boolean {
    return row < this.capacity && this.live[row] === 1;
  }

  /** The live rows of `rows` that `filter` passes, in the same order. */
  passing(rows: Int32Array, filter: RowFilter): Int32Array {
    const passes = this.passTest(filter, rows.length);
    const out = new Int32Array(rows.length);
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      if (passes(row)) out[n++] = row;
    }
    return out.subarray(0, n);
  }

  /**
   * Whether a row is live and passes `filter`, for a walk over `rows` rows
   * (from the filter's bitset when many). One function for every case, so
   * the walks' call to it stays monomorphic and is inlined.
   */
  private passTest(filter: RowFilter | null, rows: number): (row: number) => boolean {
    const { live } = this;
    const bits = bitsFor(filter, rows);
    const test = bits === null ? filter : null;
    return (row) => live[row] === 1 && (bits !== null ? hasBit(bits, row) : test === null || test(row));
  }

  titleKeyOf(row: number): string {
    return this.titleKeys[row] ?? '';
  }

  /** Every row's title signature (title-sets.ts signatureOf), two words a row: what spares most rows a substring test. */
  titleSignatures(): Uint32Array {
    return this.titleSets.signaturesOf(this.titleKeys);
  }

  /** A bitset over the live rows whose title key (compacted, lower-cased) contains any of `words`. */
  titlesContaining(words: readonly string[]): Uint32Array {
    return this.titleSets.rowsContaining(words, this.titleKeys, this.live);
  }

  topicalityOf(row: number): number {
    return this.topicality[row] ?? 0;
  }

  compareIds(a: number, b: number): number {
    return compareIds(this.ids[a] ?? '', this.ids[b] ?? '');
  }

  /**
   * The canonical row of a row's near-duplicate group: the row its
   * `duplicateOf` names (followed through chains), or itself when it has none
   * or the canonical article is not in the index.
   */
  groupOf(row: number): number {
    return this.getGroups()[row] ?? row;
  }

  private getGroups(): Int32Array {
    if (this.groups) return this.groups;
    const groups = new Int32Array(this.capacity);
    for (let row = 0; row < this.capacity; row++) {
      groups[row] = row;
      if (this.live[row] !== 1) continue;
      let current = row;
      // Chains are short (the indexer points at the first copy); the bound guards against cycles.
      for (let hops = 0; hops < 8; hops++) {
        const target = this.duplicateOfIds[current];
        const next = target ? this.rowById.get(target) : undefined;
        if (next === undefined || next === row) break;
        current = next;
      }
      groups[row] = current;
    }
    this.groups = groups;
    return groups;
  }

  /**
   * A test of whether a row shares a value of `field` with row `a`: built
   * once per source row, since related articles test thousands of candidates.
   */
  sharesFacetWith(field: FacetField, a: number): (b: number) => boolean {
    const column = this.facets[field];
    const mine = column.codesOf(a);
    if (mine.length === 0) return () => false;
    const allowed = new Uint8Array(column.values.length);
    for (const code of mine) allowed[code] = 1;
    return (b) => column.matches(b, allowed);
  }

  /**
   * A predicate for `filters`, or null when they constrain nothing. A value
   * that no document has makes its field, and so the whole filter, match
   * nothing: values are compared, never interpreted. Several filter sets are
   * AND-ed (a request's filters and its fixed scope).
   */
  compileFilter(...filterSets: Array<SearchFilters | undefined>): RowFilter | null {
    const checks = filterSets.flatMap((filters) => (filters ? this.compileChecks(filters) : []));
    if (checks.length === 0) return null;
    if (checks.length === 1) return checks[0]?.test ?? null;
    const tests = checks.map((check) => check.test);
    return rowFilter(
      (row) => tests.every((test) => test(row)),
      () => {
        const [first, ...rest] = tests.map((test) => test.bits());
        const bits = Uint32Array.from(first ?? []);
        for (const other of rest) for (let i = 0; i < bits.length; i++) bits[i] = (bits[i] ?? 0) & (other[i] ?? 0);
        return bits;
      },
    );
  }

  private emptyBits(): Uint32Array {
    return new Uint32Array((this.capacity + 31) >>> 5);
  }

  /** One check per constrained field; `field` is null for the year range, which no facet count lifts. */
  private compileChecks(filters: SearchFilters): FieldCheck[] {
    const checks: FieldCheck[] = [];
    for (const [field, values] of constrainedFields(filters)) {
      const column = this.facets[field];
      const allowed = new Uint8Array(column.values.length);
      let any = false;
      for (const value of values) {
        const code = column.codeOf(value);
        if (code !== undefined) {
          allowed[code] = 1;
          any = true;
        }
      }
      const bits = (): Uint32Array => {
        const out = this.emptyBits();
        if (any) column.markMatching(allowed, out);
        return out;
      };
      checks.push({ field, test: rowFilter(any ? (row) => column.matches(row, allowed) : () => false, bits) });
    }
    const from = filters.yearFrom;
    const to = filters.yearTo;
    if (from !== undefined || to !== undefined) {
      const years = this.years;
      const low = from ?? -Infinity;
      const high = to ?? Infinity;
      const test = (row: number): boolean => {
        const year = years[row] ?? noYear;
        return year !== noYear && year >= low && year <= high;
      };
      const bits = (): Uint32Array => {
        const out = this.emptyBits();
        for (let row = 0; row < this.capacity; row++) if (test(row)) setBit(out, row);
        return out;
      };
      checks.push({ field: null, test: rowFilter(test, bits) });
    }
    return checks;
  }

  /** Every live row in date order (newest first for date_desc), undated rows last, ties by id. */
  dateOrder(sort: Exclude<SortOrder, 'relevance'>): Int32Array {
    return this.dateOrderWithRanks(sort).order;
  }

  private dateOrderWithRanks(sort: Exclude<SortOrder, 'relevance'>): { order: Int32Array; rankOf: Int32Array } {
    this.dateOrders ??= this.buildDateOrders();
    const orders = this.dateOrders;
    return sort === 'date_asc' ? { order: orders.asc, rankOf: orders.ascRank } : { order: orders.desc, rankOf: orders.descRank };
  }

  /**
   * Both date orders, rebuilt after every write and paid by the first
   * date-sorted query or listing after it: sorting rows with a comparator
   * took 100–125 ms for the two at 100k rows, this 58–70 ms (the same
   * orders, on the benchmark index). Here each row becomes one
   * number, its day's rank among the distinct days times the capacity plus
   * the row (exact below 2^53, so for up to 94M rows), sorted as a
   * Float64Array with no comparator; only rows sharing a day (a few dozen)
   * are then put in id order, and date_desc walks the same days backwards.
   */
  private buildDateOrders(): DateOrders {
    const { dateKeys: keys, ids, live, capacity } = this;
    const byId = (a: number, b: number): number => compareIds(ids[a] ?? '', ids[b] ?? '');
    const dated: number[] = [];
    const undated: number[] = [];
    for (let row = 0; row < capacity; row++) {
      if (live[row] !== 1) continue;
      if ((keys[row] ?? noDate) === noDate) undated.push(row);
      else dated.push(row);
    }
    const n = dated.length;
    const dayKeys = Float64Array.from(dated, (row) => keys[row] ?? 0).sort();
    const rankOfDay = new Map<number, number>();
    for (const key of dayKeys) if (!rankOfDay.has(key)) rankOfDay.set(key, rankOfDay.size);
    const span = Math.max(1, capacity);
    const pairs = Float64Array.from(dated, (row) => (rankOfDay.get(keys[row] ?? 0) ?? 0) * span + row).sort();
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = (pairs[i] ?? 0) % span;
    const days: number[] = [];
    for (let i = 0; i < n; ) {
      const day = Math.floor((pairs[i] ?? 0) / span);
      let end = i + 1;
      while (end < n && Math.floor((pairs[end] ?? 0) / span) === day) end++;
      if (end - i > 1 && !inOrder(rows, i, end, byId)) rows.subarray(i, end).sort(byId);
      days.push(i);
      i = end;
    }
    const tail = Int32Array.from(undated).sort(byId);
    const asc = new Int32Array(n + tail.length);
    asc.set(rows);
    asc.set(tail, n);
    const desc = new Int32Array(n + tail.length);
    let at = 0;
    for (let d = days.length - 1; d >= 0; d--) {
      const start = days[d] ?? 0;
      const end = days[d + 1] ?? n;
      desc.set(rows.subarray(start, end), at);
      at += end - start;
    }
    desc.set(tail, at);
    const rankIn = (order: Int32Array): Int32Array => {
      const ranks = new Int32Array(capacity).fill(-1);
      for (let i = 0; i < order.length; i++) ranks[order[i] ?? 0] = i;
      return ranks;
    };
    return { desc, asc, descRank: rankIn(desc), ascRank: rankIn(asc) };
  }

  /**
   * `rows` (any order, each once) in date order; with `tiers`, the exact
   * rows (tier 0) first, then the others, each in date order. Rows not in
   * the index are left out. A few rows are sorted by their rank in the
   * global date order; many are picked out by walking that order, which
   * costs a step per indexed row (a sort of 6k rows costs about as much).
   */
  orderByDate(rows: ArrayLike<number>, sort: Exclude<SortOrder, 'relevance'>, tiers: Uint8Array | null = null): Int32Array {
    const { order, rankOf } = this.dateOrderWithRanks(sort);
    if (tiers === null && rows.length === order.length) return order;
    const span = order.length;
    if (rows.length * 16 < span) {
      // One key a row: its rank, shifted past every exact row's when it is partial.
      const keys = new Int32Array(rows.length);
      let n = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] ?? 0;
        const rank = rankOf[row] ?? -1;
        if (rank === -1) continue;
        keys[n++] = tiers !== null && tiers[row] !== 0 ? span + rank : rank;
      }
      const sorted = keys.subarray(0, n).sort();
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = order[(sorted[i] ?? 0) % span] ?? 0;
      return out;
    }
    const stamp = this.nextStamp();
    const marks = this.passMarks;
    for (let i = 0; i < rows.length; i++) marks[rows[i] ?? 0] = stamp;
    const out = new Int32Array(rows.length);
    const later = tiers !== null ? new Int32Array(rows.length) : null;
    let n = 0;
    let m = 0;
    for (let i = 0; i < span; i++) {
      const row = order[i] ?? 0;
      if (marks[row] !== stamp) continue;
      if (later !== null && tiers !== null && tiers[row] !== 0) later[m++] = row;
      else out[n++] = row;
    }
    if (later !== null) out.set(later.subarray(0, m), n);
    return out.subarray(0, n + m);
  }

  private nextStamp(): number {
    this.stamp = (this.stamp + 1) | 0;
    if (this.stamp === 0) {
      this.passMarks.fill(0);
      this.groupMarks.fill(0);
      this.stamp = 1;
    }
    return this.stamp;
  }

  /**
   * Applies filters and collapsing to `ordered` rows, counts facets over the
   * whole collapsed set and returns the requested slice.
   *
   * Collapsing: a near-duplicate group is represented by its canonical
   * article when that article is in the result, otherwise by the group's
   * best-placed member in the result (a repost that alone matches a filter is
   * still shown, rather than a canonical article that does not match). The
   * other members in the result are folded into the representative.
   */
  collect(ordered: ArrayLike<number>, options: CollectOptions): Collected {
    const stamp = this.nextStamp();
    const { live, passMarks, groupMarks, groupRep } = this;
    const filter = options.filter;
    const bits = bitsFor(filter, ordered.length);
    // Typed arrays sized for the worst case, not pushes: at 100k rows pushing was three quarters of the walk.
    const passing = new Int32Array(ordered.length);
    let passed = 0;
    for (let i = 0; i < ordered.length; i++) {
      const row = ordered[i] ?? 0;
      if (live[row] !== 1 || passMarks[row] === stamp) continue;
      if (bits !== null ? !hasBit(bits, row) : filter !== null && !filter(row)) continue;
      passMarks[row] = stamp;
      passing[passed++] = row;
    }

    let reps = passing.subarray(0, passed);
    const folded = new Map<number, number[]>();
    if (options.collapse) {
      const groups = this.getGroups();
      const kept = new Int32Array(passed);
      let n = 0;
      for (let i = 0; i < passed; i++) {
        const row = passing[i] ?? 0;
        const group = groups[row] ?? row;
        if (group === row) {
          kept[n++] = row;
          continue;
        }
        let rep: number;
        if (passMarks[group] === stamp) rep = group;
        else if (groupMarks[group] === stamp) rep = groupRep[group] ?? row;
        else {
          groupMarks[group] = stamp;
          groupRep[group] = row;
          kept[n++] = row;
          continue;
        }
        const list = folded.get(rep);
        if (list) list.push(row);
        else folded.set(rep, [row]);
      }
      reps = kept.subarray(0, n);
    }

    let facets: FacetCounts | null = null;
    if (options.facets) facets = this.countFacets(reps);

    const hits: CollectedHit[] = [];
    const end = Math.min(reps.length, options.offset + options.limit);
    for (let i = options.offset; i < end; i++) {
      const row = reps[i] ?? 0;
      hits.push({ row, duplicates: folded.get(row) ?? [] });
    }
    return { total: reps.length, hits, facets, reps, folded };
  }

  /**
   * When at least `needed` results (near-duplicate groups when collapsing,
   * else rows) within `filter` hold a row of tier 0, those results' rows,
   * exact and partial, in input order, and how many results hold no tier-0
   * row. Null when fewer: the page then reaches the partial results.
   */
  exactResults(
    rows: Int32Array,
    tiers: Uint8Array,
    filter: RowFilter | null,
    collapse: boolean,
    needed: number,
  ): { rows: Int32Array; partialResults: number } | null {
    const passes = this.passTest(filter, rows.length);
    const stamp = this.nextStamp();
    const groups = this.getGroups();
    const { groupMarks, passMarks } = this;
    const groupOf = (row: number): number => (collapse ? (groups[row] ?? row) : row);
    let exact = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      if (tiers[row] !== 0 || !passes(row)) continue;
      const group = groupOf(row);
      if (groupMarks[group] !== stamp) {
        groupMarks[group] = stamp;
        exact++;
      }
    }
    if (exact < needed) return null;
    const kept = new Int32Array(rows.length);
    let n = 0;
    let partialResults = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      if (!passes(row)) continue;
      const group = groupOf(row);
      if (groupMarks[group] === stamp) kept[n++] = row;
      else if (passMarks[group] !== stamp) {
        passMarks[group] = stamp;
        partialResults++;
      }
    }
    return { rows: kept.subarray(0, n), partialResults };
  }

  /**
   * Applies filters and collapsing to rows in no particular order, each with
   * a score. Same folding rule as `collect`, with "best-placed" meaning the
   * highest score (then the smallest id); a group scores as its best member.
   * Representatives come out in input order; the caller ranks them.
   */
  collapseScored(rows: ArrayLike<number>, scores: ArrayLike<number>, filter: RowFilter | null, collapse: boolean): Collapsed {
    const passes = this.passTest(filter, rows.length);
    const reps = new Int32Array(rows.length);
    const repScores = new Float64Array(rows.length);
    let n = 0;
    const folded = new Map<number, number[]>();
    if (!collapse) {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] ?? 0;
        if (!passes(row)) continue;
        reps[n] = row;
        repScores[n++] = scores[i] ?? 0;
      }
      return { reps: reps.subarray(0, n), scores: repScores.subarray(0, n), folded };
    }
    const stamp = this.nextStamp();
    const groups = this.getGroups();
    const { groupMarks, groupRep } = this;
    // group → rows folded into whichever row ends up holding the group's slot.
    const members = new Map<number, number[]>();
    const fold = (group: number, row: number): void => {
      const list = members.get(group);
      if (list) list.push(row);
      else members.set(group, [row]);
    };
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      if (!passes(row)) continue;
      const score = scores[i] ?? 0;
      const group = groups[row] ?? row;
      if (groupMarks[group] !== stamp) {
        groupMarks[group] = stamp;
        groupRep[group] = n;
        reps[n] = row;
        repScores[n++] = score;
        continue;
      }
      const slot = groupRep[group] ?? 0;
      const holder = reps[slot] ?? 0;
      const takesSlot =
        row === group ||
        (holder !== group &&
          (score > (repScores[slot] ?? 0) || (score === repScores[slot] && this.compareIds(row, holder) < 0)));
      // The group ranks by its best-matching copy (a repost may carry the
      // headline the original lacks), whoever represents it.
      const groupScore = Math.max(score, repScores[slot] ?? 0);
      if (takesSlot) {
        reps[slot] = row;
        fold(group, holder);
      } else {
        fold(group, row);
      }
      repScores[slot] = groupScore;
    }
    for (const [group, list] of members) folded.set(reps[groupRep[group] ?? 0] ?? 0, list);
    return { reps: reps.subarray(0, n), scores: repScores.subarray(0, n), folded };
  }

  /** Facet counts over `rows` (each once); at most `limit` values a field (the most frequent) when given. */
  countFacets(rows: ArrayLike<number>, limit?: number): FacetCounts {
    const out = emptyFacetCounts();
    const { rows: ordered, bits } = this.inRowOrder(rows);
    let rowBits = bits;
    for (const field of facetFields) {
      const column = this.facets[field];
      const counts = new Uint32Array(column.values.length);
      if (column.prefersBits(rows.length, this.capacity)) column.countBits((rowBits ??= this.bitsOfRows(rows)), counts);
      else column.countAll(ordered, counts);
      out[field] = column.toRecord(counts, limit);
    }
    return out;
  }

  /** `rows` in row order, through a bitset (returned too), when they are many and out of it (see orderedCountMin). */
  private inRowOrder(rows: ArrayLike<number>): { rows: ArrayLike<number>; bits: Uint32Array | null } {
    if (rows.length < orderedCountMin || ascending(rows)) return { rows, bits: null };
    const bits = this.bitsOfRows(rows);
    return { rows: rowsOfBits(bits), bits };
  }

  private bitsOfRows(rows: ArrayLike<number>): Uint32Array {
    const bits = this.emptyBits();
    for (let i = 0; i < rows.length; i++) setBit(bits, rows[i] ?? 0);
    return bits;
  }

  /**
   * Disjunctive counts: for each field `filters` constrains, its values
   * counted over the `candidates` that pass every other filter (and `fixed`,
   * which is never lifted), as a faceted search UI shows the alternatives to
   * a selected value. One pass sorts each candidate by which single field
   * check it fails. Collapsing counts a near-duplicate group once, by its
   * canonical article when that is among the rows, else by its first row.
   * When `tiers` are given and some counted row is exact (tier 0), only
   * exact rows count, as for the conjunctive counts.
   */
  countLiftedFacets(
    candidates: ArrayLike<number>,
    filters: SearchFilters,
    fixed: RowFilter | null,
    options: { collapse: boolean; tiers: Uint8Array | null; limit?: number },
  ): Partial<FacetCounts> {
    const checks = this.compileChecks(filters);
    const lifted = checks.flatMap((check, i) => (check.field === null ? [] : [{ field: check.field, index: i }]));
    if (lifted.length === 0) return {};
    const sets: number[][] = lifted.map(() => []);
    const slotOf = new Int32Array(checks.length).fill(-1);
    lifted.forEach(({ index }, slot) => (slotOf[index] = slot));
    const many = candidates.length > bitsetAfterTests;
    const fixedBits = bitsFor(fixed, candidates.length);
    const checkBits = many ? checks.map((check) => check.test.bits()) : null;
    const passesCheck = (c: number, row: number): boolean => {
      const bits = checkBits?.[c];
      if (bits !== undefined) return hasBit(bits, row);
      return checks[c]?.test(row) ?? true;
    };
    for (let i = 0; i < candidates.length; i++) {
      const row = candidates[i] ?? 0;
      if (this.live[row] !== 1) continue;
      if (fixedBits !== null ? !hasBit(fixedBits, row) : fixed !== null && !fixed(row)) continue;
      let failed = -1;
      let several = false;
      for (let c = 0; c < checks.length; c++) {
        if (passesCheck(c, row)) continue;
        if (failed !== -1 || slotOf[c] === -1) {
          several = true;
          break;
        }
        failed = c;
      }
      if (several) continue;
      if (failed === -1) for (const set of sets) set.push(row);
      else sets[slotOf[failed] ?? 0]?.push(row);
    }
    const out: Partial<FacetCounts> = {};
    lifted.forEach(({ field }, slot) => {
      let rows = sets[slot] ?? [];
      const tiers = options.tiers;
      if (tiers && rows.some((row) => tiers[row] === 0)) rows = rows.filter((row) => tiers[row] === 0);
      if (options.collapse) rows = this.oneRowPerGroup(rows);
      const column = this.facets[field];
      const counts = new Uint32Array(column.values.length);
      column.countAll(this.inRowOrder(rows).rows, counts);
      out[field] = column.toRecord(counts, options.limit);
    });
    return out;
  }

  /** `rows` with each near-duplicate group reduced to its canonical row if present, else its first row. */
  private oneRowPerGroup(rows: readonly number[]): number[] {
    const stamp = this.nextStamp();
    const groups = this.getGroups();
    for (const row of rows) this.passMarks[row] = stamp;
    const out: number[] = [];
    for (const row of rows) {
      const group = groups[row] ?? row;
      if (group !== row) {
        if (this.passMarks[group] === stamp || this.groupMarks[group] === stamp) continue;
        this.groupMarks[group] = stamp;
      }
      out.push(row);
    }
    return out;
  }

  /** Every live row passing `filter`, in row order. */
  rowsMatching(filter: RowFilter | null): number[] {
    const out: number[] = [];
    for (let row = 0; row < this.capacity; row++) {
      if (this.live[row] === 1 && (filter === null || filter(row))) out.push(row);
    }
    return out;
  }

  /** Distinct values of a facet field over `rows`. */
  facetValuesOf(field: FacetField, rows: Iterable<number>): Set<string> {
    const column = this.facets[field];
    const out = new Set<string>();
    for (const row of rows) for (const code of column.codesOf(row)) out.add(column.values[code] ?? '');
    return out;
  }
}

interface DateOrders {
  desc: Int32Array;
  asc: Int32Array;
  /** Indexed by row: its place in `desc` / `asc`, -1 for a row not in the index. */
  descRank: Int32Array;
  ascRank: Int32Array;
}

function ascending(rows: ArrayLike<number>): boolean {
  for (let i = 1; i < rows.length; i++) if ((rows[i] ?? 0) < (rows[i - 1] ?? 0)) return false;
  return true;
}
