import { describe, expect, it } from 'vitest';
import { PhraseMatcher } from '../../indexer/steps/phrase-matcher.js';

function matcherOf(phrases: Record<string, string>): PhraseMatcher<string> {
  const m = new PhraseMatcher<string>();
  for (const [phrase, value] of Object.entries(phrases)) m.add(phrase, value);
  return m;
}

const spans = (m: PhraseMatcher<string>, text: string): Array<[string, number, string[]]> =>
  m.findAll(text).map((hit) => [hit.phrase, hit.start, hit.values]);

describe('PhraseMatcher', () => {
  it.each([
    ['the longest phrase at a position wins', { 广元: 'city', 广元市: 'city', 广元市妇幼保健院: 'hospital' }, '四川省广元市妇幼保健院召开', [['广元市妇幼保健院', 3, ['hospital']]]],
    ['matches do not overlap, scanning left to right', { 中山: 'place', 山大: 'x', 大学: 'y' }, '中山大学', [['中山', 0, ['place']], ['大学', 2, ['y']]]],
    ['one-character phrases match, the last character of the text too', { 京: 'short', 北京: 'city' }, '进京，赴北京，京', [['京', 1, ['short']], ['北京', 4, ['city']], ['京', 7, ['short']]]],
    ['a phrase two characters long at the very end of the text', { 医院: 'x' }, '人民医院', [['医院', 2, ['x']]]],
    ['no phrase in the text', { 医院: 'x' }, '党建引领发展', []],
    ['an empty text', { 医院: 'x' }, '', []],
  ])('%s', (_name, phrases, text, expected) => {
    expect(spans(matcherOf(phrases), text)).toEqual(expected);
  });

  it('never confuses characters whose code units differ only in the top bit', () => {
    // U+4E2D 中 and U+CE2D share their low 15 bits, as do U+56FD 国 and U+D6FD.
    const m = matcherOf({ 中国: 'cn' });
    expect(spans(m, '\uce2d国 中\ud6fd \uce2d\ud6fd')).toEqual([]);
    expect(spans(m, '\uce2d国中国')).toEqual([['中国', 2, ['cn']]]);
    const both = matcherOf({ 中国: 'cn', '\uce2d国': 'other' });
    expect(spans(both, '中国\uce2d国')).toEqual([['中国', 0, ['cn']], ['\uce2d国', 2, ['other']]]);
  });

  it('finds phrases among thousands that share few first characters', () => {
    const m = new PhraseMatcher<number>();
    const phrases: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const phrase = String.fromCharCode(0x4e00 + ((i * 7) % 2000), 0x4e00 + ((i * 13) % 3000), 0x4e00 + (i % 50));
      phrases.push(phrase);
      m.add(phrase, i);
    }
    const text = phrases.filter((_, i) => i % 97 === 0).join('，');
    const found = m.findAll(text).map((hit) => hit.phrase);
    expect(found).toEqual(phrases.filter((_, i) => i % 97 === 0));
  });

  it('keeps every value added under one phrase, once', () => {
    const m = new PhraseMatcher<string>();
    m.add('吉林', 'province');
    m.add('吉林', 'city');
    m.add('吉林', 'city');
    expect(m.matchAt('吉林省', 0)?.values).toEqual(['province', 'city']);
    expect(m.get('吉林')).toEqual(['province', 'city']);
  });
});
