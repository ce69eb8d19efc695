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
