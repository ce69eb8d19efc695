/**
 * `npm test` enforces the search-quality floors: the same run as `npm run eval`
 * (extraction per field, ranking through the API code path on the labelled dev
 * corpus), failing with the per-query misses printed when a figure drops.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, loadFloors, runEval } from '../../bench/eval.js';

describe('search quality on tests/fixtures/corpus-dev', () => {
  it('has a floor for every figure the issue sets a target for', () => {
    const floors = loadFloors();
    expect(Object.keys(floors.ranking)).toEqual(expect.arrayContaining(['ndcg@10', 'recall@10', 'mrr', 'noAnswerCorrect']));
    expect(Object.keys(floors.extraction)).toEqual(expect.arrayContaining(['province', 'hospital', 'year', 'awardNames']));
  });

  it('stays at or above the floors in bench/eval-floors.json', async () => {
    const report = await runEval();
    if (report.failures.length > 0) console.log(formatReport(report));
    expect(report.failures).toEqual([]);
    // Every judged query was actually asked, in both collapse modes.
    expect(report.ranking.collapsed.queries).toBe(46);
    expect(report.ranking.uncollapsed.queries).toBe(46);
  }, 240_000);
});
