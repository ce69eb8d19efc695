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
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type Database from 'better-sqlite3';
import type { MemoryColumns } from './memory-index.js';
import { getMeta, schemaVersion, writeSeqKey } from './schema.js';

const formatVersion = 1;

interface Saved {
  stamp: string;
  columns: MemoryColumns;
}

export function snapshotPathOf(indexPath: string): string {
  return `${indexPath}-columns`;
}

/** What the saved columns must agree with. */
export function stampOf(db: Database.Database): string {
  const counts = db.prepare('SELECT count(*) AS n, coalesce(max(doc), -1) AS top FROM docs').get() as { n: number; top: number };
  return JSON.stringify([formatVersion, schemaVersion, getMeta(db, writeSeqKey), getMeta(db, 'last_updated_at'), counts.n, counts.top]);
}

/** The saved columns when they match `stamp`; null when missing, stale or unreadable. */
export function readSnapshot(indexPath: string, stamp: string): MemoryColumns | null {
  let saved: Saved;
  try {
    saved = deserialize(readFileSync(snapshotPathOf(indexPath))) as Saved;
  } catch {
    return null;
  }
  return saved.stamp === stamp ? saved.columns : null;
}

/** Saves the columns (written aside, then renamed over the old copy); false when the directory cannot be written. */
export function writeSnapshot(indexPath: string, stamp: string, columns: MemoryColumns): boolean {
  const path = snapshotPathOf(indexPath);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, serialize({ stamp, columns } satisfies Saved));
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}
