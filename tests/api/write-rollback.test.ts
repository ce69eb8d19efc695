/**
 * A write answered with an error is not kept, one answered 201 is: the
 * corpus file is rolled back when indexing fails, a full disk answers 507,
 * and temporary files of interrupted writes are removed at start.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '../../engine/errors.js';
import type { SearchEngine } from '../../engine/port.js';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { createApp } from '../../service/app.js';
import { toApiError } from '../../service/errors.js';
import { adminToken, makeTempDirs, startTestServer, type ErrorBody, type TempDirs } from './helpers.js';

/** What better-sqlite3 throws on a full disk, as the engine translates it. */
function diskFull(): Error {
  const sqlite = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  return new EngineUnavailableError('upsert: the index cannot be used', { cause: sqlite });
}

describe('writes on a full disk', () => {
  let root: string;
  let corpusDir: string;
  let engine: SqliteEngine;
  let full = false;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'write-rollback-'));
    corpusDir = join(root, 'corpus');
    await mkdir(corpusDir);
    engine = new SqliteEngine({ dataDir: join(root, 'data') });
    await engine.init();
  });
  afterAll(async () => {
    await engine.close();
    await rm(root, { recursive: true, force: true });
  });

  function app() {
    const failing = Object.create(engine) as SearchEngine;
    failing.upsert = async (documents) => {
      if (full) throw diskFull();
      return engine.upsert(documents);
    };
    return createApp({ engine: failing, corpusDir, logger: pino({ level: 'silent' }), adminToken });
  }

  function post(body: unknown): Promise<Response> {
    return Promise.resolve(
      app().request('/v1/articles', {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    );
  }

  const url = 'https://www.example-hospital.cn/news/2025/0101.html';
  const corpusFiles = async (): Promise<string[]> => (await readdir(corpusDir, { recursive: true })).sort();

  it('a new article answered 507 leaves no file in the corpus', async () => {
    full = true;
    const res = await post({ url, title: '医院党委召开专题会议', text: '医院党委召开专题会议，研究部署党建工作和医疗服务质量提升工作。' });
    expect(res.status).toBe(507);
    expect(((await res.json()) as ErrorBody).error.code).toBe('insufficient_storage');
    expect((await corpusFiles()).filter((f) => f.endsWith('.json') || f.endsWith('.tmp'))).toEqual([]);
  });

  it('an update answered 507 leaves the previous file as it was; one answered 201 is kept', async () => {
    full = false;
    const created = await post({ url, title: '医院党委召开专题会议', text: '医院党委召开专题会议，研究部署党建工作和医疗服务质量提升工作。' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const files = (await corpusFiles()).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    const before = await readFile(join(corpusDir, files[0]!), 'utf8');

    full = true;
    const updated = await post({ url, title: '医院党委召开专题会议', text: '更新后的正文：医院党委召开专题会议，部署下一阶段的党建重点工作。' });
    expect(updated.status).toBe(507);
    expect(await readFile(join(corpusDir, files[0]!), 'utf8')).toBe(before);
    expect((await corpusFiles()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await engine.get(id))?.body).toContain('研究部署党建工作');
  });

  it.each([['ENOSPC'], ['EDQUOT']])('maps %s from the file system to 507', (code) => {
    const error = toApiError(Object.assign(new Error('no space left on device'), { code }));
    expect([error.status, error.code]).toEqual([507, 'insufficient_storage']);
  });
});

describe('temporary files of interrupted writes', () => {
  let dirs: TempDirs;
  beforeAll(async () => {
    dirs = await makeTempDirs();
  });
  afterAll(async () => {
    await dirs.remove();
  });

  it('are removed at start; other files are not', async () => {
    await mkdir(join(dirs.corpusDir, 'api'), { recursive: true });
    await writeFile(join(dirs.corpusDir, 'api', 'abc.json.0123456789ab.tmp'), '{"text": "半截');
    await writeFile(join(dirs.corpusDir, 'news.txt.a1b2c3d4e5f6.prev.tmp'), '旧的');
    await writeFile(join(dirs.corpusDir, 'notes.tmp'), '编辑的草稿');
    const server = await startTestServer({}, { dirs });
    try {
      const files = await readdir(dirs.corpusDir, { recursive: true });
      expect(files).toContain('notes.tmp');
      expect(files.filter((f) => /[0-9a-f]{12}(\.prev)?\.tmp$/u.test(f))).toEqual([]);
      expect(server.logs().some((l) => l.includes('interrupted writes'))).toBe(true);
    } finally {
      await server.stop();
    }
  }, 120_000);
});
