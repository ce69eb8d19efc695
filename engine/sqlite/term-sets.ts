/**
 * The rows of frequent words and word prefixes as bitsets, beside the FTS
 * index. FTS5 keeps positions next to every row of a word's document list,
 * so listing the rows of a word found in most articles reads all of them:
 * at 100k articles 支部 costs ~16 ms, 6–9 ms in FTS5 and the rest handing
 * 100k rows over, where its bitset decodes in a fraction of a millisecond.
 *
 * A word (or prefix) gets a bitset the first time a query lists its rows
 * and finds it in enough rows; from then on every write keeps it exact,
 * from the document's terms as FTS5's own tokenizer produces them
 * (index-lifecycle.ts asks it), so a bitset answers as FTS5 would. Only
 * words of CJK ideographs are held, which is what the frequent words are.
 */

import type Database from 'better-sqlite3';
import { ftsTokenizer } from './schema.js';

/** Words and prefixes that can be held. */
const heldForm = /^[\u4e00-\u9fff]+$/u;

/** Above this share of the rows a bitset is smaller than the row list, and worth holding. */
const minShare = 1 / 32;
const minRows = 2_000;
/** Memory for all bitsets of one index copy (each read worker holds its own). */
const maxBytes = 32 * 1024 * 1024;

export type TermSetKey = `=${string}` | `*${string}`;

/** The key of a word's rows (`prefix`: of the words starting with it), or null when it cannot be held. */
export function termSetKey(token: string, prefix: boolean): TermSetKey | null {
  if (!heldForm.test(token)) return null;
  return prefix ? `*${token}` : `=${token}`;
}

export class TermSets {
  private readonly sets = new Map<TermSetKey, Uint32Array>();
  private words = 0;

  /** `fewestRows`: the rows a word must be listed in to be held, instead of the default share rule (tests hold every word). */
  constructor(private readonly fewestRows?: number) {}

  get size(): number {
    return this.sets.size;
  }

  has(key: TermSetKey): boolean {
    return this.sets.has(key);
  }

  /** The share of the memory budget the held bitsets take. */
  get budgetUsed(): number {
    return (this.sets.size * this.words * 4) / maxBytes;
  }

  /** The bitset of `key`'s rows, or null when it is not held: kept up to date by writes, so read it within one read, never change it. */
  bits(key: TermSetKey): Uint32Array | null {
    return this.sets.get(key) ?? null;
  }

  /** Whether `rows` (what FTS5 listed for `key`) are worth a bitset; `live`: rows in the index. */
  worthHolding(rows: number, live: number): boolean {
    const enough = this.fewestRows !== undefined ? rows >= this.fewestRows : rows >= minRows && rows >= live * minShare;
    return enough && (this.sets.size + 1) * this.words * 4 <= maxBytes;
  }

  /** Holds `rows`, FTS5's complete answer for `key` at this moment. */
  hold(key: TermSetKey, rows: ArrayLike<number>): void {
    const bits = new Uint32Array(this.words);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      if (row < this.words * 32) setBit(bits, row);
    }
    this.sets.set(key, bits);
  }

  grow(capacity: number): void {
    const words = Math.ceil(capacity / 32);
    if (words <= this.words) return;
    for (const [key, bits] of this.sets) {
      const next = new Uint32Array(words);
      next.set(bits);
      this.sets.set(key, next);
    }
    this.words = words;
  }

  /** Forgets every bitset (the index was reloaded). */
  reset(capacity: number): void {
    this.sets.clear();
    this.words = Math.ceil(capacity / 32);
  }

  removeRow(row: number): void {
    if (this.sets.size === 0 || row >= this.words * 32) return;
    const word = row >>> 5;
    const mask = ~(1 << (row & 31));
    for (const bits of this.sets.values()) bits[word] = (bits[word] ?? 0) & mask;
  }

  /** Whether a write must tell which terms the row has (some word is held). */
  get wantsTerms(): boolean {
    return this.sets.size > 0;
  }

  /** Records the row's terms, as FTS5's tokenizer gives them (lower-cased, each once or more). */
  setRow(row: number, terms: Iterable<string>): void {
    this.removeRow(row);
    if (this.sets.size === 0 || row >= this.words * 32) return;
    const word = row >>> 5;
    const bit = 1 << (row & 31);
    const mark = (key: TermSetKey): void => {
      const bits = this.sets.get(key);
      if (bits) bits[word] = (bits[word] ?? 0) | bit;
    };
    for (const term of terms) {
      // A prefix query matches every term that starts with it, whatever follows.
      const chars = [...term];
      let prefix = '';
      for (const ch of chars) {
        if (!heldForm.test(ch)) break;
        prefix += ch;
        mark(`*${prefix}`);
      }
      if (prefix.length === term.length) mark(`=${term}`);
    }
  }

  toData(): Map<TermSetKey, Uint32Array> {
    return new Map(this.sets);
  }

  /** Bitsets as saved beside the index; those of another width are left out. */
  load(sets: ReadonlyMap<TermSetKey, Uint32Array> | undefined, capacity: number): void {
    this.reset(capacity);
    for (const [key, bits] of sets ?? []) if (bits.length === this.words) this.sets.set(key, bits);
  }
}

/** Sets bit `row` of a bitset of rows. */
export function setBit(bits: Uint32Array, row: number): void {
  bits[row >>> 5] = (bits[row >>> 5] ?? 0) | (1 << (row & 31));
}

/** Whether bit `row` of a bitset of rows is set. */
export function hasBit(bits: Uint32Array, row: number): boolean {
  return ((bits[row >>> 5] ?? 0) & (1 << (row & 31))) !== 0;
}

/** Set bits of a 32-bit word. */
export function popCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The set bits' positions, ascending. */
export function rowsOfBits(bits: Uint32Array): Int32Array {
  let count = 0;
  for (let i = 0; i < bits.length; i++) count += popCount(bits[i] ?? 0);
  const out = new Int32Array(count);
  let n = 0;
  for (let i = 0; i < bits.length; i++) {
    let word = bits[i] ?? 0;
    while (word !== 0) {
      const lowest = word & -word;
      out[n++] = i * 32 + 31 - Math.clz32(lowest);
      word ^= lowest;
    }
  }
  return out;
}

/**
 * The distinct terms FTS5's tokenizer makes of a text, read back through a
 * scratch table in the connection's temporary schema (writable even on a
 * read-only connection): the only way to split text exactly as the index
 * does (unicode61 keeps combining marks and unassigned code points inside
 * tokens, where a regular expression would split).
 */
export function termProbe(db: Database.Database): (text: string) => string[] {
  db.exec(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.term_probe USING fts5 (text, content='', contentless_delete=1, ${ftsTokenizer}, detail=none)`);
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.term_probe_vocab USING fts5vocab(temp, term_probe, 'row')");
  const insert = db.prepare('INSERT INTO temp.term_probe (rowid, text) VALUES (1, ?)');
  const terms = db.prepare('SELECT term FROM temp.term_probe_vocab').pluck();
  const clear = db.prepare("INSERT INTO temp.term_probe (term_probe) VALUES ('delete-all')");
  return (text) => {
    insert.run(text);
    try {
      return terms.all() as string[];
    } finally {
      clear.run();
    }
  };
}
