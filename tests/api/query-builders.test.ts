import { describe, expect, it } from 'vitest';
import { buildFilters, canonicaliseHospital, scopeFilters, type SiteScope } from '../../service/query/filters.js';
import { buildSearchRequest, buildSuggestRequest } from '../../service/query/search-request.js';
import { searchQuerySchema, type SearchQuery } from '../../service/schemas.js';

function parse(query: Record<string, string | string[]>): SearchQuery {
  return searchQuerySchema.parse(query);
}

const jingzhou: SiteScope = { key: 'jz-first-2024', hospital: '荆州市第一人民医院' };

describe('searchQuerySchema', () => {
  it('applies the documented defaults', () => {
    expect(parse({})).toEqual({ q: '', page: 1, pageSize: 10, facets: true, disjunctiveFacets: false, facetLimit: 100, collapse: true });
  });

  it.each([
    [{ province: ['浙江', '山东'] }, { province: ['浙江', '山东'] }],
    [{ province: '浙江' }, { province: ['浙江'] }],
    [{ year: ['2022', '2023'] }, { year: [2022, 2023] }],
    [{ facets: 'false', collapse: '0' }, { facets: false, collapse: false }],
    [{ facets: '1' }, { facets: true }],
    [{ pageSize: '50', page: '3' }, { pageSize: 50, page: 3 }],
    [{ awardLevel: ['national', 'provincial'] }, { awardLevel: ['national', 'provincial'] }],
    [{ hospitalKind: ['中医', '妇幼'] }, { hospitalKind: ['中医', '妇幼'] }],
    [{ disjunctiveFacets: 'true', facetLimit: '5' }, { disjunctiveFacets: true, facetLimit: 5 }],
  ])('parses %j', (input, expected) => {
    expect(parse(input)).toMatchObject(expected);
  });

  it.each([
    [{ pageSize: '0' }, 'pageSize'],
    [{ pageSize: '51' }, 'pageSize'],
    [{ pageSize: '10.5' }, 'pageSize'],
    [{ page: '0' }, 'page'],
    [{ page: '-1' }, 'page'],
    [{ facets: 'yes' }, 'facets'],
    [{ collapse: 'TRUE' }, 'collapse'],
    [{ q: '党'.repeat(201) }, 'q'],
    [{ q: ['党建', '品牌'] }, 'q'],
    [{ awardLevel: 'galactic' }, 'awardLevel'],
    [{ hospitalKind: '火星' }, 'hospitalKind'],
    [{ year: '22' }, 'year'],
    [{ facetLimit: '0' }, 'facetLimit'],
    [{ facetLimit: '1001' }, 'facetLimit'],
    [{ facetLimit: 'ten' }, 'facetLimit'],
    [{ disjunctiveFacets: 'maybe' }, 'disjunctiveFacets'],
    [{ yearFrom: '2023', yearTo: '2021' }, 'yearFrom'],
    [{ sort: 'popular' }, 'sort'],
    [{ province: '' }, 'province'],
  ])('rejects %j naming %s', (input, field) => {
    const result = searchQuerySchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it('rejects unknown parameters instead of ignoring them', () => {
    const result = searchQuerySchema.safeParse({ q: '党建', provice: '浙江' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['provice'] });
  });
});

describe('buildFilters', () => {
  it.each([
    ['荆州一医', '荆州市第一人民医院'],
    ['荆州市第一人民医院', '荆州市第一人民医院'],
    ['山西省腫瘤醫院', '山西省肿瘤医院'],
    ['潍坊妇幼', '潍坊市妇幼保健院'],
    ['某某县中医院', '某某县中医院'],
  ])('hospital %s → %s', (given, canonical) => {
    expect(canonicaliseHospital(given)).toBe(canonical);
    expect(buildFilters({ hospital: [given] }).hospital).toEqual([canonical]);
  });

  it('converts Traditional filter values to the Simplified form documents store', () => {
    expect(buildFilters({ province: ['廣東'], city: ['廣州'] })).toEqual({ province: ['广东'], city: ['广州'] });
  });

  it('drops duplicate values and leaves out fields that were not given', () => {
    expect(buildFilters({ province: ['浙江', '浙江'], year: [2022, 2022], yearFrom: 2020 })).toEqual({
      province: ['浙江'],
      year: [2022],
      yearFrom: 2020,
    });
  });
});

describe('scopeFilters (site keys)', () => {
  it.each<[string, string[] | undefined, string[] | null]>([
    ['adds the bound hospital when the client names none', undefined, ['荆州市第一人民医院']],
    ['keeps the bound hospital when the client asks for it', ['荆州市第一人民医院'], ['荆州市第一人民医院']],
    ['narrows a wider request to the bound hospital', ['山西省肿瘤医院', '荆州市第一人民医院'], ['荆州市第一人民医院']],
    ['refuses another hospital instead of widening', ['山西省肿瘤医院'], null],
  ])('%s', (_name, requested, expected) => {
    const filters = requested ? { hospital: requested, province: ['湖北'] } : { province: ['湖北'] };
    const scoped = scopeFilters(filters, jingzhou);
    if (expected === null) expect(scoped).toBeNull();
    else expect(scoped).toEqual({ province: ['湖北'], hospital: expected });
  });

  it('leaves filters alone without a site key', () => {
    expect(scopeFilters({ hospital: ['山西省肿瘤医院'] }, null)).toEqual({ hospital: ['山西省肿瘤医院'] });
  });
});

describe('buildSearchRequest', () => {
  it('sorts by relevance with a query and newest first without one', () => {
    const withQuery = buildSearchRequest(parse({ q: '党建品牌' }), null);
    const listing = buildSearchRequest(parse({ province: '浙江' }), null);
    expect(withQuery.kind === 'search' && withQuery.request.sort).toBe('relevance');
    expect(listing.kind === 'search' && listing.request.sort).toBe('date_desc');
    expect(listing.kind === 'search' && listing.hasQuery).toBe(false);
  });

  it('keeps an explicit sort', () => {
    const plan = buildSearchRequest(parse({ q: '党建', sort: 'date_asc' }), null);
    expect(plan.kind === 'search' && plan.request.sort).toBe('date_asc');
  });

  it('analyses the query with the shared analyser (Traditional → Simplified)', () => {
    const plan = buildSearchRequest(parse({ q: '黨建品牌' }), null);
    expect(plan.kind).toBe('search');
    if (plan.kind === 'search') {
      expect(plan.request.query.normalised).toBe('党建品牌');
      expect(plan.hasQuery).toBe(true);
    }
  });

  it('passes paging, facets and collapse through', () => {
    const plan = buildSearchRequest(parse({ q: '党建', page: '2', pageSize: '5', facets: 'false', collapse: 'false' }), null);
    expect(plan.kind === 'search' && plan.request).toMatchObject({ page: 2, pageSize: 5, facets: false, collapse: false });
  });

  it('a site key asking for another hospital plans nothing instead of searching wider', () => {
    const plan = buildSearchRequest(parse({ q: '党建', hospital: '山西省肿瘤医院' }), jingzhou);
    expect(plan).toEqual({ kind: 'nothing', page: 1, pageSize: 10, facets: true });
  });

  it('a site key confines the search to its hospital', () => {
    const plan = buildSearchRequest(parse({ q: '党建' }), jingzhou);
    expect(plan.kind === 'search' && plan.request.filters).toEqual({ hospital: ['荆州市第一人民医院'] });
  });

  it('a site key is a fixed filter, so disjunctive hospital counts stay within it', () => {
    const plan = buildSearchRequest(parse({ q: '党建', disjunctiveFacets: 'true' }), jingzhou);
    expect(plan.kind === 'search' && plan.request).toMatchObject({
      fixedFilters: { hospital: ['荆州市第一人民医院'] },
      disjunctiveFacets: true,
    });
  });

  it('passes disjunctive facets and the facet limit through; by default counts are conjunctive and 100 values a field', () => {
    const plan = buildSearchRequest(parse({ q: '党建', disjunctiveFacets: '1', facetLimit: '3' }), null);
    expect(plan.kind === 'search' && plan.request).toMatchObject({ disjunctiveFacets: true, facetLimit: 3 });
    const plain = buildSearchRequest(parse({ q: '党建' }), null);
    expect(plain.kind === 'search' && 'disjunctiveFacets' in plain.request).toBe(false);
    // A search answer carries the top of each facet, not thousands of hospitals; /v1/facets has them all.
    expect(plain.kind === 'search' && plain.request.facetLimit).toBe(100);
    expect(plain.kind === 'search' && 'fixedFilters' in plain.request).toBe(false);
  });
});

describe('buildSuggestRequest', () => {
  it('trims the prefix and scopes by site key', () => {
    expect(buildSuggestRequest('  djpp ', 8, jingzhou)).toEqual({ prefix: 'djpp', limit: 8, filters: { hospital: ['荆州市第一人民医院'] } });
    expect(buildSuggestRequest('党建', 3, null)).toEqual({ prefix: '党建', limit: 3, filters: {} });
  });
});
