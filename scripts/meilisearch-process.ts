/**
 * A Meilisearch server started for tests, the evaluation and the benchmark:
 * the binary named by MEILI_BIN or found on PATH, listening on 127.0.0.1 on a
 * free port, with a fresh data directory and a random master key, the way a
 * production deployment runs it (`--env production`, analytics off).
 *
 * Nothing is downloaded: without a binary the callers print why they skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { accessSync, closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The executable to run, or null with nothing on PATH and no MEILI_BIN. */
export function findMeilisearchBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const named = env['MEILI_BIN'];
  if (named) {
    accessSync(named, constants.X_OK);
    return named;
  }
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'meilisearch');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

export const noBinaryReason = 'no meilisearch executable on PATH and MEILI_BIN not set';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface MeilisearchProcessOptions {
  binary: string;
  /** Reuse a data directory (a restart); a fresh temporary one otherwise. */
  dataDir?: string;
  masterKey?: string;
  port?: number;
  /** Extra command-line flags, e.g. `--import-dump <file>`. */
  args?: string[];
}

export interface MeilisearchProcess {
  url: string;
  port: number;
  masterKey: string;
  /** The server's own files: `data.ms`, `dumps/`, `snapshots/`. */
  dataDir: string;
  /** Where its stdout and stderr go (inside `dataDir`). */
  logFile: string;
  child: ChildProcess;
  /** SIGTERM and wait; the data directory stays. */
  stop(): Promise<void>;
  /** SIGKILL and wait, as a crash would. */
  kill(): Promise<void>;
  /** stop() and remove the data directory. */
  dispose(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`meilisearch exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`meilisearch at ${url} was not healthy within ${timeoutMs} ms`);
}

export async function startMeilisearch(options: MeilisearchProcessOptions): Promise<MeilisearchProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'meili-'));
  const masterKey = options.masterKey ?? randomBytes(24).toString('hex');
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(dataDir, 'meilisearch.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    options.binary,
    [
      '--http-addr', `127.0.0.1:${port}`,
      '--db-path', join(dataDir, 'data.ms'),
      '--dump-dir', join(dataDir, 'dumps'),
      '--snapshot-dir', join(dataDir, 'snapshots'),
      '--master-key', masterKey,
      '--env', 'production',
      '--no-analytics',
      ...(options.args ?? []),
    ],
    // Its output goes to a file, not a pipe: a parent blocked in spawnSync (the test runner) would
    // leave a pipe unread, and Meilisearch stalls every request once its log write blocks.
    { stdio: ['ignore', logFd, logFd], env: { ...process.env, MEILI_NO_ANALYTICS: 'true' } },
  );
  closeSync(logFd);
  // A parent that exits without disposing of it (a failed benchmark) takes the server along.
  const orphaned = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', orphaned);
  child.once('exit', () => process.removeListener('exit', orphaned));
  const exited = (): Promise<void> => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit').then(() => undefined));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited();
  };
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited();
  };
  try {
    await waitHealthy(url, child, 60_000);
  } catch (error) {
    await kill();
    throw error;
  }
  return {
    url,
    port,
    masterKey,
    dataDir,
    logFile,
    child,
    stop,
    kill,
    async dispose() {
      await stop();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
