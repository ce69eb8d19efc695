import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../engine/analysis/normalise.js';
import {
  NearDuplicateIndex,
  computeFingerprint,
  containment,
} from '../../indexer/steps/near-duplicates.js';

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
