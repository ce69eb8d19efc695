/**
 * One search must not hold up the others: a huge article and a query of many
 * repeated words answer at once, /healthz keeps answering, and a search past
 * SEARCH_TIMEOUT_MS answers what it has (`partial: true`) or 503 `timeout`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchEngine, SearchRequest } from '../../engine/port.js';
import { createApp } from '../../service/app.js';
import { adminToken, getJson, postJson, startTestServer, type ErrorBody, type TestServer } from './helpers.js';

interface SearchBody {
  total: number;
  hits: Array<{ id: string }>;
  partial?: boolean;
}

let server: TestServer;
let longId = '';

beforeAll(async () => {
  server = await startTestServer({ ADMIN_TOKEN: adminToken, SEARCH_TIMEOUT_MS: '5000' });
  const res = await postJson(`${server.url}/v1/articles`, { title: '长文测试', text: `${'党'.repeat(650_000)}。结尾暗号` });
  expect(res.status).toBe(201);
  longId = ((await res.json()) as { id: string }).id;
}, 180_000);

afterAll(async () => {
  await server.stop();
});

describe('a 650,000-character article', () => {
  it('answers a query of 50 repeated words completely, with /healthz answering meanwhile', async () => {
    const q = encodeURIComponent(Array.from({ length: 50 }, () => '党').join(' '));
    const [search, health] = await Promise.all([
      getJson<SearchBody>(`${server.url}/v1/search?q=${q}`),
      getJson<{ status: string }>(`${server.url}/healthz`),
    ]);
    expect(health.status).toBe(200);
    expect(search.status).toBe(200);
    expect(search.body.partial).toBeUndefined();
    expect(search.body.hits.map((h) => h.id)).toContain(longId);
  }, 60_000);

  it('does not index words past 65,535 positions, as Meilisearch does not', async () => {
    const tail = await getJson<SearchBody>(`${server.url}/v1/search?q=${encodeURIComponent('结尾暗号')}`);
    expect(tail.status).toBe(200);
    expect(tail.body.hits.map((h) => h.id)).not.toContain(longId);
    const head = await getJson<SearchBody>(`${server.url}/v1/search?q=${encodeURIComponent('长文测试')}`);
    expect(head.body.hits.map((h) => h.id)).toContain(longId);
  }, 60_000);
});

describe('SEARCH_TIMEOUT_MS', () => {
  /** The real engine, reached only after `delayMs` (as a search queued behind others would be), or never. */
  function delayedEngine(delayMs: number | null): SearchEngine {
    const engine = Object.create(server.engine) as SearchEngine;
    engine.search = async (request: SearchRequest) => {
      if (delayMs === null) return new Promise(() => undefined);
      await new Promise((r) => setTimeout(r, delayMs));
      return server.engine.search(request);
    };
    return engine;
  }

  it('past the budget, answers the matches found so far, marked partial, and does not remember them', async () => {
    // Reached past its deadline, the engine still has until twice the budget to answer with what it has:
    // a budget of a second leaves a loaded machine time for that.
    const app = createApp({ engine: delayedEngine(1100), corpusDir: server.dirs.corpusDir, logger: server.logger, searchTimeoutMs: 1000 });
    const res = await app.request('/v1/search?q=%E5%85%9A%20%E9%95%BF%E6%96%87');
    expect(res.status).toBe(200);
    const body = (await res.json()) as SearchBody;
    expect(body.partial).toBe(true);
    expect(body.hits.map((h) => h.id)).toContain(longId);

    // The same search with time to spare is complete: the cut-short answer was not cached.
    const full = createApp({ engine: server.engine, corpusDir: server.dirs.corpusDir, logger: server.logger, searchTimeoutMs: 5000 });
    const again = (await (await full.request('/v1/search?q=%E5%85%9A%20%E9%95%BF%E6%96%87')).json()) as SearchBody;
    expect(again.partial).toBeUndefined();
  });

  it('answers 503 timeout when the engine gives no answer at all', async () => {
    const app = createApp({ engine: delayedEngine(null), corpusDir: server.dirs.corpusDir, logger: server.logger, searchTimeoutMs: 20 });
    const res = await app.request('/v1/search?q=%E5%85%9A');
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.code).toBe('timeout');
  });

  it('rejects a budget that is not a whole number of milliseconds', async () => {
    const { loadEnv, EnvError } = await import('../../config/env.js');
    expect(() => loadEnv({ SEARCH_TIMEOUT_MS: 'soon' })).toThrow(EnvError);
    expect(loadEnv({ SEARCH_TIMEOUT_MS: '250' }).SEARCH_TIMEOUT_MS).toBe(250);
  });
});
