/**
 * The in-memory columns (memory-index.ts) saved beside the index file as
 * `<generation>-columns`, so opening an index reads one file instead of
 * every row of the docs and facets tables (at 100k articles a million facet
 * rows, seconds of SQL). V8's serialiser keeps typed arrays as they are.
 *
 * A saved copy is used only when its stamp matches the index: the layout
 * version, the write sequence every engine write bumps, the last update and
 * the row count and highest row. Anything else (a crash after a write,
 * another process's write, a different generation) means loading from SQL
 * and saving again. The writer saves; read workers only read.
 *
 * The stamp comes first in the file (its length as 4 bytes, then its UTF-8),
 * so that whether a copy matches can be told without reading the columns: a
 * writer beside read workers opens without loading them (index-lifecycle.ts).
 */
import { closeSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { threadId } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { MemoryColumns } from './memory-index.js';
import { getMeta, schemaVersion, writeSeqKey } from './schema.js';

const formatVersion = 2;

/** A stamp longer than this is not one (a file in another format). */
const maxStampBytes = 4096;

export function snapshotPathOf(indexPath: string): string {
  return `${indexPath}-columns`;
}

/** What the saved columns must agree with. */
export function stampOf(db: Database.Database): string {
  const counts = db.prepare('SELECT count(*) AS n, coalesce(max(doc), -1) AS top FROM docs').get() as { n: number; top: number };
  return JSON.stringify([formatVersion, schemaVersion, getMeta(db, writeSeqKey), getMeta(db, 'last_updated_at'), counts.n, counts.top]);
}

/** The write sequence a stamp records (see stampOf). */
export function writeSeqOfStamp(stamp: string): string | null {
  const fields = JSON.parse(stamp) as unknown[];
  return typeof fields[2] === 'string' ? fields[2] : null;
}

/** The stamp a saved copy starts with, or null when there is none or it is unreadable. */
function stampAt(bytes: Buffer): { stamp: string; end: number } | null {
  if (bytes.length < 4) return null;
  const length = bytes.readUInt32LE(0);
  if (length > maxStampBytes || 4 + length > bytes.length) return null;
  return { stamp: bytes.toString('utf8', 4, 4 + length), end: 4 + length };
}

/** Whether the copy saved beside `indexPath` matches `stamp`, reading only its first bytes. */
export function snapshotMatches(indexPath: string, stamp: string): boolean {
  let fd: number;
  try {
    fd = openSync(snapshotPathOf(indexPath), 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(4 + maxStampBytes);
    const read = readSync(fd, head, 0, head.length, 0);
    return stampAt(head.subarray(0, read))?.stamp === stamp;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * The copy saved beside `indexPath` with its stamp; null when missing or
 * unreadable, or (given `stamp`) when it holds another one, which is then
 * not deserialised.
 */
export function readSavedCopy(indexPath: string, stamp?: string): { stamp: string; columns: MemoryColumns } | null {
  try {
    const bytes = readFileSync(snapshotPathOf(indexPath));
    const head = stampAt(bytes);
    if (!head || (stamp !== undefined && head.stamp !== stamp)) return null;
    return { stamp: head.stamp, columns: deserialize(bytes.subarray(head.end)) as MemoryColumns };
  } catch {
    return null;
  }
}

/** The saved columns when they match `stamp`; null when missing, stale or unreadable. */
export function readSnapshot(indexPath: string, stamp: string): MemoryColumns | null {
  return readSavedCopy(indexPath, stamp)?.columns ?? null;
}

/** Saves the columns (written aside, then renamed over the old copy); false when the directory cannot be written. */
export function writeSnapshot(indexPath: string, stamp: string, columns: MemoryColumns): boolean {
  const path = snapshotPathOf(indexPath);
  // Per thread: a read worker and the writer of the same process may save at once.
  const temporary = `${path}.${process.pid}-${threadId}.tmp`;
  try {
    const stampBytes = Buffer.from(stamp, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(stampBytes.length, 0);
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, length);
      writeSync(fd, stampBytes);
      writeSync(fd, serialize(columns));
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}
