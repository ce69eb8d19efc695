import { describe, expect, it } from 'vitest';
import { chooseInterpretation, listVocabularyKeys } from '../../engine/analysis/interpret.js';
import { computePinyinKeys } from '../../engine/analysis/suggestions.js';
import type { VocabularyEntry } from '../../engine/port.js';

function entry(text: string, weight: number, kind: VocabularyEntry['kind'] = 'term'): VocabularyEntry {
  const { full, initials } = computePinyinKeys(text);
  return { text, kind, weight, pinyin: full, initials };
}

const vocabulary = [
  entry('党建', 90),
  entry('党纪', 20),
  entry('党建品牌', 12),
  entry('党建评比', 2),
  entry('双带头人', 8),
  entry('重庆', 5),
  entry('重庆市人民医院', 3, 'hospital'),
  entry('drg', 4),
  entry('党员先锋岗', 6),
];

/** What an engine's vocabulary() answers for the keys: entries with that full pinyin or initials. */
function interpret(raw: string): ReturnType<typeof chooseInterpretation> {
  const keys = new Set(listVocabularyKeys(raw));
  return chooseInterpretation(raw, vocabulary.filter((e) => keys.has(e.pinyin) || keys.has(e.initials)));
}

describe('pinyin read as the Chinese it spells', () => {
  it.each([
    ['dangjian', '党建'],
    ['djpp', '党建品牌'],
    ['dang jian pin pai', '党建品牌'],
    ["dang'jian", '党建'],
    ['DangJian', '党建'],
    ['dangjian pinpai', '党建品牌'],
    ['dangjian shuangdaitouren', '党建 双带头人'],
    // Polyphones read word by word, as pinyin-pro reads them: 重庆 is chongqing, not zhongqing.
    ['chongqing', '重庆'],
  ])('%s → %s', (raw, expected) => {
    expect(interpret(raw)).toEqual({ text: expected, interpretedAs: expected, correctedFrom: null });
  });

  it.each(['drg', 'dangj', 'd', 'zhongqing', 'dangjian xyz', 'dangjian2023'])('%j stays as written', (raw) => {
    expect(interpret(raw)).toEqual({ text: raw, interpretedAs: null, correctedFrom: null });
  });

  it('prefers a full-pinyin word over words with those initials, then the word more documents have', () => {
    // dj: 党建 and 党纪 both have the initials; 党建 is in more documents.
    expect(interpret('dj').interpretedAs).toBe('党建');
  });
});

describe('homophone typos corrected against the vocabulary', () => {
  it.each([
    ['党见品牌', '党建品牌'],
    ['双代头人', '双带头人'],
    ['党见品牌 重庆', '党建品牌 重庆'],
    ['党员先峰岗', '党员先锋岗'],
  ])('%s → %s', (raw, expected) => {
    expect(interpret(raw)).toEqual({ text: expected, interpretedAs: expected, correctedFrom: raw });
  });

  it.each(['党建品牌', '党建 品牌', '重庆 党建', '抗疫一线', '"党见品牌"', ''])('%j stays as written', (raw) => {
    expect(interpret(raw)).toEqual({ text: raw, interpretedAs: null, correctedFrom: null });
  });

  it('asks the vocabulary only for runs of several words', () => {
    expect(listVocabularyKeys('党建品牌')).toEqual([]);
    expect(listVocabularyKeys('党见品牌')).toContain('dangjianpinpai');
  });
});
