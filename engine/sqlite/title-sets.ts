/**
 * Which rows' titles contain a word, held as bitsets for the words of broad
 * clauses. Ranking gives a bonus to the rows whose title holds a clause;
 * testing each matching title costs ~40 ns, so a clause matching 60,000
 * rows spent milliseconds on it in every query. The words of such clauses
 * are the corpus's frequent ones, few enough to keep: a bitset is computed
 * the first time a broad clause asks for it and every write keeps it exact.
 */
import { hasBit, setBit } from './term-sets.js';

/** Memory for one index copy's title bitsets (each read worker holds its own). */
const maxBytes = 8 * 1024 * 1024;

export class TitleSets {
  /** Key: the words joined by line breaks (never inside a title key); in use order, least recent first. */
  private readonly sets = new Map<string, { words: readonly string[]; bits: Uint32Array }>();
  private words32 = 0;

  /**
   * A bitset over the rows whose title key contains any of `words`.
   * `titleKeys` and `live` are the index's columns, read when the set is
   * not held yet.
   */
  rowsContaining(words: readonly string[], titleKeys: readonly string[], live: Uint8Array): Uint32Array {
    const key = words.join('\n');
    const held = this.sets.get(key);
    if (held) {
      this.sets.delete(key);
      this.sets.set(key, held);
      return held.bits;
    }
    const bits = new Uint32Array(this.words32);
    const rows = Math.min(live.length, this.words32 * 32);
    for (let row = 0; row < rows; row++) {
      if (live[row] === 1 && containsAny(titleKeys[row] ?? '', words)) setBit(bits, row);
    }
    const budget = Math.max(1, Math.floor(maxBytes / Math.max(4, this.words32 * 4)));
    while (this.sets.size >= budget) {
      const oldest = this.sets.keys().next().value;
      if (oldest === undefined) break;
      this.sets.delete(oldest);
    }
    this.sets.set(key, { words, bits });
    return bits;
  }

  /** Row capacity grew to `capacity`. */
  grow(capacity: number): void {
    const words32 = Math.ceil(capacity / 32);
    if (words32 <= this.words32) return;
    for (const held of this.sets.values()) {
      const next = new Uint32Array(words32);
      next.set(held.bits);
      held.bits = next;
    }
    this.words32 = words32;
  }

  /** Forgets every set (the index was reloaded). */
  reset(capacity: number): void {
    this.sets.clear();
    this.words32 = Math.ceil(capacity / 32);
  }

  /** Records a row's new title key ('' for a removed row). */
  setRow(row: number, titleKey: string): void {
    if (row >= this.words32 * 32) return;
    const word = row >>> 5;
    const bit = 1 << (row & 31);
    for (const held of this.sets.values()) {
      const has = titleKey !== '' && containsAny(titleKey, held.words);
      if (has !== hasBit(held.bits, row)) held.bits[word] = (held.bits[word] ?? 0) ^ bit;
    }
  }
}

function containsAny(title: string, words: readonly string[]): boolean {
  for (const word of words) if (word !== '' && title.includes(word)) return true;
  return false;
}
