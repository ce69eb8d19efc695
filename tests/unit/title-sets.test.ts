import { describe, expect, it } from 'vitest';
import { TitleSets } from '../../engine/sqlite/title-sets.js';

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
