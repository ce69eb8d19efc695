import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKeywordStopwords } from '../../config/data.js';
import { cleanArticle } from '../../indexer/steps/clean.js';
import { extractArticleKeywords } from '../../indexer/steps/extract-keywords.js';

const corpusDir = join(import.meta.dirname, '../../corpus');

function keywordsOf(file: string): string[] {
  const text = readFileSync(join(corpusDir, file), 'utf8');
  const c = cleanArticle({ sourcePath: file, format: 'txt', inputBytes: text.length, text });
  return extractArticleKeywords({ title: c.title, body: c.body });
}

describe('keywords', () => {
  it.each([
    ['002_94a6097dd52ce2f1.txt', ['妇幼']],
    ['003_ae1c95c1e18dc3ef.txt', ['乳腺']],
    ['004_3b0527f88f1cf3c1.txt', ['党建工作示范点']],
  ])('%s is described by %j', (file, expected) => {
    const keywords = keywordsOf(file);
    expect(keywords.length).toBeGreaterThan(5);
    expect(keywords.length).toBeLessThanOrEqual(12);
    for (const k of expected) expect(keywords).toContain(k);
  });

  it('never returns words every article shares, numbers or duplicates', () => {
    const generic = loadKeywordStopwords();
    for (const file of ['000_1fa8a9b2f9a530c3.txt', '001_43e5422389ba98aa.txt', '002_94a6097dd52ce2f1.txt']) {
      const keywords = keywordsOf(file);
      expect(new Set(keywords).size).toBe(keywords.length);
      for (const k of keywords) {
        expect(generic.has(k), k).toBe(false);
        expect(k).not.toMatch(/^[\d.%]+$/u);
      }
    }
  });

  it('is stable from run to run', () => {
    expect(keywordsOf('001_43e5422389ba98aa.txt')).toEqual(keywordsOf('001_43e5422389ba98aa.txt'));
  });
});
