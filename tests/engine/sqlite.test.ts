/**
 * The embedded SQLite engine: the shared conformance suite, then what only
 * this adapter has (files on disk, crash durability, layout versions,
 * several processes on one index).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseQuery } from '../../engine/analysis/query.js';
import { IndexCorruptError, IndexSchemaError } from '../../engine/errors.js';
import type { EngineDocument } from '../../engine/document.js';
import type { SearchRequest } from '../../engine/port.js';
import { storedColumns, type StoredRow } from '../../engine/sqlite/document-writer.js';
import { wholeDocument } from '../../engine/sqlite/resegment.js';
import { readSavedCopy, snapshotPathOf, writeSnapshot } from '../../engine/sqlite/column-snapshot.js';
import { schemaVersion } from '../../engine/sqlite/schema.js';
import { SqliteEngine, currentGenerationPath } from '../../engine/sqlite/sqlite-engine.js';
import { runEngineContract } from './contract.js';
import { fixtureDocuments, fixtures, makeDocument } from './fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const tmpDirs: string[] = [];

function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-engine-test-'));
  tmpDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});

async function openEngine(dataDir = makeDataDir(), options: { termSetMinRows?: number } = {}): Promise<SqliteEngine> {
  const engine = new SqliteEngine({ dataDir, ...options });
  await engine.init();
  return engine;
}

function makeRequest(raw: string, overrides: Partial<SearchRequest> = {}): SearchRequest {
  return { query: analyseQuery(raw), filters: {}, sort: 'relevance', page: 1, pageSize: 20, facets: false, collapse: true, ...overrides };
}

/** Runs `fn` on the current generation file with a plain connection. */
function withRawDatabase(dataDir: string, fn: (db: Database.Database) => void): void {
  const path = currentGenerationPath(dataDir);
  if (path === null) throw new Error('no index file');
  const db = new Database(path);
  try {
    fn(db);
  } finally {
    db.close();
  }
}

runEngineContract('sqlite', () => openEngine(), { facetOptions: true });
// Again with every word a query lists held as a bitset (term-sets.ts), which must not change an answer.
runEngineContract('sqlite with word bitsets', () => openEngine(makeDataDir(), { termSetMinRows: 1 }), { facetOptions: true });

describe('SqliteEngine on disk', () => {
  it('keeps an acknowledged upsert when the process is killed with SIGKILL', async () => {
    const dataDir = makeDataDir();
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'sqlite-durability-child.ts'), dataDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    await new Promise<void>((done, fail) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('acked')) done();
      });
      child.on('exit', () => fail(new Error(`child exited before acknowledging: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const engine = await openEngine(dataDir);
    try {
      expect(await engine.get(fixtures.mengyin.id)).toEqual(fixtures.mengyin);
      expect((await engine.search(makeRequest('双带头人'))).hits.map((h) => h.document.id)).toContain(fixtures.mengyin.id);
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('keeps everything across close and reopen', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    await first.close();
    const second = await openEngine(dataDir);
    try {
      expect((await second.stats()).documents).toBe(fixtureDocuments.length);
      expect(await second.get(fixtures.weifang.id)).toEqual(fixtures.weifang);
      expect((await second.facetValues({})).province['山东']).toBe(2);
    } finally {
      await second.close();
    }
  });

  it('adds the id → content hash index to a file written without it, and reads the hashes from it', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    const hashes = await first.contentHashes();
    await first.close();
    const path = currentGenerationPath(dataDir) ?? '';
    const plan = (db: Database.Database): string =>
      (db.prepare('EXPLAIN QUERY PLAN SELECT id, content_hash FROM docs').all() as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    // A file from before the index: same layout version, no index.
    const older = new Database(path);
    expect(plan(older)).toContain('COVERING INDEX docs_content');
    older.exec('DROP INDEX docs_content');
    expect(plan(older)).not.toContain('docs_content');
    older.close();
    const second = await openEngine(dataDir);
    try {
      expect(await second.contentHashes()).toEqual(hashes);
    } finally {
      await second.close();
    }
    const reopened = new Database(path, { readonly: true });
    try {
      expect(plan(reopened)).toContain('COVERING INDEX docs_content');
    } finally {
      reopened.close();
    }
  });

  it('gives a file with the older (kind, text) suggestion index the covering one, with the same suggestions', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    const before = await first.suggest({ prefix: '蒙阴', limit: 10, filters: {} });
    await first.close();
    const path = currentGenerationPath(dataDir) ?? '';
    const plan = (db: Database.Database): string =>
      (
        db
          .prepare("EXPLAIN QUERY PLAN SELECT text, doc, canonical, weight FROM suggest WHERE kind = 'title' AND text >= '蒙' AND text < '蒙\u{10FFFF}' ORDER BY text")
          .all() as Array<{ detail: string }>
      )
        .map((r) => r.detail)
        .join('; ');
    const older = new Database(path);
    expect(plan(older)).toContain('COVERING INDEX suggest_text_best');
    older.exec('DROP INDEX suggest_text_best; CREATE INDEX suggest_text ON suggest (kind, text)');
    expect(plan(older)).toContain('INDEX suggest_text ');
    older.close();
    const second = await openEngine(dataDir);
    try {
      expect(await second.suggest({ prefix: '蒙阴', limit: 10, filters: {} })).toEqual(before);
    } finally {
      await second.close();
    }
    const reopened = new Database(path, { readonly: true });
    try {
      expect(plan(reopened)).toContain('COVERING INDEX suggest_text_best');
      expect(reopened.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'suggest_text'").pluck().get()).toBe(0);
    } finally {
      reopened.close();
    }
  });

  it('lists the content hashes and fingerprints of ids with quotes, backslashes, line breaks and emoji', async () => {
    const engine = await openEngine();
    try {
      const ids = ['say "hi"', 'back\\slash', 'two\nlines', 'tab\tand\u0001control', '党建🚩', "it's"];
      const documents = ids.map((id, i) => makeDocument({ id, title: `第${i}篇`, body: `正文${i}`, contentHash: `hash-${i}`, fingerprint: `fp-${i}` }));
      await engine.upsert(documents);
      expect(await engine.contentHashes()).toEqual(new Map(ids.map((id, i) => [id, `hash-${i}`])));
      expect(await engine.dedupeFingerprints()).toEqual(new Map(ids.map((id, i) => [id, `fp-${i}`])));
      await engine.delete(ids);
      expect((await engine.contentHashes()).size).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('opens from the columns saved beside the index when they match it', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    const before = await first.search(makeRequest('双带头人'));
    await first.close();
    const indexPath = currentGenerationPath(dataDir) ?? '';
    // Tampered on purpose: the next open must show the saved value, proving it read no table.
    const saved = readSavedCopy(indexPath);
    if (!saved) throw new Error('no columns saved beside the index');
    const values = saved.columns.facets.province.values;
    values[values.indexOf('山东')] = '山东(saved)';
    expect(writeSnapshot(indexPath, saved.stamp, saved.columns)).toBe(true);
    const second = await openEngine(dataDir);
    try {
      expect((await second.facetValues({})).province['山东(saved)']).toBe(2);
      expect(await second.search(makeRequest('双带头人'))).toEqual(before);
    } finally {
      await second.close();
    }
  });

  it('loads from the tables when the saved columns are stale or unreadable', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert([fixtures.mengyin]);
    await first.close();
    const snapshot = snapshotPathOf(currentGenerationPath(dataDir) ?? '');
    const stale = `${dataDir}/stale-columns`;
    copyFileSync(snapshot, stale);
    const second = await openEngine(dataDir);
    await second.upsert([fixtures.weifang]);
    await second.close();
    copyFileSync(stale, snapshot);
    const third = await openEngine(dataDir);
    try {
      expect((await third.facetValues({})).city).toEqual({ 临沂: 1, 潍坊: 1 });
    } finally {
      await third.close();
    }
    writeFileSync(snapshot, 'not a snapshot');
    const fourth = await openEngine(dataDir);
    try {
      expect((await fourth.facetValues({})).city).toEqual({ 临沂: 1, 潍坊: 1 });
    } finally {
      await fourth.close();
    }
  });

  it('rebuilds an index whose documents keep their tokens inside the JSON (layout 2), losing nothing', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    await first.close();
    withRawDatabase(dataDir, (db) => {
      // Layout 2: the whole document but title and body deflated in `json`, no `terms` column.
      const rows = db.prepare(`SELECT ${storedColumns} FROM docs`).all() as StoredRow[];
      const update = db.prepare('UPDATE docs SET json = ? WHERE doc = ?');
      for (const row of rows) {
        const rest: Partial<EngineDocument> = wholeDocument(row);
        delete rest.title;
        delete rest.body;
        update.run(deflateRawSync(JSON.stringify(rest)), row.doc);
      }
      db.exec('ALTER TABLE docs DROP COLUMN terms');
      db.prepare("UPDATE meta SET value = '2' WHERE key = 'schema_version'").run();
    });

    const engine = await openEngine(dataDir);
    try {
      for (const document of fixtureDocuments) expect(await engine.get(document.id)).toEqual(document);
      expect((await engine.search(makeRequest('双带头人'))).total).toBeGreaterThan(0);
    } finally {
      await engine.close();
    }
  });

  it('rebuilds an index whose documents keep their tokens in a column of their own (layout 3), losing nothing', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    await first.close();
    withRawDatabase(dataDir, (db) => {
      // Layout 3: the token fields as deflated JSON in `tokens`, no `terms` column.
      db.exec('ALTER TABLE docs ADD COLUMN tokens BLOB');
      const update = db.prepare('UPDATE docs SET tokens = ? WHERE doc = ?');
      for (const row of db.prepare(`SELECT ${storedColumns} FROM docs`).all() as StoredRow[]) {
        const { titleTokens, bodyTokens, metaTokens } = wholeDocument(row);
        update.run(deflateRawSync(JSON.stringify({ titleTokens, bodyTokens, metaTokens })), row.doc);
      }
      db.exec('ALTER TABLE docs DROP COLUMN terms');
      db.prepare("UPDATE meta SET value = '3' WHERE key = 'schema_version'").run();
    });

    const engine = await openEngine(dataDir);
    try {
      for (const document of fixtureDocuments) expect(await engine.get(document.id)).toEqual(document);
      expect((await engine.search(makeRequest('双带头人'))).total).toBeGreaterThan(0);
      expect((await engine.suggest({ prefix: 'djpp', limit: 5, filters: {} })).map((s) => s.text)).toContain('党建品牌');
    } finally {
      await engine.close();
    }
    withRawDatabase(dataDir, (db) => {
      const columns = db.prepare("SELECT name FROM pragma_table_info('docs')").pluck().all();
      expect(columns).toContain('terms');
      expect(columns).not.toContain('tokens');
    });
  });

  it('rebuilds an index that stores body and fingerprint as text (layout 4) into the smaller encoding, losing nothing', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    await first.close();
    const bodyBytes = (db: Database.Database): number => db.prepare('SELECT sum(length(CAST(body AS BLOB))) FROM docs').pluck().get() as number;
    let textBytes = 0;
    withRawDatabase(dataDir, (db) => {
      const update = db.prepare('UPDATE docs SET body = ?, fingerprint = ? WHERE doc = ?');
      for (const row of db.prepare(`SELECT ${storedColumns} FROM docs`).all() as StoredRow[]) {
        const { body, fingerprint } = wholeDocument(row);
        update.run(body, fingerprint, row.doc);
      }
      db.prepare("UPDATE meta SET value = '4' WHERE key = 'schema_version'").run();
      textBytes = bodyBytes(db);
    });

    const engine = await openEngine(dataDir);
    try {
      for (const document of fixtureDocuments) expect(await engine.get(document.id)).toEqual(document);
      const quoted = (await engine.search(makeRequest('"党建 引领"'))).hits.map((h) => h.document.id);
      expect(quoted).toContain(fixtures.phraseTogether.id);
      expect(quoted).not.toContain(fixtures.phraseApart.id);
      const fingerprints = await engine.dedupeFingerprints();
      for (const document of fixtureDocuments.filter((d) => d.duplicateOf === null)) {
        expect(fingerprints.get(document.id)).toBe(document.fingerprint);
      }
    } finally {
      await engine.close();
    }
    withRawDatabase(dataDir, (db) => {
      expect(db.prepare('SELECT DISTINCT typeof(body) FROM docs').pluck().all()).toEqual(['blob']);
      expect(bodyBytes(db)).toBeLessThan(textBytes * 0.8);
    });
  });

  it('takes back the term suggestions a document added, even when its text would now be segmented otherwise', async () => {
    // Token fields that segmenting the text again would not give (as after a
    // dictionary change): the document suggests 清廉医院, which its text lacks.
    const plain = makeDocument({ id: 'retokenised', title: '医院召开廉洁从业警示教育大会', body: '全院干部职工参加警示教育。' });
    const document = { ...plain, titleTokens: `${plain.titleTokens} 清廉医院` };
    const terms = async (engine: SqliteEngine): Promise<string[]> =>
      (await engine.suggest({ prefix: '清廉', limit: 10, filters: {} })).filter((s) => s.kind === 'term').map((s) => s.text);
    const engine = await openEngine(makeDataDir());
    try {
      await engine.upsert([document]);
      expect(await terms(engine)).toContain('清廉医院');
      await engine.upsert([plain]);
      expect(await terms(engine)).not.toContain('清廉医院');
      await engine.upsert([document]);
      await engine.delete([document.id]);
      expect(await terms(engine)).not.toContain('清廉医院');
    } finally {
      await engine.close();
    }
  });

  it('serves hits without reading the token fields, and `get` with them', async () => {
    const dataDir = makeDataDir();
    const engine = await openEngine(dataDir);
    try {
      await engine.upsert(fixtureDocuments);
      const hit = (await engine.search(makeRequest('双带头人'))).hits[0];
      expect(hit).toBeDefined();
      expect(hit?.document.bodyTokens).toBe('');
      expect(hit?.document.body).not.toBe('');
      const whole = await engine.get(hit?.document.id ?? '');
      expect(whole?.bodyTokens).not.toBe('');
      expect(whole).toEqual(fixtureDocuments.find((d) => d.id === hit?.document.id));
    } finally {
      await engine.close();
    }
  });

  it('rebuilds an index written with an older layout from its stored documents', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert(fixtureDocuments);
    await first.close();
    const before = currentGenerationPath(dataDir);
    withRawDatabase(dataDir, (db) => {
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run(String(schemaVersion - 1));
      // An older layout had no suggestions at all.
      db.exec('DROP TABLE suggest');
    });

    const engine = await openEngine(dataDir);
    try {
      expect(currentGenerationPath(dataDir)).not.toBe(before);
      expect((await engine.stats()).documents).toBe(fixtureDocuments.length);
      expect(await engine.get(fixtures.mengyin.id)).toEqual(fixtures.mengyin);
      expect((await engine.suggest({ prefix: 'djpp', limit: 5, filters: {} })).map((s) => s.text)).toContain('党建品牌');
    } finally {
      await engine.close();
    }
    withRawDatabase(dataDir, (db) => {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe(String(schemaVersion));
    });
  });

  it('re-segments stored documents after a dictionary change, serving and accepting writes meanwhile', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    // Enough documents for the rebuild to yield to the event loop between batches.
    const bulk = Array.from({ length: 1100 }, (_, i) =>
      makeDocument({ id: `bulk-${i}`, title: `第${i}期工作简报`, body: `第${i}党支部开展主题党日活动。` }),
    );
    await first.upsert([...fixtureDocuments, ...bulk]);
    await first.close();
    withRawDatabase(dataDir, (db) => {
      db.prepare("UPDATE meta SET value = 'an-older-dictionary' WHERE key = 'dictionary_version'").run();
      // Indexed tokens as an older dictionary might have cut them: one word more.
      const remove = db.prepare('DELETE FROM fts WHERE rowid = ?');
      const insert = db.prepare('INSERT INTO fts (rowid, title_tokens, body_tokens, meta_tokens) VALUES (?, ?, ?, ?)');
      for (const row of db.prepare(`SELECT ${storedColumns} FROM docs`).all() as StoredRow[]) {
        const { titleTokens, bodyTokens, metaTokens } = wholeDocument(row);
        remove.run(row.doc);
        insert.run(row.doc, `${titleTokens} 旧词`, bodyTokens, metaTokens);
      }
    });

    const engine = await openEngine(dataDir);
    try {
      expect((await engine.health()).detail).toMatch(/rebuilding/u);
      // The previous index answers while the new one is built...
      expect((await engine.search(makeRequest('双带头人'))).total).toBeGreaterThan(0);
      // ...and writes made meanwhile reach the new one.
      const late = makeDocument({ id: 'late', title: '迟到的义诊活动报道', body: '医院组织专家开展义诊活动。' });
      await engine.upsert([late]);
      await engine.delete(['bulk-0']);
      await engine.waitForBackgroundWork();

      expect((await engine.health()).detail).not.toMatch(/rebuilding/u);
      expect(await engine.get(fixtures.mengyin.id)).toEqual(fixtures.mengyin);
      expect(await engine.get('late')).toEqual(late);
      expect(await engine.get('bulk-0')).toBeNull();
      expect((await engine.search(makeRequest('义诊'))).hits.map((h) => h.document.id)).toEqual(['late']);
      expect((await engine.search(makeRequest('旧词'))).total).toBe(0);
      expect((await engine.stats()).documents).toBe(fixtureDocuments.length + bulk.length);
    } finally {
      await engine.close();
    }
    withRawDatabase(dataDir, (db) => {
      expect(db.prepare("SELECT value FROM meta WHERE key = 'dictionary_version'").pluck().get()).not.toBe('an-older-dictionary');
    });
  });

  it('refuses, untouched, an index written by newer code', async () => {
    const dataDir = makeDataDir();
    const first = await openEngine(dataDir);
    await first.upsert([fixtures.mengyin]);
    await first.close();
    withRawDatabase(dataDir, (db) => db.prepare("UPDATE meta SET value = '999' WHERE key = 'schema_version'").run());
    const before = currentGenerationPath(dataDir);
    await expect(openEngine(dataDir)).rejects.toBeInstanceOf(IndexSchemaError);
    expect(currentGenerationPath(dataDir)).toBe(before);
  });

  it('refuses a database that is not a search index, and a file that is not a database', async () => {
    const foreign = makeDataDir();
    const db = new Database(join(foreign, 'search.sqlite'));
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)');
    db.close();
    await expect(openEngine(foreign)).rejects.toBeInstanceOf(IndexSchemaError);

    const garbage = makeDataDir();
    writeFileSync(join(garbage, 'search.sqlite'), 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    await expect(openEngine(garbage)).rejects.toBeInstanceOf(IndexCorruptError);
  });

  it('sees writes and replacements made through another connection', async () => {
    const dataDir = makeDataDir();
    const reader = await openEngine(dataDir);
    const writer = await openEngine(dataDir);
    try {
      expect((await reader.search(makeRequest('双带头人'))).total).toBe(0);
      await writer.upsert([fixtures.mengyin]);
      expect((await reader.search(makeRequest('双带头人'))).hits.map((h) => h.document.id)).toEqual([fixtures.mengyin.id]);
      expect((await reader.facetValues({})).province).toEqual({ 山东: 1 });

      await writer.replaceAll([fixtures.shanxiTumor]);
      expect((await reader.search(makeRequest('双带头人'))).total).toBe(0);
      expect((await reader.search(makeRequest('党建品牌'))).hits.map((h) => h.document.id)).toEqual([fixtures.shanxiTumor.id]);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('keeps only the current and the previous generation on disk', async () => {
    const dataDir = makeDataDir();
    const engine = await openEngine(dataDir);
    try {
      for (const documents of [[fixtures.mengyin], [fixtures.weifang], [fixtures.shanxiTumor], [fixtures.zhejiangPioneer]]) {
        await engine.replaceAll(documents);
      }
      const generations = new Set(
        readdirSync(dataDir)
          .filter((f) => f.startsWith('search.sqlite.'))
          .map((f) => f.replace(/-(wal|shm|columns)$/u, '')),
      );
      expect(generations.size).toBe(2);
      expect(generations.has(currentGenerationPath(dataDir)?.split('/').at(-1) ?? '')).toBe(true);
      expect((await engine.search(makeRequest('先锋党支部'))).total).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('shows a repost that alone matches, since its canonical article does not', async () => {
    const engine = await openEngine();
    try {
      await engine.upsert([fixtures.shanxiTumor, fixtures.shanxiTumorRepost]);
      // Only the repost carries the source line.
      const result = await engine.search(makeRequest('太原日报'));
      expect(result.hits.map((h) => h.document.id)).toEqual([fixtures.shanxiTumorRepost.id]);
      expect(result.total).toBe(1);
    } finally {
      await engine.close();
    }
  });

  it('pages a result larger than the re-ranking window without overlaps or gaps', async () => {
    const engine = await openEngine();
    try {
      const places = ['山东', '湖北', '浙江'];
      const documents = Array.from({ length: 160 }, (_, i) =>
        makeDocument({
          id: `bulk-${String(i).padStart(3, '0')}`,
          title: i % 7 === 0 ? `第${i}期党建引领专题报道` : `第${i}期工作简报`,
          body:
            i % 3 === 0
              ? `本期聚焦以党建引领医院发展，第${i}党支部交流经验。`
              : `第${i}党支部开展党建活动，${'发挥党员作用，'.repeat(i % 5)}以服务引领发展。`,
          publishedAt: `20${10 + (i % 14)}-0${1 + (i % 9)}-1${i % 10}`,
          province: places[i % 3] ?? null,
          topicality: 0.5 + (i % 5) / 10,
        }),
      );
      await engine.upsert(documents);
      const cases: Array<[SearchRequest['filters'], number]> = [
        [{}, 100],
        [{ province: ['山东'] }, 40],
      ];
      for (const [filters, atLeast] of cases) {
        const request = makeRequest('党建 引领 ', { filters });
        const full = (await engine.search({ ...request, pageSize: 500 })).hits.map((h) => h.document.id);
        expect(full.length).toBeGreaterThan(atLeast);
        const paged: string[] = [];
        for (let page = 1; paged.length < full.length && page < 100; page++) {
          paged.push(...(await engine.search({ ...request, page, pageSize: 7 })).hits.map((h) => h.document.id));
        }
        expect(paged).toEqual(full);
        // The whole query as written (党建引领) ranks first.
        const first = documents.find((d) => d.id === full[0]);
        expect(`${first?.title}${first?.body}`).toContain('党建引领');
      }
    } finally {
      await engine.close();
    }
  });

  it('scores an article the same with or without a filter, so a filter never reorders what it keeps', async () => {
    const engine = new SqliteEngine({ dataDir: makeDataDir(), resultCacheSize: 0 });
    await engine.init();
    try {
      const places = ['山东', '湖北', '浙江'];
      await engine.upsert(
        Array.from({ length: 90 }, (_, i) =>
          makeDocument({
            id: `score-${String(i).padStart(2, '0')}`,
            title: i % 4 === 0 ? `清廉医院建设第${i}期` : `工作简报第${i}期`,
            body: `${'推进清廉医院建设，'.repeat(1 + (i % 6))}第${i}党支部${i % 5 === 0 ? '开展廉洁文化活动' : '学习交流'}。`,
            province: places[i % 3] ?? null,
            topicality: 0.5 + (i % 5) / 10,
          }),
        ),
      );
      for (const raw of ['清廉医院', '清廉 廉洁文化', '廉洁文化 火星']) {
        const all = await engine.search(makeRequest(raw, { pageSize: 100 }));
        const scoreOf = new Map(all.hits.map((h) => [h.document.id, h.score]));
        const filtered = await engine.search(makeRequest(raw, { pageSize: 100, filters: { province: ['湖北'] } }));
        expect(filtered.hits.length).toBeGreaterThan(0);
        expect(filtered.hits.every((h) => h.document.province === '湖北')).toBe(true);
        expect(filtered.hits.map((h) => [h.document.id, h.score])).toEqual(
          all.hits.filter((h) => h.document.province === '湖北').map((h) => [h.document.id, scoreOf.get(h.document.id)]),
        );
      }
    } finally {
      await engine.close();
    }
  });

  // With the caches on, scores kept for one request serve the next: folding or not must not share them.
  it.each([
    ['off', 0],
    ['on', undefined],
  ])('counts partial matches it does not rank the same as a page that reaches them, reposts included (caches %s)', async (_caches, resultCacheSize) => {
    const engine = new SqliteEngine({ dataDir: makeDataDir(), ...(resultCacheSize !== undefined ? { resultCacheSize } : {}) });
    await engine.init();
    try {
      // 40 articles with both words, 30 with the rarer one only; five of the
      // latter are originals whose repost has both words, so their group is exact.
      // No other document has the rarer word, so it is the one kept.
      const both = Array.from({ length: 40 }, (_, i) =>
        makeDocument({ id: `both-${String(i).padStart(2, '0')}`, title: `工作简报第${i}期`, body: `第${i}支部开展义诊，党员服务群众。`, topicality: 0.5 + (i % 5) / 10 }),
      );
      const rare = Array.from({ length: 30 }, (_, i) =>
        makeDocument({ id: `rare-${String(i).padStart(2, '0')}`, title: `义诊进乡村第${i}站`, body: `专家团队第${i}次开展义诊。` }),
      );
      const reposts = Array.from({ length: 5 }, (_, i) =>
        makeDocument({ id: `repost-${i}`, title: `转载：义诊进乡村第${i}站`, body: `专家团队第${i}次开展义诊，党员参加。`, duplicateOf: `rare-${String(i).padStart(2, '0')}` }),
      );
      // Three reposts that, like their originals, lack the frequent word: still one partial result each group.
      const partialReposts = Array.from({ length: 3 }, (_, i) =>
        makeDocument({ id: `partial-repost-${i}`, title: `转载：义诊第${10 + i}站`, body: `专家团队第${10 + i}次开展义诊。`, duplicateOf: `rare-${10 + i}` }),
      );
      const frequent = Array.from({ length: 120 }, (_, i) => makeDocument({ id: `member-${i}`, title: `党员大会${i}`, body: `全体党员参加第${i}次学习。` }));
      await engine.upsert([...both, ...rare, ...reposts, ...partialReposts, ...frequent]);
      for (const collapse of [true, false]) {
        const first = await engine.search(makeRequest('党员 义诊', { pageSize: 10, collapse }));
        const far = await engine.search(makeRequest('党员 义诊', { pageSize: 10, page: 5, collapse }));
        const all = await engine.search(makeRequest('党员 义诊', { pageSize: 50, page: 1, collapse }));
        const rest = await engine.search(makeRequest('党员 义诊', { pageSize: 50, page: 2, collapse }));
        expect(first.total).toBe(45);
        expect(first.partialTotal).toBe(collapse ? 25 : 33);
        for (const other of [far, all, rest]) expect([other.total, other.partialTotal]).toEqual([first.total, first.partialTotal]);
        // The first page is the top of the full order, every hit exact.
        const order = [...all.hits, ...rest.hits];
        expect(first.hits.map((h) => [h.document.id, h.score, h.duplicates])).toEqual(order.slice(0, 10).map((h) => [h.document.id, h.score, h.duplicates]));
        expect(first.hits.every((h) => h.exact)).toBe(true);
        expect(order.filter((h) => h.exact)).toHaveLength(first.total);
        if (collapse) expect(order.find((h) => h.document.id === 'rare-00')).toMatchObject({ exact: true, duplicates: ['repost-0'] });
      }
    } finally {
      await engine.close();
    }
  });

  it('answers the same after its result cache is disabled', async () => {
    const dataDir = makeDataDir();
    const cached = await openEngine(dataDir);
    await cached.upsert(fixtureDocuments);
    const uncached = new SqliteEngine({ dataDir, resultCacheSize: 0 });
    await uncached.init();
    try {
      for (const raw of ['党建', '双带头人 火星基地', '"党建 引领"', '荆州一医']) {
        const request = makeRequest(raw, { facets: true });
        const a = await cached.search(request);
        expect(await cached.search(request)).toEqual(a);
        expect(await uncached.search(request)).toEqual(a);
      }
    } finally {
      await cached.close();
      await uncached.close();
    }
  });

  it('rejects calls after close', async () => {
    const engine = await openEngine();
    await engine.close();
    await expect(engine.search(makeRequest('党建'))).rejects.toMatchObject({ code: 'engine_unavailable' });
    expect(await engine.health()).toMatchObject({ ok: false });
  });
});

describe('SqliteEngine suggestions', () => {
  it('reaches past the best entries when they hold too few distinct titles', async () => {
    // SQLite hands over the best few dozen entries of a range first: here all
    // copies of one heavier title, which fill a single suggestion.
    const engine = await openEngine();
    try {
      const repeated = Array.from({ length: 40 }, (_, i) =>
        makeDocument({ id: `rep-${i}`, title: '党建引领高质量发展', body: `第${i}篇转载的正文，内容相同。`, topicality: 0.9 }),
      );
      const lighter = makeDocument({ id: 'other', title: '党建品牌创建经验交流会召开', body: '经验交流会的正文。', topicality: 0.1 });
      await engine.upsert([...repeated, lighter]);
      const titles = (await engine.suggest({ prefix: '党建', limit: 10, filters: {} })).filter((s) => s.kind === 'title');
      expect(titles.map((s) => s.text)).toEqual(['党建引领高质量发展', '党建品牌创建经验交流会召开']);
      // Of the copies, the earliest-indexed article is named.
      expect(titles[0]?.id).toBe('rep-0');
      expect(titles[1]?.id).toBe('other');
    } finally {
      await engine.close();
    }
  });
});
