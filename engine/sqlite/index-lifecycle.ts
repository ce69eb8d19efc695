/**
 * The index's life: opening the current generation (or creating the first
 * one), deciding at open whether an older layout or dictionary needs a
 * rebuild, building a new generation and switching to it, following a swap
 * or a write made by another process, and closing.
 *
 * A rebuild for a new dictionary runs in the background while the old
 * generation serves; writes made meanwhile are journaled and replayed into
 * the new generation just before the switch, so none is lost.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { dictionaryVersion } from '../analysis/segment.js';
import type { EngineDocument } from '../document.js';
import { EngineUnavailableError, IndexSchemaError, type EngineError } from '../errors.js';
import { AnswerCache } from './answer-cache.js';
import { readSnapshot, snapshotMatches, stampOf, writeSeqOfStamp, writeSnapshot } from './column-snapshot.js';
import { DocumentWriter } from './document-writer.js';
import {
  linkPathOf,
  newGenerationName,
  readLinkName,
  readTarget,
  removeAbandonedBuilds,
  removeOldGenerations,
  switchLink,
  writeGeneration,
  type GenerationFiles,
} from './generations.js';
import { MemoryIndex, type MemoryRow } from './memory-index.js';
import { termProbe } from './term-sets.js';
import { closingWarmupLimits, warmTermSets } from './term-warmup.js';
import { statement, type Connection, type ReadContext } from './read-context.js';
import { readStoredDocuments } from './resegment.js';
import {
  canReadStoredDocuments,
  configureConnection,
  configureReadConnection,
  addMissingIndexes,
  createSchema,
  getMeta,
  isEmptyDatabase,
  readStoredVersions,
  schemaVersion,
  writeSeqKey,
} from './schema.js';
import { translateError } from './sqlite-errors.js';
import { registerTextFunctions } from './stored-text.js';

export interface LiveIndex extends Connection {
  writer: DocumentWriter;
}

/** Writes committed by the writer thread, applied by a follower to its own in-memory columns. */
export interface WriteNotice {
  /** The index's write sequence number after the write (meta `write_seq`). */
  seq: string;
  upserts: Array<[number, MemoryRow]>;
  removes: number[];
}

export interface LifecycleOptions {
  /** The rows a word must be listed in to get a bitset (term-sets.ts); absent, a share of the index. */
  termSetMinRows?: number;
  /**
   * Read only, for a read worker beside the process's writer: opens whatever
   * generation is current (the writer migrates and rebuilds), never writes,
   * and learns of the writer's writes from notices rather than by reloading.
   */
  follower?: boolean;
  /**
   * The writer beside read workers: it reads little itself (health, stats,
   * the article page), so it opens without loading the in-memory columns
   * when the copy saved beside the index is current, and loads them only if
   * it must search itself (no worker ready). Its writes reach the workers as
   * notices, and a worker saves the columns they produce (read-worker.ts).
   * At 100k articles the columns and what they bring take ~100 MB a thread.
   */
  columnsOnDemand?: boolean;
}

/** Writes made while a rebuild runs, replayed into the new generation. */
interface Journal {
  upserts: Map<string, EngineDocument>;
  deletes: Set<string>;
}

export class IndexLifecycle {
  readonly memory: MemoryIndex;
  readonly cache: AnswerCache;
  private readonly files: GenerationFiles;
  private readonly linkPath: string;
  private live: LiveIndex | null = null;
  private opening: Promise<void> | null = null;
  /** A rebuild running beside the live index, and where its concurrent writes go. */
  private background: Promise<void> | null = null;
  private backgroundErrorValue: EngineError | null = null;
  private journal: Journal | null = null;
  private closed = false;
  private readonly follower: boolean;
  /** Follower: the write sequence its columns are known to reflect (through notices, or the saved copy they came from). */
  private noticedSeq: string | null = null;
  /** The stamp of the columns saved beside the open generation, when they match memory. */
  private savedStamp: string | null = null;
  private readonly columnsOnDemand: boolean;
  /** Whether `memory` holds the open generation's columns (always, unless columnsOnDemand). */
  private columnsLoaded = false;

  constructor(files: GenerationFiles, cacheSize: number, options: LifecycleOptions = {}) {
    this.files = { dataDir: resolve(files.dataDir), fileName: files.fileName };
    this.linkPath = linkPathOf(this.files);
    this.cache = new AnswerCache(cacheSize);
    this.follower = options.follower === true;
    this.columnsOnDemand = options.columnsOnDemand === true && !this.follower;
    this.memory = new MemoryIndex(options.termSetMinRows !== undefined ? { termSetMinRows: options.termSetMinRows } : {});
  }

  get dataDir(): string {
    return this.files.dataDir;
  }

  /** True while a background rebuild for a new dictionary runs. */
  get rebuilding(): boolean {
    return this.journal !== null;
  }

  get backgroundError(): EngineError | null {
    return this.backgroundErrorValue;
  }

  /** The open index, opened on first use and refreshed to the current generation and data. */
  async ready(): Promise<LiveIndex> {
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

  /** A read context on the open index, its columns loaded. */
  async context(): Promise<ReadContext> {
    const connection = await this.ready();
    if (!this.columnsLoaded) {
      try {
        this.loadMemory(connection.db, connection.path, true);
      } catch (error) {
        throw translateError(error, 'open', 'loading the in-memory columns');
      }
    }
    return { connection, memory: this.memory, cache: this.cache };
  }

  /** Whether the columns are held on this thread (writes then update them too). */
  get holdsColumns(): boolean {
    return this.columnsLoaded;
  }

  private async open(): Promise<void> {
    mkdirSync(this.files.dataDir, { recursive: true });
    if (this.follower) {
      const target = readTarget(this.files);
      if (target === null) throw new EngineUnavailableError(`no index at ${this.linkPath} to read`);
      this.adopt(this.openReader(target.path), target.path, target.name);
      return;
    }
    removeAbandonedBuilds(this.files);
    const target = readTarget(this.files);
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
      if (stored.schemaVersion === schemaVersion) addMissingIndexes(db);
      if (stored.schemaVersion === schemaVersion && stored.dictionaryVersion === currentDictionary) {
        this.adopt(db, target.path, target.name);
        return;
      }
      if (stored.schemaVersion !== null && stored.schemaVersion > schemaVersion) {
        throw new IndexSchemaError(`${target.path} has index layout ${stored.schemaVersion}, newer than this code's ${schemaVersion}`);
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
      // this code cannot read the old layout.
      const resegmentAll = stored.dictionaryVersion !== currentDictionary;
      await this.buildGeneration(readStoredDocuments(db, resegmentAll));
    } finally {
      if (this.live?.db !== db) db.close();
    }
  }

  private openReader(path: string): Database.Database {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      configureReadConnection(db);
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }

  /** Follower: applies a write the writer committed, so the next read needs no reload. */
  applyNotice(notice: WriteNotice): void {
    if (!this.live) return;
    for (const [row, doc] of notice.upserts) this.memory.setRow(row, doc);
    for (const row of notice.removes) this.memory.removeRow(row);
    this.noticedSeq = notice.seq;
    this.cache.clear();
  }

  private startResegmenting(path: string): void {
    const journal: Journal = { upserts: new Map(), deletes: new Set() };
    this.journal = journal;
    this.backgroundErrorValue = null;
    this.background = (async () => {
      const reader = new Database(path, { readonly: true, fileMustExist: true });
      try {
        await this.buildGeneration(readStoredDocuments(reader, true), {
          beforeSwitch: (writer) => {
            for (const id of journal.deletes) writer.remove(id);
            for (const document of journal.upserts.values()) writer.write(document);
          },
          // A replaceAll started meanwhile makes this rebuild pointless.
          cancelled: () => this.journal !== journal,
        });
      } catch (error) {
        if (!this.closed && this.journal === journal) {
          this.backgroundErrorValue = translateError(error, 'write', 'rebuilding the index');
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

  /** Records committed writes, for a background rebuild to replay. */
  journalUpsert(document: EngineDocument): void {
    this.journal?.deletes.delete(document.id);
    this.journal?.upserts.set(document.id, document);
  }

  journalDelete(id: string): void {
    this.journal?.upserts.delete(id);
    this.journal?.deletes.add(id);
  }

  private adopt(db: Database.Database, path: string, target: string | null): void {
    // Per-connection view of the FTS vocabulary, for document frequencies.
    db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_vocab USING fts5vocab(main, fts, 'row')");
    registerTextFunctions(db);
    this.memory.useTokenizer(termProbe(db));
    this.adoptColumns(db, path);
    this.cache.clear();
    const live = { db, path, target, writer: new DocumentWriter(db), statements: new Map<string, Database.Statement>(), dataVersion: 0 };
    live.dataVersion = dataVersionOf(live);
    this.live = live;
  }

  /** Follows a generation swap or a write made by another process since the last call. */
  private refresh(): void {
    const live = this.live;
    if (!live) return;
    if (live.target !== null) {
      const current = readLinkName(this.files);
      if (current !== null && current !== live.target) {
        const path = resolve(this.files.dataDir, current);
        const db = this.follower ? this.openReader(path) : new Database(path, { fileMustExist: true });
        try {
          if (!this.follower) configureConnection(db);
          this.adopt(db, path, current);
        } catch (error) {
          db.close();
          throw error;
        }
        live.db.close();
        return;
      }
    }
    const version = dataVersionOf(live);
    if (version !== live.dataVersion) {
      live.dataVersion = version;
      // A follower already holds what the writer's notices carried; anything
      // else (another process wrote) means loading the columns again.
      if (this.follower && this.noticedSeq !== null && getMeta(live.db, writeSeqKey) === this.noticedSeq) return;
      if (this.columnsLoaded) this.loadMemory(live.db, live.path);
      else this.savedStamp = null;
      this.cache.clear();
    }
  }

  /**
   * The writer beside read workers keeps no columns when the saved copy is
   * current; when it is not, the columns are loaded (from SQL), saved for the
   * workers and the next start, and let go again.
   */
  private adoptColumns(db: Database.Database, path: string): void {
    if (!this.columnsOnDemand) {
      this.loadMemory(db, path, true);
      return;
    }
    const stamp = stampOf(db);
    if (!snapshotMatches(path, stamp)) {
      this.loadMemory(db, path, true);
      if (this.savedStamp !== stamp) return;
    }
    this.memory.clear();
    this.columnsLoaded = false;
    this.savedStamp = stamp;
  }

  /**
   * The columns from the copy saved beside the index when it matches, else
   * from SQL (and saved, by the writer). `warm`: the writer opening a
   * generation also lists its frequent keywords (term-warmup.ts), not when
   * following another process's write.
   */
  private loadMemory(db: Database.Database, path: string, warm = false): void {
    const stamp = stampOf(db);
    const saved = readSnapshot(path, stamp);
    this.columnsLoaded = true;
    if (saved) {
      this.memory.loadColumns(saved);
      this.savedStamp = stamp;
      this.noticedSeq = writeSeqOfStamp(stamp);
      return;
    }
    // Read from the tables outside one transaction: a write committed meanwhile may be in them or not.
    this.noticedSeq = null;
    this.memory.load(db);
    if (warm && !this.follower) warmTermSets(db, this.memory);
    this.savedStamp = !this.follower && writeSnapshot(path, stamp, this.memory.toColumns()) ? stamp : null;
  }

  /**
   * A follower saves its columns when the index's stamp shows they hold every
   * committed write (the notices brought them) and the saved copy is older:
   * the writer beside it may hold none. False when there was nothing to do.
   */
  saveFollowedColumns(): boolean {
    const live = this.live;
    if (!live || !this.follower || !this.columnsLoaded) return false;
    try {
      this.refresh();
      // The stamp as of one moment: the writer on the other thread may commit at any time.
      const stamp = live.db.transaction(() => stampOf(live.db))();
      if (this.noticedSeq === null || writeSeqOfStamp(stamp) !== this.noticedSeq) return false;
      if (stamp === this.savedStamp || snapshotMatches(live.path, stamp)) return false;
      if (writeSnapshot(live.path, stamp, this.memory.toColumns())) this.savedStamp = stamp;
      return this.savedStamp === stamp;
    } catch {
      return false;
    }
  }

  /**
   * The writer saves the columns on close when writes changed them, so the
   * next open reads one file. A generation filled by writes (the indexer
   * writing a new index, which opens empty) was never loaded from SQL, so
   * never warmed: holding no word yet, it lists its frequent keywords first.
   */
  private saveMemory(): void {
    const live = this.live;
    if (!live || this.follower || !this.columnsLoaded) return;
    try {
      const stamp = stampOf(live.db);
      if (stamp === this.savedStamp) return;
      if (this.memory.heldTermSets === 0) warmTermSets(live.db, this.memory, closingWarmupLimits);
      if (writeSnapshot(live.path, stamp, this.memory.toColumns())) this.savedStamp = stamp;
    } catch {
      // Only a faster next open is lost.
    }
  }

  /** A complete new index from `documents`, superseding any background rebuild. */
  async replaceAll(documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>): Promise<void> {
    await this.ready();
    this.journal = null;
    await this.buildGeneration(documents);
  }

  /**
   * Writes `documents` into a new generation, then switches to it. Until the
   * switch, reads are served from the current generation; if the build
   * fails, the current generation stays.
   */
  private async buildGeneration(
    documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>,
    options: { beforeSwitch?: (writer: DocumentWriter) => void; cancelled?: () => boolean } = {},
  ): Promise<void> {
    const name = newGenerationName(this.files);
    const buildOptions: Parameters<typeof writeGeneration>[3] = {
      cancelled: () => this.closed || (options.cancelled?.() ?? false),
    };
    if (options.beforeSwitch) buildOptions.beforeSwitch = options.beforeSwitch;
    const finalPath = await writeGeneration(this.files, name, documents, buildOptions);

    // Open and load the new generation before switching, so that the switch
    // itself is one synchronous step with no moment without an index.
    const next = new Database(finalPath, { fileMustExist: true });
    let previous: LiveIndex | null;
    try {
      configureConnection(next);
      previous = this.live;
      this.adopt(next, finalPath, name);
      switchLink(this.files, name);
    } catch (error) {
      if (this.live?.db === next) this.live = null;
      next.close();
      throw translateError(error, 'write', 'switching to the new index');
    }
    previous?.db.close();
    removeOldGenerations(this.files, [name, previous?.target ?? null]);
  }

  clearCaches(): void {
    this.cache.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.background;
    this.saveMemory();
    this.live?.db.close();
    this.live = null;
    this.cache.clear();
  }
}

/**
 * The connection's data_version, asked before every read: prepared once,
 * since `db.pragma()` prepares its statement on each call (7 against 2 µs).
 */
function dataVersionOf(connection: Connection): number {
  return statement({ connection }, 'PRAGMA data_version').pluck().get() as number;
}
