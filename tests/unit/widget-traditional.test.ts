import { describe, expect, it } from 'vitest';
import { formatFacetValue, localiseMessages, messages } from '../../widget/src/messages.js';
import { convertParts, parseSnippet } from '../../widget/src/snippet.js';
import { createConverter } from '../../widget/src/zh-hant.js';

const tw = createConverter('tw');
const hk = createConverter('hk');

describe('widget-zh-hant.js converter (OpenCC cn → tw / hk)', () => {
  it.each([
    ['医院党建工作', '醫院黨建工作', '醫院黨建工作'],
    ['荆州市第一人民医院', '荊州市第一人民醫院', '荊州市第一人民醫院'],
    // Phrases decide between 發 and 髮: 头发 is hair.
    ['党支部书记头发', '黨支部書記頭髮', '黨支部書記頭髮'],
    // Taiwan and Hong Kong forms differ.
    ['着力', '著力', '着力'],
    // Digits, Latin and text already Traditional pass through.
    ['2024年 DJ 醫院', '2024年 DJ 醫院', '2024年 DJ 醫院'],
  ])('%s → %s (zh-TW), %s (zh-HK)', (simplified, taiwan, hongKong) => {
    expect(tw(simplified)).toBe(taiwan);
    expect(hk(simplified)).toBe(hongKong);
  });
});

describe('localiseMessages', () => {
  const labels = localiseMessages(tw);

  it('converts every label, including those built from arguments', () => {
    expect(labels.placeholder).toBe('搜索黨建案例、醫院…');
    expect(labels.facets.hospital).toBe('醫院');
    expect(labels.found(3)).toBe('共找到 3 篇文章');
    expect(labels.empty('医院')).toBe('沒有找到與“醫院”相關的文章。');
    expect(labels.errors[429]).toBe('搜索太頻繁了，請稍等片刻再試。');
    expect(formatFacetValue('awardLevel', 'national', labels)).toBe('國家級');
    expect(formatFacetValue('year', '2024', labels)).toBe('2024年');
  });

  it('leaves the Simplified table alone', () => {
    expect(messages.placeholder).toBe('搜索党建案例、医院…');
    expect(formatFacetValue('awardLevel', 'national')).toBe('国家级');
  });
});

describe('convertParts (highlighted snippets in Traditional)', () => {
  it('converts phrases across a highlight and keeps the highlight on the same characters', () => {
    expect(convertParts(parseSnippet('党支部书记<mark>头</mark>发花白'), tw)).toEqual([
      { text: '黨支部書記', marked: false },
      { text: '頭', marked: true },
      { text: '髮花白', marked: false },
    ]);
  });

  it('converts run by run when a conversion changes the length', () => {
    const lengthening = (text: string): string => text.replace(/医/g, '醫!');
    expect(convertParts(parseSnippet('<mark>医院</mark>党建'), lengthening)).toEqual([
      { text: '醫!院', marked: true },
      { text: '党建', marked: false },
    ]);
  });
});
