import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineDocument } from '../../engine/document.js';
import { buildDocument, deriveId, normaliseUrl, summarise } from '../../indexer/pipeline.js';

const corpusDir = new URL('../../corpus/', import.meta.url).pathname;

function seed(prefix: string): EngineDocument {
  const file = readdirSync(corpusDir).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`seed ${prefix} missing from corpus/`);
  const text = readFileSync(join(corpusDir, file), 'utf8');
  const result = buildDocument({ text, sourcePath: file, format: 'txt', inputBytes: Buffer.byteLength(text) });
  if (!result.ok) throw new Error(`seed ${prefix} rejected: ${result.rejection.detail}`);
  return result.document;
}

describe('seed articles through the whole pipeline', () => {
  it('000: Traditional with glued pinyin becomes Simplified, Zhejiang, 2022, provincial 先锋党支部', () => {
    const doc = seed('000');
    expect(doc.originalScript).not.toBe('simplified');
    expect(doc.body).toContain('浙江省卫健委');
    expect(doc.body).not.toMatch(/[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔù]+[)）]/u);
    expect(doc.body).not.toMatch(/[衛醫黨發]/u);
    expect(doc.province).toBe('浙江');
    expect(doc.year).toBe(2022);
    // The honour as conferred: 浙江省卫生健康系统先锋党支部, typed 先锋党支部.
    expect(doc.awardNames.some((name) => name.endsWith('先锋党支部'))).toBe(true);
    expect(doc.awardTypes).toContain('先锋党支部');
    expect(doc.awardLevels).toContain('provincial');
    expect(doc.partyBranches).toEqual(expect.arrayContaining(['儿童外科党支部', '行政后勤第四党支部']));
  });

  it('001: 荆州一医 resolves to its canonical name; title kept once; footer gone', () => {
    const doc = seed('001');
    expect(doc.hospital).toBe('荆州市第一人民医院');
    expect(doc.hospitalAliases).toContain('荆州一医');
    expect(doc.province).toBe('湖北');
    expect(doc.city).toBe('荆州');
    expect(doc.source).toBe('荆州日报');
    expect(doc.title).toBe('党旗增辉一医为民——荆州一医强化党建品牌建设助推医院高质量发展纪实');
    expect(doc.body.split(doc.title).length - 1).toBe(0);
    for (const footer of ['版权声明', '上一篇', '下一篇', '相关推荐']) expect(doc.body).not.toContain(footer);
    expect(doc.body).not.toMatch(/^\(0\)$/mu);
  });

  it('002: Weifang maternity hospital, date from the byline, source 潍坊日报, font controls gone', () => {
    const doc = seed('002');
    expect(doc.hospital).toBe('潍坊市妇幼保健院');
    expect(doc.province).toBe('山东');
    expect(doc.city).toBe('潍坊');
    expect(doc.publishedAt).toBe('2024-07-02');
    expect(doc.year).toBe(2024);
    expect(doc.source).toBe('潍坊日报');
    expect(doc.body).not.toMatch(/放大\s*缩小\s*默认/u);
  });

  it('003: Shanxi cancer hospital, Taiyuan, 优秀党建品牌, 乳腺外科党支部, address footer gone', () => {
    const doc = seed('003');
    expect(doc.hospital).toBe('山西省肿瘤医院');
    expect(doc.province).toBe('山西');
    expect(doc.city).toBe('太原');
    expect(doc.awardNames).toContain('优秀党建品牌');
    expect(doc.awardTypes).toContain('党建品牌');
    expect(doc.partyBranches).toContain('乳腺外科党支部');
    expect(doc.body).not.toContain('医院地址');
  });

  it('004: Mengyin county hospital, Linyi, Shandong, 2022-08-22, municipal 示范点, body not repeated', () => {
    const doc = seed('004');
    expect(doc.hospital).toBe('蒙阴县人民医院');
    expect(doc.province).toBe('山东');
    expect(doc.city).toBe('临沂');
    expect(doc.county).toBe('蒙阴县');
    expect(doc.publishedAt).toBe('2022-08-22');
    expect(doc.awardNames).toContain('全市公立医院党建工作示范点');
    expect(doc.awardLevels).toContain('municipal');
    const opening = '近年来,院党委坚持党建引领';
    expect(doc.body.split(opening).length - 1).toBe(1);
    for (const noise of ['阅读:次', '浏览次数', '供稿:']) expect(doc.body).not.toContain(noise);
  });

  it('every seed has keywords, tokens, a fingerprint and a stable id', () => {
    for (const prefix of ['000', '001', '002', '003', '004']) {
      const a = seed(prefix);
      const b = seed(prefix);
      expect(a.id).toBe(b.id);
      expect(a.keywords.length).toBeGreaterThanOrEqual(5);
      expect(a.titleTokens.length + a.bodyTokens.length).toBeGreaterThan(100);
      expect(a.fingerprint).not.toBe('');
    }
  });
});

describe('ids and summaries', () => {
  it.each([
    ['https://www.example.com/news/1.html?utm_source=x#top', 'example.com/news/1.html'],
    ['http://example.com/news/1.html/', 'example.com/news/1.html'],
    ['HTTPS://Example.COM/a?id=3&from=timeline', 'example.com/a?id=3'],
  ])('normaliseUrl(%s) = %s', (url, expected) => {
    expect(normaliseUrl(url)).toBe(expected);
  });

  it('the same URL in another form keeps the same id; content ids ignore spacing', () => {
    expect(deriveId({ url: 'https://www.example.com/a.html' }, 't', 'b')).toBe(
      deriveId({ url: 'http://example.com/a.html#x' }, 'other', 'text'),
    );
    expect(deriveId({}, '标题', '第一段。\n第二段。')).toBe(deriveId({}, '标题', '第一段。 第二段。'));
    expect(deriveId({}, '标题', '第一段。')).not.toBe(deriveId({}, '标题', '第二段。'));
    expect(deriveId({ id: 'r012' }, '', '')).toBe('r012');
  });

  it('summaries stop at a sentence end', () => {
    const body = `${'党建引领高质量发展。'.repeat(30)}`;
    const s = summarise(body, 50);
    expect(s.length).toBeLessThanOrEqual(50);
    expect(s.endsWith('。')).toBe(true);
  });
});
