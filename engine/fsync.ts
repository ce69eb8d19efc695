import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * Flushes a file or directory to disk. A rename is durable only once the
 * directory holding it is synced too, which is why directories pass here.
 */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
