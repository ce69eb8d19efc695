import { describe, expect, it } from 'vitest';
import type { EngineDocument } from '../../engine/document.js';
import { csvField, csvHeader, csvLine, jsonLine, toExportRow } from '../../service/query/export-rows.js';

const doc = {
  id: 'a/b 1',
  title: '“党建+”品牌, 引领发展',
  publishedAt: null,
  year: 2022,
  hospital: '蒙阴县人民医院',
  province: '山东',
  city: '临沂',
  awardNames: ['全国先进基层党组织', '省级示范党支部'],
  awardTypes: ['先进基层党组织'],
  awardLevels: ['national', 'provincial'],
  url: 'https://www.example.cn/news/1.html',
} as unknown as EngineDocument;

describe('export rows', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+1', "'+1"],
    ['-5', "'-5"],
    ['@SUM', "'@SUM"],
    ['', ''],
  ])('csvField(%j) → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('has the documented columns, in order', () => {
    expect(csvHeader()).toBe('title,date,hospital,province,city,honours,levels,url,article\r\n');
  });

  it('writes a row with the year when there is no date, Chinese level names and the article page link', () => {
    const row = toExportRow(doc, 'http://127.0.0.1:3000');
    expect(csvLine(row)).toBe(
      '"“党建+”品牌, 引领发展",2022,蒙阴县人民医院,山东,临沂,全国先进基层党组织；省级示范党支部,国家级；省级,https://www.example.cn/news/1.html,http://127.0.0.1:3000/articles/a%2Fb%201\r\n',
    );
    expect(JSON.parse(jsonLine(row))).toMatchObject({ id: 'a/b 1', honours: ['全国先进基层党组织', '省级示范党支部'], levels: ['国家级', '省级'] });
  });
});
