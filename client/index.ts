/**
 * A small typed client for the search service. The types come from
 * client/schema.ts, generated from the service's /openapi.json
 * (client/generate.ts), and requests go through openapi-fetch, so a call
 * with a wrong parameter or a misread answer fails to compile.
 *
 *   const api = createSearchClient({ baseUrl: 'http://127.0.0.1:3000' });
 *   const { hits, total } = await api.search({ q: '党建品牌', province: ['浙江'] });
 *
 * Failed requests throw SearchApiError with the API's error code and field.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
export type Schemas = components['schemas'];

type Query<Op extends keyof operations> = operations[Op]['parameters'] extends { query?: infer Q } ? NonNullable<Q> : never;

export type SearchParams = Query<'search'>;
export type SuggestParams = Query<'suggest'>;
export type FacetParams = Query<'facets'>;
export type RelatedParams = Query<'relatedArticles'>;
export type ArticleInput = Schemas['ArticleInput'];
export type IngestResponse = Schemas['IngestResponse'];
export type BatchIngestResponse = Schemas['BatchIngestResponse'];
export type SynonymsInput = Schemas['SynonymsInput'];
export type DictionaryInput = Schemas['DictionaryInput'];
export type AnalysisTask = Schemas['AnalysisTask'];

export interface SearchClientOptions {
  /** Where the service runs, e.g. https://search.example.org (no trailing /v1). */
  baseUrl: string;
  /** For the admin calls: the server's ADMIN_TOKEN. */
  adminToken?: string;
  /** Confines public calls to the key's hospital (sent as X-Site-Key). */
  siteKey?: string;
  /** A fetch of your own (tests, proxies); default globalThis.fetch. */
  fetch?: typeof fetch;
}

export class SearchApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | undefined,
  ) {
    super(message);
    this.name = 'SearchApiError';
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function unwrap<T>(answer: Answer<T>): T {
  if (answer.error !== undefined || !answer.response.ok) {
    const body = (answer.error ?? {}) as { error?: { code?: string; message?: string; field?: string } };
    const status = answer.response.status;
    throw new SearchApiError(status, body.error?.code ?? 'http_error', body.error?.message ?? `HTTP ${status}`, body.error?.field);
  }
  return answer.data as T;
}

export function createSearchClient(options: SearchClientOptions) {
  const headers: Record<string, string> = {};
  if (options.siteKey !== undefined) headers['X-Site-Key'] = options.siteKey;
  const http: Client<paths> = createClient<paths>({ baseUrl: options.baseUrl, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const admin = (): Record<string, string> => {
    if (options.adminToken === undefined) throw new Error('this call needs adminToken in createSearchClient()');
    return { Authorization: `Bearer ${options.adminToken}` };
  };

  return {
    /** Untyped escape hatch: the openapi-fetch client itself, for routes not wrapped below. */
    http,
    search: async (query: SearchParams) => unwrap(await http.GET('/v1/search', { params: { query } })),
    suggest: async (query: SuggestParams) => unwrap(await http.GET('/v1/suggest', { params: { query } })),
    facets: async (query: FacetParams = {}) => unwrap(await http.GET('/v1/facets', { params: { query } })),
    article: async (id: string) => unwrap(await http.GET('/v1/articles/{id}', { params: { path: { id } } })),
    related: async (id: string, query: RelatedParams = {}) =>
      unwrap(await http.GET('/v1/articles/{id}/related', { params: { path: { id }, query } })),
    admin: {
      /** One article (201/200 answer) or an array (a result per article); `idempotencyKey` makes a retry safe. */
      ingest: async (body: ArticleInput | ArticleInput[], idempotencyKey?: string) =>
        unwrap(
          await http.POST('/v1/articles', {
            body,
            headers: { ...admin(), ...(idempotencyKey !== undefined ? { 'Idempotency-Key': idempotencyKey } : {}) },
          }),
        ),
      deleteArticle: async (id: string) => {
        unwrap(await http.DELETE('/v1/articles/{id}', { params: { path: { id } }, headers: admin() }));
      },
      reindex: async () => unwrap(await http.POST('/v1/reindex', { headers: admin() })),
      synonyms: async () => unwrap(await http.GET('/v1/admin/synonyms', { headers: admin() })),
      setSynonyms: async (body: SynonymsInput) => unwrap(await http.PUT('/v1/admin/synonyms', { body, headers: admin() })),
      dictionary: async () => unwrap(await http.GET('/v1/admin/dictionary', { headers: admin() })),
      setDictionary: async (body: DictionaryInput) => unwrap(await http.PUT('/v1/admin/dictionary', { body, headers: admin() })),
      task: async (id: string) => unwrap(await http.GET('/v1/admin/tasks/{id}', { params: { path: { id } }, headers: admin() })),
    },
  };
}

export type SearchClient = ReturnType<typeof createSearchClient>;
