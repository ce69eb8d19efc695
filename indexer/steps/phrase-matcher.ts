/**
 * Longest-match dictionary lookup over Chinese text, for gazetteer and
 * hospital-name tables with thousands of entries. A single alternation regex
 * over that many literals is slow in V8; bucketing phrases by their first
 * character keeps each position to a handful of `startsWith` checks.
 */
export interface PhraseMatch<T> {
  start: number;
  end: number;
  phrase: string;
  values: T[];
}

export class PhraseMatcher<T> {
  private readonly byPhrase = new Map<string, T[]>();
  private readonly byFirstChar = new Map<string, string[]>();
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
    const first = phrase[0] as string;
    const bucket = this.byFirstChar.get(first);
    if (bucket) bucket.push(phrase);
    else this.byFirstChar.set(first, [phrase]);
  }

  private freeze(): void {
    if (this.frozen) return;
    for (const bucket of this.byFirstChar.values()) bucket.sort((a, b) => b.length - a.length);
    this.frozen = true;
  }

  get(phrase: string): readonly T[] | undefined {
    return this.byPhrase.get(phrase);
  }

  /** The longest phrase starting exactly at `index`, if any. */
  matchAt(text: string, index: number): PhraseMatch<T> | null {
    this.freeze();
    const bucket = this.byFirstChar.get(text[index] as string);
    if (!bucket) return null;
    for (const phrase of bucket) {
      if (text.startsWith(phrase, index)) {
        return { start: index, end: index + phrase.length, phrase, values: this.byPhrase.get(phrase) as T[] };
      }
    }
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
