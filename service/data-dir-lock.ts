/**
 * One writer per data directory. Two instances on one DATA_DIR each sync the
 * corpus and accept writes, and each one's rebuild replaces the other's
 * index: acknowledged writes get lost. The lock is an SQLite file held in
 * exclusive mode for the life of the process: the kernel releases it when
 * the process dies (even by kill -9), so a crash leaves no stale lock, and a
 * file beside it names the holder for the refusal message.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): void;
}

interface Holder {
  pid: number;
  hostname: string;
  startedAt: string;
}

export const lockFileName = 'instance.lock';
const holderFileName = 'instance.lock.json';

function readHolder(dataDir: string): Holder | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, holderFileName), 'utf8')) as Holder;
  } catch {
    return null;
  }
}

/** Takes the data directory's lock, or throws DataDirLockedError naming the instance that holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, lockFileName), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    const code = (error as { code?: unknown }).code;
    if (code !== 'SQLITE_BUSY' && code !== 'SQLITE_LOCKED') throw error;
    const holder = readHolder(dataDir);
    const who = holder ? `PID ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}` : 'another process';
    throw new DataDirLockedError(
      `DATA_DIR ${dataDir} is in use by another instance (${who}). Stop it first, or start this one with READ_ONLY=true to serve the index without writing to it.`,
      { cause: error },
    );
  }
  const holder: Holder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  writeFileSync(join(dataDir, holderFileName), `${JSON.stringify(holder)}\n`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(join(dataDir, holderFileName), { force: true });
      db.close();
    },
  };
}

/**
 * Why DATA_DIR cannot be written, in words an operator can act on, or null
 * when it can. SQLite only says "unable to open database file", whatever the
 * reason; this names it (read-only file system, permissions, full disk).
 */
export function describeDataDirProblem(dataDir: string): string | null {
  try {
    mkdirSync(dataDir, { recursive: true });
    const probe = join(dataDir, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const replica = 'or set READ_ONLY=true to serve an existing index without writing';
    switch (code) {
      case 'EROFS':
        return `DATA_DIR ${dataDir} is on a read-only file system: mount it writable, ${replica}`;
      case 'EACCES':
      case 'EPERM':
        return `DATA_DIR ${dataDir} is not writable by this process (uid ${process.getuid?.() ?? '?'}): permission denied. Give that user write access, ${replica}`;
      case 'ENOSPC':
      case 'EDQUOT':
        return `DATA_DIR ${dataDir} is on a full disk: free some space`;
      case 'ENOTDIR':
      case 'EEXIST':
        return `DATA_DIR ${dataDir} is not a directory`;
      default:
        return `DATA_DIR ${dataDir} cannot be written (${code})`;
    }
  }
}
