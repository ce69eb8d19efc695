import { describe, expect, it } from 'vitest';
import {
  computeDcg,
  isNoAnswerCorrect,
  meanOf,
  percentileOf,
  scoreRanking,
  type RankedHit,
} from '../../bench/metrics.js';

// 1 / log2(3): the discount at rank 2.
const d2 = 1 / Math.log2(3);

describe('computeDcg', () => {
  it.each([
    { gains: [2, 1], k: 10, dcg: 2 + d2 },
    { gains: [1, 2], k: 10, dcg: 1 + 2 * d2 },
    { gains: [0, 0, 2], k: 10, dcg: 1 },
    { gains: [2, 2, 2], k: 1, dcg: 2 },
    { gains: [], k: 10, dcg: 0 },
  ])('DCG of $gains at k=$k is $dcg', ({ gains, k, dcg }) => {
    expect(computeDcg(gains, k)).toBeCloseTo(dcg, 6);
  });
});

const single = (...ids: string[]): RankedHit[] => ids.map((id) => [id]);
const tenMisses = single('r901', 'r902', 'r903', 'r904', 'r905', 'r906', 'r907', 'r908', 'r909', 'r910');

interface RankingCase {
  name: string;
  hits: RankedHit[];
  relevant: Record<string, number>;
  ndcg: number;
  recall: number;
  rr: number;
}

describe('scoreRanking', () => {
  it.each<RankingCase>([
    {
      name: 'ideal order',
      hits: single('r005', 'r019'),
      relevant: { r005: 2, r019: 1 },
      ndcg: 1,
      recall: 1,
      rr: 1,
    },
    {
      name: 'grade-1 article above the grade-2 one',
      hits: single('r019', 'r005'),
      relevant: { r005: 2, r019: 1 },
      // (1 + 2/log2 3) / (2 + 1/log2 3)
      ndcg: 2.2618595 / 2.6309298,
      recall: 1,
      rr: 1,
    },
    {
      name: 'only relevant article at rank 3',
      hits: single('r901', 'r902', 'r033'),
      relevant: { r033: 2 },
      ndcg: 0.5,
      recall: 1,
      rr: 1 / 3,
    },
    {
      name: 'two of three relevant articles missing',
      hits: single('r044', 'r901'),
      relevant: { r044: 2, r084: 2, r021: 1 },
      // 2 / (2 + 2/log2 3 + 1/2)
      ndcg: 2 / 3.7618595,
      recall: 1 / 3,
      rr: 1,
    },
    {
      name: 'relevant article just past the cut-off',
      hits: [...tenMisses, ['r035']],
      relevant: { r035: 1 },
      ndcg: 0,
      recall: 0,
      rr: 0,
    },
    {
      name: 'the same article returned twice is credited once',
      hits: single('r023', 'r023'),
      relevant: { r023: 2, r173: 2 },
      ndcg: 2 / (2 + 2 * d2),
      recall: 0.5,
      rr: 1,
    },
  ])('$name', ({ hits, relevant, ndcg, recall, rr }) => {
    const score = scoreRanking(hits, relevant, 10);
    expect(score.ndcg).toBeCloseTo(ndcg, 5);
    expect(score.recall).toBeCloseTo(recall, 6);
    expect(score.reciprocalRank).toBeCloseTo(rr, 6);
  });

  it('returns null metrics for a query without judgments', () => {
    const score = scoreRanking(single('r003'), {}, 10);
    expect(score).toMatchObject({ ndcg: null, recall: null, reciprocalRank: null });
  });

  describe('near-duplicate groups (r066 is a repost of r062)', () => {
    const groupOf = (id: string): string => (id === 'r066' ? 'r062' : id);
    const relevant = { r062: 2, r066: 2, r070: 1 };

    it.each([
      { name: 'collapsed: one hit stands for both copies', hits: [['r062', 'r066'], ['r070']], ndcg: 1, recall: 1 },
      { name: 'collapsed with the repost as the visible hit', hits: [['r066', 'r062'], ['r070']], ndcg: 1, recall: 1 },
      // gains 2, 0, 1: (2 + 1/2) / (2 + 1/log2 3)
      { name: 'not collapsed: the second copy earns nothing', hits: single('r062', 'r066', 'r070'), ndcg: 2.5 / 2.6309298, recall: 1 },
      { name: 'not collapsed, second copy missing', hits: single('r062', 'r070'), ndcg: 1, recall: 1 },
    ])('$name', ({ hits, ndcg, recall }) => {
      const score = scoreRanking(hits, relevant, 10, groupOf);
      expect(score.ndcg).toBeCloseTo(ndcg, 5);
      expect(score.recall).toBeCloseTo(recall, 6);
    });

    it('without grouping the two copies are separate relevant articles', () => {
      const score = scoreRanking(single('r062', 'r070'), relevant, 10);
      expect(score.recall).toBeCloseTo(2 / 3, 6);
    });
  });
});

describe('isNoAnswerCorrect', () => {
  it.each([
    { exact: [], correct: true },
    { exact: [false, false], correct: true },
    { exact: [true], correct: false },
    { exact: [false, true], correct: false },
  ])('hits exact=$exact → $correct', ({ exact, correct }) => {
    expect(isNoAnswerCorrect({ hits: exact.map((flag) => ({ exact: flag })) })).toBe(correct);
  });
});

describe('meanOf and percentileOf', () => {
  it('averages only defined values', () => {
    expect(meanOf([1, null, 0.5])).toBeCloseTo(0.75, 6);
    expect(meanOf([null])).toBeNull();
  });

  it.each([
    { p: 50, value: 5 },
    { p: 95, value: 10 },
    { p: 99, value: 10 },
    { p: 10, value: 1 },
  ])('nearest-rank p$p of 1..10 is $value', ({ p, value }) => {
    expect(percentileOf([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], p)).toBe(value);
  });
});
