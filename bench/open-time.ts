/**
 * `tsx bench/open-time.ts <data-dir> [runs]`: how long the embedded engine
 * takes to open an existing index (init to the first answered search), run
 * after run. The first run of a fresh index loads its columns from the
 * tables and saves them beside it; later runs read the saved copy.
 */
import { SqliteEngine } from '../engine/sqlite/sqlite-engine.js';
import { analyseQuery } from '../engine/analysis/query.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: tsx bench/open-time.ts <data-dir> [runs]');
const runs = Number(process.argv[3] ?? 3);
for (let run = 1; run <= runs; run++) {
  const started = performance.now();
  const engine = new SqliteEngine({ dataDir });
  await engine.init();
  const opened = performance.now();
  await engine.search({ query: analyseQuery('党建'), filters: {}, sort: 'relevance', page: 1, pageSize: 10, facets: true, collapse: true });
  const searched = performance.now();
  await engine.close();
  process.stdout.write(`open ${run}: init ${(opened - started).toFixed(0)} ms, first search ${(searched - opened).toFixed(0)} ms\n`);
}
