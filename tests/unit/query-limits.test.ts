/** What bounds the work of one search: repeated words, the number of clauses, the positions indexed per column. */
import { describe, expect, it } from 'vitest';
import { analyseQuery, maxQueryClauses } from '../../engine/analysis/query.js';
import { capIndexedTokens, maxIndexedPositions } from '../../engine/sqlite/document-writer.js';

describe('query clauses', () => {
  it.each([
    ['50 space-separated copies', Array.from({ length: 50 }, () => '党').join(' ')],
    ['200 copies without spaces', '党'.repeat(200)],
    ['copies around other words', '党建 医院 党建 医院 党建'],
  ])('keeps one clause per distinct word: %s', (_, raw) => {
    const query = analyseQuery(raw);
    const texts = query.clauses.map((c) => c.text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts.length).toBeGreaterThan(0);
  });

  it('keeps the first words of a long query, up to the cap', () => {
    const words = ['党建', '医院', '支部', '先锋', '抗疫', '志愿', '服务', '教育', '培训', '表彰', '基层', '组织'];
    const query = analyseQuery(words.join(' '));
    expect(query.clauses).toHaveLength(maxQueryClauses);
    expect(query.clauses.map((c) => c.text)).toEqual(words.slice(0, maxQueryClauses));
  });

  it('keeps a quoted phrase apart from the same word unquoted', () => {
    const query = analyseQuery('党建 "党建"');
    expect(query.clauses.map((c) => c.phrase)).toEqual([false, true]);
  });
});

describe('indexed positions', () => {
  it('keeps the first tokens of a long column', () => {
    expect(capIndexedTokens('a b c d', 2)).toBe('a b');
    expect(capIndexedTokens('a b', 2)).toBe('a b');
    expect(capIndexedTokens('', 2)).toBe('');
    const long = Array.from({ length: maxIndexedPositions + 10 }, (_, i) => `t${i}`).join(' ');
    const capped = capIndexedTokens(long).split(' ');
    expect(capped).toHaveLength(maxIndexedPositions);
    expect(capped.at(-1)).toBe(`t${maxIndexedPositions - 1}`);
  });
});
