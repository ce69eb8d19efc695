/**
 * The date orders every date-sorted search and listing walks: newest (or
 * oldest) first, undated rows last, ties in id order, deleted rows left out.
 */
import { describe, expect, it } from 'vitest';
import { facetFields, type FacetField } from '../../engine/document.js';
import { MemoryIndex, type MemoryRow } from '../../engine/sqlite/memory-index.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function rowOf(id: string, publishedAt: string | null, year: number | null): MemoryRow {
  const facets = Object.fromEntries(facetFields.map((field) => [field, [] as string[]])) as Record<FacetField, string[]>;
  return { id, title: id, publishedAt, year, topicality: 1, duplicateOf: null, facets, indexed: '' };
}

/** What the orders mean, as a comparator over the rows' own dates. */
function expected(rows: ReadonlyArray<MemoryRow | null>, sign: 1 | -1): string[] {
  const keyOf = (r: MemoryRow): number | null => {
    const m = r.publishedAt ? /^(\d{4})-(\d{2})-(\d{2})/u.exec(r.publishedAt) : null;
    if (m) return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
    return r.year === null ? null : r.year * 10000;
  };
  return rows
    .filter((r): r is MemoryRow => r !== null)
    .sort((a, b) => {
      const ka = keyOf(a);
      const kb = keyOf(b);
      if ((ka === null) !== (kb === null)) return ka === null ? 1 : -1;
      return (ka !== null && kb !== null ? sign * (ka - kb) : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    })
    .map((r) => r.id);
}

function ordersOf(rows: ReadonlyArray<MemoryRow | null>): { asc: string[]; desc: string[] } {
  const memory = new MemoryIndex();
  rows.forEach((row, i) => memory.setRow(i, row ?? rowOf(`deleted-${i}`, '2020-01-01', 2020)));
  rows.forEach((row, i) => {
    if (row === null) memory.removeRow(i);
  });
  const ids = (order: Int32Array): string[] => [...order].map((row) => memory.idOf(row));
  return { asc: ids(memory.dateOrder('date_asc')), desc: ids(memory.dateOrder('date_desc')) };
}

describe('date orders', () => {
  it('put thousands of rows with many on one day in order, undated last, deleted left out', () => {
    const next = random(7);
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const roll = next();
      // Ids not in row order, so the tie-break is tested.
      const id = `a${String(Math.floor(next() * 1e6)).padStart(6, '0')}-${i}`;
      if (roll < 0.05) return null;
      if (roll < 0.12) return rowOf(id, null, null);
      if (roll < 0.2) return rowOf(id, null, 2015 + Math.floor(next() * 10));
      const day = 1 + Math.floor(next() * 5);
      return rowOf(id, `20${18 + Math.floor(next() * 3)}-0${1 + Math.floor(next() * 2)}-0${day}`, null);
    });
    const { asc, desc } = ordersOf(rows);
    expect(asc).toEqual(expected(rows, 1));
    expect(desc).toEqual(expected(rows, -1));
  });

  it.each([
    ['years far apart', [rowOf('b', null, 200_000), rowOf('a', null, -200_000), rowOf('c', '2020-05-01', 2020), rowOf('d', null, null)]],
    ['negative years', [rowOf('b', null, -50), rowOf('a', null, -50), rowOf('c', null, 10)]],
    ['nothing dated', [rowOf('b', null, null), rowOf('a', null, null)]],
    ['no rows', []],
  ])('hold with %s', (_, rows) => {
    const { asc, desc } = ordersOf(rows);
    expect(asc).toEqual(expected(rows, 1));
    expect(desc).toEqual(expected(rows, -1));
  });
});

describe('orderByDate: a match set in date order', () => {
  const next = random(11);
  const rows = Array.from({ length: 2000 }, (_, i) =>
    next() < 0.05 ? null : rowOf(`b${String(Math.floor(next() * 1e6)).padStart(6, '0')}-${i}`, `20${10 + Math.floor(next() * 9)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`, null),
  );
  const memory = new MemoryIndex();
  rows.forEach((row, i) => memory.setRow(i, row ?? rowOf(`gone-${i}`, '2020-01-01', 2020)));
  rows.forEach((row, i) => {
    if (row === null) memory.removeRow(i);
  });

  // What it means: the global order filtered to the set, exact rows (tier 0) before the others.
  const meant = (set: number[], sort: 'date_asc' | 'date_desc', tiers: Uint8Array | null): number[] => {
    const inSet = new Set(set);
    const order = [...memory.dateOrder(sort)].filter((row) => inSet.has(row));
    return tiers === null ? order : [...order.filter((row) => tiers[row] === 0), ...order.filter((row) => tiers[row] !== 0)];
  };

  // 40 rows take the sort by rank, 900 the walk of the whole order; deleted rows are in both sets.
  it.each([
    ['a few rows (sorted by rank)', 40],
    ['many rows (walking the order)', 900],
  ])('%s: the same as the global order, exact rows first, deleted rows left out', (_, size) => {
    const set = Array.from({ length: 2000 }, (_, row) => row).filter(() => next() < size / 2000);
    const tiers = Uint8Array.from({ length: 2000 }, () => (next() < 0.4 ? 0 : 1 + Math.floor(next() * 3)));
    for (const sort of ['date_asc', 'date_desc'] as const) {
      expect([...memory.orderByDate(set, sort)]).toEqual(meant(set, sort, null));
      expect([...memory.orderByDate([...set].reverse(), sort, tiers)]).toEqual(meant(set, sort, tiers));
    }
  });
});
