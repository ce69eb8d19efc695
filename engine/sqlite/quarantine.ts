/**
 * A damaged index file is moved aside, not deleted and not served: the
 * corpus is the source of truth, so the service rebuilds from it, and the
 * damaged file stays for whoever wants to know what happened to it.
 */
import { existsSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncPath } from '../fsync.js';
import { currentGenerationPath } from './generations.js';

/** Renames the current index file (and its WAL files) to `<file>.corrupt-<time>`; returns the new path, or null when there is none. */
export function moveDamagedIndexAside(dataDir: string, fileName = 'search.sqlite', now = new Date()): string | null {
  const path = currentGenerationPath(dataDir, fileName);
  if (path === null || !existsSync(path)) return null;
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/gu, '-')}`;
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, aside + suffix);
  }
  renameSync(path, aside);
  fsyncPath(dirname(path));
  return aside;
}
