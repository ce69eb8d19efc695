/**
 * Filters on the in-memory columns: past a few thousand rows tested, a
 * filter answers from a bitset it builds over every row. Whichever way it
 * answers, it must pass exactly the rows the field values say, including
 * values beyond a row's first, year ranges, and filters on several fields.
 */
import { describe, expect, it } from 'vitest';
import { facetFields, type FacetField } from '../../engine/document.js';
import { MemoryIndex, type MemoryRow } from '../../engine/sqlite/memory-index.js';
import type { SearchFilters } from '../../engine/port.js';

const provinces = ['湖北', '广东', '四川', '浙江'];
const awards = ['先锋党支部', '标杆党支部', '五星级党支部', '示范点', '党建品牌'];

/** A deterministic stream in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function rowOf(row: number, next: () => number): MemoryRow {
  const facets = Object.fromEntries(facetFields.map((field) => [field, [] as string[]])) as Record<FacetField, string[]>;
  if (next() < 0.9) facets.province = [provinces[Math.floor(next() * provinces.length)] ?? ''];
  // Several award types on most rows: a filter value is often not a row's first.
  for (const award of awards) if (next() < 0.35) facets.awardType.push(award);
  const year = next() < 0.95 ? 2015 + Math.floor(next() * 10) : null;
  if (year !== null) facets.year = [String(year)];
  return { id: `a${row}`, title: `t${row}`, publishedAt: null, year, topicality: 1, duplicateOf: null, facets, indexed: '' };
}

function indexOf(rows: MemoryRow[]): MemoryIndex {
  const memory = new MemoryIndex();
  rows.forEach((row, i) => memory.setRow(i, row));
  return memory;
}

/** What a filter means, read straight off the rows. */
function passes(row: MemoryRow, filters: SearchFilters, except?: FacetField): boolean {
  const fields: Array<[FacetField, readonly string[] | undefined]> = [
    ['province', filters.province],
    ['awardType', filters.awardType],
    ['year', filters.year?.map(String)],
  ];
  for (const [field, values] of fields) {
    if (field === except || values === undefined || values.length === 0) continue;
    if (!row.facets[field].some((value) => values.includes(value))) return false;
  }
  if (filters.yearFrom !== undefined || filters.yearTo !== undefined) {
    if (row.year === null || row.year < (filters.yearFrom ?? -Infinity) || row.year > (filters.yearTo ?? Infinity)) return false;
  }
  return true;
}

const cases: Array<{ name: string; filters: SearchFilters }> = [
  { name: 'one province', filters: { province: ['湖北'] } },
  { name: 'an award type that is often not the first', filters: { awardType: ['党建品牌'] } },
  { name: 'two award types', filters: { awardType: ['示范点', '标杆党支部'] } },
  { name: 'a year range', filters: { yearFrom: 2018, yearTo: 2020 } },
  { name: 'a year range open at the top', filters: { yearFrom: 2023 } },
  { name: 'province, award and years together', filters: { province: ['广东', '四川'], awardType: ['先锋党支部'], yearFrom: 2016, yearTo: 2022 } },
  { name: 'listed years and a province', filters: { year: [2019, 2021], province: ['浙江'] } },
  { name: 'a value no row has', filters: { province: ['西藏'] } },
];

describe('MemoryIndex filters over many rows', () => {
  const next = random(7);
  const rows = Array.from({ length: 12_000 }, (_, i) => rowOf(i, next));
  const memory = indexOf(rows);

  it.each(cases)('$name: passes exactly the rows the values say, in any order', ({ filters }) => {
    const expected = rows.flatMap((row, i) => (passes(row, filters) ? [i] : []));
    expect(memory.rowsMatching(memory.compileFilter(filters))).toEqual(expected);
    // Backwards, so the rows tested after the switch to the bitset are other rows than before it.
    const filter = memory.compileFilter(filters);
    const backwards: number[] = [];
    for (let i = rows.length - 1; i >= 0; i--) if (filter === null || filter(i)) backwards.push(i);
    expect(backwards.reverse()).toEqual(expected);
  });

  it('ANDs a request filter with a fixed scope', () => {
    const filters: SearchFilters = { awardType: ['示范点'] };
    const scope: SearchFilters = { province: ['湖北', '广东'] };
    const expected = rows.flatMap((row, i) => (passes(row, filters) && passes(row, scope) ? [i] : []));
    expect(memory.rowsMatching(memory.compileFilter(filters, scope))).toEqual(expected);
  });

  it('counts each filtered field over the rows that pass the other filters', () => {
    const filters: SearchFilters = { province: ['广东'], awardType: ['五星级党支部', '党建品牌'], yearFrom: 2017 };
    const all = rows.map((_, i) => i);
    const lifted = memory.countLiftedFacets(all, filters, null, { collapse: false, tiers: null });
    for (const field of ['province', 'awardType'] as const) {
      const expected: Record<string, number> = {};
      for (const row of rows) {
        if (!passes(row, filters, field)) continue;
        for (const value of row.facets[field]) expected[value] = (expected[value] ?? 0) + 1;
      }
      expect(lifted[field]).toEqual(expected);
    }
  });

  it.each([
    ['a few rows', 300],
    ['thousands of rows', 9_000],
  ])('counts facets over %s the same in row order, date order or any other', (_name, size) => {
    const shuffle = random(11);
    const picked = rows.map((_, i) => i).filter(() => shuffle() < size / rows.length);
    const expected: Record<string, Record<string, number>> = {};
    for (const field of facetFields) expected[field] = {};
    for (const i of picked) for (const field of facetFields) for (const value of rows[i]!.facets[field]) expected[field]![value] = (expected[field]![value] ?? 0) + 1;
    const shuffled = [...picked].sort(() => shuffle() - 0.5);
    for (const order of [picked, shuffled, [...picked].reverse()]) {
      const counts = memory.countFacets(Int32Array.from(order));
      for (const field of facetFields) expect(counts[field], field).toEqual(expected[field]);
    }
  });

  it('sees a write made after an earlier filter was compiled', () => {
    const filters: SearchFilters = { province: ['湖北'] };
    const before = memory.rowsMatching(memory.compileFilter(filters)).length;
    const changed = { ...rows[5]!, facets: { ...rows[5]!.facets, province: rows[5]!.facets.province[0] === '湖北' ? ['广东'] : ['湖北'] } };
    memory.setRow(5, changed);
    const after = memory.rowsMatching(memory.compileFilter(filters)).length;
    expect(Math.abs(after - before)).toBe(1);
    memory.setRow(5, rows[5]!);
  });
});
