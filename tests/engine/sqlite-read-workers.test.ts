/**
 * The embedded engine with its reads on worker threads: the shared
 * conformance suite again (every read answered by a worker that learns of
 * writes from the writer's notices), then what is particular to the pool.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { EngineTimeoutError } from '../../engine/errors.js';
import { snapshotMatches, snapshotPathOf, stampOf } from '../../engine/sqlite/column-snapshot.js';
import { IndexLifecycle } from '../../engine/sqlite/index-lifecycle.js';
import { ReadPool } from '../../engine/sqlite/read-pool.js';
import { SqliteEngine, currentGenerationPath } from '../../engine/sqlite/sqlite-engine.js';
import { runEngineContract } from './contract.js';
import { fixtureDocuments, fixtures, makeDocument, makeSearchRequest } from './fixtures.js';

const tmpDirs: string[] = [];

function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-read-workers-'));
  tmpDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function openPooled(dataDir = makeDataDir(), readWorkers = 1): Promise<SqliteEngine> {
  const engine = new SqliteEngine({ dataDir, readWorkers });
  await engine.init();
  await waitFor(() => engine.readWorkersReady === readWorkers, 'the read workers');
  return engine;
}

const idsOf = (result: { hits: Array<{ document: { id: string } }> }): string[] => result.hits.map((hit) => hit.document.id);

runEngineContract('sqlite on read workers', () => openPooled(), { facetOptions: true });

describe('SqliteEngine read workers', () => {
  it('answers from a worker what the writer thread just wrote and deleted', async () => {
    const engine = await openPooled(makeDataDir(), 2);
    try {
      await engine.upsert(fixtureDocuments);
      // Both workers, in turn: each must have applied the notices.
      for (let i = 0; i < 4; i++) expect(idsOf(await engine.search(makeSearchRequest('双带头人')))).toContain(fixtures.mengyin.id);
      await engine.delete([fixtures.mengyin.id]);
      for (let i = 0; i < 4; i++) expect(idsOf(await engine.search(makeSearchRequest('双带头人')))).not.toContain(fixtures.mengyin.id);
      const added = makeDocument({ id: 'fx-added', title: '星火计划志愿服务', body: '星火计划志愿服务正文。' });
      await engine.upsert([added]);
      for (let i = 0; i < 4; i++) expect(idsOf(await engine.search(makeSearchRequest('星火计划')))[0]).toBe(added.id);
    } finally {
      await engine.close();
    }
  });

  it('follows a write by another process and a replacement of the whole index', async () => {
    const dataDir = makeDataDir();
    const engine = await openPooled(dataDir);
    const other = new SqliteEngine({ dataDir });
    try {
      await engine.upsert(fixtureDocuments);
      await other.init();
      const extra = makeDocument({ id: 'fx-other-process', title: '另一进程写入的暖心服务', body: '另一进程写入的暖心服务正文。' });
      await other.upsert([extra]);
      expect(idsOf(await engine.search(makeSearchRequest('暖心服务')))[0]).toBe(extra.id);
      await other.replaceAll([fixtures.weifang]);
      expect((await engine.facetValues({})).province).toEqual({ 山东: 1 });
      expect(idsOf(await engine.search(makeSearchRequest('暖心服务')))).not.toContain(extra.id);
    } finally {
      await other.close();
      await engine.close();
    }
  });

  it('keeps the columns on the worker alone, which saves what the writes changed for the next start', async () => {
    const dataDir = makeDataDir();
    const seed = new SqliteEngine({ dataDir });
    await seed.upsert(fixtureDocuments);
    await seed.close();
    const savedIsCurrent = (): boolean => {
      const path = currentGenerationPath(dataDir) ?? '';
      const db = new Database(path, { readonly: true });
      try {
        return snapshotMatches(path, stampOf(db));
      } finally {
        db.close();
      }
    };
    expect(savedIsCurrent()).toBe(true);

    const engine = await openPooled(dataDir);
    const added = makeDocument({ id: 'fx-while-pooled', title: '星火计划志愿服务', body: '星火计划志愿服务正文。' });
    try {
      expect(engine.holdsColumns).toBe(false);
      await engine.upsert([added]);
      await engine.delete([fixtures.mengyin.id]);
      expect(engine.holdsColumns).toBe(false);
      expect(idsOf(await engine.search(makeSearchRequest('星火计划')))[0]).toBe(added.id);
      expect((await engine.stats()).documents).toBe(fixtureDocuments.length);
      expect((await engine.health()).detail).toMatch(new RegExp(`^${fixtureDocuments.length} documents`, 'u'));
      // A quiet second after the last write, the worker has saved the columns they built.
      await waitFor(savedIsCurrent, 'the columns saved after the writes');
      await engine.upsert([makeDocument({ id: 'fx-last', title: '最后一篇暖心服务', body: '最后一篇暖心服务正文。' })]);
      expect(savedIsCurrent()).toBe(false);
    } finally {
      await engine.close();
    }
    // Closing saved the last write too, and a plain open answers from that copy as from the tables.
    expect(savedIsCurrent()).toBe(true);
    const fromCopy = new SqliteEngine({ dataDir });
    const fromCopyAnswers = [
      await fromCopy.search(makeSearchRequest('暖心服务')),
      await fromCopy.facetValues({}),
      (await fromCopy.stats()).documents,
    ];
    await fromCopy.close();
    rmSync(snapshotPathOf(currentGenerationPath(dataDir) ?? ''));
    const fromTables = new SqliteEngine({ dataDir });
    try {
      expect([
        await fromTables.search(makeSearchRequest('暖心服务')),
        await fromTables.facetValues({}),
        (await fromTables.stats()).documents,
      ]).toEqual(fromCopyAnswers);
      expect(fromCopyAnswers[2]).toBe(fixtureDocuments.length + 1);
    } finally {
      await fromTables.close();
    }
  });

  it('loads the writer’s columns only when it must search itself, and saves a stale copy before letting them go', async () => {
    const dataDir = makeDataDir();
    const seed = new SqliteEngine({ dataDir });
    await seed.upsert(fixtureDocuments);
    await seed.close();
    const snapshot = snapshotPathOf(currentGenerationPath(dataDir) ?? '');
    rmSync(snapshot);
    const writer = new IndexLifecycle({ dataDir, fileName: 'search.sqlite' }, 0, { columnsOnDemand: true });
    try {
      const live = await writer.ready();
      // The copy was missing: loaded from the tables, saved for the workers, then let go.
      expect(writer.holdsColumns).toBe(false);
      expect(snapshotMatches(live.path, stampOf(live.db))).toBe(true);
      // No worker to ask (none ready): this thread loads them.
      const ctx = await writer.context();
      expect(writer.holdsColumns).toBe(true);
      expect(ctx.memory.size).toBe(fixtureDocuments.length);
    } finally {
      await writer.close();
    }
  });

  it('translates a worker-side failure into the same engine error as in process', async () => {
    const engine = await openPooled();
    try {
      await engine.upsert(fixtureDocuments);
      await expect(engine.related({ id: 'no-such-article', limit: 3, filters: {} })).rejects.toMatchObject({
        code: 'document_not_found',
        documentId: 'no-such-article',
      });
    } finally {
      await engine.close();
    }
  });

  it('carries a deadline: a read picked up after it answers engine_timeout instead of running', async () => {
    const dataDir = makeDataDir();
    const writer = await openPooled(dataDir, 0);
    await writer.upsert(fixtureDocuments);
    const pool = new ReadPool(1, { dataDir, fileName: 'search.sqlite', resultCacheSize: 0 });
    try {
      pool.start();
      await waitFor(() => pool.readyWorkers === 1, 'the read worker');
      const request = makeSearchRequest('双带头人');
      await expect(pool.run('search', request, { deadline: Date.now() - 1 })).rejects.toBeInstanceOf(EngineTimeoutError);
      const answer = (await pool.run('search', request, { deadline: Date.now() + 60_000 })) as { total: number };
      expect(answer.total).toBe((await writer.search(request)).total);
    } finally {
      await pool.close();
      await writer.close();
    }
  });
});
