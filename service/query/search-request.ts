/**
 * GET /v1/search parameters → the engine's SearchRequest. Pure and table-tested
 * (tests/api/query-builders.test.ts): defaults, site-key scoping and the sort
 * order for an empty query all live here, not in the handler.
 */
import { analyseQuery, isEmptyQuery } from '../../engine/analysis/query.js';
import type { RelatedRequest, SearchRequest, SortOrder, SuggestRequest } from '../../engine/port.js';
import type { FacetsQuery, SearchQuery } from '../schemas.js';
import { buildFilters, scopeFilters, type SiteScope } from './filters.js';
import type { SearchFilters } from '../../engine/port.js';

/** Either a request for the engine, or the certainty that nothing can match. */
export type SearchPlan =
  | { kind: 'search'; request: SearchRequest; hasQuery: boolean }
  | { kind: 'nothing'; page: number; pageSize: number; facets: boolean };

/** Without a query there is no relevance to sort by, so lists default to newest first. */
function chooseSort(requested: SortOrder | undefined, hasQuery: boolean): SortOrder {
  return requested ?? (hasQuery ? 'relevance' : 'date_desc');
}

export function buildSearchRequest(params: SearchQuery, scope: SiteScope | null): SearchPlan {
  const filters = scopeFilters(buildFilters(params), scope);
  if (filters === null) return { kind: 'nothing', page: params.page, pageSize: params.pageSize, facets: params.facets };
  const query = analyseQuery(params.q.trim());
  const hasQuery = !isEmptyQuery(query);
  return {
    kind: 'search',
    hasQuery,
    request: {
      query,
      filters,
      sort: chooseSort(params.sort, hasQuery),
      page: params.page,
      pageSize: params.pageSize,
      facets: params.facets,
      collapse: params.collapse,
      // The scope holds for facet counts too: disjunctive counts never lift it.
      ...(scope !== null ? { fixedFilters: { hospital: [scope.hospital] } } : {}),
      ...(params.disjunctiveFacets ? { disjunctiveFacets: true } : {}),
      facetLimit: params.facetLimit,
    },
  };
}

/** Filters for GET /v1/facets; `null` when the scope rules out everything. */
export function buildFacetFilters(params: FacetsQuery, scope: SiteScope | null): SearchFilters | null {
  return scopeFilters(buildFilters(params), scope);
}

export function buildRelatedRequest(id: string, limit: number, scope: SiteScope | null): RelatedRequest {
  return { id, limit, filters: {}, ...(scope !== null ? { fixedFilters: { hospital: [scope.hospital] } } : {}) };
}

export function buildSuggestRequest(prefix: string, limit: number, scope: SiteScope | null): SuggestRequest {
  return { prefix: prefix.trim(), limit, filters: scope === null ? {} : { hospital: [scope.hospital] } };
}
