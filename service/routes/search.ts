import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { emptyFacetCounts, presentHit } from '../query/present.js';
import { buildSearchRequest } from '../query/search-request.js';
import { interpretQuery } from '../../engine/analysis/interpret.js';
import { searchQuerySchema, searchResponseSchema, type SearchResponse } from '../schemas.js';
import { validate } from '../middleware/validate.js';
import type { RouteDeps } from './deps.js';
import { searchWithinBudget } from '../search-budget.js';

export const searchOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/search',
    operationId: 'search',
    tag: 'search',
    summary: 'Search articles',
    description:
      'Full-text search with filters and facets. All query words must match (aliases and synonyms count); a quoted "phrase" must match contiguously; the last word also matches as a prefix. After the articles matching every word (`exact: true`, counted by `total`), the page fills with partial matches (`exact: false`, counted by `partialTotal`): the word matching the most articles is dropped first, then the next. When no article has every word, only partial matches answer and `relaxed` is true. Pinyin (dangjian, djpp, dang jian pin pai) is searched as the Chinese it spells and a homophone typo (党见品牌) as the word of the index it sounds like: `interpretedAs` says what was searched, `correctedFrom` what was typed. An empty `q` lists articles within the filters, newest first. With a site key the results are confined to its hospital.',
    query: searchQuerySchema,
    siteKey: true,
    examples: { query: { q: '党建品牌', province: ['浙江'], pageSize: 10 } },
    responses: { 200: { description: 'One page of hits, with facet counts over the whole result set.', schema: searchResponseSchema } },
    errors: ['validation_failed', 'invalid_site_key', 'rate_limited', 'not_ready', 'engine_unavailable', 'timeout'],
  },
];

export function createSearchRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/v1/search', deps.publicGuard, validate('query', searchQuerySchema), async (c) => {
    const started = performance.now();
    const params = c.req.valid('query');
    // Read against the index's vocabulary before anything else, so filters, facets and totals are those of what is searched.
    // A search box bound to one hospital never reads the query as another hospital's name.
    const scope = c.get('siteScope');
    const interpretation = await interpretQuery(params.q.trim(), async (keys) => {
      const entries = await deps.engine.vocabulary(keys);
      if (scope === null) return entries;
      const hospitals = new Set(entries.filter((e) => e.kind === 'hospital' && e.text !== scope.hospital).map((e) => e.text));
      return entries.filter((e) => !hospitals.has(e.text));
    });
    const searched = interpretation.interpretedAs === null ? params : { ...params, q: interpretation.text };
    const plan = buildSearchRequest(searched, c.get('siteScope'));
    const reading = { interpretedAs: interpretation.interpretedAs, correctedFrom: interpretation.correctedFrom };
    let body: SearchResponse;
    if (plan.kind === 'nothing') {
      body = {
        query: params.q,
        hits: [],
        total: 0,
        partialTotal: 0,
        page: plan.page,
        pageSize: plan.pageSize,
        relaxed: false,
        ...reading,
        facets: plan.facets ? emptyFacetCounts() : null,
        tookMs: 0,
      };
    } else {
      const result = await searchWithinBudget(deps.engine, plan.request, deps.searchTimeoutMs, c.req.raw.signal);
      body = {
        query: params.q,
        hits: result.hits.map((hit) => presentHit(hit, plan.hasQuery)),
        total: result.total,
        partialTotal: result.partialTotal,
        page: plan.request.page,
        pageSize: plan.request.pageSize,
        relaxed: result.relaxed,
        ...reading,
        facets: plan.request.facets ? (result.facets ?? emptyFacetCounts()) : null,
        tookMs: 0,
        ...(result.partial === true ? { partial: true } : {}),
      };
    }
    body.tookMs = Math.round((performance.now() - started) * 100) / 100;
    // A search is counted once, at its first page; one-hit lookups (the box's facet counts) are not searches.
    if (params.page === 1 && params.pageSize > 1) deps.analytics?.recordSearch(params.q, body.total);
    return c.json(body, 200);
  });
  return app;
}
