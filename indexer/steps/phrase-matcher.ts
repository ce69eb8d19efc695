/**
 * Longest-match dictionary lookup over Chinese text, for gazetteer and
 * hospital-name tables with thousands of entries. A single alternation regex
 * over that many literals is slow in V8; bucketing phrases by their first two
 * characters keeps each position to a handful of `startsWith` checks (one
 * character is not enough: hundreds of place names start with 中 or 大).
 */
export interface PhraseMatch<T> {
  start: number;
  end: number;
  phrase: string;
  values: T[];
}

/** The first two UTF-16 units as one number: no string allocated per text position. */
function prefixKey(text: string, index: number): number {
  return text.charCodeAt(index) * 65536 + text.charCodeAt(index + 1);
}

export class PhraseMatcher<T> {
  private readonly byPhrase = new Map<string, T[]>();
  private readonly byPrefix = new Map<number, string[]>();
  private readonly single = new Set<string>();
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
      this.single.add(phrase);
      return;
    }
    const key = prefixKey(phrase, 0);
    const bucket = this.byPrefix.get(key);
    if (bucket) bucket.push(phrase);
    else this.byPrefix.set(key, [phrase]);
  }

  private freeze(): void {
    if (this.frozen) return;
    for (const bucket of this.byPrefix.values()) bucket.sort((a, b) => b.length - a.length);
    this.frozen = true;
  }

  get(phrase: string): readonly T[] | undefined {
    return this.byPhrase.get(phrase);
  }

  /** The longest phrase starting exactly at `index`, if any. */
  matchAt(text: string, index: number): PhraseMatch<T> | null {
    this.freeze();
    const bucket = index + 1 < text.length ? this.byPrefix.get(prefixKey(text, index)) : undefined;
    if (bucket) {
      for (const phrase of bucket) {
        if (text.startsWith(phrase, index)) {
          return { start: index, end: index + phrase.length, phrase, values: this.byPhrase.get(phrase) as T[] };
        }
      }
    }
    const ch = text[index] as string;
    if (this.single.has(ch)) return { start: index, end: index + 1, phrase: ch, values: this.byPhrase.get(ch) as T[] };
    return null;
  }

  /** Non-overlapping matches, scanning left to right and taking the longest phrase at each position. */
  findAll(text: string, accept?: (match: PhraseMatch<T>) => boolean): PhraseMatch<T>[] {
    this.freeze();
    const out: PhraseMatch<T>[] = [];
    let i = 0;
    while (i < text.length) {
      const m = this.matchAt(text, i);
      if (m && (accept === undefined || accept(m))) {
        out.push(m);
        i = m.end;
      } else {
        i++;
      }
    }
    return out;
  }
}
