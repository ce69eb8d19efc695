import { describe, expect, it } from 'vitest';
import { extractLabelledArticle, loadLabelledArticles } from '../../bench/extraction-eval.js';
import { loadHospitals } from '../../config/data.js';
import { normaliseText, normaliseWithScript } from '../../engine/analysis/normalise.js';
import { loadProtectedNames } from '../../engine/analysis/protected-names.js';
import { detectScript, toSimplified } from '../../engine/analysis/to-simplified.js';

describe('place names survive Traditional → Simplified', () => {
  it.each([
    ['乾安县人民医院党委召开党建工作会议', '乾安县人民医院党委召开党建工作会议', 'Simplified county 乾安县'],
    ['咸阳市乾县人民医院', '咸阳市乾县人民医院', 'Simplified county 乾县'],
    ['吉林省乾安县中医院', '吉林省乾安县中医院', 'Simplified 乾安县 after a province'],
    ['吉林省乾安縣人民醫院黨委召開黨建工作會議', '吉林省乾安县人民医院党委召开党建工作会议', 'Traditional page naming 乾安縣'],
    ['陝西省咸陽市乾縣人民醫院開展主題黨日活動', '陕西省咸阳市乾县人民医院开展主题党日活动', 'Traditional page naming 乾縣'],
    ['乾安县人民医院黨委书记讲党课', '乾安县人民医院党委书记讲党课', 'Simplified name on a page with a stray Traditional character'],
    ['乾隆年间，这里已有药铺。医院党委组织参观', '乾隆年间，这里已有药铺。医院党委组织参观', 'Simplified page about 乾隆'],
    ['乾隆年間，這裡已有藥鋪', '乾隆年间，这里已有药铺', 'Traditional page about 乾隆'],
    ['乾燥的天氣', '干燥的天气', '乾 outside a name still converts on a Traditional page'],
    ['畢昇發明活字印刷', '毕昇发明活字印刷', 'one pass keeps phrase context (a second pass turned 昇 into 升)'],
  ])('%s → %s (%s)', (input, expected) => {
    expect(toSimplified(input)).toBe(expected);
    expect(normaliseText(input)).toBe(expected);
  });

  it('a Traditional-only character outside the BMP converts too, wherever it stands', () => {
    // 𠁞 (U+2005E) is a Traditional form of 𠀾: a surrogate pair, not one UTF-16 unit.
    for (const [input, expected] of [
      ['医院𠁞党建', '医院𠀾党建'],
      ['𠁞', '𠀾'],
      ['党建工作会议召开，医院𠁞', '党建工作会议召开，医院𠀾'],
    ] as const) {
      expect(toSimplified(input)).toBe(expected);
    }
    expect(toSimplified('医院𠀾党建')).toBe('医院𠀾党建');
  });

  it('a Simplified text is not Traditional because of 乾', () => {
    for (const text of ['乾安县人民医院党委召开党建工作会议，全体党员参加。', '乾隆皇帝下江南的故事在当地流传很广。']) {
      expect(detectScript(text)).toBe('simplified');
      expect(normaliseWithScript(text)).toEqual({ text, originalScript: 'simplified' });
    }
  });

  it('every gazetteer name with a dual-use character stays as it is, and its Traditional forms convert to it', () => {
    const atRisk = loadProtectedNames((name) => /[乾昇於]/u.test(name));
    expect(atRisk).toEqual(expect.arrayContaining(['乾安县', '乾县']));
    for (const name of atRisk) {
      expect(toSimplified(name)).toBe(name);
      expect(toSimplified(`${name}黨委`)).toBe(`${name}党委`);
    }
    expect(toSimplified('乾縣醫院')).toBe('乾县医院');
  });

  it('hospital names and aliases from config/data pass through unchanged', () => {
    for (const h of loadHospitals()) {
      for (const name of [h.name, ...h.aliases, ...h.contextAliases]) {
        expect(normaliseText(name)).toBe(name);
        expect(normaliseText(`${name}黨委`)).toBe(`${name}党委`);
      }
    }
  });
});

describe('extracted hospital names', () => {
  it('pass through normalisation unchanged, as the facet and filter values built from them must', () => {
    const names = new Set<string>();
    for (const article of loadLabelledArticles()) {
      const meta = extractLabelledArticle(article);
      for (const name of [...meta.hospitals, ...meta.hospitalAliases]) names.add(name);
    }
    expect(names.size).toBeGreaterThan(50);
    for (const name of names) expect(normaliseText(name)).toBe(name);
  });
});

describe('regional standards', () => {
  it.each([
    ['著力推進', 'auto', '着力推进'],
    ['著力推進', 't', '著力推进'],
    ['綫上問診', 'auto', '线上问诊'],
    ['醫院裡', 'tw', '医院里'],
    ['为什么 么', 'auto', '为什么 么'],
    ['老么', 'tw', '老幺'],
  ] as const)('%s as %s → %s', (input, variant, expected) => {
    expect(toSimplified(input, variant)).toBe(expected);
  });

  it('the output converts to itself (no Traditional-only character is left)', () => {
    for (const text of ['乾隆年間', '乾安縣', '畢昇', '慰藉著受傷的心靈', '剋架', '什麼']) {
      const once = toSimplified(text);
      expect(toSimplified(once)).toBe(once);
    }
  });
});
