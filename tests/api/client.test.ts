/**
 * The typed client (client/): its generated types match the document the
 * running server serves (regenerated and compared), and its calls work
 * against the real server.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSearchClient, SearchApiError } from '../../client/index.js';
import { generateClientTypes, schemaFile } from '../../client/generate.js';
import { makeArticle } from './articles.js';
import { adminToken, startTestServer, type TestServer } from './helpers.js';

describe('typed client', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: adminToken });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('client/schema.ts is what the served /openapi.json generates (run `npm run client:generate` after an API change)', async () => {
    const served: unknown = await (await fetch(`${server.url}/openapi.json`)).json();
    expect(await readFile(schemaFile, 'utf8')).toBe(await generateClientTypes(served));
  });

  it('search, suggest, facets, article and related', async () => {
    const api = createSearchClient({ baseUrl: server.url });
    const found = await api.search({ q: '党建', pageSize: 3, facets: true });
    expect(found.total).toBeGreaterThan(0);
    expect(found.hits.length).toBeLessThanOrEqual(3);
    const first = found.hits[0]!;
    const filtered = await api.search({ q: '党建', province: [first.province ?? ''] });
    expect(filtered.hits.every((h) => h.province === first.province)).toBe(true);
    expect((await api.suggest({ q: '党' })).suggestions.length).toBeGreaterThan(0);
    expect(Object.keys((await api.facets()).facets.province).length).toBeGreaterThan(0);
    expect((await api.article(first.id)).id).toBe(first.id);
    expect(Array.isArray((await api.related(first.id, { limit: 2 })).hits)).toBe(true);
  });

  it('admin calls: batch ingest with an idempotency key, synonyms, tasks; errors carry code and field', async () => {
    const api = createSearchClient({ baseUrl: server.url, adminToken });
    const batch = await api.admin.ingest([makeArticle(500), { title: '无正文' }], 'client-test-1');
    expect('items' in batch && batch.items.map((i) => i.status)).toEqual([201, 400]);
    const changed = await api.admin.setSynonyms({ groups: [['无人机', '飞行器']], oneWay: [] });
    expect(changed.task?.id).toBeTruthy();
    expect((await api.admin.task(changed.task!.id)).id).toBe(changed.task!.id);
    expect((await api.admin.synonyms()).groups).toEqual([['无人机', '飞行器']]);
    const error = await api.search({ q: '党建', pageSize: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SearchApiError);
    expect((error as SearchApiError).field).toBe('pageSize');
    const denied = await createSearchClient({ baseUrl: server.url, adminToken: 'not-the-admin-token-0000' }).admin.synonyms().catch((e: unknown) => e);
    expect((denied as SearchApiError).status).toBe(401);
  });
});
