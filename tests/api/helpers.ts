/**
 * Starting the real server for API tests: temp CORPUS_DIR holding copies of
 * corpus/*.txt, temp DATA_DIR, PORT=0, logs captured for assertions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { loadEnv } from '../../config/env.js';
import { startServer, type RunningServer } from '../../service/main.js';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const adminToken = 'test-admin-token-4f9c2a7e1b';

export interface TempDirs {
  root: string;
  corpusDir: string;
  dataDir: string;
  remove(): Promise<void>;
}

export async function makeTempDirs(): Promise<TempDirs> {
  const root = await mkdtemp(join(tmpdir(), 'dangjian-api-'));
  const corpusDir = join(root, 'corpus');
  const dataDir = join(root, 'data');
  await mkdir(corpusDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  const seeds = (await readdir(join(repoRoot, 'corpus'))).filter((f) => f.endsWith('.txt'));
  for (const f of seeds) await copyFile(join(repoRoot, 'corpus', f), join(corpusDir, f));
  return { root, corpusDir, dataDir, remove: () => rm(root, { recursive: true, force: true }) };
}

export interface TestServer extends RunningServer {
  dirs: TempDirs;
  logs: () => string[];
  stop(): Promise<void>;
}

/** Start the real server (service/main.ts) in-process; resolves once it is ready unless `waitReady` is false. */
export async function startTestServer(
  vars: Record<string, string> = {},
  options: { waitReady?: boolean; dirs?: TempDirs } = {},
): Promise<TestServer> {
  const dirs = options.dirs ?? (await makeTempDirs());
  const chunks: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const env = loadEnv({ PORT: '0', HOST: '127.0.0.1', CORPUS_DIR: dirs.corpusDir, DATA_DIR: dirs.dataDir, LOG_LEVEL: 'info', ...vars });
  const server = await startServer(env, { logStream });
  if (options.waitReady !== false) await server.ready;
  return {
    ...server,
    dirs,
    logs: () => chunks.join('').split('\n').filter((l) => l !== ''),
    async stop() {
      await server.close();
      if (!options.dirs) await dirs.remove();
    },
  };
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: { path: string; message: string }[] };
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T, headers: res.headers };
}

export function postJson(url: string, body: unknown, token: string | null = adminToken): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** A TCP port on 127.0.0.1 with nothing listening (for an unreachable engine). */
export async function findClosedPort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolvePort(port));
    });
  });
}

class ExitedEarly extends Error {
  constructor(output: string) {
    super(`the server exited early:\n${output}`);
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof ExitedEarly) throw err;
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ChildServer {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node --import tsx service/main.ts` as a separate process (for kill -9 and signal tests). */
export async function spawnServer(vars: Record<string, string>): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'service/main.ts')], {
    cwd: repoRoot,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...vars },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  const url = await waitFor('the child server to listen', () => {
    if (child.exitCode !== null) throw new ExitedEarly(out);
    for (const line of out.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'listening' && entry.url) return Promise.resolve(entry.url);
    }
    return Promise.resolve(undefined);
  });
  await waitFor('the child server to be ready', async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 120_000);
  return { child, url, output: () => out, exited };
}
