import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normaliseText,
  normaliseWhitespace,
  normaliseWithScript,
  repairPunctuation,
  stripGluedPinyin,
  toHalfWidthAlnum,
} from '../../engine/analysis/normalise.js';

describe('stripGluedPinyin', () => {
  it.each([
    ['衛(wèi)健委', '衛健委'],
    ['醫(yī)院發(fā)展', '醫院發展'],
    ['發（fā）展', '發展'],
    ['卫(wei4)生', '卫生'],
    ['极目新闻(xīnwén)通讯员', '极目新闻通讯员'],
    ['湖北省(hú běi shěng)肿瘤医院', '湖北省肿瘤医院'],
    ['總(zǒng)(zǒng)結', '總結'],
  ])('%s → %s', (input, expected) => {
    expect(stripGluedPinyin(input)).toBe(expected);
  });

  it.each([
    ['开设MDT门诊(MDT)', 'untoned Latin after a character is not pinyin'],
    ['将公立医院绩考、DIP(DIP)与绩效考核相结合', 'an acronym in brackets'],
    ['抗击疫情(covid)', 'a lowercase English word without tone'],
    ['A(wèi)', 'pinyin after a Latin letter, not after a character'],
    ['卫 (wèi)', 'a space between character and bracket'],
  ])('keeps %s (%s)', (input) => {
    expect(stripGluedPinyin(input)).toBe(input);
  });
});

describe('normaliseText', () => {
  it.each([
    ['浙江省衛(wèi)健委印發(fā)了', '浙江省卫健委印发了', 'glued pinyin then Traditional → Simplified'],
    ['醫院裡的黨支部', '医院里的党支部', 'Taiwan variant 裡'],
    ['綫上問診', '线上问诊', 'Hong Kong variant 綫'],
    ['衞生健康委員會', '卫生健康委员会', 'Hong Kong variant 衞'],
    ['著力推進黨建', '着力推进党建', 'phrase rule: 著力 → 着力'],
    ['著名專家', '著名专家', 'phrase rule: 著名 keeps 著'],
    ['２０２２年ＭＤＴ門診', '2022年MDT门诊', 'full-width digits and letters to half-width'],
    ['2022年11月,,浙江', '2022年11月,浙江', 'doubled ASCII comma'],
    ['印發了《通知》,,兒童外科黨支部,、行政後勤', '印发了《通知》,儿童外科党支部、行政后勤', 'comma before 、'],
    ['發揮政治引領作用,。', '发挥政治引领作用。', 'comma before 。'],
    ['共同推进，，深度融合', '共同推进，深度融合', 'doubled full-width comma'],
    ['圆满完成。,下一步', '圆满完成。下一步', 'comma after 。'],
    ['\u3000\u3000近年来，医院党委', '近年来，医院党委', 'ideographic indentation'],
    ['第一段\r\n第二段', '第一段\n第二段', 'CRLF'],
    ['第一段\n\n\n\n第二段', '第一段\n\n第二段', 'runs of blank lines'],
    ['党\u200b建\u00a0\u00a0品牌', '党建 品牌', 'zero-width and no-break spaces'],
    ['   标题   \n  正文  ', '标题\n正文', 'lines trimmed'],
    ['衛（ｗｅｉ４）生', '卫生', 'full-width pinyin is seen after width normalisation'],
    ['衛\u200b(wèi)生', '卫生', 'pinyin hidden behind a zero-width space'],
    ['\u{2F800}(wèi)', '丽', 'pinyin after a compatibility ideograph that opencc maps into the BMP'],
    ['怎麼辦', '怎么办', 'Traditional 麼 in a phrase'],
    ['麼', '么', 'lone Traditional 麼'],
    ['为什么 么', '为什么 么', 'a lone Simplified 么 is not read as Taiwan’s 幺'],
    ['著於推進', '著于推进', 'OpenCC’s phrase 著於 → 著于 keeps 著, a Simplified character too (著名)'],
    ['著於', '著於', 'a text of dual-use characters only (著, 於) is Simplified already'],
  ])('%s → %s (%s)', (input, expected) => {
    expect(normaliseText(input)).toBe(expected);
  });

  it('leaves exclamation runs and spaced commas alone (only comma doubling is repaired)', () => {
    expect(repairPunctuation('喜讯!!')).toBe('喜讯!!');
    expect(repairPunctuation('a , b')).toBe('a , b');
  });

  it('converts only alphanumerics to half width, keeping CJK punctuation', () => {
    expect(toHalfWidthAlnum('ＡＢ１２，（）')).toBe('AB12，（）');
  });

  it('collapses whitespace without touching characters', () => {
    expect(normaliseWhitespace('\t党建\f\v工作\u2003推进')).toBe('党建 工作 推进');
  });
});

describe('normaliseWithScript', () => {
  it.each([
    ['近年来，医院党委坚持党建引领，推动医院高质量发展。', 'simplified'],
    ['近年來，醫院黨委堅持黨建引領，推動醫院高質量發展。', 'traditional'],
    ['醫(yī)院發(fā)展黨建工作取得新成效', 'traditional'],
  ] as const)('%s is %s', (input, script) => {
    const result = normaliseWithScript(input);
    expect(result.originalScript).toBe(script);
    expect(result.text).toBe(normaliseText(input));
  });
});

// Pieces that scraped pages are made of, so the generator reaches the
// interactions that matter (pinyin next to width/whitespace quirks, doubled
// punctuation next to Traditional text) far more often than random strings do.
const scrapedPiece = fc.oneof(
  fc.constantFrom('衛', '醫', '院', '發', '展', '黨', '建', '著', '名', '力', '裡', '綫', '衞', '卫', '生', '新', '闻', '乾', '後', '臺', '髮'),
  fc.constantFrom('(wèi)', '（fā）', '(yī)', '(wei4)', '（ｗｅｉ４）', '(xīn wén)', '(xīn  wén)', '(MDT)', '(', ')', '（', '）'),
  fc.constantFrom(',', '，', '、', '。', '；', ';', ':', '：', '!', '！', '?', '？', ',,', '，，'),
  fc.constantFrom(' ', '  ', '\n', '\r\n', '\n\n\n', '\t', '\u3000', '\u00a0', '\u200b', '\ufeff', '\u2028'),
  fc.constantFrom('Ａ', 'ｗ', '４', 'a', 'W', '7'),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
);
const scrapedText = fc.array(scrapedPiece, { maxLength: 40 }).map((pieces) => pieces.join(''));
// Random ideographs mixed with characters whose conversion depends on the
// neighbouring character (phrase tables): where opencc's own output converts again.
const ideographText = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0x4e00, max: 0x9fff }).map((code) => String.fromCodePoint(code)),
      fc.constantFrom(...'么麼麽著着乾干後后裡里髮發台臺颱於于餘余鍾鐘衝沖準准醜丑範范爲為僞偽'),
    ),
    { maxLength: 12 },
  )
  .map((chars) => chars.join(''));
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  scrapedText,
  ideographText,
);

describe('normaliseText properties', () => {
  it('never throws on arbitrary Unicode (including lone surrogates and astral characters)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(typeof normaliseText(s)).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('is idempotent: normalising normalised text changes nothing', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = normaliseText(s);
        expect(normaliseText(once)).toBe(once);
      }),
      { numRuns: 10000 },
    );
  });

  it('leaves no CR, no edge whitespace, no 3+ newlines and no doubled commas', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = normaliseText(s);
        expect(out).not.toMatch(/\r|\n{3,}|^\s|\s$|[,，][,，]| {2}/u);
      }),
      { numRuns: 3000 },
    );
  });
});
