/**
 * Ranking-quality metrics for `npm run eval` (bench/eval.ts).
 *
 * Definitions (documented in the README's "Search quality" section):
 * - gain of a hit = its judged grade (2 squarely relevant, 1 partially, 0 not
 *   judged): linear gains, so a grade-2 hit is worth twice a grade-1 hit;
 * - DCG@k = Σ gain(rank) / log2(rank + 1) over ranks 1..k;
 * - nDCG@k = DCG@k / ideal DCG@k, the ideal being the judged grades sorted
 *   descending; undefined (null) for a query with no judged article;
 * - recall@k = relevant (grade ≥ 1) units in the top k / all relevant units;
 * - reciprocal rank = 1 / rank of the first relevant hit in the top k (0 if none).
 *
 * A "unit" is a group of near-duplicates. Judgments grade both members of a
 * near-duplicate pair, while a collapsing engine returns one hit for both, so
 * every metric folds the judgments into groups (grade = best member's) and
 * credits each group once, at the first hit that represents it. Without a
 * grouping, every article is its own group and the metrics are the textbook ones.
 */

/** One returned hit: the article ids it stands for (itself first, then collapsed duplicates). */
export type RankedHit = readonly string[];

export interface RankingScore {
  /** null when the query has no judged article (a no-answer query). */
  ndcg: number | null;
  recall: number | null;
  reciprocalRank: number | null;
  /** Gain credited at each rank (0 for non-relevant or already-credited groups). */
  gains: number[];
}

const identity = (id: string): string => id;

/** DCG of a gain list cut at k (rank r is discounted by log2(r + 1)). */
export function computeDcg(gains: readonly number[], k: number): number {
  let sum = 0;
  const n = Math.min(k, gains.length);
  for (let i = 0; i < n; i++) sum += (gains[i] ?? 0) / Math.log2(i + 2);
  return sum;
}

/** Folds article grades into near-duplicate groups: group → best grade among its members. */
export function foldJudgments(
  relevant: Readonly<Record<string, number>>,
  groupOf: (id: string) => string = identity,
): Map<string, number> {
  const folded = new Map<string, number>();
  for (const [id, grade] of Object.entries(relevant)) {
    if (grade <= 0) continue;
    const group = groupOf(id);
    folded.set(group, Math.max(folded.get(group) ?? 0, grade));
  }
  return folded;
}

/**
 * Gain per rank: a hit earns the best grade of the groups it stands for that
 * have not been credited yet, so a duplicate returned twice counts once.
 */
export function computeGains(
  hits: readonly RankedHit[],
  folded: ReadonlyMap<string, number>,
  groupOf: (id: string) => string = identity,
): number[] {
  const credited = new Set<string>();
  return hits.map((ids) => {
    let best = 0;
    let bestGroup: string | null = null;
    for (const id of ids) {
      const group = groupOf(id);
      if (credited.has(group)) continue;
      const grade = folded.get(group) ?? 0;
      if (grade > best) {
        best = grade;
        bestGroup = group;
      }
    }
    if (bestGroup !== null) credited.add(bestGroup);
    return best;
  });
}

/** nDCG@k, recall@k and reciprocal rank of one ranked list against graded judgments. */
export function scoreRanking(
  hits: readonly RankedHit[],
  relevant: Readonly<Record<string, number>>,
  k = 10,
  groupOf: (id: string) => string = identity,
): RankingScore {
  const top = hits.slice(0, k);
  const folded = foldJudgments(relevant, groupOf);
  const gains = computeGains(top, folded, groupOf);
  if (folded.size === 0) return { ndcg: null, recall: null, reciprocalRank: null, gains };

  const ideal = [...folded.values()].sort((a, b) => b - a);
  const idealDcg = computeDcg(ideal, k);
  const found = gains.filter((g) => g > 0).length;
  const firstRelevant = gains.findIndex((g) => g > 0);
  return {
    ndcg: computeDcg(gains, k) / idealDcg,
    recall: found / folded.size,
    reciprocalRank: firstRelevant < 0 ? 0 : 1 / (firstRelevant + 1),
    gains,
  };
}

/**
 * A no-answer query (nothing in the corpus is relevant) is answered correctly
 * when no hit claims to match every word (`exact: true`): partial matches,
 * which a UI shows under "no exact match", are fine.
 */
export function isNoAnswerCorrect(result: { hits: ReadonlyArray<{ exact: boolean }> }): boolean {
  return result.hits.every((hit) => !hit.exact);
}

/** Mean of the defined values; null when there are none. */
export function meanOf(values: ReadonlyArray<number | null>): number | null {
  const defined = values.filter((v): v is number => v !== null);
  if (defined.length === 0) return null;
  return defined.reduce((a, b) => a + b, 0) / defined.length;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when empty. */
export function percentileOf(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
