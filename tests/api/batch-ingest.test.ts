/**
 * Batch ingest over HTTP: a JSON array or JSON lines, a result per article in
 * order, bad articles reported without rejecting good ones, one engine write
 * and one corpus file per batch, and Idempotency-Key replays.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeArticle } from './articles.js';
import { adminToken, getJson, postJson, startTestServer, type ErrorBody, type TestServer } from './helpers.js';

interface ItemResult {
  status: number;
  id?: string;
  duplicateOf?: string | null;
  article?: { id: string; title: string };
  error?: ErrorBody['error'];
}
interface BatchBody {
  items: ItemResult[];
  created: number;
  updated: number;
  failed: number;
}

function post(url: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, ...headers }, body });
}

async function batchFiles(server: TestServer): Promise<string[]> {
  try {
    return (await readdir(join(server.dirs.corpusDir, 'api'))).filter((f) => f.startsWith('batch-'));
  } catch {
    return [];
  }
}

describe('POST /v1/articles with a batch', () => {
  let server: TestServer;
  let api: string;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: adminToken, INGEST_BATCH_MAX_ITEMS: '20' });
    api = server.url;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a result per article in order; bad ones name their field; good ones are written in one engine write', async () => {
    const upsert = vi.spyOn(server.engine, 'upsert');
    const filesBefore = await batchFiles(server);
    const batch = [makeArticle(1), { ...makeArticle(2), url: 'not a url' }, makeArticle(3), { title: '没有正文' }, makeArticle(4)];
    const res = await postJson(`${api}/v1/articles`, batch);
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchBody;
    expect(body.items.map((r) => r.status)).toEqual([201, 400, 201, 400, 201]);
    expect(body.items[1]?.error?.field).toBe('items[1].url');
    expect(body.items[3]?.error?.field).toBe('items[3].text');
    expect(body.items[3]?.error?.code).toBe('validation_failed');
    expect(body).toMatchObject({ created: 3, updated: 0, failed: 2 });
    expect(upsert).toHaveBeenCalledTimes(1);
    expect(upsert.mock.calls[0]?.[0]).toHaveLength(3);
    upsert.mockRestore();
    // The new articles share one corpus file, so a rebuild keeps them.
    const added = (await batchFiles(server)).filter((f) => !filesBefore.includes(f));
    expect(added).toHaveLength(1);
    const lines = (await readFile(join(server.dirs.corpusDir, 'api', added[0]!), 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { url: string }).url)).toEqual([makeArticle(1).url, makeArticle(3).url, makeArticle(4).url]);
    for (const item of [body.items[0], body.items[2], body.items[4]]) {
      const found = await getJson<{ id: string; title: string }>(`${api}/v1/articles/${item?.id ?? ''}`);
      expect(found.status).toBe(200);
      expect(found.body.title).toBe(item?.article?.title);
    }
    const search = await getJson<{ hits: { id: string; duplicates: string[] }[] }>(`${api}/v1/search?q=${encodeURIComponent('第3期')}`);
    expect(search.body.hits.flatMap((h) => [h.id, ...h.duplicates])).toContain(body.items[2]?.id);
  });

  it('takes application/x-ndjson, one article per line; a line that is not JSON fails alone', async () => {
    const text = [JSON.stringify(makeArticle(10)), '{"title": broken', '', JSON.stringify(makeArticle(11))].join('\n');
    const res = await post(`${api}/v1/articles`, text, { 'Content-Type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as BatchBody;
    expect(body.items.map((r) => r.status)).toEqual([201, 400, 201]);
    expect(body.items[1]?.error?.field).toBe('items[1]');
  });

  it('updates in place: an article sent again comes back 200 with the same id, and a repeat inside one batch too', async () => {
    const first = (await (await postJson(`${api}/v1/articles`, [makeArticle(20)])).json()) as BatchBody;
    const changed = { ...makeArticle(20), text: `${makeArticle(20).text}\n新增内容：志愿服务队扩大到三十人。` };
    const again = (await (await postJson(`${api}/v1/articles`, [changed, makeArticle(21), makeArticle(21)])).json()) as BatchBody;
    expect(again.items.map((r) => r.status)).toEqual([200, 201, 200]);
    expect(again.items[0]?.id).toBe(first.items[0]?.id);
    const stored = await getJson<{ body: string }>(`${api}/v1/articles/${first.items[0]?.id ?? ''}`);
    expect(stored.body.body).toContain('志愿服务队扩大到三十人');
    // The earlier batch file holds the new text; no second copy of the article was added.
    const all = await Promise.all((await batchFiles(server)).map((f) => readFile(join(server.dirs.corpusDir, 'api', f), 'utf8')));
    expect(all.join('\n').split(makeArticle(20).url).length - 1).toBe(1);
    expect(all.join('\n')).toContain('志愿服务队扩大到三十人');
  });

  it('an empty batch, a batch over INGEST_BATCH_MAX_ITEMS and a wrong media type are refused whole', async () => {
    const empty = await postJson(`${api}/v1/articles`, []);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as ErrorBody).error.field).toBe('body');
    const tooMany = await postJson(`${api}/v1/articles`, Array.from({ length: 21 }, (_, i) => makeArticle(100 + i)));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as ErrorBody).error.code).toBe('payload_too_large');
    const text = await post(`${api}/v1/articles`, 'hello', { 'Content-Type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as ErrorBody).error.field).toBe('Content-Type');
  });

  it('Idempotency-Key: a retried batch gets the same reply and writes nothing again; another body with the key is 409', async () => {
    const batch = JSON.stringify([makeArticle(30), makeArticle(31)]);
    const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': 'load-2024-07-01-0001' };
    const first = await post(`${api}/v1/articles`, batch, headers);
    const firstBody = (await first.json()) as BatchBody;
    expect(firstBody.items.map((r) => r.status)).toEqual([201, 201]);
    const upsert = vi.spyOn(server.engine, 'upsert');
    const files = await batchFiles(server);
    const retry = await post(`${api}/v1/articles`, batch, headers);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(firstBody);
    expect(upsert).not.toHaveBeenCalled();
    upsert.mockRestore();
    expect(await batchFiles(server)).toEqual(files);
    const other = await post(`${api}/v1/articles`, JSON.stringify([makeArticle(32)]), headers);
    expect(other.status).toBe(409);
    expect(((await other.json()) as ErrorBody).error.field).toBe('Idempotency-Key');
    const bad = await post(`${api}/v1/articles`, batch, { ...headers, 'Idempotency-Key': 'with space' });
    expect(bad.status).toBe(400);
    // Kept under DATA_DIR, so a retry after a restart is safe too.
    expect((await readdir(join(server.dirs.dataDir, 'idempotency'))).length).toBe(1);
  });

  it('a single object is answered as before', async () => {
    const res = await postJson(`${api}/v1/articles`, makeArticle(40));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^\/v1\/articles\//u);
    const body = (await res.json()) as { id: string; duplicateOf: string | null };
    expect(body.id).toMatch(/\w+/u);
  });
});
