/**
 * Suggestions are picked by SQLite (ORDER BY weight DESC, length(text),
 * text, doc) and ordered again in JavaScript; both must be one order, or the
 * best entries SQLite hands over would not be the first ones shown.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compareEntries } from '../../engine/sqlite/suggest.js';

type Entry = Parameters<typeof compareEntries>[0];
const entry = (text: string, weight = 1, doc: number | null = null): Entry => ({ text, weight, doc, canonical: null });

describe('suggestion order', () => {
  it.each([
    ['heavier first', entry('党建品牌', 2), entry('党建', 1)],
    ['then shorter', entry('党建', 1), entry('党建品牌', 1)],
    ['a character past U+FFFF counts as one', entry('𠀾建', 1), entry('党建品', 1)],
    ['then by code point: U+FF01 before U+20000', entry('党！', 1), entry('党𠀾', 1)],
    ['then the earlier article', entry('党建', 1, 3), entry('党建', 1, 17)],
    ['an aggregate (no article) before an article', entry('党建', 1, null), entry('党建', 1, 0)],
  ])('%s', (_name, first, second) => {
    expect(compareEntries(first, second)).toBeLessThan(0);
    expect(compareEntries(second, first)).toBeGreaterThan(0);
    expect(compareEntries(first, { ...first })).toBe(0);
  });

  it('is the order SQLite sorts the suggest table in', () => {
    const alphabet = ['党', '建', 'a', 'Z', '！', '\uE000', '\uFFFD', '𠀾', '𪚥', ' '];
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const entries: Entry[] = [];
    for (let i = 0; i < 400; i++) {
      const text = Array.from({ length: 1 + next(4) }, () => alphabet[next(alphabet.length)]).join('');
      entries.push(entry(text, [1, 1.5, 2][next(3)] ?? 1, next(3) === 0 ? null : next(50)));
    }
    const db = new Database(':memory:');
    db.exec('CREATE TABLE s (text TEXT, weight REAL, doc INTEGER)');
    const insert = db.prepare('INSERT INTO s VALUES (?, ?, ?)');
    for (const e of entries) insert.run(e.text, e.weight, e.doc);
    const bySqlite = db.prepare('SELECT text, weight, doc FROM s ORDER BY weight DESC, length(text), text, doc').all() as Entry[];
    const key = (e: Entry): string => `${e.weight}|${e.text}|${e.doc}`;
    expect([...entries].sort(compareEntries).map(key)).toEqual(bySqlite.map(key));
    db.close();
  });
});
