import { describe, expect, it } from 'vitest';
import { intersectionOf, RowSet, unionOf } from '../../engine/sqlite/row-set.js';
import { rowsOfBits } from '../../engine/sqlite/term-sets.js';

const ofRows = (rows: number[]): RowSet => RowSet.ofRows(Int32Array.from(rows));
const ofBits = (rows: number[], words: number): RowSet => RowSet.ofBits(ofRows(rows).bits(words));

describe('RowSet', () => {
  const forms: Array<[string, (rows: number[]) => RowSet]> = [
    ['a row list', ofRows],
    ['a bitset', (rows) => ofBits(rows, 4)],
  ];
  it.each(forms)('as %s, gives the same rows, count and bitset', (_, make) => {
    const set = make([0, 31, 32, 100]);
    expect([...set.rows()]).toEqual([0, 31, 32, 100]);
    expect(set.count).toBe(4);
    expect([...rowsOfBits(set.bits(4))]).toEqual([0, 31, 32, 100]);
    // Narrower: rows past the width are left out; wider: padded with zeros.
    expect([...rowsOfBits(set.bits(2))]).toEqual([0, 31, 32]);
    expect(set.bits(6).length).toBe(6);
    expect([...rowsOfBits(set.bits(6))]).toEqual([0, 31, 32, 100]);
  });

  it.each(forms)('as %s, tells whether it shares a row with a bitset, whatever its width', (_, make) => {
    const set = make([3, 40, 90]);
    const bitsOf = (rows: number[], words: number): Uint32Array => ofRows(rows).bits(words);
    expect(set.intersects(bitsOf([90], 4))).toBe(true);
    expect(set.intersects(bitsOf([2, 4, 41, 89, 91], 4))).toBe(false);
    // Rows past the other bitset's width are in neither.
    expect(set.intersects(bitsOf([40], 2))).toBe(true);
    expect(set.intersects(bitsOf([], 2))).toBe(false);
    expect(RowSet.empty.intersects(bitsOf([0, 1], 1))).toBe(false);
  });

  it.each(forms)('as %s, finds a row passing a test, in row order', (_, make) => {
    const set = make([3, 40, 90]);
    const seen: number[] = [];
    expect(set.some((row) => (seen.push(row), row > 39))).toBe(true);
    expect(seen).toEqual([3, 40]);
    expect(set.some((row) => row > 90)).toBe(false);
    expect(RowSet.empty.some(() => true)).toBe(false);
  });

  it('shares a bitset of the asked width, and copies one of another width', () => {
    const bits = new Uint32Array(4);
    bits[1] = 1;
    const set = RowSet.ofBits(bits);
    expect(set.bits(4)).toBe(bits);
    expect(set.bits(5)).not.toBe(bits);
  });
});

describe('unionOf / intersectionOf', () => {
  const cases: Array<{ name: string; sets: () => RowSet[]; union: number[]; intersection: number[] }> = [
    { name: 'one set is itself', sets: () => [ofRows([1, 5])], union: [1, 5], intersection: [1, 5] },
    { name: 'lists', sets: () => [ofRows([1, 5, 64]), ofRows([5, 64, 70])], union: [1, 5, 64, 70], intersection: [5, 64] },
    { name: 'a list and a bitset', sets: () => [ofRows([2, 33]), ofBits([2, 3, 127], 4)], union: [2, 3, 33, 127], intersection: [2] },
    { name: 'disjoint', sets: () => [ofBits([0], 4), ofRows([1])], union: [0, 1], intersection: [] },
    { name: 'three', sets: () => [ofRows([1, 2, 3]), ofRows([2, 3]), ofBits([3, 4], 4)], union: [1, 2, 3, 4], intersection: [3] },
  ];
  it.each(cases)('$name', ({ sets, union, intersection }) => {
    expect([...unionOf(sets(), 128).rows()]).toEqual(union);
    expect([...intersectionOf(sets(), 128).rows()]).toEqual(intersection);
  });

  it('leaves the bitsets it combines as they were', () => {
    const bits = ofRows([1, 2]).bits(4);
    const before = Array.from(bits);
    intersectionOf([RowSet.ofBits(bits), ofRows([2])], 128);
    unionOf([RowSet.ofBits(bits), ofRows([9])], 128);
    expect(Array.from(bits)).toEqual(before);
  });
});
