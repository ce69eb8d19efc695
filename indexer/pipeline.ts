/**
 * The corpus-level runs of the indexing pipeline (incremental index, full
 * rebuild) that feed an engine through the SearchEngine port. Documents are
 * built by build-document.ts, on the build pool's worker threads; this
 * thread keeps what must happen in corpus order (duplicate assignment) and
 * the one writer.
 */
import { stat } from 'node:fs/promises';
import type { EngineDocument } from '../engine/document.js';
import type { SearchEngine } from '../engine/port.js';
import { countCorpusInputs, readCorpus } from './read-corpus.js';
import type { Rejection } from './rejections.js';
import { NearDuplicateIndex } from './steps/near-duplicates.js';
import { getVersionTag, inputFingerprint, type BuildResult, type StageTimings } from './build-document.js';
import { CorpusLedger, type FileStat } from './corpus-ledger.js';
import { engineConfigOf } from '../engine/create-engine.js';
import {
  EngineTimeoutError,
  EngineUnavailableError,
  EngineWriteError,
  IndexCorruptError,
  IndexSchemaError,
} from '../engine/errors.js';
import { sharedBuildPool, type BuildPool } from './build-pool.js';
import type { RebuildWorkerInput, RebuildWorkerReply } from './rebuild-worker.js';
import { startIndexerWorker } from './worker-thread.js';
import type { RawArticle } from './types.js';

export {
  buildDocument,
  deriveId,
  normaliseUrl,
  pipelineVersion,
  summarise,
  type BuildResult,
  type StageTimings,
} from './build-document.js';

/**
 * Assigns `duplicateOf` in corpus order: the first copy is canonical, later
 * near-copies point to it. Short texts only count as copies when identical.
 */
export class DuplicateTracker {
  private readonly near = new NearDuplicateIndex();
  private readonly exact = new Map<string, string>();

  /** Seed with canonical documents already in the engine. */
  seed(fingerprints: Map<string, string>): void {
    for (const [id, fingerprint] of fingerprints) this.near.add(id, fingerprint);
  }

  /**
   * A tracker seeded from the engine on first need: a run in which nothing
   * changed never loads the fingerprints at all.
   */
  static seededFrom(engine: Pick<SearchEngine, 'dedupeFingerprints'>): () => Promise<DuplicateTracker> {
    let tracker: Promise<DuplicateTracker> | undefined;
    return () => {
      tracker ??= engine.dedupeFingerprints().then((fingerprints) => {
        const seeded = new DuplicateTracker();
        seeded.seed(fingerprints);
        return seeded;
      });
      return tracker;
    };
  }

  assign(result: Extract<BuildResult, { ok: true }>): void {
    const doc = result.document;
    const exactOf = this.exact.get(result.bodyKey);
    if (exactOf !== undefined && exactOf !== doc.id) {
      doc.duplicateOf = exactOf;
      return;
    }
    const of = this.near.find(doc.fingerprint, doc.id);
    if (of !== null) {
      doc.duplicateOf = of;
      return;
    }
    this.near.add(doc.id, doc.fingerprint);
    if (doc.body !== '') this.exact.set(result.bodyKey, doc.id);
  }
}

export type FieldName =
  | 'title'
  | 'publishedAt'
  | 'year'
  | 'source'
  | 'authors'
  | 'province'
  | 'city'
  | 'county'
  | 'hospital'
  | 'awardNames'
  | 'awardTypes'
  | 'partyBranches'
  | 'keywords';

const reportedFields: FieldName[] = [
  'title',
  'publishedAt',
  'year',
  'source',
  'authors',
  'province',
  'city',
  'county',
  'hospital',
  'awardNames',
  'awardTypes',
  'partyBranches',
  'keywords',
];

export interface IndexSummary {
  /** Articles read (files + JSONL lines) that produced a document. */
  articles: number;
  /** Documents written to the engine (new or changed). */
  indexed: number;
  unchanged: number;
  deleted: number;
  /**
   * Articles gone from the corpus but kept in the index, because deleting
   * them would have removed more than `maxDeleteRatio` of it (0 otherwise).
   */
  deleteRefused: number;
  /**
   * Articles whose file was rejected this run (unreadable, bad encoding…)
   * and whose indexed copy was therefore kept: a file that cannot be read is
   * not an article that was removed. The rejections name the files.
   */
  keptRejected: number;
  duplicates: number;
  rejections: Rejection[];
  /** Inputs indexed with something dropped (a URL that is not http(s)…): path and what. */
  warnings: Array<{ sourcePath: string; detail: string }>;
  /** Share of indexed documents with a value, per field (0..1). */
  fillRates: Record<FieldName, number>;
  inputBytes: number;
  /** Corpus files not read because the ledger showed them unchanged since the last run (see IndexOptions.ledgerPath). */
  skippedFiles: number;
  seconds: number;
  stageSeconds: { read: number; clean: number; extract: number; segment: number; write: number };
}

/**
 * Where a run is: `processed` of `total` corpus inputs (single-article files,
 * JSONL lines, and inputs rejected). The total is counted before the first
 * input is read, so the first report (processed 0) already carries it; it
 * grows only if the corpus gains files during the run, and the last report
 * has processed === total.
 */
export interface IndexProgress {
  processed: number;
  total: number;
  /** The input just processed ('' in the first and a closing report). */
  sourcePath: string;
}

export interface IndexOptions {
  engine: SearchEngine;
  corpusDir: string;
  /** Re-process every article even when its input is unchanged. */
  force?: boolean;
  /** Counting the inputs for the total costs a listing of the corpus and a scan of its JSONL files: done only when set. */
  onProgress?: (progress: IndexProgress) => void;
  /** Called with every document built (the CLI's `--out`). */
  onDocument?: (document: EngineDocument) => void;
  /** Where documents are built (default: the process's shared pool of worker threads). */
  pool?: BuildPool;
  /** Documents per write transaction (default 1,000). */
  batchSize?: number;
  /**
   * indexCorpus only: about the longest one write transaction may hold this
   * thread, in ms. Batches then shrink (down to one document) to what the
   * last one took per document, and the thread yields between them: a sync
   * on the thread that also serves requests never holds them up for the
   * seconds a 1,000-document transaction takes. Unset: `batchSize` always.
   */
  maxWriteMs?: number;
  /**
   * indexCorpus only: the largest share of the index a run may delete
   * (default 0.2). A corpus that lost more than that is far more likely a
   * volume that did not mount or a wrong CORPUS_DIR than an editor's work,
   * so its missing articles are kept and `deleteRefused` counts them.
   */
  maxDeleteRatio?: number;
  /** indexCorpus only: delete whatever is gone, however much (`npm run index -- --allow-mass-delete`). */
  allowMassDelete?: boolean;
  /**
   * indexCorpus only: where the corpus ledger lives (corpus-ledger.ts,
   * usually DATA_DIR/corpus-ledger.json). Files it shows unchanged since the
   * last run are not read again; unset, every file is read.
   */
  ledgerPath?: string;
  /**
   * rebuildIndex only: run the whole rebuild (reads, writes, the switch) on a
   * thread of its own when the engine allows it (default true), so searches on
   * this thread never wait behind it.
   */
  inWorker?: boolean;
}

function hasValue(doc: EngineDocument, field: FieldName): boolean {
  const v = doc[field];
  return Array.isArray(v) ? v.length > 0 : v !== null && v !== '';
}

const defaultBatchSize = 1000;

/** Documents being built at once per worker: enough to keep every worker busy while this thread writes. */
const inFlightPerWorker = 16;

type Built = { result: BuildResult; timings: StageTimings };

/**
 * `items` in their order, each with its build (null when `start` says there is
 * nothing to build), while up to `limit` items are being built ahead on the
 * pool: the builds overlap; the caller's handling (duplicate assignment,
 * writes) stays sequential and in corpus order.
 */
async function* buildAhead<T>(items: AsyncIterable<T>, limit: number, start: (item: T) => Promise<Built> | null): AsyncGenerator<{ item: T; built: Built | null }> {
  const queue: Array<{ item: T; built: Promise<Built> | null }> = [];
  try {
    for await (const item of items) {
      const built = start(item);
      // Awaited in order below; until then a failed build is not an unhandled rejection.
      built?.catch(() => undefined);
      queue.push({ item, built });
      while (queue.length >= limit) {
        const head = queue.shift()!;
        yield { item: head.item, built: head.built === null ? null : await head.built };
      }
    }
    while (queue.length > 0) {
      const head = queue.shift()!;
      yield { item: head.item, built: head.built === null ? null : await head.built };
    }
  } finally {
    queue.length = 0;
  }
}

class RunStats {
  readonly fillCounts = new Map<FieldName, number>();
  readonly rejections: Rejection[] = [];
  readonly warnings: Array<{ sourcePath: string; detail: string }> = [];
  readonly timings: StageTimings = { clean: 0, extract: 0, segment: 0 };
  articles = 0;
  duplicates = 0;
  inputBytes = 0;
  skippedFiles = 0;
  write = 0;
  read = 0;
  readonly started = performance.now();

  add(timings: StageTimings): void {
    this.timings.clean += timings.clean;
    this.timings.extract += timings.extract;
    this.timings.segment += timings.segment;
  }

  warn(sourcePath: string, warnings: readonly string[] | undefined): void {
    for (const detail of warnings ?? []) this.warnings.push({ sourcePath, detail });
  }

  count(doc: EngineDocument): void {
    for (const f of reportedFields) if (hasValue(doc, f)) this.fillCounts.set(f, (this.fillCounts.get(f) ?? 0) + 1);
    if (doc.duplicateOf !== null) this.duplicates++;
  }

  summary(indexed: number, unchanged: number, deleted: number, deleteRefused = 0, keptRejected = 0): IndexSummary {
    const fillRates = {} as Record<FieldName, number>;
    const counted = Math.max(1, indexed);
    for (const f of reportedFields) fillRates[f] = (this.fillCounts.get(f) ?? 0) / counted;
    const ms = (x: number): number => x / 1000;
    return {
      articles: this.articles,
      indexed,
      unchanged,
      deleted,
      deleteRefused,
      keptRejected,
      duplicates: this.duplicates,
      rejections: this.rejections,
      warnings: this.warnings,
      fillRates,
      inputBytes: this.inputBytes,
      skippedFiles: this.skippedFiles,
      seconds: ms(performance.now() - this.started),
      stageSeconds: {
        read: ms(this.read),
        clean: ms(this.timings.clean),
        extract: ms(this.timings.extract),
        segment: ms(this.timings.segment),
        write: ms(this.write),
      },
    };
  }
}

/**
 * Brings the engine in line with the corpus directory: new and changed
 * articles are (re)indexed, removed ones deleted, unchanged ones only checked.
 */
export async function indexCorpus(options: IndexOptions): Promise<IndexSummary> {
  const { engine, corpusDir } = options;
  const pool = options.pool ?? sharedBuildPool();
  const batchSize = options.batchSize ?? defaultBatchSize;
  const stats = new RunStats();
  const known = await engine.contentHashes();
  const idsByHash = new Map<string, string[]>();
  for (const [id, h] of known) {
    const ids = idsByHash.get(h);
    if (ids) ids.push(id);
    else idsByHash.set(h, [id]);
  }
  const seen = new Set<string>();
  const tracker = DuplicateTracker.seededFrom(engine);
  const ledger = options.ledgerPath !== undefined ? await CorpusLedger.open(options.ledgerPath, getVersionTag(), corpusDir) : null;
  // Writing every document out (--out) or rebuilding everything (--force) needs every file read.
  const mayskip = ledger !== null && !options.force && !options.onDocument;

  let batch: EngineDocument[] = [];
  let indexed = 0;
  let unchanged = 0;
  const { maxWriteMs } = options;
  // With a time bound, the first transaction is a small one: it measures what a document costs.
  let limit = maxWriteMs === undefined ? batchSize : Math.min(batchSize, 8);
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const t = performance.now();
    await engine.upsert(batch);
    const took = performance.now() - t;
    stats.write += took;
    indexed += batch.length;
    if (maxWriteMs !== undefined) {
      limit = Math.max(1, Math.min(batchSize, Math.floor((maxWriteMs * batch.length) / Math.max(took, 0.001))));
      // Builds finished ahead resolve as microtasks: without this, requests would wait for the whole run.
      await new Promise((resolve) => setImmediate(resolve));
    }
    batch = [];
  };

  const progress = await startProgress(corpusDir, options.onProgress);
  const unchangedIds = (item: RawArticle): string[] | undefined => (options.force ? undefined : idsByHash.get(inputFingerprint(item)));
  const shouldRead = (relPath: string, stat: FileStat): boolean => {
    if (!ledger) return true;
    const entry = mayskip ? ledger.unchanged(relPath, stat, known) : null;
    if (entry === null) {
      ledger.reading(relPath, stat);
      return true;
    }
    // Unchanged since the last run and still indexed as built: what reading it would have found.
    ledger.keep(relPath, entry);
    for (const [id] of entry.articles) seen.add(id);
    stats.articles += entry.inputs;
    stats.inputBytes += entry.inputBytes;
    stats.rejections.push(...entry.rejections);
    unchanged += entry.withDocuments;
    stats.skippedFiles++;
    for (let i = 0; i < entry.items; i++) progress.step(relPath);
    return false;
  };
  const items = buildAhead(timedRead(readCorpus(corpusDir, { shouldRead }), stats), pool.size * inFlightPerWorker, (item) =>
    item.kind === 'rejection' || unchangedIds(item) ? null : pool.build(item),
  );
  for await (const { item, built } of items) {
    if (item.kind === 'rejection') {
      stats.rejections.push(item);
      ledger?.recordRejection(fileOf(item.sourcePath), item);
      progress.step(item.sourcePath);
      continue;
    }
    stats.articles++;
    stats.inputBytes += item.inputBytes;
    const file = fileOf(item.sourcePath);
    if (built === null) {
      // Unchanged input: keep the stored document; only remember its id.
      const ids = unchangedIds(item) ?? [];
      for (const id of ids) {
        seen.add(id);
        if (options.onDocument) {
          const stored = await engine.get(id);
          if (stored) options.onDocument(stored);
        }
      }
      ledger?.recordArticle(file, { ids, hash: inputFingerprint(item), inputBytes: item.inputBytes });
      unchanged++;
    } else {
      stats.add(built.timings);
      const { result } = built;
      if (!result.ok) {
        stats.rejections.push(result.rejection);
        ledger?.recordArticle(file, { ids: [], hash: '', inputBytes: item.inputBytes });
        ledger?.recordRejection(file, result.rejection, true);
      } else {
        ledger?.recordArticle(file, { ids: [result.document.id], hash: result.document.contentHash, inputBytes: item.inputBytes });
        (await tracker()).assign(result);
        stats.warn(item.sourcePath, result.warnings);
        seen.add(result.document.id);
        stats.count(result.document);
        options.onDocument?.(result.document);
        batch.push(result.document);
        if (batch.length >= limit) await flush();
      }
    }
    progress.step(item.sourcePath);
  }
  await flush();
  progress.finish();

  const { stale, kept } = await splitStale(
    engine,
    [...known.keys()].filter((id) => !seen.has(id)),
    stats.rejections,
  );
  if (stale.length > 0 && !options.allowMassDelete && stale.length > (options.maxDeleteRatio ?? defaultMaxDeleteRatio) * known.size) {
    await ledger?.save();
    return stats.summary(indexed, unchanged, 0, stale.length, kept);
  }
  if (stale.length > 0) await engine.delete(stale);
  await ledger?.save();
  return stats.summary(indexed, unchanged, stale.length, 0, kept);
}

/** `a/b.jsonl#3` → `a/b.jsonl`. */
function fileOf(sourcePath: string): string {
  const hash = sourcePath.indexOf('#');
  return hash === -1 ? sourcePath : sourcePath.slice(0, hash);
}

/**
 * The indexed articles not seen this run, split into those to delete and
 * those to keep: an article whose file (or JSONL line) was rejected is kept
 * as indexed until the file can be read again.
 */
async function splitStale(
  engine: SearchEngine,
  unseen: string[],
  rejections: readonly Rejection[],
): Promise<{ stale: string[]; kept: number }> {
  if (unseen.length === 0 || rejections.length === 0) return { stale: unseen, kept: 0 };
  const rejectedPaths = new Set(rejections.map((r) => r.sourcePath));
  const rejectedFiles = new Set(rejections.filter((r) => !r.sourcePath.includes('#')).map((r) => r.sourcePath));
  const stale: string[] = [];
  let kept = 0;
  for (const id of unseen) {
    const sourcePath = (await engine.get(id))?.sourcePath ?? '';
    if (sourcePath !== '' && (rejectedPaths.has(sourcePath) || rejectedFiles.has(fileOf(sourcePath)))) kept++;
    else stale.push(id);
  }
  return { stale, kept };
}

/**
 * The run's progress reports: counts the corpus first, reports 0 of the total,
 * then one report per input; `finish` makes the last report say processed === total.
 */
async function startProgress(
  corpusDir: string,
  onProgress: IndexOptions['onProgress'],
): Promise<{ step: (sourcePath: string) => void; finish: () => void }> {
  if (!onProgress) return { step: () => undefined, finish: () => undefined };
  let total = await countCorpusInputs(corpusDir);
  let processed = 0;
  onProgress({ processed, total, sourcePath: '' });
  return {
    step: (sourcePath) => {
      processed++;
      // A file added to the corpus after the count: the total follows.
      total = Math.max(total, processed);
      onProgress({ processed, total, sourcePath });
    },
    finish: () => {
      if (processed !== total) onProgress({ processed, total: processed, sourcePath: '' });
    },
  };
}

/** See IndexOptions.maxDeleteRatio. */
export const defaultMaxDeleteRatio = 0.2;

/**
 * Fails when `dir` cannot be a corpus: missing, or a file. (An empty
 * directory is a corpus; the delete guard of indexCorpus protects the index
 * from it.)
 */
export async function checkCorpusDir(dir: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CorpusDirError(
      code === 'ENOENT'
        ? `CORPUS_DIR ${dir} does not exist: create it, or mount the corpus volume there`
        : `CORPUS_DIR ${dir} cannot be read (${code ?? 'unknown error'})`,
      { cause: error },
    );
  }
  if (!info.isDirectory()) throw new CorpusDirError(`CORPUS_DIR ${dir} is a file, not a directory of articles`);
}

export class CorpusDirError extends Error {
  override readonly name = 'CorpusDirError';
}

/** The corpus reader, with the time spent waiting on it counted as the read stage. */
async function* timedRead<T>(items: AsyncIterable<T>, stats: RunStats): AsyncGenerator<T> {
  const iterator = items[Symbol.asyncIterator]();
  for (;;) {
    const t = performance.now();
    const next = await iterator.next();
    stats.read += performance.now() - t;
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Rebuilds the whole index from the corpus into a fresh index and swaps it in:
 * searches are answered from the old index until the new one is complete.
 */
export async function rebuildIndex(options: IndexOptions): Promise<IndexSummary> {
  const config = options.inWorker === false || options.onDocument || options.onProgress || options.pool ? undefined : engineConfigOf(options.engine);
  // The embedded engine's files can be written from another thread; this
  // thread's engine then follows the switch to the new generation.
  if (config?.engine === 'sqlite') {
    const summary = await rebuildInWorker({ engineConfig: config, corpusDir: options.corpusDir });
    await options.engine.init();
    return summary;
  }
  return rebuildHere(options);
}

const engineErrors: Record<string, new (message: string) => Error> = {
  EngineUnavailableError,
  EngineTimeoutError,
  EngineWriteError,
  IndexCorruptError,
  IndexSchemaError,
};

function rebuildInWorker(input: RebuildWorkerInput): Promise<IndexSummary> {
  return new Promise((resolve, reject) => {
    const worker = startIndexerWorker('rebuild-worker', { workerData: input });
    let settled = false;
    worker.once('message', (reply: RebuildWorkerReply) => {
      settled = true;
      if (reply.ok) {
        resolve(reply.summary);
        return;
      }
      // Errors cross threads as plain data: the engine's error kinds are restored for the API's mapping.
      const Kind = engineErrors[reply.name];
      reject(Kind ? new Kind(reply.message) : new EngineWriteError(`rebuilding the index failed: ${reply.message}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(new EngineWriteError('the rebuild worker failed', { cause: error }));
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new EngineWriteError(`the rebuild worker exited with code ${code} before finishing`));
    });
  });
}

async function rebuildHere(options: IndexOptions): Promise<IndexSummary> {
  const { engine, corpusDir } = options;
  const pool = options.pool ?? sharedBuildPool();
  const stats = new RunStats();
  const tracker = new DuplicateTracker();
  let built = 0;
  const progress = await startProgress(corpusDir, options.onProgress);
  // replaceAll pulls the documents; their builds run ahead of it on the pool.
  async function* documents(): AsyncGenerator<EngineDocument> {
    const items = buildAhead(readCorpus(corpusDir), pool.size * inFlightPerWorker, (item) =>
      item.kind === 'rejection' ? null : pool.build(item),
    );
    for await (const { item, built: outcome } of items) {
      if (item.kind === 'rejection') {
        stats.rejections.push(item);
        progress.step(item.sourcePath);
        continue;
      }
      stats.articles++;
      stats.inputBytes += item.inputBytes;
      const result = outcome?.result;
      if (outcome) stats.add(outcome.timings);
      if (result && !result.ok) stats.rejections.push(result.rejection);
      if (!result?.ok) {
        progress.step(item.sourcePath);
        continue;
      }
      tracker.assign(result);
      stats.warn(item.sourcePath, result.warnings);
      stats.count(result.document);
      options.onDocument?.(result.document);
      progress.step(item.sourcePath);
      built++;
      yield result.document;
    }
    progress.finish();
  }
  const t = performance.now();
  await engine.replaceAll(documents());
  stats.write = performance.now() - t;
  return stats.summary(built, 0, 0);
}
