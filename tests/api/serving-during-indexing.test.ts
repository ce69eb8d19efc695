/**
 * Indexing ~900 articles never holds the thread that answers requests: not
 * a first start building the index, not a restart bringing an existing index
 * in line with a grown corpus (the start-up sync, which serves meanwhile),
 * not POST /v1/reindex. The server runs in this process, so this thread's
 * event-loop delay is the serving thread's: any stretch of synchronous work
 * there (a 900-document write transaction takes seconds) shows in it.
 * Structural, not a speed test: the bound is loose (a shared, busy machine)
 * and far below what the work costs in-thread; latency figures at rest and
 * during a rebuild come from `npm run soak`.
 */
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/generate-corpus.js';
import { adminToken, getJson, makeTempDirs, startTestServer, waitFor, type TempDirs, type TestServer } from './helpers.js';

/**
 * Far below what a 450-document write transaction holds a thread (about 5 s
 * measured on a busy two-core machine) or loading jieba's dictionaries
 * (2.4 s), above what CPU contention from other processes adds there.
 */
const maxStallMs = 1000;

const perFile = 150;
let dirs: TempDirs;
let generatedDir: string;
let files: string[];

function addToCorpus(names: readonly string[]): void {
  for (const name of names) copyFileSync(join(generatedDir, name), join(dirs.corpusDir, name));
}

/** Watches this thread's event loop, and /healthz over HTTP, until stopped. */
function watch(url: string): { stop(): Promise<{ loopMaxMs: number; healthMaxMs: number; healthAnswers: number }> } {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const health: number[] = [];
  let running = true;
  const probing = (async () => {
    while (running) {
      const t = performance.now();
      const res = await fetch(`${url}/healthz`);
      await res.arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await probing;
      loop.disable();
      return { loopMaxMs: loop.max / 1e6, healthMaxMs: Math.max(...health), healthAnswers: health.length };
    },
  };
}

beforeAll(() => {
  return (async () => {
    dirs = await makeTempDirs();
    generatedDir = join(dirs.root, 'generated');
    generateCorpus({ size: 900, outDir: generatedDir, perFile });
    files = readdirSync(generatedDir).sort();
    expect(files.length).toBe(900 / perFile);
  })();
}, 120_000);

afterAll(async () => {
  await dirs.remove();
});

describe('the serving thread while ~900 articles are indexed', () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps answering during a first start that builds the index', async () => {
    addToCorpus(files.slice(0, files.length / 2));
    server = await startTestServer({ ADMIN_TOKEN: adminToken }, { waitReady: false, dirs });
    const watching = watch(server.url);
    await server.ready;
    const seen = await watching.stop();
    const ready = await getJson<{ documents: number }>(`${server.url}/readyz`);
    expect(ready.body.documents).toBeGreaterThanOrEqual(450);
    expect(seen.healthAnswers, JSON.stringify(seen)).toBeGreaterThan(5);
    expect(seen.loopMaxMs, JSON.stringify(seen)).toBeLessThan(maxStallMs);
    expect(seen.healthMaxMs, JSON.stringify(seen)).toBeLessThan(maxStallMs);
  }, 600_000);

  it('keeps answering while a restart brings the index in line with a grown corpus', async () => {
    await server?.stop();
    server = undefined;
    addToCorpus(files.slice(files.length / 2));
    const restarted = await startTestServer({ ADMIN_TOKEN: adminToken }, { waitReady: false, dirs });
    server = restarted;
    // An existing index serves at once (`ready` itself resolves only once the sync is done);
    // the new articles are indexed behind it.
    await waitFor('serving the existing index', () => Promise.resolve(restarted.readiness.state === 'ready' ? true : undefined));
    const watching = watch(restarted.url);
    await waitFor('the start-up sync', () => Promise.resolve(restarted.logs().find((l) => l.includes('"corpus indexed"'))), 600_000);
    const seen = await watching.stop();
    const synced = JSON.parse(restarted.logs().find((l) => l.includes('"corpus indexed"'))!) as { indexed: number };
    expect(synced.indexed).toBeGreaterThanOrEqual(450);
    expect(seen.healthAnswers, JSON.stringify(seen)).toBeGreaterThan(5);
    expect(seen.loopMaxMs, JSON.stringify(seen)).toBeLessThan(maxStallMs);
    expect(seen.healthMaxMs, JSON.stringify(seen)).toBeLessThan(maxStallMs);
  }, 600_000);

  it('keeps answering during POST /v1/reindex', async () => {
    const running = server!;
    const watching = watch(running.url);
    const res = await fetch(`${running.url}/v1/reindex`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
    const summary = (await res.json()) as { articles: number };
    const seen = await watching.stop();
    expect(res.status).toBe(200);
    expect(summary.articles).toBeGreaterThanOrEqual(900);
    expect(seen.healthAnswers, JSON.stringify(seen)).toBeGreaterThan(5);
    expect(seen.loopMaxMs, JSON.stringify(seen)).toBeLessThan(maxStallMs);
    expect(seen.healthMaxMs, JSON.stringify(seen)).toBeLessThan(maxStallMs);
  }, 600_000);
});
