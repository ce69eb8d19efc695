/**
 * No directory mistake empties the index: a corpus scan that would delete
 * more than CORPUS_MAX_DELETE_RATIO of it deletes nothing, and a CORPUS_DIR
 * that is missing or a file stops the start with a message saying so.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.js';
import { analyseQuery } from '../../engine/analysis/query.js';
import { SqliteEngine, currentGenerationPath } from '../../engine/sqlite/sqlite-engine.js';
import { indexCorpus } from '../../indexer/pipeline.js';
import { startServer } from '../../service/main.js';
import {
  adminToken,
  getJson,
  makeTempDirs,
  postJson,
  repoRoot,
  spawnServer,
  startTestServer,
  waitFor,
  type ErrorBody,
  type TempDirs,
} from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyCorpus(dirs: TempDirs): Promise<void> {
  for (const f of await readdir(dirs.corpusDir)) await rm(join(dirs.corpusDir, f), { recursive: true, force: true });
}

describe('a corpus scan that would delete much of the index', () => {
  it('keeps the index when the corpus directory comes up empty, and says so at error level', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    const first = await startTestServer({}, { dirs });
    const before = (await first.engine.stats()).documents;
    await first.stop();
    expect(before).toBeGreaterThan(0);

    await emptyCorpus(dirs);
    const second = await startTestServer({}, { dirs });
    cleanups.push(() => second.stop());
    const logLine = await waitFor('the refusal in the log', () =>
      Promise.resolve(second.logs().find((line) => line.includes('"level":50') && line.includes('too many'))),
    );
    expect(JSON.parse(logLine)).toMatchObject({ missing: before, maxDeleteRatio: 0.2 });
    expect((await second.engine.stats()).documents).toBe(before);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
  }, 120_000);

  it('deletes within the ratio, refuses beyond it, and deletes anything when allowed', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    const engine = new SqliteEngine({ dataDir: dirs.dataDir });
    await engine.init();
    cleanups.push(() => engine.close());
    const files = (await readdir(dirs.corpusDir)).sort();
    expect(files.length).toBe(5);
    await indexCorpus({ engine, corpusDir: dirs.corpusDir });

    await rm(join(dirs.corpusDir, files[0]!));
    const one = await indexCorpus({ engine, corpusDir: dirs.corpusDir });
    expect([one.deleted, one.deleteRefused]).toEqual([1, 0]);

    await rm(join(dirs.corpusDir, files[1]!));
    await rm(join(dirs.corpusDir, files[2]!));
    const two = await indexCorpus({ engine, corpusDir: dirs.corpusDir });
    expect([two.deleted, two.deleteRefused]).toEqual([0, 2]);
    expect((await engine.stats()).documents).toBe(4);

    const wider = await indexCorpus({ engine, corpusDir: dirs.corpusDir, maxDeleteRatio: 0.5 });
    expect(wider.deleted).toBe(2);

    await emptyCorpus(dirs);
    const allowed = await indexCorpus({ engine, corpusDir: dirs.corpusDir, allowMassDelete: true });
    expect(allowed.deleted).toBe(2);
    expect((await engine.stats()).documents).toBe(0);
  }, 120_000);

  it.each([['-0.1'], ['1.5'], ['half']])('refuses CORPUS_MAX_DELETE_RATIO=%s', (value) => {
    expect(() => loadEnv({ CORPUS_MAX_DELETE_RATIO: value })).toThrow(/CORPUS_MAX_DELETE_RATIO/u);
  });
});

describe('a corpus file that cannot be read', () => {
  it('keeps the indexed copy and names the file in the log, /readyz and /metrics', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    const first = await startTestServer({}, { dirs });
    const file = (await readdir(dirs.corpusDir)).sort()[0]!;
    const id = (await first.engine.search({ query: analyseQuery(''), filters: {}, sort: 'date_desc', page: 1, pageSize: 50, facets: false, collapse: false })).hits.find(
      (hit) => hit.document.sourcePath === file,
    )?.document.id;
    await first.stop();
    expect(id).toBeDefined();

    // Binary garbage where the article was: a damaged copy, a half-synced file.
    await writeFile(join(dirs.corpusDir, file), Buffer.from([0, 1, 2, 0, 255, 254, 0, 0, 7]));
    const second = await startTestServer({}, { dirs });
    cleanups.push(() => second.stop());
    await waitFor('the corpus scan', () => Promise.resolve(second.logs().find((l) => l.includes('corpus indexed'))));
    expect(await second.engine.get(id!)).not.toBeNull();

    const warning = second.logs().find((l) => l.includes('corpus file not indexed'));
    expect(JSON.parse(warning ?? '{}')).toMatchObject({ file, reason: 'binary' });
    const ready = (await (await fetch(`${second.url}/readyz`)).json()) as { corpus?: { rejectedFiles: number; rejected: Array<{ path: string; reason: string }> } };
    expect(ready.corpus?.rejectedFiles).toBe(1);
    expect(ready.corpus?.rejected[0]).toMatchObject({ path: file, reason: 'binary' });
    expect(await (await fetch(`${second.url}/metrics`)).text()).toMatch(/^corpus_rejected_files 1$/mu);
  }, 120_000);
});

describe('a damaged index file', () => {
  it('is moved aside and the index rebuilt from the corpus, instead of the service exiting', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    const first = await startTestServer({}, { dirs });
    const before = (await first.engine.stats()).documents;
    await first.stop();
    const indexFile = currentGenerationPath(dirs.dataDir);
    expect(indexFile).not.toBeNull();
    await writeFile(indexFile!, Buffer.alloc(64 * 1024, 0x5a));

    const second = await startTestServer({}, { dirs });
    cleanups.push(() => second.stop());
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    expect((await second.engine.stats()).documents).toBe(before);
    const aside = (await readdir(dirs.dataDir)).filter((f) => f.includes('.corrupt-'));
    expect(aside).toHaveLength(1);
    const logged = second.logs().find((l) => l.includes('damaged'));
    expect(JSON.parse(logged ?? '{}')).toMatchObject({ level: 50, movedTo: join(dirs.dataDir, aside[0]!) });
  }, 120_000);
});

describe('two instances on one data directory', () => {
  it('the second refuses to start naming the first one, or serves read-only when asked to', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    const vars = { CORPUS_DIR: dirs.corpusDir, DATA_DIR: dirs.dataDir, ADMIN_TOKEN: adminToken };
    const writer = await spawnServer(vars);
    cleanups.push(async () => {
      writer.child.kill('SIGKILL');
      await writer.exited;
    });
    const env = loadEnv({ PORT: '0', ...vars, LOG_LEVEL: 'silent' });
    await expect(startServer(env)).rejects.toThrow(new RegExp(`in use by another instance \\(PID ${writer.child.pid} `, 'u'));

    const replica = await startTestServer({ ADMIN_TOKEN: adminToken, READ_ONLY: 'true' }, { dirs });
    cleanups.push(() => replica.stop());
    const found = await getJson<{ total: number }>(`${replica.url}/v1/search?q=${encodeURIComponent('党建')}`);
    expect(found.status).toBe(200);
    expect(found.body.total).toBeGreaterThan(0);
    const write = await postJson(`${replica.url}/v1/articles`, { title: '只读副本', text: '只读副本不接受写入的文章正文内容。' });
    expect(write.status).toBe(405);
    expect(((await write.json()) as ErrorBody).error.code).toBe('read_only');
    expect(replica.logs().some((l) => l.includes('read-only'))).toBe(true);
  }, 180_000);

  it('a lock left by a killed instance does not stop the next one', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    const vars = { CORPUS_DIR: dirs.corpusDir, DATA_DIR: dirs.dataDir };
    const first = await spawnServer(vars);
    first.child.kill('SIGKILL');
    await first.exited;
    const next = await startTestServer({}, { dirs });
    cleanups.push(() => next.stop());
    expect((await fetch(`${next.url}/readyz`)).status).toBe(200);
  }, 180_000);
});

describe('a data directory that cannot be written', () => {
  // Root may write anywhere: the server runs as an unprivileged user to meet a permission problem.
  // That user must be able to read the checkout, which a clone inside `mktemp -d` (mode 0700) is not.
  const nobodyReadsCheckout = (): boolean =>
    spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(repoRoot, 'service/main.ts'))})`], { uid: 65534, gid: 65534 })
      .status === 0;
  const asNobody = process.getuid?.() === 0 && nobodyReadsCheckout();
  if (process.getuid?.() === 0 && !asNobody) {
    console.log(`skipped: the unprivileged user (65534) cannot read ${repoRoot}, so the unwritable-data-directory test cannot start the server as it`);
  }

  it.runIf(asNobody)('answers /readyz 503 naming the cause, and logs it', async () => {
    const dirs = await makeTempDirs();
    cleanups.push(() => dirs.remove());
    await chmod(dirs.root, 0o755);
    await chmod(dirs.corpusDir, 0o755);
    await chmod(dirs.dataDir, 0o555);
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'service/main.ts')], {
      cwd: repoRoot,
      uid: 65534,
      gid: 65534,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', CORPUS_DIR: dirs.corpusDir, DATA_DIR: dirs.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await waitFor('the server to listen', () =>
      Promise.resolve(
        out
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as { msg?: string; url?: string })
          .find((l) => l.msg === 'listening')?.url,
      ),
    );
    const ready = await waitFor('a readiness answer naming the cause', async () => {
      const res = await getJson<ErrorBody>(`${url}/readyz`);
      return res.body.error.message.includes('permission denied') ? res : undefined;
    });
    expect(ready.status).toBe(503);
    expect(ready.body.error.message).toContain(`DATA_DIR ${dirs.dataDir} is not writable by this process (uid 65534)`);
    expect(out).toContain('the data directory cannot be written');
  }, 120_000);
});

describe('CORPUS_DIR that cannot be a corpus', () => {
  it.each([
    ['missing', (root: string) => Promise.resolve(join(root, 'not-mounted')), /does not exist/u],
    [
      'a regular file',
      async (root: string) => {
        const file = join(root, 'corpus.txt');
        await writeFile(file, '党建');
        return file;
      },
      /is a file/u,
    ],
  ])('fails the start when it is %s', async (_, make, message) => {
    const root = await mkdtemp(join(tmpdir(), 'corpus-dir-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    const env = loadEnv({ PORT: '0', CORPUS_DIR: await make(root), DATA_DIR: join(root, 'data'), LOG_LEVEL: 'silent' });
    await expect(startServer(env)).rejects.toThrow(message);
  });
});
