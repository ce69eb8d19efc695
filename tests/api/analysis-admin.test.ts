/**
 * Synonyms and dictionary words changed at run time through the admin API:
 * validated, stored under DATA_DIR, in force for searches without a restart,
 * only the documents containing a changed word segmented again (a task
 * reports it), exported in the shipped files' formats, kept across restarts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDictionaryText, synonymsFileSchema } from '../../config/data.js';
import { adminToken, getJson, makeTempDirs, postJson, startTestServer, waitFor, type ErrorBody, type TempDirs, type TestServer } from './helpers.js';

const auth = { Authorization: `Bearer ${adminToken}` };

const droneArticle = {
  url: 'https://www.binjiang-hospital.example/news/2024/0315.html',
  title: '滨江县人民医院“党建+无人机急救”项目启动',
  text: [
    '滨江县人民医院党委开展“党建+无人机急救”创新项目。',
    '2024年3月，医院第一党支部联合急诊科，利用无人机向偏远山村配送急救药品，打通急救服务“最后一公里”。',
    '党员突击队坚持每周巡航，累计配送药品三百余批次，受到群众好评。',
  ].join('\n'),
  publishedAt: '2024-03-15',
};

interface Task {
  id: string;
  status: string;
  total: number;
  scanned: number;
  resegmented: number;
  words: number;
}

function put(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'PUT', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function finished(server: TestServer, id: string): Promise<Task> {
  return waitFor(`task ${id}`, async () => {
    const { body } = await getJson<Task>(`${server.url}/v1/admin/tasks/${id}`, { headers: auth });
    return body.status === 'succeeded' || body.status === 'failed' ? body : undefined;
  });
}

async function searchIds(server: TestServer, q: string): Promise<string[]> {
  const { body } = await getJson<{ hits: { id: string; duplicates: string[] }[] }>(`${server.url}/v1/search?q=${encodeURIComponent(q)}`);
  return body.hits.flatMap((h) => [h.id, ...h.duplicates]);
}

describe('synonyms and dictionary at run time', () => {
  let dirs: TempDirs;
  let server: TestServer;
  let droneId: string;
  beforeAll(async () => {
    dirs = await makeTempDirs();
    server = await startTestServer({ ADMIN_TOKEN: adminToken }, { dirs });
    droneId = ((await (await postJson(`${server.url}/v1/articles`, droneArticle)).json()) as { id: string }).id;
  });
  afterAll(async () => {
    await server?.stop();
    await dirs?.remove();
  });

  it('needs the admin token', async () => {
    expect((await fetch(`${server.url}/v1/admin/synonyms`)).status).toBe(401);
    expect((await put(`${server.url}/v1/admin/synonyms`, { groups: [] }).then((r) => r.status))).toBe(202);
    const wrong = await fetch(`${server.url}/v1/admin/dictionary`, { headers: { Authorization: 'Bearer not-the-admin-token-0000' } });
    expect(wrong.status).toBe(401);
  });

  it('lists nothing added yet, and counts the shipped entries', async () => {
    const { status, body } = await getJson<{ groups: string[][]; oneWay: unknown[]; shipped: { groups: number } }>(`${server.url}/v1/admin/synonyms`, { headers: auth });
    expect(status).toBe(200);
    expect(body.groups).toEqual([]);
    expect(body.shipped.groups).toBeGreaterThan(3);
  });

  it.each([
    [{ groups: [['无人机']] }, 'groups'],
    [{ groups: [['无人机', '']] }, 'groups'],
    [{ groups: [], extra: 1 }, 'extra'],
    [{ groups: [], oneWay: [{ term: '党建', alsoMatches: [] }] }, 'oneWay'],
  ])('refuses invalid synonyms %j naming the field', async (body, field) => {
    const res = await put(`${server.url}/v1/admin/synonyms`, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.field).toBe(field);
  });

  it.each([
    [{ words: [{ word: '两个 词' }] }, 'words'],
    [{ words: [{ word: '无人机', frequency: 0 }] }, 'words'],
    [{ words: [{ word: '无人机', tag: '名词!' }] }, 'words'],
    [{ words: 'x' }, 'words'],
  ])('refuses invalid dictionary words %j naming the field', async (body, field) => {
    const res = await put(`${server.url}/v1/admin/dictionary`, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.field).toBe(field);
  });

  it('a synonym group is used by searches at once; only documents containing its forms are segmented again', async () => {
    expect(await searchIds(server, '飞行器')).not.toContain(droneId);
    const res = await put(`${server.url}/v1/admin/synonyms`, { groups: [['无人机', '飞行器']] });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { groups: string[][]; task: Task };
    expect(body.groups).toEqual([['无人机', '飞行器']]);
    expect(res.headers.get('location')).toBe(`/v1/admin/tasks/${body.task.id}`);
    const task = await finished(server, body.task.id);
    expect(task.status).toBe('succeeded');
    expect(task.scanned).toBe(task.total);
    expect(task.total).toBeGreaterThan(1);
    // The drone article alone mentions 无人机.
    expect(task.resegmented).toBe(1);
    expect(await searchIds(server, '飞行器')).toContain(droneId);
  });

  it('dictionary words with frequency and part of speech are stored, listed and exported in the shipped format', async () => {
    const words = [{ word: '无人机急救', frequency: 20000, tag: 'nz' }, { word: '空中药房' }];
    const res = await put(`${server.url}/v1/admin/dictionary`, { words });
    expect(res.status).toBe(202);
    const task = await finished(server, ((await res.json()) as { task: Task }).task.id);
    expect(task.status).toBe('succeeded');
    expect(task.resegmented).toBe(1);
    expect((await getJson<{ words: unknown[] }>(`${server.url}/v1/admin/dictionary`, { headers: auth })).body.words).toEqual(words);
    const exported = await fetch(`${server.url}/v1/admin/dictionary/export`, { headers: auth });
    expect(exported.headers.get('content-type')).toContain('text/plain');
    expect(parseDictionaryText(await exported.text())).toEqual(words);
    expect(await searchIds(server, '无人机急救')).toContain(droneId);
  });

  it('exports the added synonyms as a synonyms.json file', async () => {
    const res = await fetch(`${server.url}/v1/admin/synonyms/export`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('synonyms.json');
    const file = synonymsFileSchema.parse(await res.json());
    expect(file.groups).toEqual([['无人机', '飞行器']]);
    // The stored copy under DATA_DIR is that same file.
    expect(synonymsFileSchema.parse(JSON.parse(await readFile(join(dirs.dataDir, 'analysis/synonyms.json'), 'utf8')))).toEqual(file);
  });

  it('an unknown task is 404', async () => {
    const res = await fetch(`${server.url}/v1/admin/tasks/nope`, { headers: auth });
    expect(res.status).toBe(404);
  });

  it('the additions survive a restart', async () => {
    await server.stop();
    server = await startTestServer({ ADMIN_TOKEN: adminToken }, { dirs });
    const { body } = await getJson<{ groups: string[][] }>(`${server.url}/v1/admin/synonyms`, { headers: auth });
    expect(body.groups).toEqual([['无人机', '飞行器']]);
    expect(await searchIds(server, '飞行器')).toContain(droneId);
  }, 120_000);
});
