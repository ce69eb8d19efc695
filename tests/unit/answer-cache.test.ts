import { describe, expect, it } from 'vitest';
import { AnswerCache, estimateBytes } from '../../engine/sqlite/answer-cache.js';

const kb = 1024;

describe('AnswerCache', () => {
  it('evicts the least recently used entries once their bytes pass the budget', () => {
    const cache = new AnswerCache(100, 250 * kb);
    let computed = 0;
    const rows = (key: string): Int32Array =>
      cache.remember(key, () => {
        computed++;
        return new Int32Array(25 * kb); // 100 KB
      });
    rows('a');
    rows('b');
    rows('a'); // a is now the most recently used
    rows('c'); // 300 KB held: b goes
    expect(cache.size).toBe(2);
    expect(cache.heldBytes).toBeLessThanOrEqual(250 * kb);
    computed = 0;
    rows('a');
    rows('c');
    expect(computed).toBe(0);
    rows('b');
    expect(computed).toBe(1);
  });

  it('answers but does not keep a value larger than the whole budget', () => {
    const cache = new AnswerCache(100, 10 * kb);
    cache.remember('small', () => 'x');
    const big = cache.remember('big', () => new Float64Array(10 * kb));
    expect(big.length).toBe(10 * kb);
    expect(cache.size).toBe(1);
    let again = 0;
    cache.remember('small', () => {
      again++;
      return 'y';
    });
    expect(again).toBe(0);
  });

  it('still bounds the entry count', () => {
    const cache = new AnswerCache(2);
    for (const key of ['a', 'b', 'c']) cache.remember(key, () => key);
    expect(cache.size).toBe(2);
  });

  it('keeps its byte count through forget and clear', () => {
    const cache = new AnswerCache(10, 1024 * kb);
    cache.remember('a', () => new Uint8Array(100 * kb));
    cache.remember('b', () => new Uint8Array(50 * kb));
    cache.forget('a');
    cache.forget('missing');
    expect(cache.heldBytes).toBeGreaterThanOrEqual(50 * kb);
    expect(cache.heldBytes).toBeLessThan(51 * kb);
    cache.clear();
    expect(cache.heldBytes).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('with capacity 0 keeps nothing', () => {
    const cache = new AnswerCache(0);
    let computed = 0;
    cache.remember('a', () => computed++);
    cache.remember('a', () => computed++);
    expect(computed).toBe(2);
    expect(cache.heldBytes).toBe(0);
  });
});

describe('estimateBytes', () => {
  it.each([
    ['a typed array by its length', new Float64Array(1000), 8000, 8200],
    ['a string at two bytes a character', 'x'.repeat(1000), 2000, 2200],
    ['a match set: rows and tiers', { rows: new Int32Array(1000), tiers: new Uint8Array(4000), levels: 2, key: 'k' }, 8000, 8600],
    ['a map of rows', new Map([[1, [2, 3]], [4, [5]]]), 40, 700],
    ['a result with a document', { hits: [{ document: { title: 't', body: 'b'.repeat(5000) } }], total: 1 }, 10_000, 10_600],
  ])('%s', (_what, value, atLeast, atMost) => {
    const bytes = estimateBytes(value);
    expect(bytes).toBeGreaterThanOrEqual(atLeast);
    expect(bytes).toBeLessThanOrEqual(atMost);
  });
});
