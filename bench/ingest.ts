/**
 * `npm run bench -- --ingest [--size 2000] [--batch 500]`: ingest over HTTP.
 * The real server (`node --import tsx service/main.ts`) on 127.0.0.1 with an
 * empty corpus and a fresh data directory; generated articles are posted as
 * JSON-array batches of `--batch` with the admin token, then, for
 * comparison, a few hundred more one `POST /v1/articles` at a time. Prints
 * articles/s for each and the load average, since another process on the
 * cores lowers every figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateArticles } from './generate-corpus.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const token = 'bench-admin-token-0123456789';

export interface IngestBenchOptions {
  size: number;
  batch: number;
  /** Articles posted one at a time after the batches. */
  singles?: number;
}

export interface IngestBenchResult {
  articles: number;
  batch: number;
  batchSeconds: number;
  batchArticlesPerSecond: number;
  singles: number;
  singleArticlesPerSecond: number;
  failed: number;
  load: [number, number];
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(base: string, child: ChildProcess): Promise<void> {
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server not ready after 120 s');
}

function post(base: string, body: unknown): Promise<Response> {
  return fetch(`${base}/v1/articles`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

export async function runIngestBench(options: IngestBenchOptions): Promise<IngestBenchResult> {
  const singles = options.singles ?? Math.min(100, options.size);
  // Titles the generator leaves out are null there; the API takes absent fields, not nulls.
  const all = [...generateArticles(options.size + singles)].map(({ url, title, text }) =>
    Object.fromEntries(Object.entries({ url, title, text }).filter(([, v]) => v !== null && v !== undefined)),
  );
  const root = mkdtempSync(join(tmpdir(), 'dangjian-ingest-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'service/main.ts')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: join(root, 'data'),
      CORPUS_DIR: join(root, 'corpus'),
      ADMIN_TOKEN: token,
      RATE_LIMIT_ADMIN_PER_MINUTE: '0',
      INGEST_BATCH_MAX_ITEMS: String(Math.max(options.batch, 1000)),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const loadAtStart = loadavg()[0]!;
  try {
    await waitForReady(base, server);
    let failed = 0;
    const batched = all.slice(0, options.size);
    const started = performance.now();
    for (let at = 0; at < batched.length; at += options.batch) {
      const res = await post(base, batched.slice(at, at + options.batch));
      if (res.status !== 200) throw new Error(`batch at ${at} answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { failed: number };
      failed += body.failed;
    }
    const batchSeconds = (performance.now() - started) / 1000;
    const singleStarted = performance.now();
    for (const article of all.slice(options.size)) {
      const res = await post(base, article);
      if (res.status !== 201 && res.status !== 200) failed++;
      await res.arrayBuffer();
    }
    const singleSeconds = (performance.now() - singleStarted) / 1000;
    return {
      articles: batched.length,
      batch: options.batch,
      batchSeconds,
      batchArticlesPerSecond: batched.length / batchSeconds,
      singles,
      singleArticlesPerSecond: singles / singleSeconds,
      failed,
      load: [loadAtStart, loadavg()[0]!],
    };
  } finally {
    server.kill('SIGTERM');
    await new Promise<void>((r) => {
      if (server.exitCode !== null) r();
      else server.once('exit', () => r());
      setTimeout(r, 15_000).unref();
    });
    rmSync(root, { recursive: true, force: true });
  }
}

export function formatIngestReport(r: IngestBenchResult): string {
  return [
    `Ingest over HTTP (real server on 127.0.0.1, sqlite engine, ${cpus().length} cores; load ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)})`,
    `  batches of ${r.batch}: ${r.articles} articles in ${r.batchSeconds.toFixed(1)} s = ${r.batchArticlesPerSecond.toFixed(0)} articles/s${r.failed > 0 ? ` (${r.failed} failed)` : ''}`,
    `  one at a time:   ${r.singles} articles = ${r.singleArticlesPerSecond.toFixed(0)} articles/s`,
  ].join('\n');
}
