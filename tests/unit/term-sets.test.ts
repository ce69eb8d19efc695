import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { rowsOfBits, termProbe, TermSets, termSetKey } from '../../engine/sqlite/term-sets.js';

const rowsOf = (sets: TermSets, key: Parameters<TermSets['bits']>[0]): number[] | null => {
  const bits = sets.bits(key);
  return bits === null ? null : [...rowsOfBits(bits)];
};

describe('rowsOfBits', () => {
  const cases: Array<{ name: string; words: number[]; rows: number[] }> = [
    { name: 'empty', words: [0, 0], rows: [] },
    { name: 'first and last bit of a word', words: [0x80000001], rows: [0, 31] },
    { name: 'across words', words: [0b10, 0, 0x40000000], rows: [1, 94] },
    { name: 'a full word', words: [0xffffffff], rows: Array.from({ length: 32 }, (_, i) => i) },
  ];
  it.each(cases)('$name', ({ words, rows }) => {
    expect([...rowsOfBits(Uint32Array.from(words))]).toEqual(rows);
  });
});

describe('termSetKey', () => {
  const cases: Array<[string, boolean, string | null]> = [
    ['党支部', false, '=党支部'],
    ['党建', true, '*党建'],
    ['5g', false, null],
    ['党建abc', false, null],
    ['', false, null],
  ];
  it.each(cases)('%s (prefix %s) → %s', (token, prefix, key) => {
    expect(termSetKey(token, prefix)).toBe(key);
  });
});

describe('TermSets', () => {
  const held = (): TermSets => {
    const sets = new TermSets(1);
    sets.grow(64);
    sets.hold('=党建', [1, 3]);
    sets.hold('*党建', [1, 3, 5]);
    sets.hold('=支部', [2]);
    return sets;
  };

  it('answers what it was given, in row order', () => {
    const sets = held();
    expect(rowsOf(sets, '=党建')).toEqual([1, 3]);
    expect(rowsOf(sets, '*党建')).toEqual([1, 3, 5]);
    expect(rowsOf(sets, '=医院')).toBeNull();
  });

  it('keeps words and prefixes exact through writes', () => {
    const sets = held();
    // Row 7: 党建品牌 starts with 党建 (prefix) but is not the word 党建.
    sets.setRow(7, ['党建品牌', '医院']);
    expect(rowsOf(sets, '=党建')).toEqual([1, 3]);
    expect(rowsOf(sets, '*党建')).toEqual([1, 3, 5, 7]);
    // Row 3 rewritten without 党建, with 支部.
    sets.setRow(3, ['支部']);
    expect(rowsOf(sets, '=党建')).toEqual([1]);
    expect(rowsOf(sets, '*党建')).toEqual([1, 5, 7]);
    expect(rowsOf(sets, '=支部')).toEqual([2, 3]);
    sets.removeRow(1);
    expect(rowsOf(sets, '=党建')).toEqual([]);
    expect(rowsOf(sets, '*党建')).toEqual([5, 7]);
  });

  it('counts a term that goes on past ideographs under its ideograph prefixes only', () => {
    const sets = held();
    sets.setRow(9, ['党建abc']);
    expect(rowsOf(sets, '*党建')).toEqual([1, 3, 5, 9]);
    expect(rowsOf(sets, '=党建')).toEqual([1, 3]);
  });

  it('grows with the index and keeps its rows', () => {
    const sets = held();
    sets.grow(1000);
    sets.setRow(900, ['党建']);
    expect(rowsOf(sets, '=党建')).toEqual([1, 3, 900]);
  });

  it('holds a word only when it is listed in enough rows', () => {
    const byDefault = new TermSets();
    byDefault.grow(200_000);
    expect(byDefault.worthHolding(1_999, 10_000)).toBe(false);
    expect(byDefault.worthHolding(2_000, 100_000)).toBe(false);
    expect(byDefault.worthHolding(3_200, 100_000)).toBe(true);
    expect(new TermSets(5).worthHolding(5, 1_000_000)).toBe(true);
  });

  it('is saved and loaded, leaving out bitsets of another width', () => {
    const sets = held();
    const copy = new TermSets(1);
    const saved = sets.toData();
    saved.set('=医院', new Uint32Array(1));
    copy.load(saved, 64);
    expect(rowsOf(copy, '*党建')).toEqual([1, 3, 5]);
    expect(rowsOf(copy, '=医院')).toBeNull();
  });
});

describe('termProbe', () => {
  it('splits text into terms as the FTS5 index does', () => {
    const db = new Database(':memory:');
    try {
      const termsOf = termProbe(db);
      // A combining mark stays inside the term (a regular expression over letters would split there); case folds.
      expect(termsOf('党\u0301建 党建ABC 医院，医院').sort()).toEqual(['党建abc', '党\u0301建', '医院'].sort());
      // Each call starts empty.
      expect(termsOf('支部')).toEqual(['支部']);
    } finally {
      db.close();
    }
  });
});
