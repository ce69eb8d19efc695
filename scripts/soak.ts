/**
 * `npm run soak -- [--seconds 60] [--restarts 3] [--connections 16] [--keep]`
 *
 * The real server (`node --import tsx service/main.ts`, as bench/ runs it) on
 * 127.0.0.1 with a temporary DATA_DIR and a copy of the corpus (corpus/*.txt
 * and the dev set), under a mixed load (search, suggest, related, /healthz)
 * on `--connections` keep-alive connections, while a writer posts articles
 * with the admin token and records every id acknowledged with 201 or 200.
 * Meanwhile the server is killed with SIGKILL and started again `--restarts`
 * times, and one POST /v1/reindex runs while it is up, to compare search
 * latency at rest with search latency during a rebuild. The kills come at
 * equal shares of the run, each at least 9 s (with the default 60 s) after
 * the last start and, waiting up to 30 s more, once a write has been
 * acknowledged since that start (and the first once the rebuild is done):
 * on a busy machine the run takes longer than `--seconds`, but every kill
 * tests a write.
 *
 * Prints requests per second, the status counts, connection errors (while
 * the server was down, and otherwise), each restart's time to /readyz, the
 * search p50/p99 at rest and during the rebuild, and how many acknowledged
 * articles GET /v1/articles/:id finds after the last restart. Exits 1 on a
 * 5xx other than a 503 while restarting, on a connection error or timeout
 * while the server was up, or on any acknowledged article not found.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SoakOptions {
  seconds: number;
  restarts: number;
  connections: number;
  /** Keep the temporary directory (server log, index) afterwards. */
  keep?: boolean;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface SoakReport {
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Answers by kind of request and status, e.g. `search 200`. */
  statuses: Record<string, number>;
  /** 503 answers to requests sent while the server was restarting (allowed). */
  restart503: number;
  /** 5xx other than those: each one fails the run. */
  unexpected5xx: number;
  /** Requests that got no answer because the server was down (allowed). */
  connectionErrorsWhileDown: number;
  /** Requests that got no answer while it was up, or none within the timeout: each one fails the run. */
  connectionErrorsWhileUp: number;
  /** Time from each SIGKILL to /readyz answering 200 again. */
  restartMs: number[];
  search: {
    /** Every search answered 200 while up, restarts' first seconds and the rebuild included. */
    allP50: number;
    allP99: number;
    /** Up, not rebuilding, and more than 5 s after the last (re)start. */
    restP50: number;
    restP99: number;
    rebuildP50: number;
    rebuildP99: number;
    rebuildSamples: number;
    rebuildMs: number | null;
  };
  acknowledged: number;
  /** Time to the acknowledgement of a write (it may wait behind the rebuild, or for a build worker after a start). */
  writeP50: number;
  writeMax: number;
  found: number;
  missing: string[];
  /** The machine's 1-minute load average when the run ended. */
  loadAverage: number;
  failures: string[];
  dir: string;
}

const adminToken = 'soak-admin-token-7c1e9f20d4b3a8';
/** A read not answered by then counts as unanswered; a write waits behind the rebuild and the build workers' start. */
const timeoutMs = { read: 10_000, write: 120_000, reindex: 600_000 };
/** Searches this soon after a (re)start are not "at rest": caches are cold and the read worker may still be opening the index. */
const settleMs = 5_000;

const queries = ['党建', '党支部', '主题党日', '医院党委', '先进基层党组织', '红色', '志愿服务', '人民医院', '党员', '廉洁', '护理', '2023'];
const prefixes = ['党', '党建', '医', '医院', '支部', '先进', '主题', '志愿', 'dang', 'yiyuan'];

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => done(port));
    });
  });
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A temporary corpus: the seed articles and the dev set, as the service would be given them. */
async function prepareDirs(): Promise<{ root: string; corpusDir: string; dataDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'dangjian-soak-'));
  const corpusDir = join(root, 'corpus');
  const dataDir = join(root, 'data');
  await mkdir(corpusDir, { recursive: true });
  await mkdir(dataDir, { recursive: true });
  for (const f of (await readdir(join(repoRoot, 'corpus'))).filter((f) => f.endsWith('.txt'))) {
    await copyFile(join(repoRoot, 'corpus', f), join(corpusDir, f));
  }
  await copyFile(join(repoRoot, 'tests/fixtures/corpus-dev/articles.jsonl'), join(corpusDir, 'dev-articles.jsonl'));
  return { root, corpusDir, dataDir };
}

class Server {
  private child: ChildProcess | null = null;
  private readonly log;

  constructor(
    readonly base: string,
    private readonly env: Record<string, string>,
    logPath: string,
  ) {
    this.log = createWriteStream(logPath, { flags: 'a' });
  }

  start(): void {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'service/main.ts')], {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'] ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
  }

  async waitReady(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child?.exitCode !== null) throw new Error(`the server exited with code ${String(this.child?.exitCode)} while starting`);
      try {
        const res = await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error('the server did not become ready in time');
      await sleep(50);
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
  }

  async close(): Promise<void> {
    await this.kill('SIGTERM');
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}

/** Whether the server is up, and which restart it is in, as seen by the requests. */
interface Phase {
  down: boolean;
  rebuilding: boolean;
  /** performance.now() when the server last answered /readyz 200. */
  readyAt: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dirs = await prepareDirs();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = new Server(
    base,
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dirs.dataDir,
      CORPUS_DIR: dirs.corpusDir,
      ADMIN_TOKEN: adminToken,
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_ADMIN_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
    },
    join(dirs.root, 'server.log'),
  );

  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  const restartMs: number[] = [];
  const restLatencies: number[] = [];
  const rebuildLatencies: number[] = [];
  const acknowledged: string[] = [];
  let requests = 0;
  let restart503 = 0;
  let unexpected5xx = 0;
  let downErrors = 0;
  let upErrors = 0;
  let rebuildMs: number | null = null;
  const phase: Phase = { down: false, rebuilding: false, readyAt: 0 };
  const allSearches: number[] = [];
  const writeLatencies: number[] = [];
  let acknowledgedSinceReady = 0;
  let relatedIds: string[] = [];

  const count = (key: string): void => {
    statuses[key] = (statuses[key] ?? 0) + 1;
  };

  /** One request: its answer counted by kind and status, its failure classified by whether the server was down. */
  async function call(kind: string, path: string, init: RequestInit = {}): Promise<Response | null> {
    const downAtStart = phase.down;
    const rebuildingAtStart = phase.rebuilding;
    const t = performance.now();
    const settled = t - phase.readyAt > settleMs;
    const timeout = kind === 'reindex' ? timeoutMs.reindex : kind === 'write' ? timeoutMs.write : timeoutMs.read;
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(timeout) });
      await res.clone().arrayBuffer();
    } catch (error) {
      if (downAtStart || phase.down) downErrors++;
      else {
        upErrors++;
        if (failures.length < 20) failures.push(`${kind} ${path}: no answer while the server was up (${(error as Error).name})`);
      }
      return null;
    }
    const ms = performance.now() - t;
    requests++;
    count(`${kind} ${res.status}`);
    const restarting = downAtStart || phase.down;
    if (res.status === 503 && restarting) restart503++;
    else if (res.status >= 500) {
      unexpected5xx++;
      if (failures.length < 20) failures.push(`${kind} ${path}: ${res.status} ${(await res.clone().text()).slice(0, 200)}`);
    }
    if (kind === 'search' && res.status === 200 && !restarting) {
      allSearches.push(ms);
      if (rebuildingAtStart && phase.rebuilding) rebuildLatencies.push(ms);
      else if (!rebuildingAtStart && !phase.rebuilding && settled) restLatencies.push(ms);
    }
    return res;
  }

  let running = true;
  const reader = async (worker: number): Promise<void> => {
    for (let i = worker; running; i++) {
      const q = encodeURIComponent(queries[i % queries.length]!);
      const pick = i % 10;
      let res: Response | null;
      if (pick < 5) res = await call('search', `/v1/search?q=${q}${i % 3 === 0 ? '&pageSize=20' : ''}`);
      else if (pick < 7) res = await call('suggest', `/v1/suggest?q=${encodeURIComponent(prefixes[i % prefixes.length]!)}`);
      else if (pick < 9 && relatedIds.length > 0) res = await call('related', `/v1/articles/${encodeURIComponent(relatedIds[i % relatedIds.length]!)}/related`);
      else res = await call('healthz', '/healthz');
      // Without a server there is nothing to wait for: back off a little instead of spinning.
      if (res === null) await sleep(20);
    }
  };
  const writer = async (): Promise<void> => {
    for (let n = 0; running; n++) {
      const stamp = `${Date.now().toString(36)}-${n}`;
      const body = JSON.stringify({
        url: `https://soak.example/news/${stamp}.html`,
        title: `医院党委开展第${n + 1}次主题党日活动（${stamp}）`,
        text: `${stamp}：医院党委组织全体党员开展主题党日活动，重温入党誓词，学习党的理论知识。第${n + 1}党支部书记讲授专题党课，志愿服务队走进社区开展义诊。`,
      });
      const t = performance.now();
      const res = await call('write', '/v1/articles', {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body,
      });
      if (res && (res.status === 201 || res.status === 200)) {
        acknowledged.push(((await res.json()) as { id: string }).id);
        acknowledgedSinceReady++;
        writeLatencies.push(performance.now() - t);
      }
      await sleep(res === null ? 50 : 20);
    }
  };

  try {
    const started = performance.now();
    log(`soak: starting the server on ${base} (data in ${dirs.root})`);
    server.start();
    await server.waitReady();
    phase.readyAt = performance.now();
    log(`soak: ready after ${Math.round(performance.now() - started)} ms; ${options.seconds} s of load on ${options.connections} connections, ${options.restarts} SIGKILL restarts`);
    const seeded = await fetch(`${base}/v1/search?q=${encodeURIComponent('党建')}&pageSize=20`);
    if (seeded.status !== 200) throw new Error(`the first search answered ${seeded.status}: ${await seeded.text()}`);
    relatedIds = ((await seeded.json()) as { hits: Array<{ id: string }> }).hits.map((h) => h.id);

    const loadStarted = performance.now();
    const loops = [...Array.from({ length: Math.max(1, options.connections - 1) }, (_, w) => reader(w)), writer()];
    const at = (fraction: number): Promise<void> => sleep(Math.max(0, loadStarted + fraction * options.seconds * 1000 - performance.now()));
    const slots = options.restarts + 1;

    // Each restart comes at its share of the run, but never sooner than this after the last one
    // was ready: the first write after a start waits for a build worker to load its dictionaries.
    const minUpMs = Math.min(10_000, (options.seconds * 1000 * 0.6) / slots);
    const upLongEnough = (): Promise<void> => sleep(Math.max(0, phase.readyAt + minUpMs - performance.now()));
    // A kill is a test of the writes acknowledged before it: each waits (up to `maxWaitMs`) for
    // one acknowledged since the last start, and the first for the rebuild to finish.
    const maxWaitMs = 30_000;
    let rebuildDone = false;
    const worthKilling = async (first: boolean): Promise<void> => {
      const until = performance.now() + maxWaitMs;
      while (performance.now() < until && (acknowledgedSinceReady === 0 || (first && !rebuildDone))) await sleep(100);
    };

    // One rebuild while up, halfway to the first restart: search latency during it against at
    // rest. A restart that comes first interrupts it (its request then fails as the others do).
    const rebuilding = (async () => {
      await at(0.5 / slots);
      phase.rebuilding = true;
      const rebuildStarted = performance.now();
      const res = await call('reindex', '/v1/reindex', { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
      phase.rebuilding = false;
      if (res?.status === 200) rebuildMs = performance.now() - rebuildStarted;
      rebuildDone = true;
      log(`soak: rebuild ${res === null ? 'interrupted by a restart' : `answered ${res.status}`} after ${Math.round(performance.now() - rebuildStarted)} ms`);
      return res;
    })();

    for (let r = 1; r <= options.restarts; r++) {
      await at(r / slots);
      await upLongEnough();
      await worthKilling(r === 1);
      phase.down = true;
      const killed = performance.now();
      await server.kill('SIGKILL');
      server.start();
      await server.waitReady();
      restartMs.push(performance.now() - killed);
      phase.readyAt = performance.now();
      acknowledgedSinceReady = 0;
      phase.down = false;
      log(`soak: restart ${r}/${options.restarts}: ready again after ${Math.round(performance.now() - killed)} ms`);
    }
    await at(1);
    await upLongEnough();
    running = false;
    await Promise.all(loops);
    const rebuild = await rebuilding;
    const elapsed = (performance.now() - loadStarted) / 1000;

    // Every acknowledged article, after the last restart.
    const missing: string[] = [];
    for (const id of acknowledged) {
      const res = await fetch(`${base}/v1/articles/${encodeURIComponent(id)}`);
      await res.arrayBuffer();
      if (res.status !== 200) missing.push(id);
    }
    if (unexpected5xx > 0) failures.push(`${unexpected5xx} answers 5xx other than 503 while restarting`);
    if (upErrors > 0) failures.push(`${upErrors} requests without an answer while the server was up`);
    if (missing.length > 0) failures.push(`${missing.length} acknowledged articles not found after the last restart`);
    if (rebuild !== null && rebuild.status !== 200) failures.push(`POST /v1/reindex answered ${rebuild.status}`);

    return {
      seconds: elapsed,
      requests,
      requestsPerSecond: requests / elapsed,
      statuses: Object.fromEntries(Object.entries(statuses).sort(([a], [b]) => a.localeCompare(b))),
      restart503,
      unexpected5xx,
      connectionErrorsWhileDown: downErrors,
      connectionErrorsWhileUp: upErrors,
      restartMs,
      search: {
        allP50: percentile(allSearches, 50),
        allP99: percentile(allSearches, 99),
        restP50: percentile(restLatencies, 50),
        restP99: percentile(restLatencies, 99),
        rebuildP50: percentile(rebuildLatencies, 50),
        rebuildP99: percentile(rebuildLatencies, 99),
        rebuildSamples: rebuildLatencies.length,
        rebuildMs,
      },
      acknowledged: acknowledged.length,
      writeP50: percentile(writeLatencies, 50),
      writeMax: writeLatencies.length === 0 ? Number.NaN : Math.max(...writeLatencies),
      found: acknowledged.length - missing.length,
      missing: missing.slice(0, 20),
      loadAverage: loadavg()[0] ?? Number.NaN,
      failures,
      dir: dirs.root,
    };
  } finally {
    running = false;
    await server.close();
    if (!options.keep) await rm(dirs.root, { recursive: true, force: true });
  }
}

export function formatReport(r: SoakReport): string {
  const f = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '—');
  const lines = [
    `requests: ${r.requests} in ${f(r.seconds)} s = ${f(r.requestsPerSecond)} req/s (load average ${f(r.loadAverage, 2)})`,
    `statuses: ${Object.entries(r.statuses)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ')}`,
    `503 while restarting: ${r.restart503}; other 5xx: ${r.unexpected5xx}`,
    `connection errors: ${r.connectionErrorsWhileDown} while down, ${r.connectionErrorsWhileUp} while up`,
    `restarts (SIGKILL to /readyz 200): ${r.restartMs.map((ms) => `${Math.round(ms)} ms`).join(', ') || 'none'}`,
    `search, all answers: p50 ${f(r.search.allP50)} ms, p99 ${f(r.search.allP99)} ms`,
    `search at rest: p50 ${f(r.search.restP50)} ms, p99 ${f(r.search.restP99)} ms; during the rebuild (${r.search.rebuildMs === null ? 'interrupted by a restart' : `${f(r.search.rebuildMs / 1000)} s`}, ${r.search.rebuildSamples} searches): p50 ${f(r.search.rebuildP50)} ms, p99 ${f(r.search.rebuildP99)} ms`,
    `acknowledged writes: ${r.acknowledged} (p50 ${f(r.writeP50 / 1000, 2)} s, max ${f(r.writeMax / 1000, 2)} s), found after the last restart: ${r.found}`,
  ];
  if (r.missing.length > 0) lines.push(`missing: ${r.missing.join(', ')}`);
  lines.push(r.failures.length === 0 ? 'PASS' : `FAIL\n  ${r.failures.join('\n  ')}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '60' },
      restarts: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16' },
      keep: { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, raw: string, min: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(raw)}`);
    return n;
  };
  const report = await runSoak({
    seconds: whole('seconds', values.seconds, 5),
    restarts: whole('restarts', values.restarts, 0),
    connections: whole('connections', values.connections, 2),
    keep: values.keep,
  });
  process.stdout.write(`${formatReport(report)}\n`);
  if (values.keep) process.stdout.write(`kept: ${report.dir}\n`);
  process.exitCode = report.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
