import { describe, expect, it } from 'vitest';
import { AnswerCache, estimateBytes } from '../../engine/sqlite/answer-cache.js';

describe('AnswerCache', () => {
  it('computes once and serves the remembered value after that', () => {
    const cache = new AnswerCache(8);
    let computed = 0;
    const get = (): number[] => cache.remember('k', () => [++computed]);
    expect(get()).toEqual([1]);
    expect(get()).toEqual([1]);
    expect(computed).toBe(1);
  });

  it('drops the least recently used entry past its entry count', () => {
    const cache = new AnswerCache(2);
    cache.remember('a', () => 1);
    cache.remember('b', () => 2);
    cache.remember('a', () => -1); // used again: b is now the oldest
    cache.remember('c', () => 3);
    expect(cache.remember('a', () => -1)).toBe(1);
    expect(cache.remember('b', () => -2)).toBe(-2);
  });

  it('drops the oldest entries once the bytes they hold pass the budget', () => {
    const cache = new AnswerCache(1000, 4 * 1024 * 1024);
    // Match sets of 100k rows, 400 kB each: the budget holds ten of them, not a thousand.
    for (let i = 0; i < 40; i++) cache.remember(`rows${i}`, () => new Int32Array(100_000));
    expect(cache.size.bytes).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(cache.size.entries).toBe(10);
    expect(cache.remember('rows39', () => new Int32Array(1)).length).toBe(100_000);
    expect(cache.remember('rows0', () => new Int32Array(1)).length).toBe(1);
  });

  it('does not keep an entry that would take more than a quarter of the budget', () => {
    const cache = new AnswerCache(1000, 1024 * 1024);
    cache.remember('small', () => 'x');
    expect(cache.remember('huge', () => new Float64Array(100_000)).length).toBe(100_000);
    expect(cache.size.entries).toBe(1);
    expect(cache.remember('huge', () => new Float64Array(1)).length).toBe(1);
    expect(cache.remember('small', () => 'y')).toBe('x');
  });

  it('gives the bytes back when an entry is forgotten or the cache cleared', () => {
    const cache = new AnswerCache(10);
    cache.remember('a', () => new Int32Array(1000));
    cache.remember('b', () => new Int32Array(1000));
    const both = cache.size.bytes;
    cache.forget('a');
    expect(cache.size.bytes).toBeLessThan(both);
    expect(cache.size.bytes).toBeGreaterThan(4000);
    cache.clear();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });

  it('keeps nothing with capacity 0', () => {
    const cache = new AnswerCache(0);
    let computed = 0;
    cache.remember('k', () => ++computed);
    cache.remember('k', () => ++computed);
    expect(computed).toBe(2);
    expect(cache.size.entries).toBe(0);
  });
});

describe('estimateBytes', () => {
  it.each([
    ['a typed array by its bytes', new Float64Array(1000), 8000, 8200],
    ['a string by its characters', '党'.repeat(1000), 2000, 2200],
    ['a map of rows to flags', new Map(Array.from({ length: 100 }, (_, i) => [i, true])), 1600, 4000],
    ['a result-like object', { hits: [{ document: { body: 'x'.repeat(5000) }, score: 1 }], total: 1 }, 10_000, 10_600],
  ])('counts %s', (_name, value, low, high) => {
    const bytes = estimateBytes(value);
    expect(bytes).toBeGreaterThanOrEqual(low);
    expect(bytes).toBeLessThanOrEqual(high);
  });
});
