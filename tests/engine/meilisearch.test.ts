/**
 * The Meilisearch adapter.
 *
 * With MEILI_URL (and MEILI_API_KEY when the server has a master key) the
 * shared conformance suite runs against a real server, in fresh indexes
 * deleted afterwards. Without it that run is reported as skipped.
 *
 * Always on: what can be checked without a server. A port nothing listens on
 * (unreachable server), and a stand-in HTTP server on 127.0.0.1 that answers
 * with Meilisearch's documented response shapes, to check how the adapter
 * orchestrates requests (relaxed retry, duplicates lookup, task waiting) and
 * translates failures.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Meilisearch } from 'meilisearch';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineDocument } from '../../engine/document.js';
import {
  EngineQueryError,
  EngineTimeoutError,
  EngineUnavailableError,
  EngineWriteError,
  DocumentNotFoundError,
} from '../../engine/errors.js';
import { MeilisearchEngine } from '../../engine/meilisearch/meilisearch-engine.js';
import type { SearchEngine } from '../../engine/port.js';
import { runEngineContract } from './contract.js';

// ---------------------------------------------------------------------------
// Conformance against a real server

const meiliUrl = process.env['MEILI_URL'];
const meiliApiKey = process.env['MEILI_API_KEY'];
// A limited key (npm run meili:create-key -- --index <prefix>) reaches only `<prefix>_*`.
const indexPrefix = process.env['MEILI_INDEX_PREFIX'] ?? 'test';
const createdIndexes: string[] = [];

async function makeEngine(): Promise<SearchEngine> {
  if (meiliUrl === undefined) throw new Error('MEILI_URL not set');
  const index = `${indexPrefix}_${process.pid}_${Date.now()}_${createdIndexes.length}`;
  createdIndexes.push(index);
  const engine = new MeilisearchEngine({ url: meiliUrl, apiKey: meiliApiKey, index, taskTimeoutMs: 60_000 });
  await engine.init();
  return engine;
}

if (meiliUrl === undefined) {
  describe('meilisearch conformance', () => {
    it.skip('MEILI_URL not set: Meilisearch conformance run skipped', () => undefined);
  });
} else {
  describe('meilisearch conformance', () => {
    afterAll(async () => {
      const client = new Meilisearch({ host: meiliUrl, ...(meiliApiKey ? { apiKey: meiliApiKey } : {}) });
      for (const index of createdIndexes) {
        for (const uid of [index, `${index}_suggest`, `${index}_new`, `${index}_suggest_new`]) {
          await client.deleteIndex(uid).waitTask({ timeout: 60_000 });
        }
      }
    });
    runEngineContract('meilisearch', makeEngine, { facetOptions: true });
  });
}

// ---------------------------------------------------------------------------
// Unreachable server

async function findUnusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

import { makeSearchRequest } from './fixtures.js';
const makeRequest = makeSearchRequest;

describe('MeilisearchEngine without a server', () => {
  it('reports itself unhealthy and rejects searches as unavailable', async () => {
    const engine = new MeilisearchEngine({ url: `http://127.0.0.1:${await findUnusedPort()}`, index: 'articles' });
    const health = await engine.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/unreachable/u);
    await expect(engine.search(makeRequest('党建品牌 '))).rejects.toBeInstanceOf(EngineUnavailableError);
    await expect(engine.upsert([makeDocument()])).rejects.toBeInstanceOf(EngineUnavailableError);
    const error: unknown = await engine.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnavailableError);
    expect((error as Error).cause).toBeDefined();
  });
});

// ---------------------------------------------------------------------------
// A stand-in server speaking Meilisearch's HTTP shapes

interface Recorded {
  method: string;
  path: string;
  body: Record<string, unknown> | unknown[] | null;
  acceptEncoding: string | undefined;
}

type Handler = (request: Recorded) => { status: number; body: unknown } | undefined;

class StubMeilisearch {
  readonly requests: Recorded[] = [];
  /** uid → settings applied with PATCH, merged. */
  readonly settings = new Map<string, Record<string, unknown>>();
  handlers: Handler[] = [];
  #server: Server | undefined;
  #taskUid = 0;
  /** Status every task reports when polled. */
  taskOutcome: { status: string; error: unknown } = { status: 'succeeded', error: null };

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.#server) return;
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  bodiesOf(method: string, path: string): Recorded['body'][] {
    return this.requests.filter((r) => r.method === method && r.path === path).map((r) => r.body);
  }

  #enqueue(indexUid: string | null, type: string): { status: number; body: unknown } {
    this.#taskUid += 1;
    return {
      status: 202,
      body: { taskUid: this.#taskUid, indexUid, status: 'enqueued', type, enqueuedAt: new Date().toISOString() },
    };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    const recorded: Recorded = {
      method: req.method ?? 'GET',
      path: url.pathname,
      body: text === '' ? null : (JSON.parse(text) as Recorded['body']),
      acceptEncoding: req.headers['accept-encoding'],
    };
    this.requests.push(recorded);
    const answer = this.handlers.map((h) => h(recorded)).find((a) => a !== undefined) ?? this.#default(recorded);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  #default({ method, path, body }: Recorded): { status: number; body: unknown } {
    if (path === '/health') return { status: 200, body: { status: 'available' } };
    const task = /^\/tasks\/(\d+)$/u.exec(path);
    if (task) {
      const uid = Number(task[1]);
      return {
        status: 200,
        body: {
          uid,
          batchUid: uid,
          indexUid: 'articles',
          type: 'documentAdditionOrUpdate',
          canceledBy: null,
          details: {},
          duration: 'PT0.01S',
          enqueuedAt: new Date().toISOString(),
          startedAt: new Date().toISOString(),
          finishedAt: this.taskOutcome.status === 'processing' ? null : new Date().toISOString(),
          ...this.taskOutcome,
        },
      };
    }
    const index = /^\/indexes\/([^/]+)$/u.exec(path);
    if (index && method === 'GET') {
      return { status: 200, body: { uid: index[1], primaryKey: 'pk', createdAt: '', updatedAt: '' } };
    }
    const settings = /^\/indexes\/([^/]+)\/settings$/u.exec(path);
    // Settings as a real server reports them: what was applied so far.
    if (settings && method === 'GET') return { status: 200, body: this.settings.get(settings[1] ?? '') ?? {} };
    if (settings && method === 'PATCH') {
      const uid = settings[1] ?? '';
      this.settings.set(uid, { ...this.settings.get(uid), ...(body as Record<string, unknown>) });
    }
    const write = /^\/indexes\/([^/]+)\/(documents|settings|documents\/delete-batch)$/u.exec(path);
    if (write && method !== 'GET') return this.#enqueue(write[1] ?? null, 'documentAdditionOrUpdate');
    if (index && method === 'DELETE') return this.#enqueue(index[1] ?? null, 'indexDeletion');
    if (/^\/indexes\/[^/]+\/documents\/fetch$/u.test(path)) {
      return { status: 200, body: { results: [], total: 0, limit: 1000, offset: 0 } };
    }
    return { status: 404, body: { message: 'not stubbed', code: 'not_stubbed', type: 'invalid_request', link: '' } };
  }
}

function makeDocument(overrides: Partial<EngineDocument> = {}): EngineDocument {
  return {
    id: 'mengyin-2023',
    url: null,
    title: '蒙阴县人民医院“双带头人”领航党建品牌',
    body: '蒙阴县人民医院推行“双带头人”培育工程。',
    summary: '蒙阴县人民医院推行“双带头人”培育工程。',
    publishedAt: '2023-07-01',
    year: 2023,
    yearSource: 'published',
    source: null,
    authors: [],
    province: '山东',
    city: '临沂',
    county: '蒙阴县',
    hospital: '蒙阴县人民医院',
    hospitals: ['蒙阴县人民医院'],
    hospitalAliases: [],
    awardNames: [],
    awardTypes: [],
    awardLevels: [],
    partyBranches: [],
    keywords: ['双带头人', '党建品牌'],
    duplicateOf: null,
    originalScript: 'simplified',
    topicality: 0.9,
    titleTokens: '蒙阴县人民医院 双带头人 领航 党建 品牌 党建品牌',
    bodyTokens: '蒙阴县人民医院 推行 双带头人 培育 工程',
    metaTokens: '蒙阴县人民医院 山东 临沂 蒙阴县',
    fingerprint: '0a1b',
    contentHash: 'h1',
    sourcePath: null,
    ...overrides,
  };
}

function searchResponse(hits: object[], totalHits: number): object {
  return { hits, query: '', processingTimeMs: 1, hitsPerPage: 10, page: 1, totalPages: Math.ceil(totalHits / 10), totalHits };
}

describe('MeilisearchEngine against a stand-in server', () => {
  const stub = new StubMeilisearch();
  let engine: MeilisearchEngine;

  beforeEach(async () => {
    stub.requests.length = 0;
    stub.settings.clear();
    stub.handlers = [];
    stub.taskOutcome = { status: 'succeeded', error: null };
    engine = new MeilisearchEngine({ url: await stub.start(), index: 'articles', taskTimeoutMs: 1500 });
  });
  afterEach(async () => {
    await stub.stop();
  });

  it('falls back to most terms when every term together finds nothing, and says so', async () => {
    const document = makeDocument();
    const relaxedAndDuplicates: object[] = [
      searchResponse([{ ...document, _rankingScore: 0.4 }], 1),
      searchResponse([{ id: 'mengyin-2023-repost', duplicateOf: 'mengyin-2023' }], 1),
    ];
    stub.handlers.push(({ method, path }) =>
      method === 'POST' && path === '/indexes/articles/search'
        ? { status: 200, body: relaxedAndDuplicates.shift() }
        : undefined,
    );
    // The strict page, then one count per clause.
    stub.handlers.push(({ path }) =>
      path === '/multi-search'
        ? { status: 200, body: { results: [searchResponse([], 0), searchResponse([], 3), searchResponse([], 0)].map((r) => ({ ...r, indexUid: 'articles' })) } }
        : undefined,
    );

    const result = await engine.search(makeRequest('双带头人 xyzzy ', { filters: { province: ['山东'] } }));

    expect(result.relaxed).toBe(true);
    // No article has every word: the partial matches answer, and none counts as exact.
    expect(result).toMatchObject({ total: 0, partialTotal: 1 });
    expect(result.hits.map((h) => h.exact)).toEqual([false]);
    // Hits come without the fields only engines read (segmented text, fingerprint).
    expect(result.hits.map((h) => h.document)).toEqual([{ ...document, titleTokens: '', bodyTokens: '', metaTokens: '', fingerprint: '' }]);
    expect(result.hits[0]?.score).toBeCloseTo((100 + 2 + 0.4) / 103);
    expect(result.hits[0]?.matchedTerms).toEqual(['双带头人', '双带头']);
    const filter = 'facetProvince = "山东" AND (duplicateOf IS NULL)';
    expect(stub.bodiesOf('POST', '/multi-search')).toEqual([
      {
        queries: [
          expect.objectContaining({ q: '双带头人 xyzzy ', matchingStrategy: 'all', filter }) as unknown,
          expect.objectContaining({ q: '双带头人 ', filter, hitsPerPage: 0 }) as unknown,
          expect.objectContaining({ q: 'xyzzy ', filter, hitsPerPage: 0 }) as unknown,
        ],
      },
    ]);
    const [relaxed, duplicates] = stub.bodiesOf('POST', '/indexes/articles/search') as Array<Record<string, unknown>>;
    // xyzzy matches nothing on its own, so it is dropped rather than kept as the rarest word.
    expect(relaxed).toMatchObject({ q: '双带头人 ', matchingStrategy: 'all', filter });
    // The page's near-duplicates matching the same query fold into their canonical hit.
    expect(duplicates).toMatchObject({ q: '双带头人 ', filter: 'facetProvince = "山东" AND (duplicateOf IN ["mengyin-2023"])' });
    expect(result.hits[0]?.duplicates).toEqual(['mengyin-2023-repost']);
  });

  it('fills the page after the exact matches with partial ones, from one ranked list, and pages across the boundary', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((id) => ({ ...makeDocument({ id }), _rankingScore: 0.5 })) as [object, object, object];
    const strictFacets = { facetProvince: { 山东: 1 } };
    stub.handlers.push(({ path }) =>
      path === '/multi-search'
        ? { status: 200, body: { results: [{ ...searchResponse([a], 1), facetDistribution: strictFacets }, searchResponse([], 2), searchResponse([], 5)] } }
        : undefined,
    );
    const relaxedPages: object[] = [
      { ...searchResponse([a, b, c], 3), facetDistribution: { facetProvince: { 山东: 3 } } },
      { ...searchResponse([b, c], 3), page: 2 },
    ];
    stub.handlers.push(({ path }) => (path === '/indexes/articles/search' ? { status: 200, body: relaxedPages.shift() } : undefined));

    const first = await engine.search(makeRequest('双带头人 党建 ', { collapse: false, facets: true }));
    expect(first).toMatchObject({ total: 1, partialTotal: 2, relaxed: false });
    expect(first.hits.map((h) => [h.document.id, h.exact])).toEqual([['a', true], ['b', false], ['c', false]]);
    // Facets count the exact matches only.
    expect(first.facets?.province).toEqual({ 山东: 1 });
    // The rarer clause first, so Meilisearch drops the frequent one first.
    const [relaxed] = stub.bodiesOf('POST', '/indexes/articles/search') as Array<Record<string, unknown>>;
    expect(relaxed).toMatchObject({ q: '双带头人 党建 ', matchingStrategy: 'last' });

    // Page 2 of size 1 starts after the one exact match: both hits are partial.
    const second = await engine.search(makeRequest('双带头人 党建 ', { collapse: false, page: 2, pageSize: 1 }));
    expect(second.hits.map((h) => h.exact)).toEqual([false, false]);
  });

  it('applies at start only the settings not already in force', async () => {
    await engine.init();
    const patches = (): number => stub.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/settings')).length;
    expect(patches()).toBe(2);
    // A restart on the same indexes: nothing to apply, no task to wait for.
    await engine.init();
    expect(patches()).toBe(2);
    // A settings change in Meilisearch (or in the code) is applied again, alone.
    stub.settings.set('articles', { ...stub.settings.get('articles'), proximityPrecision: 'byAttribute' });
    await engine.init();
    expect(patches()).toBe(3);
    expect(stub.bodiesOf('PATCH', '/indexes/articles/settings').at(-1)).toEqual({ proximityPrecision: 'byWord' });
  });

  it('applies every setting, as before, with a key that may not read them', async () => {
    stub.handlers.push(({ method, path }) =>
      method === 'GET' && path.endsWith('/settings')
        ? { status: 403, body: { message: 'The provided API key is invalid.', code: 'invalid_api_key', type: 'auth', link: '' } }
        : undefined,
    );
    await engine.init();
    await engine.init();
    expect(stub.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith('/settings'))).toHaveLength(4);
  });

  it('counts the partial matches without fetching them when exact ones fill the page', async () => {
    const [a, b] = ['a', 'b'].map((id) => ({ ...makeDocument({ id }), _rankingScore: 0.5 })) as [object, object];
    stub.handlers.push(({ path }) =>
      path === '/multi-search' ? { status: 200, body: { results: [searchResponse([a, b], 2), searchResponse([], 2), searchResponse([], 5)] } } : undefined,
    );
    stub.handlers.push(({ path }) => (path === '/indexes/articles/search' ? { status: 200, body: searchResponse([], 5) } : undefined));
    const result = await engine.search(makeRequest('双带头人 党建 ', { collapse: false, pageSize: 2 }));
    expect(result).toMatchObject({ total: 2, partialTotal: 3 });
    expect(result.hits.map((h) => [h.document.id, h.exact])).toEqual([['a', true], ['b', true]]);
    const [relaxed] = stub.bodiesOf('POST', '/indexes/articles/search') as Array<Record<string, unknown>>;
    expect(relaxed).toMatchObject({ q: '双带头人 党建 ', matchingStrategy: 'last', hitsPerPage: 0 });
  });

  it('asks for uncompressed answers, which Meilisearch sends ~40 ms sooner over a kept-alive connection', async () => {
    stub.handlers.push(({ path }) => (path === '/indexes/articles/search' ? { status: 200, body: searchResponse([], 0) } : undefined));
    await engine.search(makeRequest('xyzzy '));
    const searches = stub.requests.filter((r) => r.path === '/indexes/articles/search');
    expect(searches.length).toBeGreaterThan(0);
    for (const r of searches) expect(r.acceptEncoding).toBe('identity');
  });

  it('does not relax a single-term query or pretend to when nothing matches at all', async () => {
    stub.handlers.push(({ path }) => (path === '/indexes/articles/search' ? { status: 200, body: searchResponse([], 0) } : undefined));
    stub.handlers.push(({ path }) =>
      path === '/multi-search' ? { status: 200, body: { results: [searchResponse([], 0), searchResponse([], 0), searchResponse([], 0)] } } : undefined,
    );
    expect(await engine.search(makeRequest('xyzzy '))).toMatchObject({ hits: [], total: 0, partialTotal: 0, relaxed: false });
    expect(stub.bodiesOf('POST', '/multi-search')).toHaveLength(0);
    expect(await engine.search(makeRequest('xyzzy plugh '))).toMatchObject({ hits: [], total: 0, partialTotal: 0, relaxed: false });
    // No clause matches anything: nothing to relax to, so no second search.
    expect(stub.bodiesOf('POST', '/multi-search')).toHaveLength(1);
    expect(stub.bodiesOf('POST', '/indexes/articles/search')).toHaveLength(1);
  });

  it('resolves an upsert only once its task succeeded, and counts its suggestions', async () => {
    await engine.upsert([makeDocument()]);
    const added = stub.bodiesOf('POST', '/indexes/articles/documents')[0] as Array<Record<string, unknown>>;
    expect(added[0]).toMatchObject({
      id: 'mengyin-2023',
      pk: Buffer.from('mengyin-2023').toString('base64url'),
      dateKey: 20230701,
      facetHospital: ['蒙阴县人民医院'],
    });
    expect(stub.requests.some((r) => r.path.startsWith('/tasks/'))).toBe(true);
    const suggestions = stub.bodiesOf('POST', '/indexes/articles_suggest/documents').flat() as Array<Record<string, unknown>>;
    expect(suggestions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'hospital', text: '蒙阴县人民医院', weight: 1 }),
        expect.objectContaining({ kind: 'term', text: '双带头人', weight: 1, initials: 'sdtr' }),
        expect.objectContaining({ kind: 'title', docId: 'mengyin-2023' }),
      ]),
    );
  });

  it('surfaces a failed task as a write error naming Meilisearch’s reason', async () => {
    stub.taskOutcome = {
      status: 'failed',
      error: { message: 'Document identifier `a b` is invalid.', code: 'invalid_document_id', type: 'invalid_request', link: '' },
    };
    const error: unknown = await engine.upsert([makeDocument()]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineWriteError);
    expect((error as Error).message).toContain('invalid_document_id');
    expect((error as Error).cause).toMatchObject({ status: 'failed' });
  });

  it('gives up on a task that does not finish in time', async () => {
    stub.taskOutcome = { status: 'processing', error: null };
    const started = Date.now();
    await expect(engine.delete(['mengyin-2023'])).rejects.toBeInstanceOf(EngineTimeoutError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('translates a rejected query and a refused key', async () => {
    stub.handlers.push(({ path }) =>
      path === '/indexes/articles/search'
        ? { status: 400, body: { message: 'bad filter', code: 'invalid_search_filter', type: 'invalid_request', link: '' } }
        : undefined,
    );
    await expect(engine.search(makeRequest('党建 '))).rejects.toBeInstanceOf(EngineQueryError);

    stub.handlers.unshift(({ path }) =>
      path.startsWith('/indexes')
        ? { status: 403, body: { message: 'The provided API key is invalid.', code: 'invalid_api_key', type: 'auth', link: '' } }
        : undefined,
    );
    await expect(engine.search(makeRequest('党建 '))).rejects.toBeInstanceOf(EngineUnavailableError);
    expect(await engine.health()).toMatchObject({ ok: false });
  });

  it('answers null for an unknown id and refuses related articles for it', async () => {
    stub.handlers.push(({ path }) =>
      path.startsWith('/indexes/articles/documents/')
        ? { status: 404, body: { message: 'Document not found.', code: 'document_not_found', type: 'invalid_request', link: '' } }
        : undefined,
    );
    expect(await engine.get('missing')).toBeNull();
    await expect(engine.related({ id: 'missing', limit: 5, filters: {} })).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it('swaps a fully built index in, and only then drops the old one', async () => {
    // The `_new` indexes do not exist until created; after the swap they hold the old data.
    let created = false;
    stub.handlers.push(({ method, path }) => {
      if (method === 'POST' && path === '/indexes') created = true;
      const swapped = stub.requests.some((r) => r.path === '/swap-indexes');
      return method === 'GET' && /^\/indexes\/articles(_suggest)?_new$/u.test(path) && !created && !swapped
        ? { status: 404, body: { message: 'Index not found.', code: 'index_not_found', type: 'invalid_request', link: '' } }
        : undefined;
    });
    stub.handlers.push(({ method, path }) =>
      method === 'POST' && (path === '/indexes' || path === '/swap-indexes')
        ? { status: 202, body: { taskUid: 900, indexUid: null, status: 'enqueued', type: 'indexSwap', enqueuedAt: '' } }
        : undefined,
    );
    await engine.replaceAll([makeDocument(), makeDocument({ id: 'other' })]);

    const order = stub.requests.map((r) => `${r.method} ${r.path}`).filter((r) => !r.includes('/tasks/'));
    const filled = order.indexOf('POST /indexes/articles_new/documents');
    const swapped = order.indexOf('POST /swap-indexes');
    expect(filled).toBeGreaterThan(order.indexOf('PATCH /indexes/articles_new/settings'));
    expect(swapped).toBeGreaterThan(filled);
    expect(swapped).toBeGreaterThan(order.indexOf('POST /indexes/articles_suggest_new/documents'));
    expect(stub.bodiesOf('POST', '/swap-indexes')[0]).toEqual([
      { indexes: ['articles', 'articles_new'] },
      { indexes: ['articles_suggest', 'articles_suggest_new'] },
    ]);
    const added = stub.bodiesOf('POST', '/indexes/articles_new/documents')[0] as Array<Record<string, unknown>>;
    expect(added.map((d) => d['id'])).toEqual(['mengyin-2023', 'other']);
    expect(order.indexOf('DELETE /indexes/articles_new')).toBeGreaterThan(swapped);
    expect(order.indexOf('DELETE /indexes/articles_suggest_new')).toBeGreaterThan(swapped);
  });
});
