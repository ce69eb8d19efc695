import { describe, expect, it } from 'vitest';
import { isVocabularySample } from '../../bench/run.js';

describe('the benchmark query material', () => {
  const ids = Array.from({ length: 4000 }, (_, i) => `article-${i.toString(36)}`);

  it('is the same documents whatever order they are indexed in', () => {
    const forward = ids.filter((id) => isVocabularySample(id, 20));
    const backward = [...ids].reverse().filter((id) => isVocabularySample(id, 20)).reverse();
    expect(backward).toEqual(forward);
  });

  it('keeps about one document in `every`', () => {
    const kept = ids.filter((id) => isVocabularySample(id, 20)).length;
    expect(kept).toBeGreaterThan(150);
    expect(kept).toBeLessThan(250);
  });
});
