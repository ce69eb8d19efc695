/**
 * Generation files. `<fileName>` in the data directory is a symbolic link to
 * the current generation `<fileName>.<generation>`. A new generation is
 * written beside it as `….building`, fsynced, renamed into place, and the
 * link is switched by renaming a new link over it, which is atomic: every
 * reader, in this process or another, sees either the old index or the new
 * one. SQLite resolves the link, so each generation keeps its own -wal and
 * -shm files and a process still reading the old generation is never
 * confused by the new one's journal.
 */
import { existsSync, lstatSync, readdirSync, readlinkSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { dictionaryVersion } from '../analysis/segment.js';
import { engineDocumentSchema, type EngineDocument } from '../document.js';
import { EngineUnavailableError, EngineWriteError } from '../errors.js';
import { fsyncPath } from '../fsync.js';
import { DocumentWriter } from './document-writer.js';
import { configureBuildConnection, createSchema, setMeta } from './schema.js';
import { translateError } from './sqlite-errors.js';

const batchSize = 500;

export interface GenerationFiles {
  dataDir: string;
  fileName: string;
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

export function linkPathOf(files: GenerationFiles): string {
  return join(files.dataDir, files.fileName);
}

/** The current generation: where the link points, the file itself if it is not a link, or null. */
export function readTarget(files: GenerationFiles): { path: string; name: string | null } | null {
  const linkPath = linkPathOf(files);
  let stats;
  try {
    stats = lstatSync(linkPath);
  } catch {
    return null;
  }
  if (!stats.isSymbolicLink()) return { path: linkPath, name: null };
  const name = readlinkSync(linkPath);
  const path = resolve(files.dataDir, name);
  // A link to a generation that is gone (deleted by hand) is treated as no index.
  return existsSync(path) ? { path, name } : null;
}

/** The generation file name the link points to now, or null. */
export function readLinkName(files: GenerationFiles): string | null {
  try {
    return readlinkSync(linkPathOf(files));
  } catch {
    return null;
  }
}

export function newGenerationName(files: GenerationFiles): string {
  const random = Math.floor(Math.random() * 36 ** 4).toString(36);
  return `${files.fileName}.${Date.now().toString(36)}-p${process.pid}-${random}`;
}

export interface BuildOptions {
  /** Runs inside the last transaction of the build, after every document is written. */
  beforeSwitch?: (writer: DocumentWriter) => void;
  cancelled: () => boolean;
}

/**
 * Writes `documents` into a new generation file `name` and fsyncs it; the
 * caller switches to it. The build yields to the event loop between batches,
 * so the current generation keeps answering; on failure the partial file is
 * deleted and the error thrown.
 */
export async function writeGeneration(
  files: GenerationFiles,
  name: string,
  documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>,
  options: BuildOptions,
): Promise<string> {
  const { cancelled } = options;
  const finalPath = join(files.dataDir, name);
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
    // From here to the caller's switch nothing yields, so no write to the live index can slip between.
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
    fsyncPath(files.dataDir);
    return finalPath;
  } catch (error) {
    if (db.open) db.close();
    for (const path of [buildPath, `${buildPath}-wal`, `${buildPath}-shm`, `${buildPath}-journal`]) {
      if (existsSync(path)) unlinkSync(path);
    }
    throw translateError(error, 'write', 'building a new index');
  }
}

/** Points the link at generation `name`, atomically and durably. */
export function switchLink(files: GenerationFiles, name: string): void {
  const linkTmp = join(files.dataDir, `${name}.link`);
  symlinkSync(name, linkTmp);
  renameSync(linkTmp, linkPathOf(files));
  fsyncPath(files.dataDir);
}

/** Deletes generations other than `keep` (the new one and the one just replaced, which other processes may still read). */
export function removeOldGenerations(files: GenerationFiles, keep: Array<string | null>): void {
  const prefix = `${files.fileName}.`;
  for (const entry of readdirSync(files.dataDir)) {
    if (!entry.startsWith(prefix) || entry.endsWith('.building') || entry.endsWith('.link')) continue;
    const generation = entry.replace(/-(wal|shm|journal|columns)$/u, '');
    if (keep.includes(generation)) continue;
    if (!/^[0-9a-z]+-p\d+-[0-9a-z]+$/u.test(generation.slice(prefix.length))) continue;
    try {
      unlinkSync(join(files.dataDir, entry));
    } catch {
      // Already gone (another process cleaned up): nothing to do.
    }
  }
}

/** Partial builds left by a process that died before finishing. */
export function removeAbandonedBuilds(files: GenerationFiles): void {
  const prefix = `${files.fileName}.`;
  for (const entry of readdirSync(files.dataDir)) {
    if (!entry.startsWith(prefix)) continue;
    const match = /-p(\d+)-[0-9a-z]+\.(building|link)(-wal|-shm|-journal)?$/u.exec(entry);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    try {
      unlinkSync(join(files.dataDir, entry));
    } catch {
      // Raced with another process cleaning up.
    }
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
