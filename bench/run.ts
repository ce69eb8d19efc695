/**
 * `npm run bench -- [--size 1000|10000|100000] [--http] [--engine sqlite] [--mode index|rebuild]
 *                   [--reuse-index] [--regenerate] [--queries 3000] [--seconds 20]
 *                   [--cpu-prof index|query|server]`
 * `npm run bench -- --ingest [--size 2000] [--batch 500]`: batch ingest over HTTP only (bench/ingest.ts).
 *
 * --queries: searches in the mix (suggest gets half as many, related a quarter);
 * --seconds: length of each HTTP load run.
 *
 * Speed and memory of the whole system on a generated corpus
 * (bench/generate-corpus.ts), with the issue's targets printed beside each figure:
 *
 * 1. indexing, in a child process (so its peak RSS is the pipeline's alone):
 *    `indexCorpus` (or `rebuildIndex` with --mode rebuild) over the JSONL
 *    corpus into a fresh data directory; MB/s of UTF-8 input, articles/s,
 *    seconds per stage, peak RSS, index size on disk vs input;
 * 2. queries in-process, in a fresh child: the API's own request builders
 *    (service/query/*), `engine.search` with facets, snippets rendered like the
 *    API (presentHit → renderSnippet), suggest and related; p50/p95/p99;
 * 3. with --http: the real server, compiled as the image runs it
 *    (`node bench/out/dist/service/main.js`; the sources under tsx with
 *    `--cpu-prof server`), on 127.0.0.1 with the generated index: time from spawn to /readyz OK (cold
 *    start on an existing index), then autocannon load (bounded in time and
 *    count) for the search mix, suggest and related, sampling the server's RSS.
 *
 * Output: a table on stdout and bench/out/bench-<size>.json. The corpus lives
 * in bench/out/corpus-<size>/ and the index in bench/out/index-<size>/ (both
 * git-ignored). 100k: generation ~20 s, indexing minutes; see README "Performance".
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as openccModule from 'opencc-js';
import { createRng, defaultCorpusDir, formatSize, generateCorpus, labelsFileFor } from './generate-corpus.js';
import { corpusLedgerFile } from '../indexer/corpus-ledger.js';
import type { EngineDocument } from '../engine/document.js';
import type { Result as AutocannonResult } from 'autocannon';
import { percentileOf } from './metrics.js';
import { prepareMeilisearchBench, type MeilisearchFigures } from './meili-bench.js';
import { directoryBytes, readRssBytes } from './proc-stats.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outRoot = join(repoRoot, 'bench/out');
const thisFile = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------- shared shapes

/** What the indexing child learns about the corpus, to build realistic queries from. */
interface VocabularySample {
  id: string;
  title: string;
  keywords: string[];
  hospital: string | null;
  province: string | null;
  year: number | null;
}

interface LatencyStats {
  count: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** Requests per second over the measured window. */
  throughput: number;
}

interface IndexPhaseResult {
  mode: 'index' | 'rebuild';
  articles: number;
  indexed: number;
  duplicates: number;
  rejected: number;
  inputBytes: number;
  seconds: number;
  stageSeconds: Record<string, number>;
  mbPerSecond: number;
  articlesPerSecond: number;
  peakRssBytes: number;
  indexBytes: number;
  indexToInput: number;
  documents: number;
  /** Reposts the generator wrote (labels.duplicateOf) vs articles the pipeline marked as near-duplicates. */
  duplicateCheck: { generated: number; detected: number; detectedGenerated: number };
  /** 1-minute load average before and after: other processes on the machine skew every figure. */
  load: [number, number];
  /** The naive FTS5 + jieba peer (bench/naive-peer.ts) on the same corpus and the same search mix. */
  peer?: PeerPhaseResult;
}

interface PeerPhaseResult {
  seconds: number;
  mbPerSecond: number;
  search: LatencyStats;
  load: [number, number];
}

interface QueryPhaseResult {
  /** Distinct queries with the answer cache off: what the targets are judged on. */
  search: LatencyStats;
  searchByKind: Record<string, LatencyStats>;
  /** The same queries drawn with Zipf repeats (s = 1) on an engine with its answer cache on. */
  searchCached: LatencyStats & { distinctShare: number };
  suggest: LatencyStats;
  /** The same prefixes within one hospital's articles, as a site's search box (site key) asks them. */
  suggestScoped: LatencyStats & { hospital: string };
  related: LatencyStats;
  rssBytes: number;
  openSeconds: number;
  meanHits: number;
  zeroHitShare: number;
}

interface HttpRun {
  name: string;
  connections: number;
  seconds: number;
  stats: LatencyStats;
  non2xx: number;
  transportErrors: number;
  timeouts: number;
}

interface HttpPhaseResult {
  coldStartMs: number;
  /** Spawn to the end of the start-up corpus sync (its log line): from then on the event loop only serves. */
  settledMs: number | null;
  readyDetail: string;
  runs: HttpRun[];
  peakServingRssBytes: number;
}

type ChildMessage =
  | { kind: 'index'; result: IndexPhaseResult }
  | { kind: 'query'; result: QueryPhaseResult }
  | { kind: 'error'; message: string };

// ---------------------------------------------------------------- helpers

function summarise(samples: number[], seconds: number, errors = 0): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (p: number): number => percentileOf(sorted, p);
  return {
    count: samples.length,
    errors,
    p50: pick(50),
    p95: pick(95),
    p99: pick(99),
    mean: samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length,
    max: sorted.at(-1) ?? Number.NaN,
    throughput: seconds > 0 ? samples.length / seconds : 0,
  };
}

/** Bytes of the files under `dir`; symbolic links (the engine's index link) are not followed, so nothing counts twice. */
function mb(bytes: number): number {
  return bytes / 1024 / 1024;
}

function vocabularyFile(size: number): string {
  return join(outRoot, `vocabulary-${formatSize(size)}.json`);
}

function indexDir(size: number): string {
  return join(outRoot, `index-${formatSize(size)}`);
}

// ---------------------------------------------------------------- the query mix

export type SearchKind = 'terms1' | 'terms2' | 'terms3' | 'traditional' | 'filtered' | 'date_sorted' | 'list';

export interface QueryMix {
  search: Array<{ kind: SearchKind; path: string }>;
  suggest: string[];
  related: string[];
}

// opencc-js's declarations re-export from a `./core` file the package does not
// ship, so its types do not resolve (see engine/analysis/to-simplified.ts).
const OpenCC = openccModule as unknown as { Converter(options: { from: string; to: string }): (text: string) => string };
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

/**
 * Whether a document is query material: one in `every`, chosen by its id
 * and kept in id order, so that the query mix is the same whatever order
 * the build workers finish documents in (taking every n-th document as it
 * came made two runs over one corpus query different articles).
 */
export function isVocabularySample(id: string, every: number): boolean {
  return createHash('sha1').update(id).digest().readUInt32BE(0) % every === 0;
}

/**
 * Realistic requests drawn from the indexed documents' own keywords (so multi-term
 * queries have answers and the vocabulary is the corpus's, not a fixed easy list):
 * 1–3 keywords of one article, Traditional twins, province/year filters,
 * date-sorted queries and filter-only listings; suggest prefixes of 1–3
 * characters of titles, hospitals and keywords; related for sampled articles.
 */
export function buildQueryMix(samples: VocabularySample[], count: number, seed = 'bench'): QueryMix {
  const rng = createRng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  const usable = samples.filter((s) => s.keywords.length >= 3);
  if (usable.length === 0) throw new Error('no indexed document has 3 keywords: cannot build queries');
  const terms = (s: VocabularySample, n: number): string[] => {
    const pool = s.keywords.slice(0, 8);
    const out: string[] = [];
    while (out.length < n && out.length < pool.length) {
      const k = pick(pool);
      if (!out.includes(k)) out.push(k);
    }
    return out;
  };
  const weights: Array<[SearchKind, number]> = [
    ['terms1', 0.22],
    ['terms2', 0.2],
    ['terms3', 0.1],
    ['traditional', 0.14],
    ['filtered', 0.16],
    ['date_sorted', 0.12],
    ['list', 0.06],
  ];
  const search: QueryMix['search'] = [];
  for (let i = 0; i < count; i++) {
    let r = rng();
    let kind: SearchKind = 'terms1';
    for (const [k, w] of weights) {
      if (r < w) {
        kind = k;
        break;
      }
      r -= w;
    }
    const s = pick(usable);
    const params = new URLSearchParams();
    switch (kind) {
      case 'terms1':
        params.set('q', terms(s, 1).join(' '));
        break;
      case 'terms2':
        params.set('q', terms(s, 2).join(' '));
        break;
      case 'terms3':
        params.set('q', terms(s, 3).join(' '));
        break;
      case 'traditional':
        params.set('q', toTraditional(terms(s, 1 + Math.floor(rng() * 2)).join(' ')));
        break;
      case 'filtered':
        params.set('q', terms(s, 1).join(' '));
        if (s.province !== null) params.append('province', s.province);
        if (s.year !== null && rng() < 0.5) {
          params.set('yearFrom', String(s.year - 2));
          params.set('yearTo', String(s.year));
        }
        break;
      case 'date_sorted':
        params.set('q', terms(s, 1 + Math.floor(rng() * 2)).join(' '));
        params.set('sort', 'date_desc');
        break;
      case 'list':
        if (s.province !== null) params.append('province', s.province);
        if (s.year !== null) params.append('year', String(s.year));
        break;
    }
    search.push({ kind, path: `/v1/search?${params.toString()}` });
  }
  const suggest: string[] = [];
  for (let i = 0; i < Math.max(200, Math.floor(count / 2)); i++) {
    const s = pick(usable);
    const sources = [s.title, s.hospital ?? s.title, pick(s.keywords)].filter((t) => t.length > 0);
    const text = [...pick(sources).replace(/[\s\p{P}]/gu, '')];
    const len = 1 + Math.floor(rng() * 3);
    if (text.length === 0) continue;
    suggest.push(`/v1/suggest?${new URLSearchParams({ q: text.slice(0, len).join('') }).toString()}`);
  }
  const related: string[] = [];
  for (let i = 0; i < Math.max(100, Math.floor(count / 4)); i++) {
    related.push(`/v1/articles/${encodeURIComponent(pick(samples).id)}/related?limit=5`);
  }
  return { search, suggest, related };
}

// ---------------------------------------------------------------- child: indexing

interface PhaseArgs {
  size: number;
  corpusDir: string;
  dataDir: string;
  engine: 'sqlite' | 'meilisearch';
  mode: 'index' | 'rebuild';
  queries: number;
}

async function openEngine(args: PhaseArgs, options: { answerCache?: boolean } = {}) {
  const { createEngine } = await import('../engine/create-engine.js');
  const { engineConfigFromEnv, loadEnv } = await import('../config/env.js');
  const env = loadEnv({ ...process.env, ENGINE: args.engine, DATA_DIR: args.dataDir, CORPUS_DIR: args.corpusDir });
  const config = engineConfigFromEnv(env);
  return createEngine(config.engine === 'sqlite' && options.answerCache === false ? { ...config, resultCacheSize: 0 } : config);
}

/** `count` draws from `items` with P(rank k) ∝ 1/k: a few queries asked often, most rarely, as on a real site. */
function drawZipf<T>(items: readonly T[], count: number, seed: string): T[] {
  const rng = createRng(seed);
  const cumulative: number[] = [];
  let sum = 0;
  for (let k = 1; k <= items.length; k++) cumulative.push((sum += 1 / k));
  const out: T[] = [];
  for (let i = 0; i < count && items.length > 0; i++) {
    const target = rng() * sum;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cumulative[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    out.push(items[low] as T);
  }
  return out;
}

async function runIndexPhase(args: PhaseArgs): Promise<IndexPhaseResult> {
  const { indexCorpus, rebuildIndex } = await import('../indexer/pipeline.js');
  // The garbage-collection policy `npm run index` and `npm start` apply, so the peak RSS is theirs.
  const { applyHeapPolicy } = await import('../service/heap-policy.js');
  const { loadEnv } = await import('../config/env.js');
  applyHeapPolicy(loadEnv({ ...process.env, ENGINE: args.engine, DATA_DIR: args.dataDir, CORPUS_DIR: args.corpusDir }));
  rmSync(args.dataDir, { recursive: true, force: true });
  mkdirSync(args.dataDir, { recursive: true });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 100);

  const engine = await openEngine(args);
  await engine.init();
  // One document in 20 (about 5,000) is kept as query material.
  const every = Math.max(1, Math.floor(args.size / 5000));
  const samples: VocabularySample[] = [];
  const detected = new Set<string>();
  const loadBefore = loadavg()[0]!;
  let seen = 0;
  let lastReport = performance.now();
  const options = {
    engine,
    corpusDir: args.corpusDir,
    // As `npm run index` does: the server started on this index then skips the files it has read.
    ledgerPath: join(args.dataDir, corpusLedgerFile),
    onDocument: (doc: EngineDocument): void => {
      if (doc.duplicateOf !== null) detected.add(doc.id);
      seen++;
      if (isVocabularySample(doc.id, every) && doc.duplicateOf === null) {
        samples.push({ id: doc.id, title: doc.title, keywords: doc.keywords, hospital: doc.hospital, province: doc.province, year: doc.year });
      }
      if (performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        process.stderr.write(`  indexing: ${seen} documents, rss ${mb(process.memoryUsage().rss).toFixed(0)} MB\n`);
      }
    },
  };
  const summary = args.mode === 'rebuild' ? await rebuildIndex(options) : await indexCorpus(options);
  const stats = await engine.stats();
  await engine.close();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const loadAfter = loadavg()[0]!;
  writeFileSync(vocabularyFile(args.size), JSON.stringify(samples.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))));
  const indexBytes = directoryBytes(args.dataDir);
  const peer = await runPeerPhase(args, samples);
  const generated = readGeneratedReposts(args.corpusDir);
  return {
    mode: args.mode,
    articles: summary.articles,
    indexed: summary.indexed,
    duplicates: summary.duplicates,
    rejected: summary.rejections.length,
    inputBytes: summary.inputBytes,
    seconds: summary.seconds,
    stageSeconds: summary.stageSeconds,
    mbPerSecond: mb(summary.inputBytes) / summary.seconds,
    articlesPerSecond: summary.articles / summary.seconds,
    peakRssBytes: peakRss,
    indexBytes,
    indexToInput: indexBytes / Math.max(1, summary.inputBytes),
    documents: stats.documents,
    duplicateCheck: {
      generated: generated.size,
      detected: detected.size,
      detectedGenerated: [...detected].filter((id) => generated.has(id)).length,
    },
    load: [loadBefore, loadAfter],
    peer,
  };
}

/** The naive peer indexes the same corpus, then answers the same search mix (its queries with words). */
async function runPeerPhase(args: PhaseArgs, samples: VocabularySample[]): Promise<PeerPhaseResult> {
  const { NaivePeer, buildNaivePeer } = await import('./naive-peer.js');
  const loadBefore = loadavg()[0]!;
  const dir = join(outRoot, `peer-${formatSize(args.size)}`);
  const built = await buildNaivePeer(args.corpusDir, dir);
  const peer = NaivePeer.open(dir);
  const latencies: number[] = [];
  const started = performance.now();
  try {
    const mix = buildQueryMix(samples, args.queries).search;
    for (const { path } of mix.slice(0, 100)) peer.search(new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('q') ?? '');
    for (const { path } of mix) {
      const params = new URLSearchParams(path.slice(path.indexOf('?') + 1));
      const q = params.get('q');
      if (q === null) continue;
      const t = performance.now();
      peer.search(q);
      latencies.push(performance.now() - t);
    }
  } finally {
    peer.close();
  }
  return {
    seconds: built.seconds,
    mbPerSecond: mb(built.inputBytes) / built.seconds,
    search: summarise(latencies, (performance.now() - started) / 1000),
    load: [loadBefore, loadavg()[0]!],
  };
}

/** Ids of the articles the generator wrote as reposts (read after the timed run). */
function readGeneratedReposts(corpusDir: string): Set<string> {
  const ids = new Set<string>();
  const file = labelsFileFor(corpusDir);
  if (!existsSync(file)) return ids;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"duplicateOf":"')) continue;
    const parsed = JSON.parse(line) as { id: string; duplicateOf?: string | null };
    if (parsed.duplicateOf) ids.add(parsed.id);
  }
  return ids;
}

// ---------------------------------------------------------------- child: in-process queries

/** The most frequent of `values` (the first seen among equals), undefined when there are none. */
function mostCommon(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  let best: string | undefined;
  for (const value of values) {
    const n = (counts.get(value) ?? 0) + 1;
    counts.set(value, n);
    if (best === undefined || n > (counts.get(best) ?? 0)) best = value;
  }
  return best;
}

/** URL query string → the object shape Hono hands to the validator (repeated keys become arrays). */
function toQueryObject(search: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

async function runQueryPhase(args: PhaseArgs): Promise<QueryPhaseResult> {
  const { searchQuerySchema } = await import('../service/schemas.js');
  const { buildRelatedRequest, buildSearchRequest, buildSuggestRequest } = await import('../service/query/search-request.js');
  const { presentHit, presentRelatedHit } = await import('../service/query/present.js');

  const opened = performance.now();
  // The answer cache off: every figure is a query computed, not remembered.
  const engine = await openEngine(args, { answerCache: false });
  await engine.init();
  const openSeconds = (performance.now() - opened) / 1000;
  const samples = JSON.parse(readFileSync(vocabularyFile(args.size), 'utf8')) as VocabularySample[];
  const mix = buildQueryMix(samples, args.queries);

  let hitsTotal = 0;
  let zeroHits = 0;
  let searchEngine = engine;
  const runSearch = async (path: string): Promise<void> => {
    const params = searchQuerySchema.parse(toQueryObject(path.slice(path.indexOf('?') + 1)));
    const plan = buildSearchRequest(params, null);
    if (plan.kind !== 'search') return;
    const result = await searchEngine.search(plan.request);
    const hits = result.hits.map((h) => presentHit(h, plan.hasQuery));
    hitsTotal += hits.length;
    if (hits.length === 0) zeroHits++;
  };
  const runSuggest = async (path: string): Promise<void> => {
    const q = new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('q') ?? '';
    await engine.suggest(buildSuggestRequest(q, 8, null));
  };
  // The hospital with the most sampled articles: a site whose box has the most to suggest from.
  const siteHospital = mostCommon(samples.map((s) => s.hospital).filter((h): h is string => h !== null)) ?? '';
  const runSuggestScoped = async (path: string): Promise<void> => {
    const q = new URLSearchParams(path.slice(path.indexOf('?') + 1)).get('q') ?? '';
    await engine.suggest(buildSuggestRequest(q, 8, { key: 'bench-site', hospital: siteHospital }));
  };
  const runRelated = async (path: string): Promise<void> => {
    const id = decodeURIComponent(path.split('/')[3]!);
    const hits = await engine.related(buildRelatedRequest(id, 5, null));
    hits.map((h) => presentRelatedHit(h));
  };

  // Bounded in count and in time.
  const measure = async (paths: string[], run: (p: string) => Promise<void>, maxSeconds: number) => {
    const latencies: number[] = [];
    const started = performance.now();
    let errors = 0;
    for (const path of paths) {
      const t = performance.now();
      try {
        await run(path);
      } catch (err) {
        errors++;
        if (errors <= 3) process.stderr.write(`  query error on ${path}: ${String(err)}\n`);
      }
      latencies.push(performance.now() - t);
      if (performance.now() - started > maxSeconds * 1000) break;
    }
    return { latencies, seconds: (performance.now() - started) / 1000, errors };
  };

  // Warm-up: page cache, jieba dictionary, prepared statements.
  await measure(mix.search.slice(0, 100).map((s) => s.path), runSearch, 20);
  await measure(mix.suggest.slice(0, 50), runSuggest, 10);
  hitsTotal = 0;
  zeroHits = 0;

  const byKind = new Map<string, number[]>();
  const searchLatencies: number[] = [];
  const started = performance.now();
  let searchErrors = 0;
  const distinct = [...new Map(mix.search.map((query) => [query.path, query])).values()];
  for (const { kind, path } of distinct) {
    const t = performance.now();
    try {
      await runSearch(path);
    } catch (err) {
      searchErrors++;
      if (searchErrors <= 3) process.stderr.write(`  search error on ${path}: ${String(err)}\n`);
    }
    const ms = performance.now() - t;
    searchLatencies.push(ms);
    const list = byKind.get(kind) ?? [];
    list.push(ms);
    byKind.set(kind, list);
    if (performance.now() - started > 120_000) break;
  }
  const searchSeconds = (performance.now() - started) / 1000;
  const suggest = await measure(mix.suggest, runSuggest, 60);
  const suggestScoped = await measure(mix.suggest, runSuggestScoped, 60);
  const related = await measure(mix.related, runRelated, 60);
  const rssBytes = process.memoryUsage().rss;
  const meanHits = hitsTotal / Math.max(1, searchLatencies.length);
  const zeroHitShare = zeroHits / Math.max(1, searchLatencies.length);
  await engine.close();

  // Answer cache on, queries repeating as a Zipf draw over the same distinct mix.
  searchEngine = await openEngine(args);
  await searchEngine.init();
  const drawn = drawZipf(
    distinct.map((q) => q.path),
    distinct.length,
    'bench-zipf',
  );
  const cached = await measure(drawn, runSearch, 60);
  await searchEngine.close();
  return {
    search: summarise(searchLatencies, searchSeconds, searchErrors),
    searchByKind: Object.fromEntries([...byKind].map(([k, v]) => [k, summarise(v, 0)])),
    searchCached: { ...summarise(cached.latencies, cached.seconds, cached.errors), distinctShare: new Set(drawn).size / Math.max(1, drawn.length) },
    suggest: summarise(suggest.latencies, suggest.seconds, suggest.errors),
    suggestScoped: { ...summarise(suggestScoped.latencies, suggestScoped.seconds, suggestScoped.errors), hospital: siteHospital },
    related: summarise(related.latencies, related.seconds, related.errors),
    rssBytes,
    openSeconds,
    meanHits,
    zeroHitShare,
  };
}

// ---------------------------------------------------------------- parent: child processes

function runChild(phase: 'index' | 'query', args: PhaseArgs, cpuProf: boolean): Promise<ChildMessage> {
  const execArgv = ['--import', 'tsx'];
  if (cpuProf) execArgv.push('--cpu-prof', `--cpu-prof-dir=${join(outRoot, 'profiles')}`, `--cpu-prof-name=${phase}-${formatSize(args.size)}-${Date.now()}.cpuprofile`);
  const child = fork(thisFile, ['--phase', phase, '--phase-args', JSON.stringify(args)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolvePromise, reject) => {
    let message: ChildMessage | undefined;
    child.on('message', (m) => {
      message = m as ChildMessage;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (message) resolvePromise(message);
      else reject(new Error(`${phase} phase exited with code ${code} without a result`));
    });
  });
}

async function childMain(phase: string, args: PhaseArgs): Promise<void> {
  try {
    const message: ChildMessage =
      phase === 'index' ? { kind: 'index', result: await runIndexPhase(args) } : { kind: 'query', result: await runQueryPhase(args) };
    process.send?.(message);
  } catch (err) {
    process.send?.({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

// ---------------------------------------------------------------- parent: HTTP

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(base: string, child: ChildProcess, timeoutMs: number): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before /readyz said OK (${last})`);
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === 200) return last;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server not ready after ${timeoutMs} ms (${last})`);
}

async function loadTest(
  base: string,
  name: string,
  paths: string[],
  seconds: number,
  connections: number,
  serverPid: number,
  rss: { peak: number },
  maxRequests = 200_000,
): Promise<HttpRun> {
  const { default: autocannon } = await import('autocannon');
  const latencies: number[] = [];
  let i = 0;
  let non2xx = 0;
  const sampler = setInterval(() => {
    rss.peak = Math.max(rss.peak, readRssBytes(serverPid));
  }, 250);
  const started = performance.now();
  const result = await new Promise<AutocannonResult>((resolveRun, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        // Bounded in count (autocannon's `amount` would override a duration)…
        amount: maxRequests,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }),
          },
        ],
      },
      (err, res) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolveRun(res)),
    );
    // …and in time.
    const timer = setTimeout(() => instance.stop(), seconds * 1000);
    instance.on('done', () => clearTimeout(timer));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) non2xx++;
    });
  });
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const stats = summarise(latencies, elapsed, non2xx + result.errors + result.timeouts);
  return { name, connections, seconds: elapsed, stats, non2xx, transportErrors: result.errors, timeouts: result.timeouts };
}

/**
 * Resolves with the milliseconds from `started` to the log line that ends the
 * server's start-up sync of the corpus ('corpus indexed', a failed sync, or
 * read-only serving, which has none). The server's log is read to its end
 * either way, so its pipe never fills.
 */
function watchStartupSync(server: ChildProcess, started: number): Promise<number> {
  const endings = ['"msg":"corpus indexed"', '"msg":"indexing the corpus failed', '"msg":"ready (read-only'];
  return new Promise((resolve) => {
    let tail = '';
    let done = false;
    server.stdout?.setEncoding('utf8');
    server.stdout?.on('data', (chunk: string) => {
      if (done) return;
      const text = tail + chunk;
      if (endings.some((e) => text.includes(e))) {
        done = true;
        resolve(performance.now() - started);
      }
      tail = text.slice(-200);
    });
  });
}

/** Runs `measure` against bench/bare-hono.ts on a free port, then stops it. */
async function runBareHono(measure: (base: string, pid: number) => Promise<HttpRun>): Promise<HttpRun> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/bare-hono.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForReady(base, child, 60_000);
    return await measure(base, child.pid!);
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * The server as the image runs it: compiled by `npm run build` into
 * bench/out/dist and started with plain node, so cold start does not count
 * TypeScript transpiling (0.5–0.7 s under tsx). A CPU profile runs the
 * sources under tsx instead, so that it maps to their lines.
 */
function serverCommand(cpuProf: boolean, size: number): string[] {
  if (cpuProf) {
    return ['--import', 'tsx', '--cpu-prof', `--cpu-prof-dir=${join(outRoot, 'profiles')}`, `--cpu-prof-name=server-${formatSize(size)}-${Date.now()}.cpuprofile`, join(repoRoot, 'service/main.ts')];
  }
  const outDir = join(outRoot, 'dist');
  execFileSync(process.execPath, [join(repoRoot, 'scripts/build.js'), '--out-dir', outDir], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return [join(outDir, 'service/main.js')];
}

async function runHttpPhase(args: PhaseArgs, mix: QueryMix, cpuProf: boolean, loadSeconds: number): Promise<HttpPhaseResult> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const command = serverCommand(cpuProf, args.size);
  const started = performance.now();
  const server = spawn(process.execPath, command, {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      ENGINE: args.engine,
      DATA_DIR: args.dataDir,
      CORPUS_DIR: args.corpusDir,
      // The load comes from one address: the per-IP limit would turn it into 429s.
      RATE_LIMIT_IP_PER_MINUTE: '0',
      LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const settled = watchStartupSync(server, started);
  const rss = { peak: 0 };
  try {
    const readyDetail = await waitForReady(base, server, 600_000);
    const coldStartMs = performance.now() - started;
    rss.peak = readRssBytes(server.pid!);
    // The load runs only once the start-up sync is over, so it measures serving alone.
    const settledMs = await Promise.race([settled, new Promise<null>((r) => setTimeout(() => r(null), 900_000).unref())]);
    // Warm-up, not measured.
    await loadTest(base, 'warm-up', mix.search.slice(0, 500).map((s) => s.path), 3, 8, server.pid!, { peak: 0 }, 2000);
    const runs: HttpRun[] = [];
    runs.push(await loadTest(base, 'search mix', mix.search.map((s) => s.path), loadSeconds, 16, server.pid!, rss));
    // Two connections: latency with little queueing, to tell request cost from waiting in line.
    runs.push(await loadTest(base, 'search mix, light', mix.search.map((s) => s.path).reverse(), Math.max(5, loadSeconds / 2), 2, server.pid!, rss));
    runs.push(await loadTest(base, 'suggest', mix.suggest, Math.max(5, loadSeconds / 2), 16, server.pid!, rss));
    runs.push(await loadTest(base, 'related', mix.related, Math.max(5, loadSeconds / 2), 16, server.pid!, rss));
    // What the middleware stack costs: /healthz against the same route in a bare Hono app.
    const healthSeconds = Math.max(5, loadSeconds / 4);
    runs.push(await loadTest(base, 'healthz', ['/healthz'], healthSeconds, 16, server.pid!, rss));
    const bare = await runBareHono((bareBase, pid) => loadTest(bareBase, 'healthz, bare Hono', ['/healthz'], healthSeconds, 16, pid, { peak: 0 }));
    return { coldStartMs, settledMs, readyDetail, runs: [...runs, bare], peakServingRssBytes: rss.peak };
  } finally {
    server.kill('SIGTERM');
    await new Promise<void>((r) => {
      if (server.exitCode !== null) r();
      else server.once('exit', () => r());
      setTimeout(r, 15_000).unref();
    });
  }
}

// ---------------------------------------------------------------- report

interface TargetCheck {
  name: string;
  value: number;
  unit: string;
  target: string;
  pass: boolean;
}

/**
 * With Meilisearch the index is its data directory plus the API's DATA_DIR,
 * and serving memory is both processes' (Meilisearch's peak over the whole
 * run, indexing included, since it is one process throughout).
 */
function checkTargets(
  indexing: IndexPhaseResult | null,
  query: QueryPhaseResult,
  http: HttpPhaseResult | null,
  meili: MeilisearchFigures | null = null,
): TargetCheck[] {
  const out: TargetCheck[] = [];
  const add = (name: string, value: number, unit: string, op: '<=' | '>=', limit: number): void => {
    out.push({ name, value, unit, target: `${op === '<=' ? '≤' : '≥'} ${limit} ${unit}`, pass: op === '<=' ? value <= limit : value >= limit });
  };
  // A latency measured on failing requests says nothing: errors are a target of their own.
  add('in-process query errors', query.search.errors + query.suggest.errors + query.related.errors, '', '<=', 0);
  add('search p50 (in-process)', query.search.p50, 'ms', '<=', 5);
  add('search p99 (in-process)', query.search.p99, 'ms', '<=', 30);
  add('suggest p99 (in-process)', query.suggest.p99, 'ms', '<=', 10);
  add('related p99 (in-process)', query.related.p99, 'ms', '<=', 30);
  if (indexing) {
    add('indexing throughput', indexing.mbPerSecond, 'MB/s', '>=', 5);
    add('peak RSS while indexing', mb(indexing.peakRssBytes), 'MB', '<=', 1536);
    const meiliBytes = meili?.dataBytes ?? 0;
    add(meili ? 'index on disk / input (API + Meilisearch)' : 'index on disk / input', (indexing.indexBytes + meiliBytes) / Math.max(1, indexing.inputBytes), '×', '<=', 3);
    if (indexing.peer) {
      add('indexing MB/s vs naive peer', indexing.mbPerSecond / indexing.peer.mbPerSecond, '×', '>=', 1);
      add('search p50 vs naive peer', query.search.p50 / indexing.peer.search.p50, '×', '<=', 1);
    }
  }
  if (http) {
    const search = http.runs.find((r) => r.name === 'search mix');
    if (search) {
      add('HTTP search throughput', search.stats.throughput, 'req/s', '>=', 2000);
      add('HTTP search p99', search.stats.p99, 'ms', '<=', 50);
      add('HTTP search errors', search.stats.errors, '', '<=', 0);
    }
    const suggest = http.runs.find((r) => r.name === 'suggest');
    if (suggest) add('HTTP suggest p99', suggest.stats.p99, 'ms', '<=', 10);
    const related = http.runs.find((r) => r.name === 'related');
    if (related) add('HTTP related p99', related.stats.p99, 'ms', '<=', 30);
    const health = http.runs.find((r) => r.name === 'healthz');
    const bare = http.runs.find((r) => r.name === 'healthz, bare Hono');
    if (health && bare) add('/healthz vs a bare Hono route', health.stats.throughput / Math.max(1e-9, bare.stats.throughput), '×', '>=', 0.7);
    add('HTTP suggest + related errors', (suggest?.stats.errors ?? 0) + (related?.stats.errors ?? 0), '', '<=', 0);
    if (meili) add('serving RSS, API + Meilisearch (peaks)', mb(http.peakServingRssBytes + (meili.peakRssBytes ?? 0)), 'MB', '<=', 600);
    else add('serving RSS (peak under load)', mb(http.peakServingRssBytes), 'MB', '<=', 600);
    add('cold start to /readyz OK', http.coldStartMs / 1000, 's', '<=', 2);
    if (http.settledMs !== null) add('cold start to the end of the start-up sync', http.settledMs / 1000, 's', '<=', 2);
  }
  const failing = (t: TargetCheck): boolean => t.name.includes('errors') && !t.pass;
  if (out.some((t) => t.name === 'in-process query errors' && failing(t))) {
    for (const t of out) if (t.name.endsWith('(in-process)')) t.pass = false;
  }
  return out;
}

function f(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

function latencyRow(name: string, s: LatencyStats): string {
  return `  ${name.padEnd(22)} n=${String(s.count).padEnd(7)} p50 ${f(s.p50, 2).padStart(7)}  p95 ${f(s.p95, 2).padStart(7)}  p99 ${f(s.p99, 2).padStart(7)}  max ${f(s.max, 1).padStart(7)} ms${s.throughput > 0 ? `  ${f(s.throughput, 0)} req/s` : ''}${s.errors > 0 ? `  errors ${s.errors}` : ''}`;
}

function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(`Benchmark: ${report.size} generated articles, engine ${report.engine}; ${m.cpus}× ${m.cpuModel}, ${f(m.memoryGB, 0)} GB, Node ${m.node}`);
  lines.push(`Load average (1 min) at start ${f(m.loadAtStart, 2)}, at end ${f(m.loadAtEnd, 2)}: above ~0.5 other processes share the ${m.cpus} cores and every figure is pessimistic`);
  const c = report.corpus;
  lines.push(`Corpus: ${c.dir} (${c.files} files, ${f(mb(c.fileBytes))} MB JSONL${c.generatedSeconds !== null ? `, generated in ${f(c.generatedSeconds)} s` : ', reused'})`);
  const ix = report.indexing;
  if (ix) {
    lines.push('', `Indexing (${ix.mode === 'rebuild' ? 'rebuildIndex' : 'indexCorpus'}, fresh index${report.indexingReused ? '; figures of the run that built the reused index' : ''})`);
    lines.push(`  ${ix.articles} articles (${ix.indexed} indexed, ${ix.duplicates} near-duplicates, ${ix.rejected} rejected), ${f(mb(ix.inputBytes))} MB input in ${f(ix.seconds)} s`);
    lines.push(`  throughput ${f(ix.mbPerSecond, 2)} MB/s, ${f(ix.articlesPerSecond, 0)} articles/s`);
    lines.push(`  stages (s; clean, extract and segment summed over the build workers): ${Object.entries(ix.stageSeconds).map(([k, v]) => `${k} ${f(v)}`).join(', ')}`);
    lines.push(`  peak RSS ${f(mb(ix.peakRssBytes), 0)} MB; index on disk ${f(mb(ix.indexBytes))} MB = ${f(ix.indexToInput, 2)}× input`);
    const d = ix.duplicateCheck;
    lines.push(`  near-duplicates: ${d.detected} detected, ${d.generated} reposts generated, ${d.detectedGenerated} of them found (load ${f(ix.load[0], 1)} → ${f(ix.load[1], 1)})`);
    if (ix.peer) {
      lines.push(`  naive peer (FTS5 + jieba, bench/naive-peer.ts): indexing ${f(ix.peer.mbPerSecond, 2)} MB/s in ${f(ix.peer.seconds)} s; search p50 ${f(ix.peer.search.p50, 2)} ms, p99 ${f(ix.peer.search.p99, 2)} ms (load ${f(ix.peer.load[0], 1)} → ${f(ix.peer.load[1], 1)})`);
    }
  }
  const ms = report.meilisearch;
  if (ms) {
    lines.push(
      '',
      `Meilisearch ${ms.version}: data on disk ${ms.dataBytes === null ? '— (server not started here)' : `${f(mb(ms.dataBytes))} MB`}, peak RSS ${ms.peakRssBytes === null ? '—' : `${f(mb(ms.peakRssBytes), 0)} MB`} (the index-on-disk figure above is the API's DATA_DIR)`,
    );
  }
  const q = report.inProcess;
  lines.push('', `Queries in-process (engine opened in ${f(q.openSeconds, 2)} s; mean ${f(q.meanHits)} hits per page, ${f(q.zeroHitShare * 100)}% empty; RSS ${f(mb(q.rssBytes), 0)} MB)`);
  lines.push(latencyRow('search (all)', q.search));
  for (const [kind, s] of Object.entries(q.searchByKind)) lines.push(latencyRow(`  ${kind}`, s));
  lines.push(latencyRow('search, cache on', q.searchCached));
  lines.push(`    (answer cache on, a Zipf draw over the same queries: ${f(q.searchCached.distinctShare * 100)}% of the draws distinct; above: cache off, each query once)`);
  lines.push(latencyRow('suggest', q.suggest));
  lines.push(latencyRow('suggest, one site', q.suggestScoped), `    (the same prefixes within ${q.suggestScoped.hospital}'s articles, as a site key scopes them)`);
  lines.push(latencyRow('related', q.related));
  if (report.http) {
    const h = report.http;
    lines.push('', `HTTP (real server on 127.0.0.1, autocannon; cold start to /readyz OK ${f(h.coldStartMs / 1000, 2)} s, to the end of the start-up sync ${h.settledMs === null ? '—' : `${f(h.settledMs / 1000, 2)} s`}; peak serving RSS ${f(mb(h.peakServingRssBytes), 0)} MB)`);
    for (const r of h.runs) {
      lines.push(`${latencyRow(`${r.name} (${r.connections} conn)`, r.stats)}${r.non2xx + r.transportErrors + r.timeouts > 0 ? `  [non-2xx ${r.non2xx}, errors ${r.transportErrors}, timeouts ${r.timeouts}]` : ''}`);
    }
  }
  lines.push('', 'Targets');
  for (const t of report.targets) {
    lines.push(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.name.padEnd(32)} ${f(t.value, t.unit === 'MB/s' || t.unit === '×' || t.unit === 's' ? 2 : 1).padStart(9)} ${t.unit.padEnd(6)} target ${t.target}`);
  }
  return lines.join('\n');
}

interface BenchReport {
  date: string;
  size: number;
  engine: string;
  machine: { cpus: number; cpuModel: string; memoryGB: number; node: string; platform: string; loadAtStart: number; loadAtEnd: number };
  corpus: { dir: string; files: number; fileBytes: number; generatedSeconds: number | null };
  indexing: IndexPhaseResult | null;
  /** The indexing figures come from the run that built the reused index (--reuse-index). */
  indexingReused: boolean;
  inProcess: QueryPhaseResult;
  http: HttpPhaseResult | null;
  /** With --engine meilisearch: the server's own disk and memory. */
  meilisearch: MeilisearchFigures | null;
  targets: TargetCheck[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '10000' },
      http: { type: 'boolean', default: false },
      engine: { type: 'string', default: 'sqlite' },
      mode: { type: 'string', default: 'index' },
      'reuse-index': { type: 'boolean', default: false },
      regenerate: { type: 'boolean', default: false },
      queries: { type: 'string', default: '3000' },
      seconds: { type: 'string', default: '20' },
      'cpu-prof': { type: 'string' },
      ingest: { type: 'boolean', default: false },
      batch: { type: 'string', default: '500' },
      phase: { type: 'string' },
      'phase-args': { type: 'string' },
    },
  });
  if (values.phase !== undefined) {
    await childMain(values.phase, JSON.parse(values['phase-args'] ?? '{}') as PhaseArgs);
    return;
  }
  const size = Number(values.size);
  if (!Number.isInteger(size) || size <= 0) throw new Error(`--size must be a positive integer, got ${values.size}`);
  if (values.ingest) {
    const batch = Number(values.batch);
    if (!Number.isInteger(batch) || batch <= 0) throw new Error(`--batch must be a positive integer, got ${values.batch}`);
    const { formatIngestReport, runIngestBench } = await import('./ingest.js');
    console.log(formatIngestReport(await runIngestBench({ size, batch })));
    return;
  }
  if (values.engine !== 'sqlite' && values.engine !== 'meilisearch') throw new Error('--engine must be sqlite or meilisearch');
  if (values.mode !== 'index' && values.mode !== 'rebuild') throw new Error('--mode must be index or rebuild');
  const args: PhaseArgs = {
    size,
    corpusDir: defaultCorpusDir(size),
    dataDir: indexDir(size),
    engine: values.engine,
    mode: values.mode,
    queries: Number(values.queries),
  };
  const prof = values['cpu-prof'];
  const loadAtStart = loadavg()[0]!;
  const givenMeili = process.env['MEILI_URL'] !== undefined;
  // The phases' children inherit the server's address and the service key.
  const meili = args.engine === 'meilisearch' ? await prepareMeilisearchBench(size) : null;
  if (meili) Object.assign(process.env, meili.env);
  mkdirSync(outRoot, { recursive: true });

  let generatedSeconds: number | null = null;
  if (values.regenerate || !existsSync(args.corpusDir)) {
    process.stderr.write(`Generating ${size} articles into ${args.corpusDir}…\n`);
    generatedSeconds = generateCorpus({ size, outDir: args.corpusDir }).seconds;
  }
  const files = readdirSync(args.corpusDir).filter((n) => n.endsWith('.jsonl'));
  const fileBytes = files.reduce((sum, n) => sum + statSync(join(args.corpusDir, n)).size, 0);

  // The indexing figures are kept beside the index, so a --reuse-index run still reports them.
  const indexingFile = join(outRoot, `indexing-${formatSize(size)}.json`);
  let indexing: IndexPhaseResult | null = null;
  // A temporary Meilisearch starts empty: nothing to reuse.
  const reuse = values['reuse-index'] && (meili === null || givenMeili) && existsSync(args.dataDir) && existsSync(vocabularyFile(size));
  if (reuse) {
    if (existsSync(indexingFile)) indexing = JSON.parse(readFileSync(indexingFile, 'utf8')) as IndexPhaseResult;
  } else {
    process.stderr.write(`Indexing into ${args.dataDir}…\n`);
    const m = await runChild('index', args, prof === 'index');
    if (m.kind !== 'index') throw new Error(`indexing failed: ${m.kind === 'error' ? m.message : m.kind}`);
    indexing = m.result;
    writeFileSync(indexingFile, JSON.stringify(indexing, null, 2));
  }
  process.stderr.write('Queries in-process…\n');
  const qm = await runChild('query', args, prof === 'query');
  if (qm.kind !== 'query') throw new Error(`queries failed: ${qm.kind === 'error' ? qm.message : qm.kind}`);

  let http: HttpPhaseResult | null = null;
  if (values.http) {
    process.stderr.write('HTTP: starting the server…\n');
    const samples = JSON.parse(readFileSync(vocabularyFile(size), 'utf8')) as VocabularySample[];
    http = await runHttpPhase(args, buildQueryMix(samples, args.queries), prof === 'server', Number(values.seconds));
  }

  const meilisearch = meili ? await meili.finish() : null;
  const cpu = cpus();
  const report: BenchReport = {
    date: new Date().toISOString(),
    size,
    engine: args.engine,
    machine: {
      cpus: cpu.length,
      cpuModel: cpu[0]?.model ?? 'unknown',
      memoryGB: totalmem() / 1024 ** 3,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      loadAtStart,
      loadAtEnd: loadavg()[0]!,
    },
    corpus: { dir: args.corpusDir, files: files.length, fileBytes, generatedSeconds },
    indexing,
    indexingReused: reuse,
    inProcess: qm.result,
    http,
    meilisearch,
    targets: checkTargets(indexing, qm.result, http, meilisearch),
  };
  console.log(formatReport(report));
  const jsonFile = join(outRoot, `bench-${formatSize(size)}.json`);
  writeFileSync(jsonFile, JSON.stringify(report, null, 2));
  console.log(`\nJSON: ${jsonFile}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    // A server or sampler of the failed phase would keep the process alive.
    process.exit(1);
  });
}
