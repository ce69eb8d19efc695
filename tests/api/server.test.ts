/**
 * Acceptance tests of the HTTP API: the real server (service/main.ts
 * startServer) on a random port, temp DATA_DIR and a temp CORPUS_DIR holding
 * copies of corpus/*.txt, exercised over HTTP with fetch.
 */
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileErrors, validate as validateOpenApi } from '@readme/openapi-parser';
import { createApp } from '../../service/app.js';
import { toOpenApiPath } from '../../service/openapi.js';
import {
  adminToken,
  findClosedPort,
  getJson,
  makeTempDirs,
  postJson,
  repoRoot,
  startTestServer,
  waitFor,
  type ErrorBody,
  type TestServer,
} from './helpers.js';

interface Hit {
  id: string;
  title: string;
  snippet: string;
  exact: boolean;
  url: string | null;
  publishedAt: string | null;
  year: number | null;
  province: string | null;
  city: string | null;
  hospital: string | null;
  awardTypes: string[];
  awardLevels: string[];
  source: string | null;
  duplicates: string[];
  titleHighlighted?: string;
}
interface SearchBody {
  query: string;
  hits: Hit[];
  total: number;
  partialTotal: number;
  page: number;
  pageSize: number;
  relaxed: boolean;
  interpretedAs: string | null;
  correctedFrom: string | null;
  facets: Record<string, Record<string, number>> | null;
  tookMs: number;
}
interface IngestBody {
  id: string;
  title: string;
  hospital: string | null;
  province: string | null;
  duplicateOf: string | null;
  keywords: string[];
}

const siteKeys = [
  { key: 'mengyin-site-2024', hospital: '蒙阴县人民医院', name: '蒙阴县人民医院官网' },
  { key: 'weifang-site-2024', hospital: '潍坊妇幼' },
];
const allowedOrigin = 'https://www.mengyin-hospital.example';

const droneArticle = {
  url: 'https://www.binjiang-hospital.example/news/2024/0315.html',
  title: '滨江县人民医院“党建+无人机急救”项目启动',
  text: [
    '滨江县人民医院党委开展“党建+无人机急救”创新项目。',
    '2024年3月，医院第一党支部联合急诊科，利用无人机向偏远山村配送急救药品，打通急救服务“最后一公里”。',
    '党员突击队坚持每周巡航，累计配送药品三百余批次，受到群众好评。',
    '医院党委书记表示，将继续深化党建与业务融合，打造特色党建品牌，让党旗在服务群众一线高高飘扬。',
  ].join('\n'),
  publishedAt: '2024-03-15',
  source: '滨江县人民医院党委办公室',
};

let server: TestServer;
let api: string;

beforeAll(async () => {
  const dirs = await makeTempDirs();
  const keysFile = join(dirs.root, 'site-keys.json');
  await writeFile(keysFile, JSON.stringify(siteKeys));
  server = await startTestServer(
    {
      ADMIN_TOKEN: adminToken,
      SITE_KEYS_FILE: keysFile,
      CORS_ORIGINS: `${allowedOrigin},http://127.0.0.1:9999`,
      // Limits have their own server below; here they would only make the order of tests matter.
      RATE_LIMIT_IP_PER_MINUTE: '0',
      RATE_LIMIT_KEY_PER_MINUTE: '0',
    },
    { dirs },
  );
  api = server.url;
});

afterAll(async () => {
  await server?.stop();
  await server?.dirs.remove();
});

describe('health, readiness, metrics', () => {
  it('GET /healthz answers ok', async () => {
    const res = await getJson<{ status: string }>(`${api}/healthz`);
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('GET /readyz reports the loaded index', async () => {
    const res = await getJson<{ status: string; engine: string; documents: number }>(`${api}/readyz`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', engine: 'sqlite' });
    expect(res.body.documents).toBeGreaterThanOrEqual(5);
  });

  it('GET /metrics exposes request counts and latency by route pattern, and the index size', async () => {
    await fetch(`${api}/v1/search?q=党建`);
    await fetch(`${api}/v1/articles/does-not-exist`);
    const res = await fetch(`${api}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/search",status="200"\} \d+/u);
    // The pattern, not the raw path: ids never become label values.
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/articles\/:id",status="404"\} \d+/u);
    expect(text).not.toContain('does-not-exist');
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/v1\/search",status="200"\} \d+/u);
    const documents = /^search_index_documents (\d+)$/mu.exec(text);
    expect(Number(documents?.[1])).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(/^search_index_size_bytes \d+/mu);
  });
});

describe('GET /v1/search', () => {
  it('answers a query with no exact match with partial matches only, each marked exact: false', async () => {
    const { status, body } = await getJson<SearchBody>(`${api}/v1/search?${new URLSearchParams({ q: '双带头人 火星基地' }).toString()}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ total: 0, relaxed: true });
    expect(body.partialTotal).toBeGreaterThan(0);
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.every((hit) => hit.exact === false)).toBe(true);
  });

  it.each([
    ['dangjianpinpai', '党建品牌', null],
    ['djpp', '党建品牌', null],
    ['dang jian pin pai', '党建品牌', null],
    ['党见品牌', '党建品牌', '党见品牌'],
  ])('searches %s as %s and says so', async (q, interpretedAs, correctedFrom) => {
    const { status, body } = await getJson<SearchBody>(`${api}/v1/search?${new URLSearchParams({ q }).toString()}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ query: q, interpretedAs, correctedFrom });
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits[0]?.snippet).toContain('<mark>');
  });

  it('returns hits in the documented shape with <mark> snippets and facets over the whole result set', async () => {
    const { status, body } = await getJson<SearchBody>(`${api}/v1/search?q=党建&pageSize=2`);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['correctedFrom', 'facets', 'hits', 'interpretedAs', 'page', 'pageSize', 'partialTotal', 'query', 'relaxed', 'tookMs', 'total']);
    expect(body).toMatchObject({ query: '党建', page: 1, pageSize: 2, relaxed: false, total: 5, partialTotal: 0, interpretedAs: null, correctedFrom: null });
    expect(body.hits).toHaveLength(2);
    const hit = body.hits[0]!;
    for (const key of ['id', 'title', 'snippet', 'url', 'publishedAt', 'year', 'yearSource', 'province', 'city', 'hospital', 'awardTypes', 'awardLevels', 'source', 'duplicates', 'exact']) {
      expect(hit).toHaveProperty(key);
    }
    expect(hit).not.toHaveProperty('bodyTokens');
    expect(hit.snippet).toContain('<mark>党建</mark>');
    for (const facet of ['province', 'city', 'hospital', 'year', 'awardType', 'awardLevel']) expect(body.facets).toHaveProperty(facet);
    // Counted over all 5 matches, not the 2 on the page.
    const all = await getJson<SearchBody>(`${api}/v1/search?q=党建&pageSize=50`);
    const provinces: Record<string, number> = {};
    for (const h of all.body.hits) if (h.province) provinces[h.province] = (provinces[h.province] ?? 0) + 1;
    expect(body.facets?.['province']).toEqual(provinces);
    expect(Object.values(provinces).reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    expect(body.facets?.['province']?.['山东']).toBe(2);
  });

  it.each([
    ['黨建品牌', '党建品牌'],
    ['荆州一医', '荆州市第一人民医院'],
  ])('%s finds what %s finds', async (q, same) => {
    const a = await getJson<SearchBody>(`${api}/v1/search?q=${encodeURIComponent(q)}`);
    const b = await getJson<SearchBody>(`${api}/v1/search?q=${encodeURIComponent(same)}`);
    expect(a.body.total).toBeGreaterThan(0);
    expect(a.body.hits[0]?.id).toBe(b.body.hits[0]?.id);
  });

  it('filters with repeatable parameters (OR within a field)', async () => {
    const one = await getJson<SearchBody>(`${api}/v1/search?q=党建&province=山东`);
    const two = await getJson<SearchBody>(`${api}/v1/search?q=党建&province=山东&province=浙江`);
    expect(one.body.hits.every((h) => h.province === '山东')).toBe(true);
    expect(one.body.total).toBe(2);
    expect(two.body.total).toBe(3);
    expect(new Set(two.body.hits.map((h) => h.province))).toEqual(new Set(['山东', '浙江']));
  });

  it('an empty query with filters lists by date, newest first, with escaped summaries', async () => {
    const { body } = await getJson<SearchBody>(`${api}/v1/search?province=山东`);
    expect(body.total).toBe(2);
    const dates = body.hits.map((h) => h.publishedAt ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(body.hits.every((h) => h.snippet.length > 0 && !h.snippet.includes('<mark>'))).toBe(true);
  });

  it('facets=false leaves facets out; paging is honoured', async () => {
    const { body } = await getJson<SearchBody>(`${api}/v1/search?q=党建&facets=false&pageSize=2&page=2`);
    expect(body.facets).toBeNull();
    expect(body).toMatchObject({ page: 2, pageSize: 2, total: 5 });
    expect(body.hits).toHaveLength(2);
  });

  it.each([
    ['pageSize=51', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=0', 'page'],
    ['page=abc', 'page'],
    ['facets=yes', 'facets'],
    ['collapse=maybe', 'collapse'],
    ['q=<201 characters>', 'q'],
    ['q=a&q=b', 'q'],
    ['sort=popular', 'sort'],
    ['awardLevel=galactic', 'awardLevel'],
    ['hospitalKind=火星', 'hospitalKind'],
    ['yearFrom=2024&yearTo=2020', 'yearFrom'],
    ['provice=浙江', 'provice'],
    ['q=党建&callback=x', 'callback'],
  ])('400 for %s, naming %s', async (query, field) => {
    const sent = query.replace('<201 characters>', encodeURIComponent('党'.repeat(201)));
    const { status, body } = await getJson<ErrorBody>(`${api}/v1/search?${sent}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(field);
  });
});

describe('articles, related, suggest, facets', () => {
  let mengyinId: string;

  beforeAll(async () => {
    const { body } = await getJson<SearchBody>(`${api}/v1/search?q=${encodeURIComponent('蒙阴县人民医院')}`);
    mengyinId = body.hits.find((h) => h.hospital === '蒙阴县人民医院')!.id;
  });

  it('GET /v1/articles/:id returns the whole article without engine-only fields', async () => {
    const { status, body } = await getJson<Record<string, unknown>>(`${api}/v1/articles/${mengyinId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: mengyinId, hospital: '蒙阴县人民医院', province: '山东', duplicates: [] });
    expect(typeof body['body']).toBe('string');
    expect((body['body'] as string).length).toBeGreaterThan(200);
    for (const key of ['keywords', 'awardNames', 'partyBranches', 'hospitalAliases', 'county', 'summary']) expect(body).toHaveProperty(key);
    for (const key of ['titleTokens', 'bodyTokens', 'metaTokens', 'fingerprint']) expect(body).not.toHaveProperty(key);
  });

  it('GET /v1/articles/:id answers 404 for an unknown id', async () => {
    const { status, body } = await getJson<ErrorBody>(`${api}/v1/articles/no-such-article`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('GET /v1/articles/:id/related lists other articles with shared keywords, never itself', async () => {
    const { status, body } = await getJson<{ hits: (Hit & { sharedKeywords: string[] })[] }>(`${api}/v1/articles/${mengyinId}/related?limit=3`);
    expect(status).toBe(200);
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits.length).toBeLessThanOrEqual(3);
    expect(body.hits.map((h) => h.id)).not.toContain(mengyinId);
    for (const hit of body.hits) expect(hit.sharedKeywords.length).toBeGreaterThan(0);
  });

  it('related answers 404 for an unknown article and 400 for a bad limit', async () => {
    expect((await fetch(`${api}/v1/articles/no-such-article/related`)).status).toBe(404);
    const bad = await getJson<ErrorBody>(`${api}/v1/articles/${mengyinId}/related?limit=500`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('limit');
  });

  it.each(['党建', 'dangjian', 'djpp'])('GET /v1/suggest?q=%s completes to 党建…', async (q) => {
    const { status, body } = await getJson<{ suggestions: { text: string; kind: string; id?: string }[] }>(`${api}/v1/suggest?q=${q}&limit=5`);
    expect(status).toBe(200);
    expect(body.suggestions.length).toBeGreaterThan(0);
    expect(body.suggestions.length).toBeLessThanOrEqual(5);
    expect(body.suggestions.some((s) => s.text.includes('党建'))).toBe(true);
    for (const s of body.suggestions) expect(['title', 'hospital', 'term']).toContain(s.kind);
  });

  it('GET /v1/suggest with an empty prefix suggests nothing', async () => {
    expect((await getJson<{ suggestions: unknown[] }>(`${api}/v1/suggest?q=`)).body).toEqual({ suggestions: [] });
  });

  it('GET /v1/facets lists every facet with counts, optionally filtered', async () => {
    const all = await getJson<{ facets: Record<string, Record<string, number>> }>(`${api}/v1/facets`);
    expect(all.status).toBe(200);
    const listing = await getJson<SearchBody>(`${api}/v1/search?pageSize=50`);
    expect(all.body.facets).toEqual(listing.body.facets);
    expect(all.body.facets['province']?.['山东']).toBe(2);
    expect(all.body.facets['hospital']).toHaveProperty('蒙阴县人民医院', 1);
    const shandong = await getJson<{ facets: Record<string, Record<string, number>> }>(`${api}/v1/facets?province=山东`);
    expect(Object.keys(shandong.body.facets['province'] ?? {})).toEqual(['山东']);
  });
});

describe('site keys', () => {
  const key = 'mengyin-site-2024';

  it.each([
    ['header', { 'X-Site-Key': key }, ''],
    ['key parameter', {}, `&key=${key}`],
  ])('confine search to the bound hospital (%s)', async (_how, headers, param) => {
    const { body } = await getJson<SearchBody>(`${api}/v1/search?q=党建${param}`, { headers });
    expect(body.total).toBe(1);
    expect(body.hits.map((h) => h.hospital)).toEqual(['蒙阴县人民医院']);
    expect(body.facets?.['hospital']).toEqual({ 蒙阴县人民医院: 1 });
  });

  it('cannot be escaped by asking for another hospital: the answer is empty, not wider', async () => {
    const headers = { 'X-Site-Key': key };
    const other = await getJson<SearchBody>(`${api}/v1/search?q=党建&hospital=${encodeURIComponent('潍坊市妇幼保健院')}`, { headers });
    expect(other.status).toBe(200);
    expect(other.body.total).toBe(0);
    expect(other.body.hits).toEqual([]);
    const both = await getJson<SearchBody>(
      `${api}/v1/search?q=党建&hospital=${encodeURIComponent('潍坊市妇幼保健院')}&hospital=${encodeURIComponent('蒙阴县人民医院')}`,
      { headers },
    );
    expect(both.body.hits.map((h) => h.hospital)).toEqual(['蒙阴县人民医院']);
    const facets = await getJson<{ facets: Record<string, Record<string, number>> }>(`${api}/v1/facets`, { headers });
    expect(facets.body.facets['hospital']).toEqual({ 蒙阴县人民医院: 1 });
  });

  it('hides articles of other hospitals from lookups, related and suggestions', async () => {
    const headers = { 'X-Site-Key': key };
    const weifang = (await getJson<SearchBody>(`${api}/v1/search?q=${encodeURIComponent('潍坊市妇幼保健院')}`)).body.hits.find(
      (h) => h.hospital === '潍坊市妇幼保健院',
    )!;
    expect((await fetch(`${api}/v1/articles/${weifang.id}`, { headers })).status).toBe(404);
    expect((await fetch(`${api}/v1/articles/${weifang.id}/related`, { headers })).status).toBe(404);
    const mengyin = (await getJson<SearchBody>(`${api}/v1/search?q=党建`, { headers })).body.hits[0]!;
    const related = await getJson<{ hits: Hit[] }>(`${api}/v1/articles/${mengyin.id}/related`, { headers });
    expect(related.body.hits.every((h) => h.hospital === '蒙阴县人民医院')).toBe(true);
    const suggest = await getJson<{ suggestions: { text: string; kind: string }[] }>(`${api}/v1/suggest?q=${encodeURIComponent('潍坊')}`, { headers });
    expect(suggest.body.suggestions.filter((s) => s.kind !== 'term').map((s) => s.text).join()).not.toContain('潍坊');
    // Pinyin is never read as another hospital's name (without the key it is).
    const pinyin = `${api}/v1/search?q=weifangshifuyoubaojianyuan`;
    expect((await getJson<SearchBody>(pinyin)).body.interpretedAs).toBe('潍坊市妇幼保健院');
    expect((await getJson<SearchBody>(pinyin, { headers })).body.interpretedAs).toBeNull();
  });

  it('a key bound by alias (潍坊妇幼) resolves to the canonical hospital', async () => {
    const { body } = await getJson<SearchBody>(`${api}/v1/search?q=党建`, { headers: { 'X-Site-Key': 'weifang-site-2024' } });
    expect(body.hits.map((h) => h.hospital)).toEqual(['潍坊市妇幼保健院']);
  });

  it('a header and a key parameter that disagree are refused, not resolved in the client\'s favour', async () => {
    const { status, body } = await getJson<ErrorBody>(`${api}/v1/search?q=党建&key=weifang-site-2024`, { headers: { 'X-Site-Key': key } });
    expect(status).toBe(400);
    expect(body.error.field).toBe('key');
  });

  it('an unknown key is refused with 401, not ignored', async () => {
    const { status, body } = await getJson<ErrorBody>(`${api}/v1/search?q=党建&key=not-a-real-key-123`);
    expect(status).toBe(401);
    expect(body.error).toMatchObject({ code: 'invalid_site_key', field: 'key' });
  });
});

describe('CORS', () => {
  const preflight = (origin: string): Promise<Response> =>
    fetch(`${api}/v1/search?q=党建`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'x-site-key' },
    });

  it('allows a listed origin with the site-key header', async () => {
    const res = await preflight(allowedOrigin);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(res.headers.get('access-control-allow-methods')).toContain('GET');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-site-key');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).not.toContain('authorization');
  });

  it('refuses an unlisted origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await res.json()) as ErrorBody).error.code).toBe('origin_not_allowed');
  });

  it('marks actual responses for listed origins only', async () => {
    const ok = await fetch(`${api}/v1/search?q=党建`, { headers: { Origin: allowedOrigin } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    const other = await fetch(`${api}/v1/search?q=党建`, { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // Errors carry the CORS headers too, so the embedding page can read them.
    const bad = await fetch(`${api}/v1/search?pageSize=99`, { headers: { Origin: allowedOrigin } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
  });

  it('every kind of answer to a listed origin carries the CORS headers and Vary: Origin once', async () => {
    const cases: Array<[string, number]> = [
      ['/v1/search?q=党建', 200],
      ['/v1/suggest?q=党', 200],
      ['/v1/search?q=党建&page=0', 400],
      ['/v1/nothing-here', 404],
      ['/v1/export?q=党建&format=csv', 200],
    ];
    for (const [path, status] of cases) {
      const res = await fetch(`${api}${path}`, { headers: { Origin: allowedOrigin } });
      await res.arrayBuffer();
      expect(res.status, path).toBe(status);
      // A header set twice would come back joined ("a, a").
      expect(res.headers.get('access-control-allow-origin'), path).toBe(allowedOrigin);
      expect(res.headers.get('access-control-expose-headers'), path).toBe('Retry-After,X-Request-Id');
      expect(res.headers.get('vary'), path).toBe('Origin');
      // Without an Origin the answer still varies by it, so a cache never serves it to a page that sent one.
      const plain = await fetch(`${api}${path}`);
      await plain.arrayBuffer();
      expect(plain.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(plain.headers.get('vary'), path).toBe('Origin');
    }
  });
});

describe('admin routes', () => {
  it('POST /v1/articles indexes the article before answering 201; search finds it at once', async () => {
    const res = await postJson(`${api}/v1/articles`, droneArticle);
    expect(res.status).toBe(201);
    const body = (await res.json()) as IngestBody;
    expect(Object.keys(body).sort()).toEqual(
      ['awardLevels', 'awardNames', 'awardTypes', 'city', 'county', 'duplicateOf', 'hospital', 'hospitalAliases', 'id', 'keywords', 'partyBranches', 'province', 'publishedAt', 'source', 'title', 'year', 'yearSource'].sort(),
    );
    expect(body).toMatchObject({ title: droneArticle.title, duplicateOf: null });
    expect(res.headers.get('location')).toBe(`/v1/articles/${body.id}`);

    const found = await getJson<SearchBody>(`${api}/v1/search?q=无人机`);
    expect(found.body.hits.map((h) => h.id)).toContain(body.id);
    expect(found.body.total).toBe(1);
    // Written durably into the corpus (the source of truth a rebuild reads).
    const files = await readdir(join(server.dirs.corpusDir, 'api'));
    expect(files).toContain(`${body.id}.json`);
  });

  it('posting the same url again updates the article instead of adding one', async () => {
    const first = (await (await postJson(`${api}/v1/articles`, droneArticle)).json()) as IngestBody;
    const again = await postJson(`${api}/v1/articles`, { ...droneArticle, text: `${droneArticle.text}\n截至目前，无人机航线已覆盖全县12个乡镇。` });
    expect(again.status).toBe(200);
    const body = (await again.json()) as IngestBody;
    expect(body.id).toBe(first.id);
    const found = await getJson<SearchBody>(`${api}/v1/search?q=无人机&collapse=false`);
    expect(found.body.total).toBe(1);
    const article = await getJson<{ body: string }>(`${api}/v1/articles/${body.id}`);
    expect(article.body.body).toContain('12个乡镇');
  });

  it('a repost with different boilerplate comes back with duplicateOf and is folded into the original', async () => {
    const seed = await readFile(join(repoRoot, 'corpus/002_94a6097dd52ce2f1.txt'), 'utf8');
    const original = (await getJson<SearchBody>(`${api}/v1/search?q=${encodeURIComponent('潍坊市妇幼保健院')}`)).body.hits.find(
      (h) => h.hospital === '潍坊市妇幼保健院',
    )!;
    const repostText = seed
      .replace(/\(2024年07月02日\) 来源:潍坊日报\n放大 {3}缩小 {3}默认/u, '')
      .concat('\n\n来源：大众网·潍坊\n责任编辑：王宁\n【打印本页】【关闭窗口】');
    const res = await postJson(`${api}/v1/articles`, { url: 'https://weifang.dzwww.example/xinwen/2024/0703/123.html', text: repostText });
    expect([200, 201]).toContain(res.status);
    const repost = (await res.json()) as IngestBody;
    expect(repost.duplicateOf).toBe(original.id);
    const collapsed = await getJson<SearchBody>(`${api}/v1/search?q=${encodeURIComponent('潍坊市妇幼保健院')}`);
    const canonical = collapsed.body.hits.find((h) => h.id === original.id);
    expect(canonical?.duplicates).toContain(repost.id);
    expect(collapsed.body.hits.map((h) => h.id)).not.toContain(repost.id);
  });

  it.each([
    ['neither text nor html', 'text', { title: '只有标题' }],
    ['a bad date', 'publishedAt', { text: '正文', publishedAt: '2024/03/15' }],
    ['a non-http url', 'url', { text: '正文', url: 'javascript:alert(1)' }],
    ['an unknown field', 'author', { text: '正文', author: '张三' }],
  ])('400 for %s, naming %s', async (_name, field, article) => {
    const res = await postJson(`${api}/v1/articles`, article);
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'validation_failed', field });
  });

  it('400 for malformed JSON', async () => {
    const res = await fetch(`${api}/v1/articles`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
      body: '{"text": "未闭合',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('validation_failed');
  });

  it('401 without or with a wrong token', async () => {
    const none = await postJson(`${api}/v1/articles`, droneArticle, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await postJson(`${api}/v1/articles`, droneArticle, 'test-admin-token-4f9c2a7e1c');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ErrorBody).error.code).toBe('unauthorized');
    expect((await fetch(`${api}/v1/reindex`, { method: 'POST' })).status).toBe(401);
    expect((await fetch(`${api}/v1/articles/x`, { method: 'DELETE' })).status).toBe(401);
  });

  it('415 for a body that is not JSON', async () => {
    const res = await fetch(`${api}/v1/articles`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${adminToken}` },
      body: droneArticle.text,
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
  });

  it('413 for a body over 2 MB', async () => {
    const res = await postJson(`${api}/v1/articles`, { text: '党建'.repeat(1_100_000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('DELETE /v1/articles/:id removes it from the index and the corpus', async () => {
    const created = (await (
      await postJson(`${api}/v1/articles`, { url: 'https://www.binjiang-hospital.example/news/2024/0401.html', title: '滨江县人民医院举办冰雪运动党日活动', text: '滨江县人民医院第二党支部组织党员开展冰雪运动主题党日活动，增强团队凝聚力。' })
    ).json()) as IngestBody;
    expect((await getJson<SearchBody>(`${api}/v1/search?q=冰雪运动`)).body.total).toBe(1);
    const file = join(server.dirs.corpusDir, 'api', `${created.id}.json`);
    await stat(file);

    const res = await fetch(`${api}/v1/articles/${created.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(204);
    expect((await getJson<SearchBody>(`${api}/v1/search?q=冰雪运动`)).body.total).toBe(0);
    expect((await fetch(`${api}/v1/articles/${created.id}`)).status).toBe(404);
    await expect(stat(file)).rejects.toThrow();
    const again = await fetch(`${api}/v1/articles/${created.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${adminToken}` } });
    expect(again.status).toBe(404);
  });

  it('POST /v1/reindex rebuilds from the corpus while searches keep being answered', async () => {
    const searches: Promise<number>[] = [];
    const rebuild = fetch(`${api}/v1/reindex`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
    for (let i = 0; i < 5; i++) {
      searches.push(fetch(`${api}/v1/search?q=党建`).then(async (r) => ((await r.json()) as SearchBody).total));
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await rebuild;
    expect(res.status).toBe(200);
    const summary = (await res.json()) as { articles: number; indexed: number; rejected: number; duplicates: number };
    expect(summary.articles).toBeGreaterThanOrEqual(7);
    expect(summary.indexed).toBe(summary.articles);
    // Every search during the rebuild saw a complete index (the seeds, plus what was posted).
    for (const total of await Promise.all(searches)) expect(total).toBeGreaterThanOrEqual(5);
    // What was posted through the API is still there after the rebuild (it lives in the corpus).
    expect((await getJson<SearchBody>(`${api}/v1/search?q=无人机`)).body.total).toBe(1);
  });

  it('500 without internals when the corpus cannot be written', async () => {
    const broken = await startTestServer({ ADMIN_TOKEN: adminToken });
    try {
      // A file where the API's article directory should be: the write fails inside the indexer.
      await mkdir(broken.dirs.corpusDir, { recursive: true });
      await writeFile(join(broken.dirs.corpusDir, 'api'), 'not a directory');
      const res = await postJson(`${broken.url}/v1/articles`, droneArticle);
      expect(res.status).toBe(500);
      const text = await res.text();
      const body = JSON.parse(text) as ErrorBody;
      expect(body.error.code).toBe('internal_error');
      expect(text).not.toContain(broken.dirs.corpusDir);
      expect(text).not.toMatch(/ENOTDIR|EEXIST|\.ts:\d+|at [A-Za-z]/u);
      const requestId = res.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      const logged = broken.logs().map((l) => JSON.parse(l) as { requestId?: string; level: number; err?: { stack?: string } });
      expect(logged.some((l) => l.requestId === requestId && l.level >= 50 && l.err?.stack !== undefined)).toBe(true);
    } finally {
      await broken.stop();
    }
  });
});

describe('requests and logs', () => {
  it('unknown routes answer 404 in the error shape', async () => {
    const { status, body } = await getJson<ErrorBody>(`${api}/v1/nothing-here`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });

  it('every kind of answer carries its request id and nosniff once, over a real socket', async () => {
    const cases: Array<[string, RequestInit, number]> = [
      ['/healthz', {}, 200],
      ['/readyz', {}, 200],
      ['/v1/nothing-here', {}, 404],
      ['/v1/search?q=党建&page=0', {}, 400],
      ['/v1/export?q=党建&format=csv', {}, 200],
      ['/v1/articles', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }, 401],
      ['/v1/search?q=党建', { method: 'OPTIONS', headers: { Origin: allowedOrigin, 'Access-Control-Request-Method': 'GET' } }, 204],
    ];
    for (const [path, init, status] of cases) {
      const id = `trace-${status}-${path.length}`;
      const res = await fetch(`${api}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), 'X-Request-Id': id } });
      await res.arrayBuffer();
      expect(res.status, path).toBe(status);
      // A header set twice would come back joined ("a, a").
      expect(res.headers.get('x-request-id'), path).toBe(id);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
    const fresh = await fetch(`${api}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/u);
    const repeated = await fetch(`${api}/healthz`, { headers: [['X-Request-Id', 'a'], ['X-Request-Id', 'b']] });
    expect(repeated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/u);
  });

  it("a route's own log lines carry the request id of the request that wrote them", async () => {
    const res = await fetch(`${api}/v1/articles`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}`, 'X-Request-Id': 'ingest-trace-77' },
      body: JSON.stringify({ ...droneArticle, url: 'https://www.binjiang-hospital.example/news/2024/0316.html' }),
    });
    expect(res.status).toBeLessThan(300);
    const lines = server.logs().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l['msg'] === 'article ingested' && l['requestId'] === 'ingest-trace-77')).toBeDefined();
    expect(lines.find((l) => l['msg'] === 'request' && l['requestId'] === 'ingest-trace-77')).toBeDefined();
  });

  it('echoes a request id and logs one JSON line per request, never the admin token', async () => {
    const res = await fetch(`${api}/v1/search?q=党建`, { headers: { 'X-Request-Id': 'trace-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-abc-123');
    await postJson(`${api}/v1/articles`, { title: 'x' });
    const lines = server.logs().map((l) => JSON.parse(l) as Record<string, unknown>);
    const entry = lines.find((l) => l['requestId'] === 'trace-abc-123' && l['msg'] === 'request');
    expect(entry).toMatchObject({ method: 'GET', route: '/v1/search', path: '/v1/search', status: 200 });
    expect(typeof entry?.['latencyMs']).toBe('number');
    expect(server.logs().join('\n')).not.toContain(adminToken);
  });
});

describe('OpenAPI and docs', () => {
  const contract = [
    'get /v1/search',
    'get /v1/articles/{id}',
    'get /v1/articles/{id}/related',
    'get /v1/suggest',
    'get /v1/facets',
    'get /healthz',
    'get /readyz',
    'get /metrics',
    'get /openapi.json',
    'get /docs',
    'post /v1/articles',
    'delete /v1/articles/{id}',
    'post /v1/reindex',
  ];

  it('/openapi.json is a valid OpenAPI 3.1 document listing every route of the contract', async () => {
    const { status, body } = await getJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(`${api}/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1\./u);
    const result = await validateOpenApi(structuredClone(body) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    const listed = Object.entries(body.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(listed).toEqual(expect.arrayContaining(contract));
  });

  it('documents every route the app serves (nothing added without a description)', async () => {
    const { body } = await getJson<{ paths: Record<string, Record<string, unknown>> }>(`${api}/openapi.json`);
    const app = createApp({ engine: server.engine, corpusDir: server.dirs.corpusDir, logger: server.logger });
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${toOpenApiPath(r.path)}`));
    const listed = new Set(Object.entries(body.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)));
    expect([...served].filter((r) => !listed.has(r))).toEqual([]);
  });

  it('documents the search parameters with their limits, repeatable filters and the error body', async () => {
    const { body } = await getJson<{
      paths: Record<string, Record<string, { parameters: { name: string; schema: Record<string, unknown>; explode?: boolean }[] }>>;
      components: { schemas: Record<string, unknown> };
    }>(`${api}/openapi.json`);
    const params = body.paths['/v1/search']!['get']!.parameters;
    const byName = new Map(params.map((p) => [p.name, p]));
    expect(byName.get('pageSize')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 50, default: 10 });
    expect(byName.get('q')?.schema).toMatchObject({ maxLength: 200 });
    expect(byName.get('province')).toMatchObject({ explode: true, schema: { type: 'array' } });
    expect(body.components.schemas).toHaveProperty('Error');
    expect(body.components.schemas).toHaveProperty('SearchResponse');
  });

  it('/docs is a readable HTML reference of the same routes', async () => {
    const res = await fetch(`${api}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const path of ['/v1/search', '/v1/articles/{id}/related', '/v1/reindex', 'pageSize']) expect(html).toContain(path);
  });
});

describe('rate limiting', () => {
  let strict: TestServer;
  beforeAll(async () => {
    const dirs = await makeTempDirs();
    const keysFile = join(dirs.root, 'site-keys.json');
    await writeFile(keysFile, JSON.stringify(siteKeys));
    strict = await startTestServer(
      {
        SITE_KEYS_FILE: keysFile,
        RATE_LIMIT_IP_PER_MINUTE: '1',
        RATE_LIMIT_IP_BURST: '6',
        RATE_LIMIT_KEY_PER_MINUTE: '1',
        RATE_LIMIT_KEY_BURST: '2',
      },
      { dirs },
    );
  });
  afterAll(async () => {
    await strict?.stop();
    await strict?.dirs.remove();
  });

  it('429 with Retry-After once a site key has used its burst', async () => {
    const headers = { 'X-Site-Key': 'mengyin-site-2024' };
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 3; i++) {
      last = await fetch(`${strict.url}/v1/search?q=党建`, { headers });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last!.json()) as ErrorBody).error.code).toBe('rate_limited');
  });

  it('429 with Retry-After once an address has used its burst; health checks are not limited', async () => {
    let res: Response | undefined;
    for (let i = 0; i < 10 && res?.status !== 429; i++) res = await fetch(`${strict.url}/v1/suggest?q=党`);
    expect(res?.status).toBe(429);
    const retryAfter = Number(res?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await res!.json()) as ErrorBody;
    expect(body.error.code).toBe('rate_limited');
    expect((await fetch(`${strict.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${strict.url}/readyz`)).status).toBe(200);
  });
});

describe('admin disabled', () => {
  it('403 with instructions on every admin route when ADMIN_TOKEN is unset', async () => {
    const open = await startTestServer({});
    try {
      for (const [method, path] of [
        ['POST', '/v1/articles'],
        ['DELETE', '/v1/articles/abc'],
        ['POST', '/v1/reindex'],
      ] as const) {
        const res = await fetch(`${open.url}${path}`, {
          method,
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` },
          ...(method === 'POST' ? { body: JSON.stringify(droneArticle) } : {}),
        });
        expect(res.status).toBe(403);
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe('admin_disabled');
        expect(body.error.message).toContain('ADMIN_TOKEN');
      }
    } finally {
      await open.stop();
    }
  });
});

describe('readiness', () => {
  it('/readyz and the data routes answer 503 while the engine is unreachable; /healthz stays up', async () => {
    const port = await findClosedPort();
    const down = await startTestServer({ ENGINE: 'meilisearch', MEILI_URL: `http://127.0.0.1:${port}` }, { waitReady: false });
    try {
      down.ready.catch(() => undefined);
      const ready = await getJson<ErrorBody>(`${down.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(['not_ready', 'engine_unavailable']).toContain(ready.body.error.code);
      expect(ready.headers.get('retry-after')).toBeTruthy();
      const search = await getJson<ErrorBody>(`${down.url}/v1/search?q=党建`);
      expect(search.status).toBe(503);
      expect(JSON.stringify(search.body)).not.toContain(String(port));
      expect((await fetch(`${down.url}/healthz`)).status).toBe(200);
      // It keeps retrying rather than giving up: still 503 a moment later, not a dead process.
      await waitFor('a retry to be logged', () =>
        Promise.resolve(down.logs().some((l) => l.includes('retrying')) ? true : undefined),
      );
      expect((await fetch(`${down.url}/readyz`)).status).toBe(503);
    } finally {
      await down.stop();
    }
  });

  it('close() lets an in-flight request finish, then refuses new connections', async () => {
    const s = await startTestServer({ ADMIN_TOKEN: adminToken });
    let rebuildStarted!: () => void;
    const started = new Promise<void>((r) => (rebuildStarted = r));
    // The rebuild runs on its own thread; the serving engine re-opens the new
    // generation at its end, while the request is still in flight.
    const init = s.engine.init.bind(s.engine);
    s.engine.init = () => {
      rebuildStarted();
      return init();
    };
    const inFlight = fetch(`${s.url}/v1/reindex`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
    await started;
    const closed = s.stop();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { articles: number }).articles).toBe(5);
    await closed;
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });
});
