/**
 * Which rows' titles contain a word, held as bitsets for the words of broad
 * clauses. Ranking gives a bonus to the rows whose title holds a clause;
 * testing each matching title costs ~40 ns, so a clause matching 60,000
 * rows spent milliseconds on it in every query. The words of such clauses
 * are the corpus's frequent ones, few enough to keep: a bitset is computed
 * the first time a broad clause asks for it and every write keeps it exact.
 * Each title's signature, a 64-bit hash of its characters, rules out most
 * titles before their text is searched, both when a bitset is computed and
 * when a narrower clause's matching titles are tested one by one.
 */
import { hasBit, setBit } from './term-sets.js';

/**
 * A text's UTF-16 code units hashed onto 64 bits (two 32-bit words): a word
 * can only be inside a title whose signature holds every bit of the word's.
 * The benchmark's titles set enough bits that one test in five still
 * passes (terms2 queries at 100k); the substring search (~40 ns) runs on
 * those only.
 */
export interface Signature {
  low: number;
  high: number;
}

export function signatureOf(text: string): Signature {
  let low = 0;
  let high = 0;
  for (let i = 0; i < text.length; i++) {
    const bit = Math.imul(text.charCodeAt(i), 0x9e3779b1) >>> 26;
    if (bit < 32) low |= 1 << bit;
    else high |= 1 << (bit - 32);
  }
  return { low: low >>> 0, high: high >>> 0 };
}

/** Whether row `row`'s signature (two words a row in `signatures`) holds every bit of `word`. */
export function mayContain(signatures: Uint32Array, row: number, word: Signature): boolean {
  const low = signatures[2 * row] ?? 0;
  const high = signatures[2 * row + 1] ?? 0;
  return ((low & word.low) >>> 0) === word.low && ((high & word.high) >>> 0) === word.high;
}

/** Whether row `row`'s signature could hold any of `words`. */
export function mayContainAny(signatures: Uint32Array, row: number, words: readonly Signature[]): boolean {
  for (let i = 0; i < words.length; i++) if (mayContain(signatures, row, words[i] as Signature)) return true;
  return false;
}

/** Memory for one index copy's title bitsets (each read worker holds its own). */
const maxBytes = 8 * 1024 * 1024;

export class TitleSets {
  /** Key: the words joined by line breaks (never inside a title key); in use order, least recent first. */
  private readonly sets = new Map<string, { words: readonly string[]; bits: Uint32Array }>();
  private words32 = 0;
  /** Every row's title signature, two words a row; built when first asked for, then kept by every write. */
  private signatures: Uint32Array | null = null;

  /** The rows' title signatures (see signatureOf), from `titleKeys` the first time. */
  signaturesOf(titleKeys: readonly string[]): Uint32Array {
    if (this.signatures !== null) return this.signatures;
    const rows = this.words32 * 32;
    const out = new Uint32Array(2 * rows);
    for (let row = 0; row < Math.min(rows, titleKeys.length); row++) {
      const signature = signatureOf(titleKeys[row] ?? '');
      out[2 * row] = signature.low;
      out[2 * row + 1] = signature.high;
    }
    this.signatures = out;
    return out;
  }

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
    const signatures = this.signaturesOf(titleKeys);
    const wanted = words.filter((word) => word !== '');
    const wordSignatures = wanted.map(signatureOf);
    for (let row = 0; row < rows; row++) {
      if (live[row] !== 1) continue;
      for (let w = 0; w < wanted.length; w++) {
        if (mayContain(signatures, row, wordSignatures[w] as Signature) && (titleKeys[row] ?? '').includes(wanted[w] ?? '')) {
          setBit(bits, row);
          break;
        }
      }
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
    if (this.signatures !== null) {
      const next = new Uint32Array(2 * words32 * 32);
      next.set(this.signatures);
      this.signatures = next;
    }
    this.words32 = words32;
  }

  /** Forgets every set (the index was reloaded). */
  reset(capacity: number): void {
    this.sets.clear();
    this.signatures = null;
    this.words32 = Math.ceil(capacity / 32);
  }

  /** Records a row's new title key ('' for a removed row). */
  setRow(row: number, titleKey: string): void {
    if (row >= this.words32 * 32) return;
    if (this.signatures !== null) {
      const signature = signatureOf(titleKey);
      this.signatures[2 * row] = signature.low;
      this.signatures[2 * row + 1] = signature.high;
    }
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
