import { describe, expect, it } from 'vitest';
import { FacetColumn } from '../../engine/sqlite/facet-column.js';

function counted(column: FacetColumn, rows: number[], limit?: number): Record<string, number> {
  const counts = new Uint32Array(column.values.length);
  column.countAll(rows, counts);
  const record = column.toRecord(counts, limit);
  // Counting from the per-value bitsets gives the same answer, whichever way a search takes.
  const bits = new Uint32Array(Math.ceil(Math.max(1, column.first.length) / 32));
  for (const row of rows) bits[row >>> 5] = (bits[row >>> 5] ?? 0) | (1 << (row & 31));
  const fromBits = new Uint32Array(column.values.length);
  column.countBits(bits, fromBits);
  expect(Object.entries(column.toRecord(fromBits, limit))).toEqual(Object.entries(record));
  return record;
}

/** A column over rows 0..n-1 with the given values per row. */
function columnOf(values: string[][]): FacetColumn {
  const column = new FacetColumn(values.length);
  values.forEach((list, row) => list.forEach((value) => column.add(row, value)));
  return column;
}

describe('FacetColumn counts', () => {
  const cases: Array<{ name: string; values: string[][]; rows: number[]; limit?: number; expected: Record<string, number> }> = [
    { name: 'one value a row', values: [['湖北'], ['湖北'], ['广东']], rows: [0, 1, 2], expected: { 湖北: 2, 广东: 1 } },
    { name: 'only the rows asked for', values: [['湖北'], ['湖北'], ['广东']], rows: [2], expected: { 广东: 1 } },
    { name: 'several values a row', values: [['先锋', '示范点'], ['示范点'], []], rows: [0, 1, 2], expected: { 示范点: 2, 先锋: 1 } },
    { name: 'a value repeated on a row counts once', values: [['标杆', '标杆', '先锋']], rows: [0], expected: { 先锋: 1, 标杆: 1 } },
    { name: 'ties in text order', values: [['b'], ['a'], ['c'], ['c']], rows: [0, 1, 2, 3], expected: { c: 2, a: 1, b: 1 } },
    { name: 'limit keeps the most frequent', values: [['b'], ['a'], ['c'], ['c']], rows: [0, 1, 2, 3], limit: 2, expected: { c: 2, a: 1 } },
    { name: 'no rows, no values', values: [['a']], rows: [], expected: {} },
  ];
  it.each(cases)('$name', ({ values, rows, limit, expected }) => {
    const record = counted(columnOf(values), rows, limit);
    expect(Object.entries(record)).toEqual(Object.entries(expected));
  });

  it('counts what was written after an earlier count', () => {
    const column = columnOf([['先锋', '示范点'], ['先锋']]);
    expect(counted(column, [0, 1])).toEqual({ 先锋: 2, 示范点: 1 });
    column.add(1, '标杆');
    expect(counted(column, [0, 1])).toEqual({ 先锋: 2, 标杆: 1, 示范点: 1 });
    column.clear(0);
    expect(counted(column, [0, 1])).toEqual({ 先锋: 1, 标杆: 1 });
    column.grow(4);
    column.add(3, '示范点');
    column.add(3, '先锋');
    expect(counted(column, [0, 1, 3])).toEqual({ 先锋: 2, 标杆: 1, 示范点: 1 });
  });

  it('prefers bitsets for few values over many rows, and rows for many values', () => {
    const few = columnOf(Array.from({ length: 4096 }, (_, row) => [String(row % 5)]));
    expect(few.prefersBits(4096, 4096)).toBe(true);
    expect(few.prefersBits(1000, 4096)).toBe(true);
    expect(few.prefersBits(10, 4096)).toBe(false);
    const many = columnOf(Array.from({ length: 4096 }, (_, row) => [String(row % 500)]));
    expect(many.prefersBits(4096, 4096)).toBe(false);
  });

  it('orders new values among the old ones', () => {
    const column = columnOf([['乙'], ['丙']]);
    expect(Object.keys(counted(column, [0, 1]))).toEqual(['丙', '乙']);
    column.add(0, '甲');
    column.add(1, '丁');
    expect(Object.keys(counted(column, [0, 1]))).toEqual([...['丁', '丙', '乙', '甲']].sort());
  });

  it('survives being saved and loaded', () => {
    const column = columnOf([['先锋', '示范点'], ['标杆'], []]);
    const loaded = FacetColumn.fromData(column.toData());
    expect(counted(loaded, [0, 1, 2])).toEqual(counted(column, [0, 1, 2]));
    expect(loaded.codesOf(0).map((code) => loaded.values[code])).toEqual(['先锋', '示范点']);
  });
});
