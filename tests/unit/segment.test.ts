import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rankKeywords, segmentText, segmentWords } from '../../engine/analysis/segment.js';
import { normaliseText } from '../../engine/analysis/normalise.js';

const devArticles = readFileSync(join(import.meta.dirname, '../fixtures/corpus-dev/articles.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { title?: string; text?: string; html?: string });

describe('segmentText', () => {
  it.each([
    ['党建引领发展', ['党建引领', '发展'], [0, 4]],
    ['医院召开会议', ['医院', '召开', '会议'], [0, 2, 4]],
    ['2022年“五星级党支部”', ['2022', '年', '五星级党支部'], [0, 4, 6]],
    ['MDT团队，DIP改革', ['mdt', '团队', 'dip', '改革'], [0, 3, 6, 9]],
    ['党建+业务 covid-19 防控', ['党建', '业务', 'covid', '19', '防控'], [0, 3, 6, 12, 15]],
    ['', [], []],
    ['，。！', [], []],
  ])('%j: words in text order, each at its offset', (text, words, starts) => {
    expect(segmentText(text)).toEqual({ words, starts });
  });

  it('gives every word of a real article at the offset where the text writes it, in order', () => {
    let total = 0;
    for (const article of devArticles.slice(0, 40)) {
      const text = normaliseText(`${article.title ?? ''}\n${article.text ?? article.html ?? ''}`);
      const { words, starts } = segmentText(text);
      expect(words.length).toBe(starts.length);
      total += words.length;
      for (let i = 0; i < words.length; i++) {
        expect(text.slice(starts[i], starts[i]! + words[i]!.length).toLowerCase()).toBe(words[i]);
        if (i > 0) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
      }
    }
    expect(total).toBeGreaterThan(5000);
  });

  it('cuts each run of ideographs as that run alone would be cut', () => {
    for (const article of devArticles.slice(0, 20)) {
      const text = normaliseText(article.text ?? article.html ?? '');
      const { words, starts } = segmentText(text);
      const expected: string[] = [];
      const expectedStarts: number[] = [];
      for (const run of text.matchAll(/[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+(?:[.%][0-9]+)?%?/gu)) {
        if (/^[A-Za-z0-9]/u.test(run[0])) {
          expected.push(run[0].toLowerCase());
          expectedStarts.push(run.index);
          continue;
        }
        let at = run.index;
        // The run cut on its own: what the words of the text must be, run by run.
        for (const word of segmentWords(run[0])) {
          expected.push(word);
          expectedStarts.push(at);
          at += word.length;
        }
      }
      expect(words).toEqual(expected);
      expect(starts).toEqual(expectedStarts);
    }
  });
});

describe('rankKeywords', () => {
  it('ranks by count × IDF, drops numbers, single characters and stop words, and breaks ties by first appearance', () => {
    const words = ['2022', '的', '医院', '党支部', '党支部', '党支部', '标杆', '示范点', '示范点', '12.5%', '我们'];
    const ranked = rankKeywords(words, 10);
    expect(ranked[0]).toBe('党支部');
    expect(ranked).toContain('示范点');
    expect(ranked).not.toContain('2022');
    expect(ranked).not.toContain('12.5%');
    expect(ranked).not.toContain('的');
    expect(ranked).not.toContain('我们');
    expect(rankKeywords(words, 2)).toEqual(ranked.slice(0, 2));
    // Two words unknown to the IDF table, seen once each, weigh the same: the first seen comes first.
    expect(rankKeywords(['甲乙丙丁戊', '戊丁丙乙甲'], 2)).toEqual(['甲乙丙丁戊', '戊丁丙乙甲']);
    expect(rankKeywords(['戊丁丙乙甲', '甲乙丙丁戊'], 2)).toEqual(['戊丁丙乙甲', '甲乙丙丁戊']);
  });

  it('lower-cases Latin words and keeps one of each', () => {
    expect(rankKeywords(['MDT', 'mdt', 'Mdt'], 5)).toEqual(['mdt']);
  });
});
