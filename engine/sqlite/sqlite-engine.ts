/**
 * The embedded search engine: SQLite FTS5 through better-sqlite3, one file
 * under DATA_DIR, no server.
 *
 * Files: `<fileName>` is a symbolic link to the current generation
 * `<fileName>.<generation>`. replaceAll (and a rebuild after a layout or
 * dictionary change; see open()) writes a new generation beside it, fsyncs it and
 * renames a new link over the old one, which is atomic: every reader, in
 * this process or another, sees either the old index or the new one. SQLite
 * resolves the link, so each generation keeps its own -wal and -shm files
 * and a process still reading the old generation is never confused by the
 * new one's journal. Other processes notice the new link on their next call
 * and reopen; writes made by other processes are noticed through
 * `PRAGMA data_version`.
 *
 * Reads: FTS5 finds the matching rows (as one group_concat string: building
 * one JS row per match costs ~1µs, which at 80k matches is most of the time
 * budget); filters, collapsing, facets and date order run on the in-memory
 * columns of memory-index.ts; JSON is decoded only for the page of hits.
 * Match sets, scores, document frequencies and whole answers are cached
 * until the next write (resultCacheSize: 0 turns the answer and match caches off).
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, statSync, symlinkSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { buildFtsQuery, buildKeywordQuery, type FtsQueryPlan } from './fts-query.js';
import type { QueryAlternative } from '../analysis/query.js';
import { DocumentWriter, deserialiseDocument, type StoredRow } from './document-writer.js';
import { MemoryIndex, type Collapsed, type RowFilter } from './memory-index.js';
import {
  bm25Weights,
  canReadStoredDocuments,
  configureBuildConnection,
  configureConnection,
  createSchema,
  getMeta,
  isEmptyDatabase,
  readStoredVersions,
  schemaVersion,
  setMeta,
} from './schema.js';
import { parseSuggestInput } from '../analysis/suggestions.js';
import { dictionaryVersion, joinTokens, segmentForIndex, segmentWords } from '../analysis/segment.js';
import { engineDocumentSchema, type EngineDocument } from '../document.js';
import { fsyncPath } from '../fsync.js';
import {
  DocumentNotFoundError,
  EngineQueryError,
  EngineTimeoutError,
  EngineUnavailableError,
  EngineWriteError,
  IndexCorruptError,
  IndexSchemaError,
  isEngineError,
  type EngineError,
} from '../errors.js';
import type {
  EngineHealth,
  EngineStats,
  FacetCounts,
  RelatedHit,
  RelatedRequest,
  SearchEngine,
  SearchFilters,
  SearchHit,
  SearchRequest,
  SearchResult,
  SortOrder,
  SuggestRequest,
  Suggestion,
} from '../port.js';

export interface SqliteEngineConfig {
  /** Directory holding the index files (DATA_DIR). Created if missing. */
  dataDir: string;
  /** Name of the index link inside dataDir. */
  fileName?: string;
  /** Entries (match sets, scores, whole answers) kept until the next write; 0 disables (for cold benchmarks). */
  resultCacheSize?: number;
}

type Operation = 'open' | 'read' | 'write';

/** Translates a foreign error into the engine's closed set: the one place SqliteError is looked at. */
function translateError(error: unknown, operation: Operation, what: string): EngineError {
  if (isEngineError(error)) return error;
  const code = error instanceof Database.SqliteError ? error.code : (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : '';
  if (/^SQLITE_(CORRUPT|NOTADB)/u.test(text)) return new IndexCorruptError(`${what}: the index file is damaged`, { cause: error });
  if (/^SQLITE_(BUSY|LOCKED)/u.test(text)) return new EngineTimeoutError(`${what}: the index is locked`, { cause: error });
  if (/^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|PERM)|^E(NOSPC|ACCES|PERM|ROFS|IO|NOENT)$/u.test(text) || operation === 'open') {
    return new EngineUnavailableError(`${what}: the index cannot be used`, { cause: error });
  }
  return operation === 'write'
    ? new EngineWriteError(`${what} failed`, { cause: error })
    : new EngineQueryError(`${what} failed`, { cause: error });
}

/** Parses group_concat's `1,5,9` into rows. */
function parseRowList(text: string | null | undefined): Int32Array {
  if (!text) return new Int32Array(0);
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const out = new Int32Array(count);
  let n = 0;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[n++] = value;
      value = 0;
    } else {
      value = value * 10 + (c - 48);
    }
  }
  out[n] = value;
  return out;
}

/** Parses `row:score,row:score` (integer thousandths) into an array indexed by row. */
function parseScores(text: string | null | undefined, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  if (!text) return out;
  let row = 0;
  let value = 0;
  let negative = false;
  let inScore = false;
  const flush = (): void => {
    if (row < capacity) out[row] = (negative ? -value : value) / 1000;
    row = 0;
    value = 0;
    negative = false;
    inScore = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) flush();
    else if (c === 58) inScore = true;
    else if (c === 45) negative = true;
    else if (inScore) value = value * 10 + (c - 48);
    else row = row * 10 + (c - 48);
  }
  flush();
  return out;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

function foldAscii(text: string): string {
  return text.replace(/[A-Z]/gu, (ch) => ch.toLowerCase());
}

/** Re-derives the token fields with the current dictionary (used when the dictionary changed). */
function resegment(document: EngineDocument): EngineDocument {
  // Same fields, in the same order, as indexer/pipeline.ts puts into metaTokens.
  const metaText = [
    ...document.hospitals,
    ...document.hospitalAliases,
    document.province,
    document.city,
    document.county,
    ...document.awardNames,
    ...document.awardTypes,
    ...document.partyBranches,
  ]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n');
  return {
    ...document,
    titleTokens: joinTokens(segmentForIndex(document.title)),
    bodyTokens: joinTokens(segmentForIndex(document.body)),
    metaTokens: joinTokens(segmentForIndex(metaText)),
  };
}

interface Live {
  db: Database.Database;
  /** Real path of the open generation file. */
  path: string;
  /** Link target (generation file name) it was opened through, null when the index is a plain file. */
  target: string | null;
  writer: DocumentWriter;
  statements: Map<string, Database.Statement>;
  dataVersion: number;
}

/** Writes made while a rebuild runs, replayed into the new generation. */
interface Journal {
  upserts: Map<string, EngineDocument>;
  deletes: Set<string>;
}

interface MatchSet {
  rows: Int32Array;
  relaxed: boolean;
  /** Relaxed only: how many clauses each row matched, indexed by row. */
  clauseCounts: Uint8Array | null;
  /** Relaxed only: the fewest clauses a kept row matches. */
  threshold?: number;
}

interface Scored {
  /** Matching rows, unsorted. */
  rows: Int32Array;
  /** Their relevance before the exact-query bonus, aligned with `rows`. */
  scores: Float64Array;
  /** Rows whose text was checked for the whole query as written. */
  exact: Map<number, boolean>;
}

const batchSize = 500;
const relatedKeywordLimit = 12;
/** Representatives whose text is checked for the whole query as written. */
const rerankWindow = 100;
/**
 * Above this many matches bm25 is not computed: FTS5 scores every matching
 * row (~0.8 µs a row on 100k real articles) before any can be ranked, which
 * alone would exceed the latency budget. Ranking then rests on title matches,
 * wording, the exact query and topicality, as Meilisearch's rules do. bm25's
 * IDF is ~0 anyway for terms in more than half the documents.
 */
const bm25RowLimit = 5_000;

// Relevance: bm25 (normalised to the best match) plus bonuses for the clauses
// found in the title, for the whole query found as written, and for the
// user's own wording (not a synonym), all scaled by topicality so that
// off-topic pages full of the same vocabulary sink.
const titleBonus = 1;
const exactBonus = 1;
const originalFormBonus = 0.15;
const relaxedClauseWeight = 100;

/**
 * SQL testing that `table`'s title+body contains `param` contiguously: a
 * plain instr first (cheap), then with whitespace removed and ASCII folded,
 * since scraped text puts spaces and line breaks inside phrases.
 */
function containsTextSql(table: string, param: string): string {
  return `(instr(${table}.title, ${param}) > 0 OR instr(${table}.body, ${param}) > 0 OR instr(lower(replace(replace(${table}.title || ${table}.body, ' ', ''), char(10), '')), lower(${param})) > 0)`;
}

/**
 * Indices 0..count-1 of the best `k` by `compare` (negative = first is
 * better), in order, without sorting everything: a bounded heap, O(n log k).
 */
function selectTop(count: number, k: number, compare: (a: number, b: number) => number, include?: (i: number) => boolean): number[] {
  if (k <= 0) return [];
  const heap: number[] = [];
  // heap[0] is the worst kept index.
  const worse = (a: number, b: number): boolean => compare(a, b) > 0;
  const siftUp = (at: number): void => {
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!worse(heap[at] ?? 0, heap[parent] ?? 0)) break;
      [heap[at], heap[parent]] = [heap[parent] ?? 0, heap[at] ?? 0];
      at = parent;
    }
  };
  const siftDown = (at: number): void => {
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && worse(heap[left] ?? 0, heap[worst] ?? 0)) worst = left;
      if (right < heap.length && worse(heap[right] ?? 0, heap[worst] ?? 0)) worst = right;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst] ?? 0, heap[at] ?? 0];
      at = worst;
    }
  };
  for (let i = 0; i < count; i++) {
    if (include && !include(i)) continue;
    if (heap.length < k) {
      heap.push(i);
      siftUp(heap.length - 1);
    } else if (compare(i, heap[0] ?? 0) < 0) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}

function topicalityFactor(topicality: number): number {
  return 0.3 + 0.7 * topicality;
}

export class SqliteEngine implements SearchEngine {
  readonly name = 'sqlite' as const;
  private readonly dataDir: string;
  private readonly fileName: string;
  private readonly linkPath: string;
  private readonly cacheSize: number;
  private readonly memory = new MemoryIndex();
  private readonly cache = new Map<string, MatchSet | Scored | SearchResult>();
  /** Document frequencies looked up in the FTS vocabulary, until the next write. */
  private readonly frequencies = new Map<string, number>();
  private live: Live | null = null;
  private opening: Promise<void> | null = null;
  /** A rebuild running beside the live index, and where its concurrent writes go. */
  private background: Promise<void> | null = null;
  private backgroundError: EngineError | null = null;
  private journal: Journal | null = null;
  private closed = false;

  constructor(config: SqliteEngineConfig) {
    this.dataDir = resolve(config.dataDir);
    this.fileName = config.fileName ?? 'search.sqlite';
    if (basename(this.fileName) !== this.fileName) throw new TypeError('fileName must be a plain file name');
    this.linkPath = join(this.dataDir, this.fileName);
    this.cacheSize = config.resultCacheSize ?? 256;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  async init(): Promise<void> {
    await this.ready();
  }

  private async ready(): Promise<Live> {
    if (this.closed) throw new EngineUnavailableError('the engine is closed');
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = null;
      throw translateError(error, 'open', `opening ${this.linkPath}`);
    });
    await this.opening;
    if (!this.live) throw new EngineUnavailableError('the index is not open');
    try {
      this.refresh();
    } catch (error) {
      throw translateError(error, 'open', 'reopening the index');
    }
    return this.live;
  }

  private async open(): Promise<void> {
    mkdirSync(this.dataDir, { recursive: true });
    this.removeAbandonedBuilds();
    const target = this.readTarget();
    if (target === null) {
      await this.buildGeneration([]);
      return;
    }
    const db = new Database(target.path, { fileMustExist: true });
    try {
      configureConnection(db);
      const currentDictionary = dictionaryVersion();
      if (isEmptyDatabase(db)) createSchema(db, currentDictionary);
      const stored = readStoredVersions(db);
      if (stored.schemaVersion === schemaVersion && stored.dictionaryVersion === currentDictionary) {
        this.adopt(db, target.path, target.name);
        return;
      }
      if (stored.schemaVersion !== null && stored.schemaVersion > schemaVersion) {
        throw new IndexSchemaError(
          `${target.path} has index layout ${stored.schemaVersion}, newer than this code's ${schemaVersion}`,
        );
      }
      if (!canReadStoredDocuments(db)) {
        throw new IndexSchemaError(`${target.path} is not a search index written by this application`);
      }
      if (stored.schemaVersion === schemaVersion) {
        // Same layout, another dictionary: the index still answers (a few
        // words cut differently), so it serves while a re-segmented copy is
        // built beside it, which takes minutes at 100k articles.
        this.adopt(db, target.path, target.name);
        this.startResegmenting(target.path);
        return;
      }
      // Older layout: rebuild from the documents stored in the file itself
      // (re-segmented if the dictionary changed too) before serving, since
      // this code cannot read the old layout. Documents that no longer fit
      // the document contract are left out; the indexer puts them back from
      // the corpus on its next run, since contentHashes() no longer lists them.
      const resegmentAll = stored.dictionaryVersion !== currentDictionary;
      await this.buildGeneration(this.readStoredDocuments(db, resegmentAll));
    } finally {
      if (this.live?.db !== db) db.close();
    }
  }

  /**
   * Rebuilds the index from its own documents with the current dictionary,
   * in the background. Writes made meanwhile are journaled and replayed into
   * the new generation just before the switch, so none is lost.
   */
  private startResegmenting(path: string): void {
    const journal: Journal = { upserts: new Map(), deletes: new Set() };
    this.journal = journal;
    this.backgroundError = null;
    this.background = (async () => {
      const reader = new Database(path, { readonly: true, fileMustExist: true });
      try {
        await this.buildGeneration(this.readStoredDocuments(reader, true), {
          beforeSwitch: (writer) => {
            for (const id of journal.deletes) writer.remove(id);
            for (const document of journal.upserts.values()) writer.write(document);
          },
          // A replaceAll started meanwhile makes this rebuild pointless.
          cancelled: () => this.journal !== journal,
        });
      } catch (error) {
        if (!this.closed && this.journal === journal) {
          this.backgroundError = translateError(error, 'write', 'rebuilding the index');
        }
      } finally {
        reader.close();
        if (this.journal === journal) this.journal = null;
      }
    })();
  }

  /** Resolves when background work (a rebuild after a dictionary change) has finished. */
  async waitForBackgroundWork(): Promise<void> {
    await this.opening?.catch(() => undefined);
    await this.background;
  }

  private *readStoredDocuments(db: Database.Database, resegmentAll: boolean): Generator<EngineDocument> {
    const rows = db.prepare<[], StoredRow>('SELECT doc, title, body, json FROM docs ORDER BY doc').iterate();
    for (const row of rows) {
      let parsed: unknown;
      try {
        parsed = deserialiseDocument(row);
      } catch {
        continue;
      }
      const result = engineDocumentSchema.safeParse(parsed);
      if (!result.success) continue;
      yield resegmentAll ? resegment(result.data) : result.data;
    }
  }

  /** The current generation: where the link points, the file itself if it is not a link, or null. */
  private readTarget(): { path: string; name: string | null } | null {
    let stats;
    try {
      stats = lstatSync(this.linkPath);
    } catch {
      return null;
    }
    if (!stats.isSymbolicLink()) return { path: this.linkPath, name: null };
    const name = readlinkSync(this.linkPath);
    const path = resolve(this.dataDir, name);
    // A link to a generation that is gone (deleted by hand) is treated as no index.
    return existsSync(path) ? { path, name } : null;
  }

  private adopt(db: Database.Database, path: string, target: string | null): void {
    // Per-connection view of the FTS vocabulary, for document frequencies.
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_vocab USING fts5vocab(main, fts, 'row')");
    this.memory.load(db);
    this.clearCaches();
    this.live = {
      db,
      path,
      target,
      writer: new DocumentWriter(db),
      statements: new Map(),
      dataVersion: db.pragma('data_version', { simple: true }) as number,
    };
  }

  /** Follows a generation swap or a write made by another process since the last call. */
  private refresh(): void {
    const live = this.live;
    if (!live) return;
    if (live.target !== null) {
      let current: string | null;
      try {
        current = readlinkSync(this.linkPath);
      } catch {
        current = null;
      }
      if (current !== null && current !== live.target) {
        const path = resolve(this.dataDir, current);
        const db = new Database(path, { fileMustExist: true });
        try {
          configureConnection(db);
          this.adopt(db, path, current);
        } catch (error) {
          db.close();
          throw error;
        }
        live.db.close();
        return;
      }
    }
    const version = live.db.pragma('data_version', { simple: true }) as number;
    if (version !== live.dataVersion) {
      live.dataVersion = version;
      this.memory.load(live.db);
      this.clearCaches();
    }
  }

  private clearCaches(): void {
    this.cache.clear();
    this.frequencies.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.background;
    this.live?.db.close();
    this.live = null;
    this.clearCaches();
  }

  // ── writes ───────────────────────────────────────────────────────────────

  async upsert(documents: EngineDocument[]): Promise<void> {
    const live = await this.ready();
    const valid = documents.map((document) => {
      const result = engineDocumentSchema.safeParse(document);
      if (!result.success) {
        throw new EngineWriteError(`document ${JSON.stringify(document.id)} does not fit the document contract`, {
          cause: result.error,
        });
      }
      return result.data;
    });
    if (valid.length === 0) return;
    try {
      const written = live.db.transaction(() => {
        const rows = valid.map((document) => [live.writer.write(document), document] as const);
        setMeta(live.db, 'last_updated_at', new Date().toISOString());
        return rows;
      })();
      for (const [row, document] of written) {
        this.memory.setDocument(row, document);
        this.journal?.deletes.delete(document.id);
        this.journal?.upserts.set(document.id, document);
      }
    } catch (error) {
      throw translateError(error, 'write', 'upsert');
    } finally {
      this.clearCaches();
    }
  }

  async delete(ids: string[]): Promise<void> {
    const live = await this.ready();
    if (ids.length === 0) return;
    try {
      const removed = live.db.transaction(() => {
        const rows = ids.map((id) => live.writer.remove(id)).filter((row): row is number => row !== null);
        if (rows.length > 0) setMeta(live.db, 'last_updated_at', new Date().toISOString());
        return rows;
      })();
      for (const row of removed) this.memory.removeRow(row);
      for (const id of ids) {
        this.journal?.upserts.delete(id);
        this.journal?.deletes.add(id);
      }
    } catch (error) {
      throw translateError(error, 'write', 'delete');
    } finally {
      this.clearCaches();
    }
  }

  async replaceAll(documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>): Promise<void> {
    await this.ready();
    // Supersedes a background rebuild: these documents are the new truth.
    this.journal = null;
    await this.buildGeneration(documents);
  }

  private newGenerationName(): string {
    const random = Math.floor(Math.random() * 36 ** 4).toString(36);
    return `${this.fileName}.${Date.now().toString(36)}-p${process.pid}-${random}`;
  }

  /**
   * Writes `documents` into a new generation file, then switches the link to
   * it. Until the switch, reads are served from the current generation (the
   * build yields to the event loop between batches); if the build fails, the
   * current generation stays and the partial file is deleted.
   */
  private async buildGeneration(
    documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>,
    options: { beforeSwitch?: (writer: DocumentWriter) => void; cancelled?: () => boolean } = {},
  ): Promise<void> {
    const cancelled = (): boolean => this.closed || (options.cancelled?.() ?? false);
    const name = this.newGenerationName();
    const finalPath = join(this.dataDir, name);
    const buildPath = `${finalPath}.building`;
    const db = new Database(buildPath);
    try {
      configureBuildConnection(db);
      createSchema(db, dictionaryVersion());
      const writer = new DocumentWriter(db, { bulk: true });
      const writeBatch = db.transaction((batch: EngineDocument[]) => {
        for (const document of batch) writer.write(document);
      });
      let batch: EngineDocument[] = [];
      for await (const document of documents) {
        const result = engineDocumentSchema.safeParse(document);
        if (!result.success) {
          throw new EngineWriteError(`document ${JSON.stringify(document.id)} does not fit the document contract`, {
            cause: result.error,
          });
        }
        batch.push(result.data);
        if (batch.length >= batchSize) {
          writeBatch(batch);
          batch = [];
          await yieldToEventLoop();
          if (cancelled()) throw new EngineUnavailableError('the rebuild was cancelled');
        }
      }
      writeBatch(batch);
      // Merge FTS segments so the new index starts as fast as it can be, a
      // slice at a time: one 'optimize' of 100k articles would block every
      // reader for many seconds. A slice that changes nothing means done.
      const totalChanges = db.prepare('SELECT total_changes()').pluck();
      for (;;) {
        const before = totalChanges.get() as number;
        db.exec("INSERT INTO fts (fts, rank) VALUES ('merge', -500)");
        if ((totalChanges.get() as number) - before < 2) break;
        await yieldToEventLoop();
        if (cancelled()) throw new EngineUnavailableError('the rebuild was cancelled');
      }
      // From here to the switch nothing yields, so no write to the live index can slip between.
      const { beforeSwitch } = options;
      db.transaction(() => {
        beforeSwitch?.(writer);
        writer.finish();
      })();
      setMeta(db, 'last_updated_at', new Date().toISOString());
      db.pragma('journal_mode = WAL');
      db.close();
      fsyncPath(buildPath);
      renameSync(buildPath, finalPath);
      fsyncPath(this.dataDir);
    } catch (error) {
      if (db.open) db.close();
      for (const path of [buildPath, `${buildPath}-wal`, `${buildPath}-shm`, `${buildPath}-journal`]) {
        if (existsSync(path)) unlinkSync(path);
      }
      throw translateError(error, 'write', 'building a new index');
    }

    // Open and load the new generation before switching, so that the switch
    // itself is one synchronous step with no moment without an index.
    const next = new Database(finalPath, { fileMustExist: true });
    let previous: Live | null;
    try {
      configureConnection(next);
      const linkTmp = join(this.dataDir, `${name}.link`);
      symlinkSync(name, linkTmp);
      previous = this.live;
      this.adopt(next, finalPath, name);
      renameSync(linkTmp, this.linkPath);
      fsyncPath(this.dataDir);
    } catch (error) {
      if (this.live?.db === next) this.live = null;
      next.close();
      throw translateError(error, 'write', 'switching to the new index');
    }
    previous?.db.close();
    this.removeOldGenerations([name, previous?.target ?? null]);
  }

  /** Deletes generations other than `keep` (the new one and the one just replaced, which other processes may still read). */
  private removeOldGenerations(keep: Array<string | null>): void {
    const prefix = `${this.fileName}.`;
    for (const entry of readdirSync(this.dataDir)) {
      if (!entry.startsWith(prefix) || entry.endsWith('.building') || entry.endsWith('.link')) continue;
      const generation = entry.replace(/-(wal|shm|journal)$/u, '');
      if (keep.includes(generation)) continue;
      if (!/^[0-9a-z]+-p\d+-[0-9a-z]+$/u.test(generation.slice(prefix.length))) continue;
      try {
        unlinkSync(join(this.dataDir, entry));
      } catch {
        // Already gone (another process cleaned up): nothing to do.
      }
    }
  }

  /** Partial builds left by a process that died before finishing. */
  private removeAbandonedBuilds(): void {
    const prefix = `${this.fileName}.`;
    for (const entry of readdirSync(this.dataDir)) {
      if (!entry.startsWith(prefix)) continue;
      const match = /-p(\d+)-[0-9a-z]+\.(building|link)(-wal|-shm|-journal)?$/u.exec(entry);
      if (!match || isProcessAlive(Number(match[1]))) continue;
      try {
        unlinkSync(join(this.dataDir, entry));
      } catch {
        // Raced with another process cleaning up.
      }
    }
  }

  // ── plain reads ─────────────────────────────────────────────────────────

  private statement(live: Live, sql: string): Database.Statement {
    let statement = live.statements.get(sql);
    if (!statement) {
      statement = live.db.prepare(sql);
      live.statements.set(sql, statement);
    }
    return statement;
  }

  private async read<T>(what: string, run: (live: Live) => T): Promise<T> {
    const live = await this.ready();
    try {
      return run(live);
    } catch (error) {
      throw translateError(error, 'read', what);
    }
  }

  async get(id: string): Promise<EngineDocument | null> {
    return this.read('get', (live) => {
      const row = this.statement(live, 'SELECT title, body, json FROM docs WHERE id = ?').get(id) as
        | Pick<StoredRow, 'title' | 'body' | 'json'>
        | undefined;
      return row ? deserialiseDocument(row) : null;
    });
  }

  async duplicatesOf(id: string): Promise<string[]> {
    return this.read('duplicatesOf', (live) =>
      this.statement(live, 'SELECT id FROM docs WHERE duplicate_of = ? ORDER BY id').pluck().all(id) as string[],
    );
  }

  async contentHashes(): Promise<Map<string, string>> {
    return this.read('contentHashes', (live) => {
      const rows = this.statement(live, 'SELECT id, content_hash FROM docs').raw().all() as Array<[string, string]>;
      return new Map(rows);
    });
  }

  async dedupeFingerprints(): Promise<Map<string, string>> {
    return this.read('dedupeFingerprints', (live) => {
      const rows = this.statement(live, 'SELECT id, fingerprint FROM docs WHERE duplicate_of IS NULL')
        .raw()
        .all() as Array<[string, string]>;
      return new Map(rows);
    });
  }

  async stats(): Promise<EngineStats> {
    return this.read('stats', (live) => {
      let sizeBytes = 0;
      for (const path of [live.path, `${live.path}-wal`]) {
        try {
          sizeBytes += statSync(path).size;
        } catch {
          // No WAL file at the moment.
        }
      }
      return { documents: this.memory.size, sizeBytes, lastUpdatedAt: getMeta(live.db, 'last_updated_at') };
    });
  }

  async health(): Promise<EngineHealth> {
    try {
      const live = await this.ready();
      this.statement(live, 'SELECT count(*) FROM meta').pluck().get();
      const state = this.journal
        ? '; rebuilding for a new dictionary'
        : this.backgroundError
          ? `; rebuild for a new dictionary failed (${this.backgroundError.code}), serving the previous index`
          : '';
      return { ok: true, detail: `${this.memory.size} documents in ${basename(live.path)}${state}` };
    } catch (error) {
      const engineError = translateError(error, 'read', 'health');
      return { ok: false, detail: engineError.code };
    }
  }

  async facetValues(filters: SearchFilters): Promise<FacetCounts> {
    return this.read('facetValues', () => {
      const collected = this.memory.collect(this.memory.dateOrder('date_desc'), {
        filter: this.memory.compileFilter(filters),
        collapse: true,
        offset: 0,
        limit: 0,
        facets: true,
      });
      return collected.facets ?? this.memory.countFacets([]);
    });
  }

  private loadDocuments(live: Live, rows: readonly number[]): Map<number, EngineDocument> {
    const out = new Map<number, EngineDocument>();
    if (rows.length === 0) return out;
    const stored = this.statement(
      live,
      'SELECT doc, title, body, json FROM docs WHERE doc IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(rows)) as StoredRow[];
    for (const row of stored) out.set(row.doc, deserialiseDocument(row));
    return out;
  }

  // ── search ───────────────────────────────────────────────────────────────

  private remember<T extends MatchSet | Scored | SearchResult>(key: string, compute: () => T): T {
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place: the map's order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached as T;
    }
    const value = compute();
    if (this.cacheSize > 0) {
      this.cache.set(key, value);
      while (this.cache.size > this.cacheSize) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
    }
    return value;
  }

  /** Rows matching an FTS expression whose title+body also contain every `phrases` text contiguously. */
  private matchRows(live: Live, expression: string, phrases: readonly string[]): Int32Array {
    if (phrases.length === 0) {
      return parseRowList(
        this.statement(live, 'SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?').pluck().get(expression) as
          | string
          | null,
      );
    }
    // Quoted phrases must be contiguous in the text; FTS5 cannot promise that
    // across sub-word tokens, so the text is checked (see containsTextSql).
    const conditions = phrases.map((_, i) => containsTextSql('docs', `@p${i}`)).join(' AND ');
    const sql = `SELECT group_concat(fts.rowid) FROM fts JOIN docs ON docs.doc = fts.rowid WHERE fts MATCH @match AND ${conditions}`;
    const params: Record<string, string> = { match: expression };
    phrases.forEach((phrase, i) => (params[`p${i}`] = phrase));
    return parseRowList(this.statement(live, sql).pluck().get(params) as string | null);
  }

  /** bm25 (bigger is better) of every row matching `expression`, indexed by row. */
  private bm25Scores(live: Live, expression: string): Float64Array {
    // Scores travel as integers (thousandths) in one string; LIMIT -1 stops
    // SQLite flattening the subquery, which would put bm25() in an aggregate.
    const sql = `SELECT group_concat(r || ':' || CAST(round(-s * 1000) AS INTEGER))
                 FROM (SELECT rowid AS r, bm25(fts, ${bm25Weights.title}, ${bm25Weights.body}, ${bm25Weights.meta}) AS s
                       FROM fts WHERE fts MATCH ? LIMIT -1)`;
    return parseScores(this.statement(live, sql).pluck().get(expression) as string | null, this.memory.rowCapacity);
  }

  /**
   * Rows with every clause or, when none of those passes the filters, rows
   * with most clauses (relaxed). Relaxing only after filtering means a query
   * too specific for the chosen year or province still finds its best
   * partial matches there, while a query whose every clause matches inside
   * the filters is never diluted.
   */
  private findMatches(live: Live, plan: FtsQueryPlan, filter: RowFilter | null): MatchSet {
    const strict = plan.strict ?? '';
    const phrases = plan.phraseTexts.join('\u0001');
    const rows = this.remember(`match\u0000${strict}\u0000${phrases}`, () => ({
      rows: this.matchRows(live, strict, plan.phraseTexts),
      relaxed: false,
      clauseCounts: null,
    }));
    if (plan.relaxed === null || this.anyPasses(rows.rows, filter)) return rows;

    const partial = this.remember(`partial\u0000${strict}\u0000${phrases}`, () => {
      const counts = new Uint8Array(this.memory.rowCapacity);
      const touched: number[] = [];
      plan.clauses.forEach((clause, i) => {
        const phrase = plan.clausePhrases[i];
        for (const row of this.matchRows(live, clause, phrase ? [phrase] : [])) {
          if (row >= counts.length) continue;
          if (counts[row] === 0) touched.push(row);
          counts[row] = (counts[row] ?? 0) + 1;
        }
      });
      return { rows: Int32Array.from(touched), relaxed: true, clauseCounts: counts };
    });
    // Keep what has most clauses: half of them, lowered to the best any
    // document within the filters reaches.
    const counts = partial.clauseCounts ?? new Uint8Array(0);
    let best = 0;
    for (const row of partial.rows) {
      if (this.memory.isLive(row) && (filter === null || filter(row))) best = Math.max(best, counts[row] ?? 0);
    }
    if (best === 0) return rows;
    const threshold = Math.max(1, Math.min(best, Math.ceil(plan.clauses.length / 2)));
    return {
      rows: partial.rows.filter((row) => (counts[row] ?? 0) >= threshold),
      relaxed: true,
      clauseCounts: counts,
      threshold,
    };
  }

  private anyPasses(rows: ArrayLike<number>, filter: RowFilter | null): boolean {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      if (this.memory.isLive(row) && (filter === null || filter(row))) return true;
    }
    return false;
  }

  /**
   * Scores every matching row (in match order, unsorted): bm25 normalised to
   * the best match, clauses found in the title, the user's own wording,
   * topicality, and in relaxed mode the number of clauses matched first.
   */
  private scoreMatches(live: Live, plan: FtsQueryPlan, match: MatchSet): Scored {
    const mode = match.relaxed ? `relaxed ${match.threshold ?? 0}` : 'strict';
    return this.remember(`score\u0000${mode}\u0000${plan.strict ?? ''}\u0000${plan.phraseTexts.join('\u0001')}`, () => {
      const rows = match.rows;
      const expression = this.chooseBm25Expression(live, plan, match);
      const bm25 = expression !== null ? this.bm25Scores(live, expression) : null;
      let best = 0;
      if (bm25) for (const row of rows) best = Math.max(best, bm25[row] ?? 0);

      let original: Uint8Array | null = null;
      // A small bonus, not worth another pass over a very broad match.
      if (plan.original !== null && rows.length <= 4 * bm25RowLimit) {
        original = new Uint8Array(this.memory.rowCapacity);
        for (const row of this.matchRows(live, plan.original, plan.phraseTexts)) original[row] = 1;
      }
      const clauseCount = Math.max(1, plan.clauseForms.length);

      const scores = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i] ?? 0;
        const relevance = bm25 && best > 0 ? (bm25[row] ?? 0) / best : 0;
        const title = this.memory.titleKeyOf(row);
        let inTitle = 0;
        for (const forms of plan.clauseForms) if (forms.some((form) => title.includes(form))) inTitle++;
        let score = 1 + relevance + (titleBonus * inTitle) / clauseCount + (original?.[row] === 1 ? originalFormBonus : 0);
        score *= topicalityFactor(this.memory.topicalityOf(row));
        if (match.clauseCounts) score += relaxedClauseWeight * (match.clauseCounts[row] ?? 0);
        scores[i] = score;
      }
      return { rows, scores, exact: new Map() };
    });
  }

  /**
   * The expression to compute bm25 with: the query's selective clauses only.
   * FTS5's bm25 scans every phrase's full document list to weigh it, so one
   * frequent word (医院, 党建…) costs milliseconds however few rows match; and
   * such a word's weight is ~0 anyway. Null when nothing selective is left or
   * the rows to score would be too many (see bm25RowLimit).
   */
  private chooseBm25Expression(live: Live, plan: FtsQueryPlan, match: MatchSet): string | null {
    if (match.rows.length === 0) return null;
    const selective = Math.max(bm25RowLimit, this.memory.size / 10);
    const kept: string[] = [];
    const estimates: number[] = [];
    plan.clauseTokens.forEach((clause, i) => {
      const expression = plan.clauses[i];
      if (expression === undefined) return;
      // Documents with any alternative; an alternative of several words has at most its rarest word's.
      let estimate = 0;
      for (const tokens of clause.alternatives) {
        estimate += Math.min(
          ...tokens.map((token, j) =>
            clause.prefix && j === tokens.length - 1
              ? this.prefixFrequency(live, token.toLowerCase(), selective)
              : this.documentFrequency(live, token.toLowerCase()),
          ),
        );
      }
      if (estimate > selective) return;
      kept.push(expression);
      estimates.push(estimate);
    });
    if (kept.length === 0) return null;
    const rows = match.relaxed ? estimates.reduce((a, b) => a + b, 0) : Math.min(...estimates);
    if (rows > bm25RowLimit) return null;
    return kept.join(match.relaxed ? ' OR ' : ' AND ');
  }

  /** Which of `rows` contain the whole query as written (clauses contiguous); remembered per query. */
  private checkExactQuery(live: Live, plan: FtsQueryPlan, scored: Scored, rows: readonly number[]): void {
    if (plan.exactText === null) return;
    const unknown = rows.filter((row) => !scored.exact.has(row));
    if (unknown.length === 0) return;
    for (const row of unknown) scored.exact.set(row, false);
    const found = parseRowList(
      this.statement(
        live,
        // Verbatim only (no whitespace folding): this is a bonus, and the folded check costs ~1 ms a row.
        'SELECT group_concat(doc) FROM docs WHERE doc IN (SELECT value FROM json_each(@rows)) AND (instr(title, @text) > 0 OR instr(body, @text) > 0)',
      )
        .pluck()
        .get({ rows: JSON.stringify(unknown), text: plan.exactText }) as string | null,
    );
    for (const row of found) scored.exact.set(row, true);
  }

  /**
   * Orders representatives by relevance far enough to serve the page. The
   * best `rerankWindow` by score get the exact-query bonus (checked on their
   * text) and are re-sorted; the rest keep their score order. The order is a
   * fixed function of query, filters and data, so pages never overlap or skip.
   */
  private orderByRelevance(live: Live, plan: FtsQueryPlan, scored: Scored, collapsed: Collapsed, needed: number): number[] {
    const { reps, scores } = collapsed;
    const better = (a: number, b: number): number =>
      (scores[b] ?? 0) - (scores[a] ?? 0) || this.memory.compareIds(reps[a] ?? 0, reps[b] ?? 0);
    if (plan.exactText === null) return selectTop(reps.length, needed, better);

    const window = selectTop(reps.length, rerankWindow, better);
    this.checkExactQuery(
      live,
      plan,
      scored,
      window.map((i) => reps[i] ?? 0),
    );
    for (const i of window) {
      const row = reps[i] ?? 0;
      if (scored.exact.get(row) === true) scores[i] = (scores[i] ?? 0) + exactBonus * topicalityFactor(this.memory.topicalityOf(row));
    }
    window.sort(better);
    if (needed <= window.length) return window;
    const inWindow = new Set(window);
    const rest = selectTop(reps.length, needed, better, (i) => !inWindow.has(i));
    return [...window, ...rest.slice(0, needed - window.length)];
  }

  private matchedTerms(document: EngineDocument, terms: readonly string[]): string[] {
    const text = foldAscii(`${document.title}\n${document.body}`);
    return terms.filter((term) => term !== '' && text.includes(foldAscii(term)));
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return this.read('search', (live) => {
      // Whole answers are remembered too (until the next write): a page
      // reloaded, or the next page's facets, cost a map lookup. Callers get
      // their own result and hit objects; documents are shared, read-only.
      const key = `result\u0000${JSON.stringify([
        request.query.clauses,
        request.query.highlightTerms,
        request.filters,
        request.sort,
        request.page,
        request.pageSize,
        request.facets,
        request.collapse,
      ])}`;
      const result = this.remember(key, () => this.runSearch(live, request));
      return { ...result, hits: result.hits.map((hit) => ({ ...hit })) };
    });
  }

  private runSearch(live: Live, request: SearchRequest): SearchResult {
    const filter = this.memory.compileFilter(request.filters);
    const pageSize = Math.max(0, Math.floor(request.pageSize));
    const offset = Math.max(0, Math.floor(request.page) - 1) * pageSize;
    const dateSort: Exclude<SortOrder, 'relevance'> = request.sort === 'date_asc' ? 'date_asc' : 'date_desc';
    const byDate = (rows: ArrayLike<number>, terms: readonly string[], relaxed: boolean): SearchResult => {
      const collected = this.memory.collect(rows, {
        filter,
        collapse: request.collapse,
        offset,
        limit: pageSize,
        facets: request.facets,
      });
      const page = collected.hits.map((hit) => ({ row: hit.row, score: 0, duplicates: hit.duplicates }));
      return this.toResult(live, page, collected.total, collected.facets, terms, relaxed);
    };

    // No query: list what the filters allow, newest first.
    if (request.query.clauses.length === 0) return byDate(this.memory.dateOrder(dateSort), [], false);
    const plan = buildFtsQuery(request.query);
    if (plan.strict === null) return byDate([], [], false);
    const match = this.findMatches(live, plan, filter);
    const terms = request.query.highlightTerms;
    if (request.sort !== 'relevance') return byDate(this.memory.orderByDate(match.rows, dateSort), terms, match.relaxed);

    const scored = this.scoreMatches(live, plan, match);
    const collapsed = this.memory.collapseScored(scored.rows, scored.scores, filter, request.collapse);
    const facets = request.facets ? this.memory.countFacets(collapsed.reps) : null;
    const order = this.orderByRelevance(live, plan, scored, collapsed, offset + pageSize);
    const page = order.slice(offset, offset + pageSize).map((i) => {
      const row = collapsed.reps[i] ?? 0;
      return { row, score: collapsed.scores[i] ?? 0, duplicates: collapsed.folded.get(row) ?? [] };
    });
    return this.toResult(live, page, collapsed.reps.length, facets, terms, match.relaxed);
  }

  private toResult(
    live: Live,
    page: ReadonlyArray<{ row: number; score: number; duplicates: number[] }>,
    total: number,
    facets: FacetCounts | null,
    terms: readonly string[],
    relaxed: boolean,
  ): SearchResult {
    const documents = this.loadDocuments(
      live,
      page.map((hit) => hit.row),
    );
    const hits: SearchHit[] = [];
    for (const hit of page) {
      const document = documents.get(hit.row);
      if (!document) continue;
      hits.push({
        document,
        score: hit.score,
        matchedTerms: this.matchedTerms(document, terms),
        duplicates: hit.duplicates.map((row) => this.memory.idOf(row)),
      });
    }
    return { hits, total, relaxed, facets };
  }

  // ── related ──────────────────────────────────────────────────────────────

  /**
   * Documents containing `token` (approximate after deletes, which is all
   * ranking needs). fts5vocab counts by reading the token's whole document
   * list, so answers are remembered until the next write.
   */
  private documentFrequency(live: Live, token: string): number {
    const key = `=${token}`;
    if (this.frequencies.size > 50_000) this.frequencies.clear();
    let frequency = this.frequencies.get(key);
    if (frequency === undefined) {
      frequency =
        (this.statement(live, 'SELECT doc FROM temp.fts_vocab WHERE term = ?').pluck().get(token) as number | undefined) ?? 0;
      this.frequencies.set(key, frequency);
    }
    return frequency;
  }

  /**
   * An upper bound of the documents with a word starting with `prefix`, or
   * Infinity when the prefix is short or common enough that counting would
   * cost more than it saves.
   */
  private prefixFrequency(live: Live, prefix: string, enough: number): number {
    if ([...prefix].length < 2 || this.documentFrequency(live, prefix) > enough) return Infinity;
    const key = `*${prefix}`;
    let frequency = this.frequencies.get(key);
    if (frequency === undefined) {
      const row = this.statement(
        live,
        'SELECT count(*) AS terms, coalesce(sum(doc), 0) AS docs FROM (SELECT doc FROM temp.fts_vocab WHERE term >= ? AND term < ? LIMIT 17)',
      ).get(prefix, `${prefix}\u{10FFFF}`) as { terms: number; docs: number };
      frequency = row.terms > 16 ? Infinity : row.docs;
      this.frequencies.set(key, frequency);
    }
    return frequency;
  }

  /**
   * The keywords worth searching for, rarest first: a keyword in most
   * documents says nothing about relatedness (and bm25 gives it no weight)
   * but makes the candidate set the whole index. Rarer keywords are added
   * until the candidates would exceed what bm25 can score quickly.
   */
  private chooseDistinctiveKeywords(live: Live, keywords: readonly string[]): QueryAlternative[] {
    const common = Math.max(1, this.memory.size / 2);
    const rated = keywords
      .map((text) => {
        const tokens = segmentWords(text);
        const frequency = Math.min(...tokens.map((t) => this.documentFrequency(live, t.toLowerCase())));
        return { alternative: { text, tokens }, frequency };
      })
      .filter((k) => k.alternative.tokens.length > 0 && k.frequency > 0)
      .sort((a, b) => a.frequency - b.frequency);
    const chosen: QueryAlternative[] = [];
    let candidates = 0;
    for (const keyword of rated) {
      if (chosen.length > 0 && (keyword.frequency > common || candidates + keyword.frequency > bm25RowLimit)) break;
      chosen.push(keyword.alternative);
      candidates += keyword.frequency;
    }
    return chosen;
  }

  async related(request: RelatedRequest): Promise<RelatedHit[]> {
    return this.read('related', (live) => {
      const source = this.memory.rowOf(request.id);
      if (source === undefined) throw new DocumentNotFoundError(request.id);
      const sourceDocument = this.loadDocuments(live, [source]).get(source);
      if (!sourceDocument || request.limit <= 0) return [];

      let keywords = sourceDocument.keywords.map((k) => k.trim()).filter((k) => k !== '');
      if (keywords.length === 0) keywords = segmentWords(sourceDocument.title).filter((w) => w.length >= 2);
      keywords = [...new Set(keywords)].slice(0, relatedKeywordLimit);
      const query = this.chooseDistinctiveKeywords(live, keywords);
      const expression = buildKeywordQuery(query);
      if (expression === null) return [];

      const rows = this.matchRows(live, expression, []);
      const bm25 = this.bm25Scores(live, expression);
      let best = 0;
      for (const row of rows) best = Math.max(best, bm25[row] ?? 0);
      const filter: RowFilter | null = this.memory.compileFilter(request.filters);
      const sourceGroup = this.memory.groupOf(source);
      const candidates: number[] = [];
      const scores: number[] = [];
      for (const row of rows) {
        if (this.memory.groupOf(row) === sourceGroup) continue;
        // Same hospital counts most; same province or award type a little.
        const boost =
          1 +
          (this.memory.sharesFacet('hospital', source, row) ? 0.5 : 0) +
          (this.memory.sharesFacet('province', source, row) ? 0.25 : 0) +
          (this.memory.sharesFacet('awardType', source, row) ? 0.25 : 0);
        const relevance = (best > 0 ? (bm25[row] ?? 0) / best : 0) + 0.1;
        candidates.push(row);
        scores.push(relevance * boost * topicalityFactor(this.memory.topicalityOf(row)));
      }
      const collapsed = this.memory.collapseScored(candidates, scores, filter, true);
      // A few spare hits, in case one shares no keyword in its text (matched through a sub-word only).
      const order = selectTop(
        collapsed.reps.length,
        request.limit * 2,
        (a, b) =>
          (collapsed.scores[b] ?? 0) - (collapsed.scores[a] ?? 0) ||
          this.memory.compareIds(collapsed.reps[a] ?? 0, collapsed.reps[b] ?? 0),
      );
      const hits = order.map((i) => ({
        row: collapsed.reps[i] ?? 0,
        score: collapsed.scores[i] ?? 0,
        duplicates: collapsed.folded.get(collapsed.reps[i] ?? 0) ?? [],
      }));
      const documents = this.loadDocuments(
        live,
        hits.map((h) => h.row),
      );
      const out: RelatedHit[] = [];
      for (const hit of hits) {
        const document = documents.get(hit.row);
        if (!document) continue;
        const sharedKeywords = this.matchedTerms(document, keywords);
        if (sharedKeywords.length === 0) continue;
        out.push({
          document,
          score: hit.score,
          matchedTerms: sharedKeywords,
          duplicates: hit.duplicates.map((row) => this.memory.idOf(row)),
          sharedKeywords,
        });
        if (out.length >= request.limit) break;
      }
      return out;
    });
  }

  // ── suggest ──────────────────────────────────────────────────────────────

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    return this.read('suggest', (live) => {
      const input = parseSuggestInput(request.prefix);
      const limit = Math.max(0, Math.floor(request.limit));
      if (input === null || limit === 0) return [];
      const filter = this.memory.compileFilter(request.filters);
      const allowedHospitals = filter ? this.memory.facetValuesOf('hospital', this.memory.rowsMatching(filter)) : null;

      type Entry = { text: string; doc: number | null; canonical: string | null; weight: number };
      const lookup = (kind: Suggestion['kind'], scanLimit: number): Entry[] => {
        const found = new Map<string, Entry>();
        const ranges: Array<['text' | 'pinyin_full' | 'pinyin_initials', string]> = [['text', input.text]];
        if (input.pinyin !== null && input.pinyin.length > 0) {
          ranges.push(['pinyin_full', input.pinyin], ['pinyin_initials', input.pinyin]);
        }
        for (const [column, prefix] of ranges) {
          // A range on the index, so the prefix is data: no LIKE pattern to escape.
          const rows = this.statement(
            live,
            `SELECT text, doc, canonical, weight FROM suggest
             WHERE kind = ? AND ${column} >= ? AND ${column} < ? ORDER BY ${column} LIMIT ?`,
          ).all(kind, prefix, `${prefix}\u{10FFFF}`, scanLimit) as Entry[];
          for (const row of rows) {
            const key = row.doc === null ? row.text : `${row.doc}`;
            if (!found.has(key)) found.set(key, row);
          }
        }
        return [...found.values()].sort(
          (a, b) => b.weight - a.weight || a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
        );
      };

      const hospitals = lookup('hospital', 1000).filter(
        (e) => allowedHospitals === null || (e.canonical !== null && allowedHospitals.has(e.canonical)),
      );
      const terms = lookup('term', 1000);
      const titles = lookup('title', 500).filter((e) => e.doc !== null && this.memory.isLive(e.doc) && (filter === null || filter(e.doc)));

      // Hospitals first (few, specific), then terms, then titles; each kind
      // has a quota so that no kind crowds the others out, then leftovers fill.
      const quotas: Array<[Suggestion['kind'], Entry[], number]> = [
        ['hospital', hospitals, Math.max(1, Math.ceil(limit / 4))],
        ['term', terms, Math.max(1, Math.ceil(limit / 2))],
        ['title', titles, limit],
      ];
      const out: Suggestion[] = [];
      const seen = new Set<string>();
      const take = (kind: Suggestion['kind'], entry: Entry): void => {
        if (out.length >= limit || seen.has(entry.text)) return;
        seen.add(entry.text);
        const suggestion: Suggestion = { text: entry.text, kind };
        if (kind === 'title' && entry.doc !== null) suggestion.id = this.memory.idOf(entry.doc);
        out.push(suggestion);
      };
      for (const [kind, entries, quota] of quotas) for (const entry of entries.slice(0, quota)) take(kind, entry);
      for (const [kind, entries] of quotas) for (const entry of entries) take(kind, entry);
      return out;
    });
  }
}

/** Where the index currently lives: the generation file the link points to, or null (for tests and tools such as backups). */
export function currentGenerationPath(dataDir: string, fileName = 'search.sqlite'): string | null {
  const link = join(resolve(dataDir), fileName);
  try {
    const stats = lstatSync(link);
    return stats.isSymbolicLink() ? resolve(dirname(link), readlinkSync(link)) : link;
  } catch {
    return null;
  }
}
