import { describe, expect, it } from 'vitest';
import { generateArticles, listGeneratedHospitals, type GeneratedArticle } from '../../bench/generate-corpus.js';
import { normaliseText } from '../../engine/analysis/normalise.js';

const articles: GeneratedArticle[] = [...generateArticles(2000, 'test-seed')];

describe('bench corpus generator', () => {
  it('is deterministic for a seed, and a smaller corpus is a prefix of a larger one', () => {
    const again = [...generateArticles(300, 'test-seed')];
    expect(again).toEqual(articles.slice(0, 300));
    const other = [...generateArticles(5, 'other-seed')];
    expect(other[0]!.text).not.toBe(articles[0]!.text);
  });

  it('writes articles of 800–4,000 characters with unique ids', () => {
    for (const a of articles) {
      expect(a.text.length).toBeGreaterThanOrEqual(800);
      expect(a.text.length).toBeLessThanOrEqual(4000);
    }
    expect(new Set(articles.map((a) => a.id)).size).toBe(articles.length);
  });

  it('spreads over 31 provinces, hundreds of hospitals and the years 2015–2025', () => {
    expect(new Set(articles.map((a) => a.labels.province)).size).toBe(31);
    expect(new Set(articles.map((a) => a.labels.hospital)).size).toBeGreaterThan(500);
    const years = new Set(articles.map((a) => a.labels.year));
    expect(Math.min(...years)).toBe(2015);
    expect(Math.max(...years)).toBe(2025);
    expect(listGeneratedHospitals('test-seed').length).toBeGreaterThanOrEqual(1900);
  });

  it('writes about a fifth of the articles in Traditional script, some with glued pinyin', () => {
    const traditional = articles.filter((a) => a.labels.script !== 'simplified');
    expect(traditional.length / articles.length).toBeGreaterThan(0.15);
    expect(traditional.length / articles.length).toBeLessThan(0.25);
    const glued = traditional.filter((a) => /[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)/u.test(a.text));
    expect(glued.length).toBeGreaterThan(traditional.length * 0.3);
  });

  it('writes Traditional articles that the normaliser turns back into Simplified text about their hospital', () => {
    const a = articles.find((x) => x.labels.script === 'traditional' && /\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)/u.test(x.text))!;
    const normalised = normaliseText(a.text);
    expect(normalised).not.toMatch(/\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)/u);
    expect(normalised).toContain(a.labels.hospital);
  });

  it('carries page noise and reposts like the seed corpus', () => {
    const text = articles.map((a) => a.text).join('\n');
    for (const noise of ['上一篇', '来源', '版权所有']) expect(text).toContain(noise);
    const reposts = articles.filter((a) => a.labels.duplicateOf !== null);
    expect(reposts.length / articles.length).toBeGreaterThan(0.01);
    for (const r of reposts.slice(0, 10)) {
      const original = articles.find((a) => a.id === r.labels.duplicateOf)!;
      expect(original.labels.hospital).toBe(r.labels.hospital);
    }
  });
});
