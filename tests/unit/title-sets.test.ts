import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayContain, mayContainAny, signatureOf, TitleSets } from '../../engine/sqlite/title-sets.js';

function rowsOf(bits: Uint32Array): number[] {
  const rows: number[] = [];
  for (let row = 0; row < bits.length * 32; row++) if (((bits[row >>> 5] ?? 0) & (1 << (row & 31))) !== 0) rows.push(row);
  return rows;
}

describe('TitleSets: the rows whose title contains a word', () => {
  const titles = ['市一医院党委获评先进基层党组织', '护理党支部创建五星级党支部', '', '医院开展清廉医院建设'];
  const live = Uint8Array.from([1, 1, 0, 1]);

  it('finds every live title with any of the words, and only those', () => {
    const sets = new TitleSets();
    sets.reset(titles.length);
    expect(rowsOf(sets.rowsContaining(['党支部'], titles, live))).toEqual([1]);
    expect(rowsOf(sets.rowsContaining(['医院'], titles, live))).toEqual([0, 3]);
    expect(rowsOf(sets.rowsContaining(['清廉', '五星级'], titles, live))).toEqual([1, 3]);
    expect(rowsOf(sets.rowsContaining(['火星'], titles, live))).toEqual([]);
  });

  it('keeps a held set exact through retitled, removed and added rows', () => {
    const keys = [...titles];
    const alive = new Uint8Array(40);
    alive.set(live);
    const sets = new TitleSets();
    sets.reset(keys.length);
    expect(rowsOf(sets.rowsContaining(['医院'], keys, alive))).toEqual([0, 3]);
    keys[0] = '护理部召开座谈会';
    sets.setRow(0, keys[0]);
    keys[3] = '';
    sets.setRow(3, '');
    sets.grow(40);
    keys[33] = '县医院党建品牌';
    sets.setRow(33, keys[33]);
    // Asked again, the held set answers: it must match a fresh scan.
    const held = rowsOf(sets.rowsContaining(['医院'], keys, alive));
    expect(held).toEqual([33]);
    const fresh = new TitleSets();
    fresh.reset(40);
    alive[33] = 1;
    alive[3] = 0;
    expect(rowsOf(fresh.rowsContaining(['医院'], keys, alive))).toEqual(held);
  });
});

describe('title signatures: a test that rules titles out before their text is searched', () => {
  const one = (title: string): Uint32Array => {
    const signature = signatureOf(title);
    return Uint32Array.from([signature.low, signature.high]);
  };

  it('never rules out a title that contains the word', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(), fc.nat(), (title, a, b) => {
        const start = a % (title.length + 1);
        const word = title.slice(start, start + (b % 6));
        expect(mayContain(one(title), 0, signatureOf(word))).toBe(true);
        expect(mayContainAny(one(title), 0, [signatureOf('火星基地'), signatureOf(word)])).toBe(true);
      }),
    );
  });

  it('rules out most titles that lack a two- or three-character word', () => {
    const sample = [
      '市一医院党委获评先进基层党组织',
      '护理党支部创建五星级党支部',
      '医院开展清廉医院建设',
      '县人民医院召开党史学习教育动员大会',
      '中医院举办青年医师技能竞赛',
      '妇幼保健院开展学雷锋志愿服务活动',
    ];
    const words = ['火星', '航天', '铁路', '足球赛', '春节', '书法', '网络安全', '消防', '退役军人', '奥运'];
    let lacking = 0;
    let ruledOut = 0;
    for (const title of sample) {
      for (const word of words) {
        if (title.includes(word)) continue;
        lacking++;
        if (!mayContain(one(title), 0, signatureOf(word))) ruledOut++;
      }
    }
    expect(ruledOut / lacking).toBeGreaterThan(0.6);
  });

  it('follows retitled and added rows once built, also past a growth', () => {
    const keys = ['市一医院党委获评先进基层党组织', '护理党支部创建五星级党支部'];
    const sets = new TitleSets();
    sets.reset(keys.length);
    const before = sets.signaturesOf(keys);
    expect([before[0], before[1]]).toEqual([...one(keys[0] ?? '')]);
    sets.setRow(0, '县医院党建品牌');
    sets.grow(40);
    sets.setRow(33, '清廉医院');
    const after = sets.signaturesOf(keys);
    expect([after[0], after[1]]).toEqual([...one('县医院党建品牌')]);
    expect([after[2], after[3]]).toEqual([...one(keys[1] ?? '')]);
    expect([after[66], after[67]]).toEqual([...one('清廉医院')]);
    sets.reset(40);
    expect(sets.signaturesOf(['医院'])[0]).toBe(one('医院')[0]);
  });
});
