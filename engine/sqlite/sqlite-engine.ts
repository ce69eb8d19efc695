/**
 * The embedded search engine: SQLite FTS5 through better-sqlite3, one file
 * under DATA_DIR, no server. This class is the port; each job lives in its
 * own module:
 *
 * - index-lifecycle.ts: open, layout and dictionary migrations, rebuilds and
 *   the generation swap (generations.ts: the files), following other processes;
 * - document-writer.ts: the rows of one document, written together;
 * - search.ts: query execution; related.ts; suggest.ts;
 * - memory-index.ts: the in-memory columns filters, facets and collapsing run on;
 * - answer-cache.ts: what reads remember until the next write;
 * - read-pool.ts, read-worker.ts: reads on worker threads, each a follower
 *   of this thread's writes.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { engineDocumentSchema, type EngineDocument } from '../document.js';
import { EngineWriteError } from '../errors.js';
import type {
  EngineHealth,
  EngineStats,
  FacetCounts,
  GetOptions,
  RelatedHit,
  RelatedRequest,
  SearchEngine,
  SearchFilters,
  SearchRequest,
  SearchResult,
  SuggestRequest,
  Suggestion,
  VocabularyEntry,
} from '../port.js';
import { deserialiseDocument, pageColumns, storedColumns, type StoredRow } from './document-writer.js';
import { decodeFingerprint } from './stored-text.js';
import { wholeDocument } from './resegment.js';
import { IndexLifecycle, type LiveIndex, type WriteNotice } from './index-lifecycle.js';
import { memoryRowOf, type MemoryRow } from './memory-index.js';
import { ReadPool, type ReadCalls, type ReadOp } from './read-pool.js';
import { statement, type ReadContext } from './read-context.js';
import { findRelated } from './related.js';
import { bumpWriteSeq, getMeta, setMeta } from './schema.js';
import { search } from './search.js';
import { lookUpVocabulary, suggest } from './suggest.js';
import { translateError } from './sqlite-errors.js';

export { currentGenerationPath } from './generations.js';

export interface SqliteEngineConfig {
  /** Directory holding the index files (DATA_DIR). Created if missing. */
  dataDir: string;
  /** Name of the index link inside dataDir. */
  fileName?: string;
  /** Entries (match sets, scores, whole answers) kept until the next write; 0 disables (for cold benchmarks). */
  resultCacheSize?: number;
  /**
   * Worker threads answering search, related, suggest and facet reads, each
   * with its own read-only connection (SEARCH_READ_WORKERS). 0 (the default)
   * reads on the calling thread.
   */
  readWorkers?: number;
  /** Open read-only and follow a writer's notices (what a read worker does). */
  follower?: boolean;
  /**
   * The rows a word must be listed in to be held as a bitset (term-sets.ts).
   * Absent: 2,000 rows and 1/32 of the index, where a bitset is smaller
   * than the row list. Tests set 1 so that every word takes that path.
   */
  termSetMinRows?: number;
}

export class SqliteEngine implements SearchEngine {
  readonly name = 'sqlite' as const;
  private readonly index: IndexLifecycle;
  private readonly pool: ReadPool | null;

  constructor(config: SqliteEngineConfig) {
    const fileName = config.fileName ?? 'search.sqlite';
    if (basename(fileName) !== fileName) throw new TypeError('fileName must be a plain file name');
    const resultCacheSize = config.resultCacheSize ?? 256;
    const follower = config.follower === true;
    const termSets = config.termSetMinRows !== undefined ? { termSetMinRows: config.termSetMinRows } : {};
    const workers = follower ? 0 : Math.max(0, Math.floor(config.readWorkers ?? 0));
    this.index = new IndexLifecycle({ dataDir: config.dataDir, fileName }, resultCacheSize, {
      follower,
      columnsOnDemand: workers > 0,
      ...termSets,
    });
    this.pool = workers > 0 ? new ReadPool(workers, { dataDir: this.index.dataDir, fileName, resultCacheSize, ...termSets }) : null;
  }

  async init(): Promise<void> {
    await this.index.ready();
    // Workers open the index the writer has just migrated. The engine is ready once one has (or
    // could not, and this thread reads): reads made before would load this thread's columns too.
    this.pool?.start();
    await this.pool?.whenStarted();
  }

  /**
   * Whether this thread holds the in-memory columns. Beside read workers it
   * does not, unless it had to search itself (no worker could open).
   */
  get holdsColumns(): boolean {
    return this.index.holdsColumns;
  }

  /** Read workers that have opened the index (0 without a pool). */
  get readWorkersReady(): number {
    return this.pool?.readyWorkers ?? 0;
  }

  /** Follower: a write the writer committed (see read-pool.ts). */
  applyNotice(notice: WriteNotice): void {
    this.index.applyNotice(notice);
  }

  /** Follower: saves the columns the notices built, when the saved copy is older (see read-pool.ts). */
  saveFollowedColumns(): boolean {
    return this.index.saveFollowedColumns();
  }

  /** Resolves when background work (a rebuild after a dictionary change) has finished. */
  async waitForBackgroundWork(): Promise<void> {
    await this.index.waitForBackgroundWork();
  }

  async close(): Promise<void> {
    await this.pool?.close();
    await this.index.close();
  }

  // ── writes ───────────────────────────────────────────────────────────────

  async upsert(documents: EngineDocument[]): Promise<void> {
    const live = await this.index.ready();
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
      const { rows: written, seq } = live.db.transaction(() => {
        const rows = valid.map((document) => [live.writer.write(document), document] as const);
        setMeta(live.db, 'last_updated_at', new Date().toISOString());
        return { rows, seq: bumpWriteSeq(live.db) };
      })();
      // One MemoryRow per document, for this thread's columns and the read workers' alike.
      const upserts = written.map(([row, document]): [number, MemoryRow] => [row, memoryRowOf(document)]);
      if (this.index.holdsColumns) for (const [row, memoryRow] of upserts) this.index.memory.setRow(row, memoryRow);
      for (const [, document] of written) this.index.journalUpsert(document);
      this.pool?.notify({ seq, upserts, removes: [] });
    } catch (error) {
      throw translateError(error, 'write', 'upsert');
    } finally {
      this.index.clearCaches();
    }
  }

  async delete(ids: string[]): Promise<void> {
    const live = await this.index.ready();
    if (ids.length === 0) return;
    try {
      const { rows: removed, seq } = live.db.transaction(() => {
        const rows = ids.map((id) => live.writer.remove(id)).filter((row): row is number => row !== null);
        if (rows.length === 0) return { rows, seq: null };
        setMeta(live.db, 'last_updated_at', new Date().toISOString());
        return { rows, seq: bumpWriteSeq(live.db) };
      })();
      if (this.index.holdsColumns) for (const row of removed) this.index.memory.removeRow(row);
      if (seq !== null) this.pool?.notify({ seq, upserts: [], removes: removed });
      for (const id of ids) this.index.journalDelete(id);
    } catch (error) {
      throw translateError(error, 'write', 'delete');
    } finally {
      this.index.clearCaches();
    }
  }

  async replaceAll(documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>): Promise<void> {
    await this.index.replaceAll(documents);
  }

  // ── reads ────────────────────────────────────────────────────────────────

  /** On a read worker when one is ready, else on this thread. */
  private async pooled<Op extends ReadOp, T>(op: Op, args: ReadCalls[Op], run: (ctx: ReadContext) => T): Promise<T> {
    const answer = this.pool?.run(op, args);
    if (answer) return (await answer) as T;
    return this.read(op, run);
  }

  private async read<T>(what: string, run: (ctx: ReadContext) => T): Promise<T> {
    const ctx = await this.index.context();
    try {
      return run(ctx);
    } catch (error) {
      throw translateError(error, 'read', what);
    }
  }

  /** A read of the tables alone, which never needs this thread's columns. */
  private async readTables<T>(what: string, run: (ctx: { connection: LiveIndex }) => T): Promise<T> {
    const connection = await this.index.ready();
    try {
      return run({ connection });
    } catch (error) {
      throw translateError(error, 'read', what);
    }
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return this.pooled('search', request, (ctx) => search(ctx, request));
  }

  async related(request: RelatedRequest): Promise<RelatedHit[]> {
    return this.pooled('related', request, (ctx) => findRelated(ctx, request));
  }

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    return this.pooled('suggest', request, (ctx) => suggest(ctx, request));
  }

  async vocabulary(keys: readonly string[]): Promise<VocabularyEntry[]> {
    if (keys.length === 0) return [];
    return this.readTables('vocabulary', (ctx) => lookUpVocabulary(ctx, keys));
  }

  async facetValues(filters: SearchFilters): Promise<FacetCounts> {
    return this.pooled('facetValues', filters, ({ memory }) => {
      const collected = memory.collect(memory.dateOrder('date_desc'), {
        filter: memory.compileFilter(filters),
        collapse: true,
        offset: 0,
        limit: 0,
        facets: true,
      });
      return collected.facets ?? memory.countFacets([]);
    });
  }

  async get(id: string, options: GetOptions = {}): Promise<EngineDocument | null> {
    return this.readTables('get', (ctx) => {
      if (options.engineFields === false) {
        const row = statement(ctx, `SELECT ${pageColumns} FROM docs WHERE id = ?`).get(id) as StoredRow | undefined;
        return row ? deserialiseDocument(row) : null;
      }
      const row = statement(ctx, `SELECT ${storedColumns} FROM docs WHERE id = ?`).get(id) as StoredRow | undefined;
      return row ? wholeDocument(row) : null;
    });
  }

  async duplicatesOf(id: string): Promise<string[]> {
    return this.readTables('duplicatesOf', (ctx) =>
      statement(ctx, 'SELECT id FROM docs WHERE duplicate_of = ? ORDER BY id').pluck().all(id) as string[],
    );
  }

  // Both listings cover every article (100k rows at the start-up sync): one JSON
  // string built by SQLite and parsed at once costs about half of handing over
  // each row as its own array (110 against 160–230 ms at 100k), and any id survives it.

  async contentHashes(): Promise<Map<string, string>> {
    return this.readTables('contentHashes', (ctx) => pairsOf(statement(ctx, 'SELECT json_group_array(json_array(id, content_hash)) FROM docs')));
  }

  async dedupeFingerprints(): Promise<Map<string, string>> {
    return this.readTables('dedupeFingerprints', (ctx) => {
      // JSON holds no BLOB: a packed fingerprint travels as hex, beside (never instead of) a text one.
      const listed = statement(
        ctx,
        `SELECT json_group_array(json_array(id, CASE WHEN typeof(fingerprint) = 'blob' THEN hex(fingerprint) END,
                                            CASE WHEN typeof(fingerprint) = 'blob' THEN NULL ELSE fingerprint END))
         FROM docs WHERE duplicate_of IS NULL`,
      )
        .pluck()
        .get() as string;
      const out = new Map<string, string>();
      for (const [id, packed, text] of JSON.parse(listed) as Array<[string, string | null, string | null]>) {
        out.set(id, packed !== null ? decodeFingerprint(Buffer.from(packed, 'hex')) : (text ?? ''));
      }
      return out;
    });
  }

  async stats(): Promise<EngineStats> {
    return this.readTables('stats', ({ connection }) => {
      let sizeBytes = 0;
      for (const path of [connection.path, `${connection.path}-wal`]) {
        try {
          sizeBytes += statSync(path).size;
        } catch {
          // No WAL file at the moment.
        }
      }
      return { documents: countDocuments({ connection }), sizeBytes, lastUpdatedAt: getMeta(connection.db, 'last_updated_at') };
    });
  }

  async health(): Promise<EngineHealth> {
    try {
      const connection = await this.index.ready();
      // A read of the file itself, whether or not this thread holds the columns.
      const documents = countDocuments({ connection });
      const failed = this.index.backgroundError;
      const state = this.index.rebuilding
        ? '; rebuilding for a new dictionary'
        : failed
          ? `; rebuild for a new dictionary failed (${failed.code}), serving the previous index`
          : '';
      return { ok: true, detail: `${documents} documents in ${basename(connection.path)}${state}` };
    } catch (error) {
      const engineError = translateError(error, 'read', 'health');
      return { ok: false, detail: engineError.code };
    }
  }
}

/** Stored documents, counted over the id index (0.1 ms at 100k): the columns may be on the read workers alone. */
function countDocuments(ctx: Pick<ReadContext, 'connection'>): number {
  return statement(ctx, 'SELECT count(*) FROM docs').pluck().get() as number;
}

/** The [key, value] pairs of a `json_group_array(json_array(…))` statement, as a map. */
function pairsOf(query: ReturnType<typeof statement>): Map<string, string> {
  return new Map(JSON.parse(query.pluck().get() as string) as Array<[string, string]>);
}
