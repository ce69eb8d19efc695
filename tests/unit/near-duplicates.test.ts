import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../engine/analysis/normalise.js';
import {
  NearDuplicateIndex,
  computeFingerprint,
  containment,
} from '../../indexer/steps/near-duplicates.js';
import { loadLookAlikePairs } from '../../bench/duplicate-eval.js';

interface DevArticle {
  id: string;
  text: string;
  near_duplicate_of: string | null;
}

const dev: DevArticle[] = readFileSync(new URL('../fixtures/corpus-dev/articles.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as DevArticle);

const paragraph =
  '近年来，院党委坚持党建引领，以优质高效的党建工作推动临床医疗技术和服务能力的提升，获得了丰硕的发展成果。' +
  '医院围绕党史学习教育开展党建工作，从百年党史中汲取奋进力量，强化使命担当。' +
  '通过举办党史知识竞赛、庆祝建党100周年文体活动、专题党课等，引导党员学党史、强信念、跟党走。';

describe('near-duplicate fingerprints', () => {
  it('a repost with another header and footer is contained in the original', () => {
    const original = computeFingerprint(`喜讯！\n${paragraph}\n（宣传科 供稿）`);
    const repost = computeFingerprint(`来源：某某日报 2022-08-22\n${paragraph}\n责任编辑：张三`);
    expect(containment(repost, original)).toBeGreaterThan(0.8);
  });

  it('unrelated texts share almost nothing', () => {
    const other = computeFingerprint(
      '乳腺外科党支部积极开展党风廉政建设，加强党员的廉洁自律教育，严肃查处违纪违法行为。组织病区医护人员赴烈士陵园扫墓，重温入党誓词。',
    );
    expect(containment(other, computeFingerprint(paragraph))).toBeLessThan(0.2);
  });

  it('ignores punctuation and spacing differences', () => {
    const spaced = paragraph.replace(/，/gu, ', ').replace(/。/gu, '. ');
    expect(computeFingerprint(spaced)).toBe(computeFingerprint(paragraph));
  });
});

describe('near-duplicates in the labelled dev corpus', () => {
  const index = new NearDuplicateIndex();
  const found = new Map<string, string>();
  for (const article of dev) {
    const fingerprint = computeFingerprint(normaliseText(article.text));
    const of = index.find(fingerprint, article.id);
    if (of !== null) found.set(article.id, of);
    else index.add(article.id, fingerprint);
  }

  it('finds every labelled repost and points it at the first copy', () => {
    for (const article of dev.filter((a) => a.near_duplicate_of !== null)) {
      expect(found.get(article.id), article.id).toBe(article.near_duplicate_of);
    }
  });

  it('flags nothing else', () => {
    const labelled = new Set(dev.filter((a) => a.near_duplicate_of !== null).map((a) => a.id));
    expect([...found.keys()].filter((id) => !labelled.has(id))).toEqual([]);
  });
});

describe('reposts, not look-alikes', () => {
  // Distinct sentences for synthetic articles: a counter spelled out keeps every one unique.
  const unique = (seed: number, sentences: number): string =>
    Array.from({ length: sentences }, (_, i) => `第${seed}号文章第${i}句记录了心内科党支部在${seed % 97}社区开展第${seed * 31 + i}次义诊的具体情况`).join('。');
  const boilerplate =
    '根据省卫生健康委员会关于开展年度考核评估工作的统一部署要求各医疗机构认真对照评价指标逐项开展自查自评形成书面报告按时报送材料。' +
    '评估组通过听取汇报查阅资料现场查看个别访谈等方式对各单位工作进行了全面细致的检查并反馈了意见建议。';

  it('articles about different hospitals never fold, however much text they share', () => {
    const index = new NearDuplicateIndex();
    const text = `${paragraph}${unique(1, 3)}`;
    index.add('a', computeFingerprint(text, '南京市第一医院'));
    expect(index.find(computeFingerprint(text, '苏州大学附属儿童医院'), 'b')).toBeNull();
    expect(index.find(computeFingerprint(text, '南京市第一医院'), 'b')).toBe('a');
  });

  it('sharing only formulaic sentences (config/data/stock-phrases.txt) is no evidence of copying', () => {
    const formula = '以习近平新时代中国特色社会主义思想为指导，深入学习贯彻党的二十大精神，不忘初心、牢记使命，以高质量党建引领高质量发展。';
    const index = new NearDuplicateIndex();
    index.add('a', computeFingerprint(`${formula}${unique(2, 1)}`));
    expect(index.find(computeFingerprint(`${formula}${unique(3, 1)}`), 'b')).toBeNull();
  });

  it('text that hundreds of articles share does not count, so a repost is found by its own text', () => {
    const index = new NearDuplicateIndex();
    for (let i = 0; i < 400; i++) index.add(`n${i}`, computeFingerprint(`${boilerplate}${unique(1000 + i, 1)}`));
    // Mostly boilerplate: a containment over every sample falls below the threshold.
    const original = `${boilerplate}${boilerplate.replace(/各/gu, '全市')}${unique(5, 2)}`;
    const repost = `来源：市卫健委网站\n${original}\n责任编辑：李四`;
    index.add('original', computeFingerprint(original));
    expect(index.find(computeFingerprint(repost), 'repost')).toBe('original');
    // A look-alike with the same boilerplate and other news of its own is not one.
    const lookAlike = `${boilerplate}${boilerplate.replace(/各/gu, '全市')}${unique(6, 2)}`;
    expect(index.find(computeFingerprint(lookAlike), 'look-alike')).toBeNull();
  });
});

describe('the look-alike pairs of tests/fixtures/look-alikes', () => {
  it('lists pairs that share boilerplate for a reason', () => {
    const pairs = loadLookAlikePairs();
    expect(pairs.length).toBeGreaterThanOrEqual(5);
    for (const p of pairs) expect(p.a.text.split('\n')[0], p.id).toBe(p.b.text.split('\n')[0]);
  });
});
