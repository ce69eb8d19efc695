/**
 * Longest-match dictionary lookup over Chinese text, for gazetteer and
 * hospital-name tables with thousands of entries. A single alternation regex
 * over that many literals is slow in V8; bucketing phrases by their first two
 * characters keeps each position to a handful of `startsWith` checks (one
 * character is not enough: hundreds of place names start with 中 or 大).
 *
 * Most positions of a text start no phrase, and the matchers scan every
 * position of every article (places twice, hospitals, the phrases that are
 * not places), so a position is first tested against a bitset of the
 * phrases' first two characters: no map lookup and no string allocated for
 * the usual miss.
 */
export interface PhraseMatch<T> {
  start: number;
  end: number;
  phrase: string;
  values: T[];
}

/**
 * The first two UTF-16 units folded into 30 bits, so the key stays a small
 * integer (a larger number is a heap object in V8, allocated and hashed per
 * lookup). Units that differ only in their top bit share a bucket; every
 * candidate is checked with `startsWith`, so sharing costs a check, never a
 * wrong match.
 */
function pairKey(first: number, second: number): number {
  return ((first & 0x7fff) << 15) | (second & 0x7fff);
}

function prefixKey(text: string, index: number): number {
  return pairKey(text.charCodeAt(index), text.charCodeAt(index + 1));
}

const filterBits = 20;

/** The bit of a prefix key in the filter: a multiplicative hash, so neighbouring characters spread. */
function filterSlot(key: number): number {
  return Math.imul(key, 0x9e3779b1) >>> (32 - filterBits);
}

export class PhraseMatcher<T> {
  private readonly byPhrase = new Map<string, T[]>();
  private readonly byPrefix = new Map<number, string[]>();
  /** One bit per filter slot holding the prefix of some phrase of two or more characters. */
  private readonly prefixFilter = new Uint32Array((1 << filterBits) / 32);
  /** UTF-16 units that are one-character phrases by themselves. */
  private readonly single = new Uint8Array(65536);
  private frozen = false;

  add(phrase: string, value: T): void {
    if (phrase === '') return;
    if (this.frozen) throw new Error('PhraseMatcher: add() after the first lookup');
    const list = this.byPhrase.get(phrase);
    if (list) {
      if (!list.includes(value)) list.push(value);
      return;
    }
    this.byPhrase.set(phrase, [value]);
    if (phrase.length === 1) {
      this.single[phrase.charCodeAt(0)] = 1;
      return;
    }
    const key = prefixKey(phrase, 0);
    const slot = filterSlot(key);
    this.prefixFilter[slot >>> 5]! |= 1 << (slot & 31);
    const bucket = this.byPrefix.get(key);
    if (bucket) bucket.push(phrase);
    else this.byPrefix.set(key, [phrase]);
  }

  private freeze(): void {
    if (this.frozen) return;
    for (const bucket of this.byPrefix.values()) bucket.sort((a, b) => b.length - a.length);
    this.frozen = true;
  }

  /** Whether some phrase may start with the two units of `key`; false for certain. */
  private mayStartWith(key: number): boolean {
    const slot = filterSlot(key);
    return (this.prefixFilter[slot >>> 5]! & (1 << (slot & 31))) !== 0;
  }

  get(phrase: string): readonly T[] | undefined {
    return this.byPhrase.get(phrase);
  }

  /** The longest phrase starting exactly at `index`, if any. */
  matchAt(text: string, index: number): PhraseMatch<T> | null {
    this.freeze();
    if (index + 1 < text.length) {
      const key = prefixKey(text, index);
      if (this.mayStartWith(key)) {
        const bucket = this.byPrefix.get(key);
        if (bucket) {
          for (const phrase of bucket) {
            if (text.startsWith(phrase, index)) {
              return { start: index, end: index + phrase.length, phrase, values: this.byPhrase.get(phrase) as T[] };
            }
          }
        }
      }
    }
    if (index < text.length && this.single[text.charCodeAt(index)] === 1) {
      const ch = text[index] as string;
      return { start: index, end: index + 1, phrase: ch, values: this.byPhrase.get(ch) as T[] };
    }
    return null;
  }

  /** Non-overlapping matches, scanning left to right and taking the longest phrase at each position. */
  findAll(text: string, accept?: (match: PhraseMatch<T>) => boolean): PhraseMatch<T>[] {
    this.freeze();
    const out: PhraseMatch<T>[] = [];
    const { single } = this;
    const n = text.length;
    let unit = n > 0 ? text.charCodeAt(0) : 0;
    let i = 0;
    while (i < n) {
      // The usual position starts no phrase: told from the two units alone, without a call.
      const nextUnit = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (single[unit] === 0 && (i + 1 >= n || !this.mayStartWith(pairKey(unit, nextUnit)))) {
        i++;
        unit = nextUnit;
        continue;
      }
      const m = this.matchAt(text, i);
      if (m && (accept === undefined || accept(m))) {
        out.push(m);
        i = m.end;
        unit = i < n ? text.charCodeAt(i) : 0;
      } else {
        i++;
        unit = nextUnit;
      }
    }
    return out;
  }
}
