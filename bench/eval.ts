/**
 * `npm run eval [-- --verbose] [--json bench/out/eval.json] [--engine sqlite|meilisearch] [--no-peer]`
 *
 * Search quality on the labelled dev corpus (tests/fixtures/corpus-dev):
 * - extraction accuracy per field (bench/extraction-eval.ts), and the same with
 *   every dev-set hospital and alias left out of config/data
 *   (bench/extraction-leave-out.ts, in a child process);
 * - ranking quality (nDCG@10, recall@10, MRR, no-answer queries correct) of
 *   the 46 judged queries, through the same code path as the API: the JSONL is
 *   indexed by `indexCorpus` into a temporary SQLite engine, and every query
 *   is sent as a GET /v1/search request to the real Hono app (validation,
 *   request building, engine, presentation), in-process.
 *
 * Near-duplicates: judgments grade both copies of a repost, while the API
 * collapses them by default. Both modes are measured; the floors apply to the
 * API default (collapse=true), where a collapsed hit stands for its copies
 * (see bench/metrics.ts).
 *
 * Exits non-zero when a figure is below its floor in bench/eval-floors.json.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import type { SearchEngine } from '../engine/port.js';
import { indexCorpus, type IndexSummary } from '../indexer/pipeline.js';
import { evaluateDuplicates } from './duplicate-eval.js';
import { connectMeilisearch, openEngine, type EngineKind, type MeilisearchTarget } from './eval-engine.js';
import { runMeilisearchPeer, type PeerReport } from './meili-peer.js';
import { createApp } from '../service/app.js';
import { evaluateExtraction, type ExtractionReport, type FieldAccuracy } from './extraction-eval.js';
import { isNoAnswerCorrect, meanOf, scoreRanking } from './metrics.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const devCorpusDir = join(repoRoot, 'tests/fixtures/corpus-dev');
export const floorsFile = join(repoRoot, 'bench/eval-floors.json');

/** The issue's targets, printed next to the figures (floors are what CI enforces). */
const targets: Record<string, number> = {
  'ndcg@10': 0.9,
  'recall@10': 0.85,
  mrr: 0.95,
  province: 0.95,
  hospital: 0.95,
  year: 0.95,
  awardNames: 0.85,
  awardLevels: 0.92,
};
/** Targets of the leave-out run. */
const leaveOutTargets: Record<string, number> = { hospital: 0.9 };

// ---------------------------------------------------------------- inputs

const queryLineSchema = z.object({
  qid: z.string(),
  query: z.string(),
  intent: z.string().optional(),
  filters: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))])),
  relevant: z.record(z.string(), z.number().int().min(0).max(2)),
});
export type JudgedQuery = z.infer<typeof queryLineSchema>;

const articleLineSchema = z.object({
  id: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  near_duplicate_of: z.string().nullable(),
});

const floorsSchema = z.object({
  ranking: z.record(z.string(), z.number().min(0).max(1)),
  extraction: z.record(z.string(), z.number().min(0).max(1)),
  /** The leave-out run: extraction with the dev set's hospitals unknown to config/data. */
  extractionLeaveOut: z.record(z.string(), z.number().min(0).max(1)).default({}),
  /**
   * Ranking floors on Meilisearch where they differ from the embedded
   * engine's, each with the measured reason in `reasons`.
   */
  rankingMeilisearch: z.record(z.string(), z.number().min(0).max(1)).default({}),
  reasons: z.record(z.string(), z.string()).default({}),
});
export type EvalFloors = z.infer<typeof floorsSchema>;

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      return parsed.data;
    });
}

export function loadFloors(file = floorsFile): EvalFloors {
  return floorsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

// ---------------------------------------------------------------- ranking

const searchResponseSchema = z.object({
  hits: z.array(z.object({ id: z.string(), title: z.string(), duplicates: z.array(z.string()), exact: z.boolean() })),
  total: z.number(),
  relaxed: z.boolean(),
});

export interface ReturnedHit {
  id: string;
  title: string;
  duplicates: string[];
  /** Best judged grade of the hit or its folded copies (0 = not judged). */
  grade: number;
}

export interface QueryOutcome {
  qid: string;
  query: string;
  filters: JudgedQuery['filters'];
  relevant: Record<string, number>;
  returned: ReturnedHit[];
  total: number;
  relaxed: boolean;
  ndcg: number | null;
  recall: number | null;
  reciprocalRank: number | null;
  /** Only for no-answer queries (empty `relevant`). */
  noAnswerCorrect: boolean | null;
}

export interface RankingSummary {
  collapse: boolean;
  queries: number;
  judged: number;
  ndcg: number;
  recall: number;
  mrr: number;
  noAnswerQueries: number;
  noAnswerCorrect: number;
  /** Share of no-answer queries answered correctly (1 when there are none). */
  noAnswerRate: number;
  outcomes: QueryOutcome[];
}

/** The query string a client would send for a judged query. */
export function buildSearchParams(q: JudgedQuery, collapse: boolean): URLSearchParams {
  const params = new URLSearchParams({ q: q.query, pageSize: '10', collapse: String(collapse) });
  for (const [key, value] of Object.entries(q.filters)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
  }
  return params;
}

async function runRanking(
  app: ReturnType<typeof createApp>,
  queries: JudgedQuery[],
  collapse: boolean,
  groupOf: (id: string) => string,
): Promise<RankingSummary> {
  const outcomes: QueryOutcome[] = [];
  for (const q of queries) {
    const res = await app.request(`/v1/search?${buildSearchParams(q, collapse).toString()}`);
    if (res.status !== 200) throw new Error(`${q.qid} (${q.query}): GET /v1/search answered ${res.status}: ${await res.text()}`);
    const body = searchResponseSchema.parse(await res.json());
    const hits = body.hits.map((h) => [h.id, ...h.duplicates]);
    const score = scoreRanking(hits, q.relevant, 10, groupOf);
    const returned = body.hits.map((h) => ({
      id: h.id,
      title: h.title,
      duplicates: h.duplicates,
      grade: Math.max(0, ...[h.id, ...h.duplicates].map((id) => q.relevant[id] ?? 0)),
    }));
    const noAnswer = Object.keys(q.relevant).length === 0;
    outcomes.push({
      qid: q.qid,
      query: q.query,
      filters: q.filters,
      relevant: q.relevant,
      returned,
      total: body.total,
      relaxed: body.relaxed,
      ndcg: score.ndcg,
      recall: score.recall,
      reciprocalRank: score.reciprocalRank,
      noAnswerCorrect: noAnswer ? isNoAnswerCorrect(body) : null,
    });
  }
  const noAnswer = outcomes.filter((o) => o.noAnswerCorrect !== null);
  const correct = noAnswer.filter((o) => o.noAnswerCorrect === true).length;
  return {
    collapse,
    queries: outcomes.length,
    judged: outcomes.filter((o) => o.ndcg !== null).length,
    ndcg: meanOf(outcomes.map((o) => o.ndcg)) ?? 0,
    recall: meanOf(outcomes.map((o) => o.recall)) ?? 0,
    mrr: meanOf(outcomes.map((o) => o.reciprocalRank)) ?? 0,
    noAnswerQueries: noAnswer.length,
    noAnswerCorrect: correct,
    noAnswerRate: noAnswer.length === 0 ? 1 : correct / noAnswer.length,
    outcomes,
  };
}

// ---------------------------------------------------------------- the run

/**
 * duplicateOf depends on the whole corpus (the first copy is canonical), so it
 * is read back from the engine after indexing rather than from one article's
 * extraction: exact match per article, an unlabelled article must have none.
 */
async function scoreDuplicates(
  engine: SearchEngine,
  articles: Array<z.infer<typeof articleLineSchema>>,
  misses: string[],
): Promise<FieldAccuracy> {
  let correct = 0;
  for (const a of articles) {
    const doc = await engine.get(a.id);
    const got = doc?.duplicateOf ?? null;
    if (got === a.near_duplicate_of) correct++;
    else misses.push(`${a.id} duplicateOf: got ${JSON.stringify(got)}; want ${JSON.stringify(a.near_duplicate_of)}${doc ? '' : ' (not indexed)'}`);
  }
  return { accuracy: articles.length === 0 ? 1 : correct / articles.length, total: articles.length, correct };
}

export interface EvalReport {
  engine: EngineKind;
  index: Pick<IndexSummary, 'articles' | 'indexed' | 'duplicates' | 'seconds'> & { rejected: number };
  extraction: ExtractionReport;
  /** The same extraction with every dev-set hospital and alias left out of config/data. */
  leaveOut: ExtractionReport;
  /** API default first. */
  ranking: { collapsed: RankingSummary; uncollapsed: RankingSummary };
  floors: EvalFloors;
  /** One line per figure below its floor; empty when the run passes. */
  failures: string[];
  titles: Map<string, string>;
  /** Ours over the judged queries without filters, to set beside the peer's like-for-like figure. */
  unfiltered: { queries: number; ndcg: number; recall: number; mrr: number };
  /** Plain Meilisearch on the same articles and judgments; a string says why it was not run. */
  peer: PeerReport | string | null;
}

/** The figure a ranking floor key refers to (collapse=true, the API default). */
function rankingFigure(summary: RankingSummary, key: string): number | undefined {
  const figures: Record<string, number> = {
    'ndcg@10': summary.ndcg,
    'recall@10': summary.recall,
    mrr: summary.mrr,
    noAnswerCorrect: summary.noAnswerRate,
  };
  return figures[key];
}

/** The ranking floors that apply to the engine the run used. */
export function rankingFloorsFor(floors: EvalFloors, engine: EngineKind): Record<string, number> {
  return engine === 'meilisearch' ? { ...floors.ranking, ...floors.rankingMeilisearch } : floors.ranking;
}

export function checkFloors(report: Pick<EvalReport, 'engine' | 'floors' | 'ranking' | 'extraction' | 'leaveOut'>): string[] {
  const failures: string[] = [];
  for (const [key, floor] of Object.entries(rankingFloorsFor(report.floors, report.engine))) {
    const value = rankingFigure(report.ranking.collapsed, key);
    if (value === undefined) failures.push(`ranking floor "${key}" names no measured figure`);
    else if (value < floor) failures.push(`ranking ${key} ${value.toFixed(3)} < floor ${floor}`);
  }
  for (const [field, floor] of Object.entries(report.floors.extraction)) {
    const value = report.extraction.fields[field]?.accuracy;
    if (value === undefined) failures.push(`extraction floor "${field}" names no measured field`);
    else if (value < floor) failures.push(`extraction ${field} ${value.toFixed(3)} < floor ${floor}`);
  }
  for (const [field, floor] of Object.entries(report.floors.extractionLeaveOut)) {
    const value = report.leaveOut.fields[field]?.accuracy;
    if (value === undefined) failures.push(`leave-out floor "${field}" names no measured field`);
    else if (value < floor) failures.push(`leave-out extraction ${field} ${value.toFixed(3)} < floor ${floor}`);
  }
  return failures;
}

const run = promisify(execFile);

/** The leave-out run needs a process that has not loaded the hospital table: a child. */
export async function runLeaveOut(): Promise<ExtractionReport> {
  const script = join(repoRoot, 'bench/extraction-leave-out.ts');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, '--json'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as ExtractionReport;
}

export interface EvalOptions {
  floors?: EvalFloors;
  /** The engine the API searches (sqlite by default). */
  engine?: EngineKind;
  /** Also run the plain-Meilisearch peer (needs MEILI_URL or a binary; otherwise the report says why not). */
  peer?: boolean;
}

function summariseUnfiltered(summary: RankingSummary): EvalReport['unfiltered'] {
  const judged = summary.outcomes.filter((o) => o.ndcg !== null && Object.keys(o.filters).length === 0);
  return {
    queries: judged.length,
    ndcg: meanOf(judged.map((o) => o.ndcg)) ?? 0,
    recall: meanOf(judged.map((o) => o.recall)) ?? 0,
    mrr: meanOf(judged.map((o) => o.reciprocalRank)) ?? 0,
  };
}

async function runPeer(
  target: MeilisearchTarget | null,
  articles: Array<z.infer<typeof articleLineSchema>>,
  queries: JudgedQuery[],
  groupOf: (id: string) => string,
): Promise<PeerReport | string> {
  let connection = target;
  try {
    connection ??= await connectMeilisearch();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  try {
    return await runMeilisearchPeer(connection, articles, queries, groupOf);
  } finally {
    if (target === null) await connection.close();
  }
}

export async function runEval(options: EvalOptions = {}): Promise<EvalReport> {
  const floors = options.floors ?? loadFloors();
  const articlesFile = join(devCorpusDir, 'articles.jsonl');
  const articles = readJsonl(articlesFile, articleLineSchema);
  const queries = readJsonl(join(devCorpusDir, 'queries.jsonl'), queryLineSchema);
  const canonical = new Map(articles.map((a) => [a.id, a.near_duplicate_of ?? a.id]));
  const groupOf = (id: string): string => canonical.get(id) ?? id;
  const titles = new Map(articles.map((a) => [a.id, a.title ?? a.text.split('\n').find((l) => l.trim() !== '') ?? '']));

  const work = mkdtempSync(join(tmpdir(), 'dangjian-eval-'));
  const kind = options.engine ?? 'sqlite';
  let handle: Awaited<ReturnType<typeof openEngine>> | undefined;
  try {
    const corpusDir = join(work, 'corpus');
    mkdirSync(corpusDir);
    copyFileSync(articlesFile, join(corpusDir, 'articles.jsonl'));
    handle = await openEngine(kind, work);
    const opened = handle.engine;
    const summary = await indexCorpus({ engine: opened, corpusDir });
    const app = createApp({ engine: opened, corpusDir, logger: pino({ level: 'silent' }) });

    const leaveOutRun = runLeaveOut();
    const collapsed = await runRanking(app, queries, true, groupOf);
    const uncollapsed = await runRanking(app, queries, false, groupOf);
    const extraction = evaluateExtraction();
    extraction.fields['duplicateOf'] = await scoreDuplicates(opened, articles, extraction.misses);
    // Precision of repost detection, with look-alike pairs that must not fold (bench/duplicate-eval.ts).
    const duplicates = await evaluateDuplicates();
    extraction.fields['duplicatePrecision'] = { accuracy: duplicates.precision, total: duplicates.flagged, correct: duplicates.flaggedCorrectly };
    extraction.fields['lookAlikesKeptApart'] = {
      accuracy: duplicates.pairs === 0 ? 1 : duplicates.pairsKeptApart / duplicates.pairs,
      total: duplicates.pairs,
      correct: duplicates.pairsKeptApart,
    };
    extraction.misses.push(...duplicates.misses.map((m) => `duplicates: ${m}`));
    const leaveOut = await leaveOutRun;
    const peer = options.peer ? await runPeer(handle.meili, articles, queries, groupOf) : null;
    const report = {
      engine: kind,
      unfiltered: summariseUnfiltered(collapsed),
      peer,
      index: {
        articles: summary.articles,
        indexed: summary.indexed,
        duplicates: summary.duplicates,
        seconds: summary.seconds,
        rejected: summary.rejections.length,
      },
      extraction,
      leaveOut,
      ranking: { collapsed, uncollapsed },
      floors,
      titles,
    };
    return { ...report, failures: checkFloors(report) };
  } finally {
    await handle?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- printing

function fmt(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function describeFilters(filters: JudgedQuery['filters']): string {
  const entries = Object.entries(filters);
  return entries.length === 0 ? '' : ` ${entries.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : v}`).join(' ')}`;
}

/** Expected articles with their grade and where they came back (— = not in the top 10). */
function describeMiss(o: QueryOutcome, titles: Map<string, string>): string[] {
  const lines: string[] = [];
  const head =
    o.noAnswerCorrect !== null
      ? `${o.qid} ${o.query}${describeFilters(o.filters)}  no-answer: total ${o.total}, relaxed ${o.relaxed} → ${o.noAnswerCorrect ? 'correct' : 'WRONG'}`
      : `${o.qid} ${o.query}${describeFilters(o.filters)}  nDCG ${fmt(o.ndcg)}  recall ${fmt(o.recall)}  RR ${fmt(o.reciprocalRank)}  (total ${o.total}${o.relaxed ? ', relaxed' : ''})`;
  lines.push(head);
  const rankOf = (id: string): number => o.returned.findIndex((h) => h.id === id || h.duplicates.includes(id));
  const expected = Object.entries(o.relevant).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (expected.length > 0) {
    lines.push(`    expected: ${expected.map(([id, g]) => `${id}(${g})@${rankOf(id) < 0 ? '—' : rankOf(id) + 1}`).join(' ')}`);
    const missing = expected.filter(([id]) => rankOf(id) < 0);
    for (const [id, g] of missing) lines.push(`      missing ${id} (${g}) ${truncate(titles.get(id) ?? '', 50)}`);
  }
  o.returned.forEach((h, i) => {
    const dup = h.duplicates.length > 0 ? ` +${h.duplicates.join(',')}` : '';
    lines.push(`    ${String(i + 1).padStart(2)}. ${h.id}${dup} [${h.grade > 0 ? h.grade : '·'}] ${truncate(h.title || (titles.get(h.id) ?? ''), 50)}`);
  });
  return lines;
}

export function formatReport(report: EvalReport, verbose = false): string {
  const { collapsed: c, uncollapsed: u } = report.ranking;
  const out: string[] = [];
  out.push(
    `Engine: ${report.engine}`,
    `Dev corpus: ${report.index.articles} articles indexed in ${report.index.seconds.toFixed(2)} s (${report.index.duplicates} near-duplicates, ${report.index.rejected} rejected); ${c.queries} queries (${c.judged} judged, ${c.noAnswerQueries} no-answer)`,
    '',
    'Ranking                 collapse=true (API default)   collapse=false   floor   target',
  );
  const rankingFloors = rankingFloorsFor(report.floors, report.engine);
  const row = (name: string, key: string, a: number, b: number): string =>
    `${name.padEnd(24)}${fmt(a).padEnd(30)}${fmt(b).padEnd(17)}${fmt(rankingFloors[key], 2).padEnd(8)}${targets[key] !== undefined ? fmt(targets[key], 2) : ''}`;
  out.push(row('nDCG@10', 'ndcg@10', c.ndcg, u.ndcg));
  out.push(row('recall@10', 'recall@10', c.recall, u.recall));
  out.push(row('MRR', 'mrr', c.mrr, u.mrr));
  out.push(
    `${'no-answer correct'.padEnd(24)}${`${c.noAnswerCorrect}/${c.noAnswerQueries}`.padEnd(30)}${`${u.noAnswerCorrect}/${u.noAnswerQueries}`.padEnd(17)}${fmt(rankingFloors['noAnswerCorrect'], 2)}`,
  );
  for (const [key, reason] of Object.entries(report.floors.reasons)) {
    if (report.engine === 'meilisearch' && report.floors.rankingMeilisearch[key] !== undefined) out.push(`  floor ${key} on Meilisearch: ${reason}`);
  }
  out.push(...formatPeer(report));
  out.push('', 'Extraction (dev labels)  accuracy   n      floor   target   leave-out  floor   target');
  for (const [field, f] of Object.entries(report.extraction.fields)) {
    const l = report.leaveOut.fields[field];
    out.push(
      `${field.padEnd(25)}${fmt(f.accuracy).padEnd(11)}${String(f.total).padEnd(7)}${fmt(report.floors.extraction[field], 2).padEnd(8)}${(targets[field] !== undefined ? fmt(targets[field], 2) : '').padEnd(9)}${fmt(l?.accuracy).padEnd(11)}${fmt(report.floors.extractionLeaveOut[field], 2).padEnd(8)}${leaveOutTargets[field] !== undefined ? fmt(leaveOutTargets[field], 2) : ''}`,
    );
  }
  const misses = c.outcomes
    .filter((o) => verbose || (o.ndcg !== null && o.ndcg < 0.999) || o.noAnswerCorrect === false)
    .sort((a, b) => (a.ndcg ?? (a.noAnswerCorrect ? 1 : -1)) - (b.ndcg ?? (b.noAnswerCorrect ? 1 : -1)));
  out.push('', `Per-query ${verbose ? 'results' : 'misses (nDCG < 1 or a wrong no-answer)'}, collapse=true, worst first: [grade] · = not judged`);
  for (const o of misses) out.push(...describeMiss(o, report.titles));
  if (report.extraction.misses.length > 0) {
    out.push('', `Extraction misses (${report.extraction.misses.length}; first 40):`);
    for (const m of report.extraction.misses.slice(0, verbose ? undefined : 40)) out.push(`  ${m}`);
  }
  const leaveOutMisses = report.leaveOut.misses.filter((m) => !report.extraction.misses.includes(m));
  if (leaveOutMisses.length > 0) {
    out.push('', `Leave-out misses not in the dev run (${leaveOutMisses.length}):`);
    for (const m of leaveOutMisses) out.push(`  ${m}`);
  }
  out.push('');
  out.push(report.failures.length === 0 ? 'PASS: every figure is at or above its floor.' : `FAIL:\n${report.failures.map((f) => `  - ${f}`).join('\n')}`);
  return out.join('\n');
}

function formatPeer(report: EvalReport): string[] {
  const { peer, unfiltered: ours } = report;
  if (peer === null) return [];
  if (typeof peer === 'string') return ['', `Plain Meilisearch peer: not run (${peer})`];
  const c = report.ranking.collapsed;
  const judged = c.outcomes.filter((o) => o.ndcg !== null).length;
  return [
    '',
    `Plain Meilisearch ${peer.version} (raw text, default settings, localizedAttributes cmn) beside this service (${report.engine})`,
    'queries                       peer nDCG@10  ours nDCG@10  peer recall@10  ours recall@10',
    `${`all judged (${judged}; peer ignores filters)`.padEnd(30)}${fmt(peer.all.ndcg).padEnd(14)}${fmt(c.ndcg).padEnd(14)}${fmt(peer.all.recall).padEnd(16)}${fmt(c.recall)}`,
    `${`without filters (${ours.queries})`.padEnd(30)}${fmt(peer.unfiltered.ndcg).padEnd(14)}${fmt(ours.ndcg).padEnd(14)}${fmt(peer.unfiltered.recall).padEnd(16)}${fmt(ours.recall)}`,
  ];
}

function toJson(report: EvalReport): unknown {
  return { ...report, titles: undefined };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      verbose: { type: 'boolean', default: false },
      json: { type: 'string' },
      engine: { type: 'string', default: 'sqlite' },
      peer: { type: 'boolean', default: true },
      'no-peer': { type: 'boolean', default: false },
    },
  });
  if (values.engine !== 'sqlite' && values.engine !== 'meilisearch') throw new Error(`--engine must be sqlite or meilisearch, not ${values.engine}`);
  const report = await runEval({ engine: values.engine, peer: values.peer && !values['no-peer'] });
  console.log(formatReport(report, values.verbose));
  const jsonFile = resolve(values.json ?? join(repoRoot, 'bench/out/eval.json'));
  mkdirSync(dirname(jsonFile), { recursive: true });
  writeFileSync(jsonFile, JSON.stringify(toJson(report), null, 2));
  console.log(`JSON: ${jsonFile}`);
  if (report.failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
