import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../indexer/steps/clean.js';
import { extractMetadata } from '../../indexer/steps/extract.js';
import type { ArticleMetadata, GivenFields } from '../../indexer/types.js';

const corpusDir = join(import.meta.dirname, '../../corpus');

function extractFile(file: string, given: GivenFields = {}): ArticleMetadata {
  const text = readFileSync(join(corpusDir, file), 'utf8');
  const c = cleanArticle({ sourcePath: file, format: 'txt', inputBytes: text.length, text });
  return extractMetadata({ title: c.title, body: c.body, fullText: c.fullText, url: null, given });
}

describe('seed acceptance (issue 2)', () => {
  it('000: 浙江, 2022, a provincial 先锋党支部, two branches', () => {
    const m = extractFile('000_1fa8a9b2f9a530c3.txt');
    expect(m.province).toBe('浙江');
    expect(m.year).toBe(2022);
    expect(m.awardTypes).toContain('先锋党支部');
    expect(m.awardNames).toContain('浙江省卫生健康系统先锋党支部');
    expect(m.awardLevels).toContain('provincial');
    expect(m.partyBranches).toEqual(expect.arrayContaining(['儿童外科党支部', '行政后勤第四党支部']));
  });

  it('001: 荆州市第一人民医院 (alias 荆州一医), 湖北 / 荆州, source 荆州日报', () => {
    const m = extractFile('001_43e5422389ba98aa.txt');
    expect(m.hospital).toBe('荆州市第一人民医院');
    expect(m.hospitalAliases).toContain('荆州一医');
    expect([m.province, m.city]).toEqual(['湖北', '荆州']);
    expect(m.source).toBe('荆州日报');
    expect(m.authors).toEqual(expect.arrayContaining(['匡奕君', '杜川', '徐智彬']));
  });

  it('002: 潍坊市妇幼保健院, 山东 / 潍坊, 2024-07-02, source 潍坊日报', () => {
    const m = extractFile('002_94a6097dd52ce2f1.txt');
    expect(m.hospital).toBe('潍坊市妇幼保健院');
    expect([m.province, m.city]).toEqual(['山东', '潍坊']);
    expect(m.publishedAt).toBe('2024-07-02');
    expect(m.year).toBe(2024);
    expect(m.source).toBe('潍坊日报');
  });

  it('003: 山西省肿瘤医院, 山西 / 太原, award 优秀党建品牌, branch 乳腺外科党支部', () => {
    const m = extractFile('003_ae1c95c1e18dc3ef.txt');
    expect(m.hospital).toBe('山西省肿瘤医院');
    expect([m.province, m.city]).toEqual(['山西', '太原']);
    expect(m.awardNames).toContain('优秀党建品牌');
    expect(m.awardTypes).toContain('党建品牌');
    expect(m.partyBranches).toContain('乳腺外科党支部');
  });

  it('004: 蒙阴县人民医院, 山东 / 临沂 / 蒙阴县, 2022-08-22, a municipal 示范点', () => {
    const m = extractFile('004_3b0527f88f1cf3c1.txt');
    expect(m.hospital).toBe('蒙阴县人民医院');
    expect([m.province, m.city, m.county]).toEqual(['山东', '临沂', '蒙阴县']);
    expect(m.publishedAt).toBe('2022-08-22');
    expect(m.awardNames).toContain('全市公立医院党建工作示范点');
    expect(m.awardLevels).toEqual(['municipal']);
  });
});

describe('given fields win over extracted ones', () => {
  it.each([
    [{ province: '山东省' }, { province: '山东' }],
    [{ province: '廣西壯族自治區' }, { province: '广西' }],
    [{ publishedAt: '2021/7/1' }, { publishedAt: '2021-07-01', year: 2021 }],
    [{ source: '湖北日報' }, { source: '湖北日报' }],
    [{ hospital: '北医三院' }, { hospital: '北京大学第三医院', province: '北京', city: '北京' }],
  ] as const)('%j', (given, expected) => {
    const m = extractFile('001_43e5422389ba98aa.txt', given);
    expect(m).toMatchObject(expected);
  });

  it('a given province that disagrees leaves city and county unknown', () => {
    const m = extractFile('004_3b0527f88f1cf3c1.txt', { province: '河南' });
    expect([m.province, m.city, m.county]).toEqual(['河南', null, null]);
  });

  it('a given hospital heads the hospitals and keeps the others', () => {
    const m = extractFile('002_94a6097dd52ce2f1.txt', { hospital: '潍坊妇幼' });
    expect(m.hospital).toBe('潍坊市妇幼保健院');
    expect(m.hospitals[0]).toBe('潍坊市妇幼保健院');
  });
});
