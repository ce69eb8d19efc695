/**
 * The one conformance suite every SearchEngine adapter must pass
 * (tests/engine/sqlite.test.ts, tests/engine/meilisearch.test.ts).
 *
 * It states the query semantics of issue 3 as behaviour a user would notice,
 * on the small fixtures of ./fixtures.ts. `makeEngine` must return a new,
 * initialised, EMPTY engine on every call: the read-only tests share one
 * loaded with the fixtures, tests that write get their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpretQuery } from '../../engine/analysis/interpret.js';
import { renderSnippet } from '../../engine/analysis/snippet.js';
import { documentFacetValues, facetFields, type EngineDocument } from '../../engine/document.js';
import { DocumentNotFoundError } from '../../engine/errors.js';
import type { FacetCounts, SearchEngine, SearchFilters, SearchRequest, SearchResult, VocabularyEntry } from '../../engine/port.js';
import { indexCorpus } from '../../indexer/pipeline.js';
import { fixtureDocuments, fixtures, makeDocument, makeSearchRequest } from './fixtures.js';

const seedCorpusDir = new URL('../../corpus/', import.meta.url).pathname;

type MakeEngine = () => Promise<SearchEngine>;

// Large pages: most contract checks look at every hit at once.
const makeRequest = (raw: string, overrides: Partial<SearchRequest> = {}): SearchRequest =>
  makeSearchRequest(raw, { pageSize: 50, ...overrides });

const idsOf = (result: SearchResult): string[] => result.hits.map((hit) => hit.document.id);

/** Every hit over all pages, fetched `pageSize` at a time. */
async function fetchAllPages(engine: SearchEngine, request: SearchRequest): Promise<string[]> {
  const out: string[] = [];
  for (let page = 1; page <= 50; page++) {
    const result = await engine.search({ ...request, page });
    out.push(...idsOf(result));
    if (result.hits.length < request.pageSize) break;
  }
  return out;
}

function countFacets(documents: EngineDocument[]): FacetCounts {
  const counts: FacetCounts = { province: {}, city: {}, hospital: {}, year: {}, awardType: {}, awardLevel: {}, hospitalKind: {} };
  for (const document of documents) {
    const values = documentFacetValues(document);
    for (const field of facetFields) {
      for (const value of values[field]) counts[field][value] = (counts[field][value] ?? 0) + 1;
    }
  }
  return counts;
}

const byId = new Map(fixtureDocuments.map((d) => [d.id, d]));
/** `YYYY-MM-DD`, or the year alone, or '' for undated: what date sorting orders by. */
const dateOf = (id: string): string => {
  const d = byId.get(id);
  return d?.publishedAt ?? (d?.year != null ? String(d.year) : '');
};

// Filter values an attacker might send; none may match, break or widen anything.
const hostileValues = [
  '山东" OR province != "x',
  '山东\' OR \'1\'=\'1',
  '山东\\',
  '\\"',
  '"',
  '*',
  'AND',
  'OR',
  '山东 OR 湖北',
  'NOT 山东',
  'NEAR(党建)',
  'title_tokens:党建',
  '{title_tokens}:党建',
  '党建*',
  '^党建',
  ') OR 1=1 --',
  '%',
  '_',
  '山东 IS NOT NULL',
  'province EXISTS',
];

// Query text an attacker (or a clumsy paste) might send.
const hostileQueries = [
  '"',
  '""""',
  '党建" OR "1',
  'title_tokens:党建',
  '{title_tokens body_tokens}: 党建',
  'NEAR(党建 品牌, 0)',
  '党建 AND OR NOT',
  '党* ^建 -品牌 +医院',
  '(((党建',
  '党建)))',
  '\\',
  "'; DROP TABLE docs; --",
  '<script>alert(1)</script>',
  '\u0000党建',
  '🏥党建',
  '　',
  '，。！？',
  '党建'.repeat(200),
];

export interface ContractOptions {
  /**
   * The adapter honours `fixedFilters`, `disjunctiveFacets` and `facetLimit`.
   * The Meilisearch adapter does not yet (it needs one multi-search query
   * per filtered field), so its run skips those checks.
   */
  facetOptions?: boolean;
}

export function runEngineContract(name: string, makeEngine: MakeEngine, options: ContractOptions = {}): void {
  describe(`${name}: search engine contract`, () => {
    let engine: SearchEngine;

    beforeAll(async () => {
      engine = await makeEngine();
      await engine.upsert(fixtureDocuments);
    });
    afterAll(async () => {
      await engine.close();
    });

    const search = (raw: string, overrides: Partial<SearchRequest> = {}): Promise<SearchResult> =>
      engine.search(makeRequest(raw, overrides));
    const searchIds = async (raw: string, overrides: Partial<SearchRequest> = {}): Promise<string[]> =>
      idsOf(await search(raw, overrides));

    describe('queries meet documents in the same normalised form', () => {
      it.each([
        ['Traditional', '黨建品牌', '党建品牌'],
        ['Traditional hospital name', '蒙陰縣人民醫院', '蒙阴县人民医院'],
        ['full-width Latin and digits', '５Ｇ智慧病房', '5G智慧病房'],
        ['pinyin glued to characters', '党(dǎng)建(jiàn)品牌', '党建品牌'],
      ])('%s: %s finds what %s finds', async (_kind, raw, plain) => {
        const found = await searchIds(raw);
        expect(found.length).toBeGreaterThan(0);
        expect(found).toEqual(await searchIds(plain));
      });

      it('finds the Simplified article for a Traditional query', async () => {
        expect(await searchIds('山西省腫瘤醫院 黨建品牌')).toContain(fixtures.shanxiTumor.id);
      });
    });

    describe('aliases and synonyms expand the query', () => {
      it.each([
        ['荆州一医', fixtures.jingzhouFull.id, '荆州市第一人民医院'],
        ['荆州市第一人民医院', fixtures.jingzhouAlias.id, '荆州一医'],
        ['卫生健康委员会', fixtures.zhejiangPioneer.id, '卫健委'],
        ['卫健委', fixtures.jingzhouFull.id, '卫生健康委员会'],
      ])('%s finds %s, which only says %s', async (raw, id, formInText) => {
        const result = await search(raw);
        const hit = result.hits.find((h) => h.document.id === id);
        expect(hit).toBeDefined();
        // The form actually in the text is reported, so the snippet marks it.
        expect(hit?.matchedTerms).toContain(formInText);
        expect(renderSnippet(`${hit?.document.title}\n${hit?.document.body}`, hit?.matchedTerms ?? [])).toContain(
          `<mark>${formInText}</mark>`,
        );
      });

      it('returns the same articles for an alias and its canonical name', async () => {
        const short = await searchIds('荆州一医');
        expect(short.length).toBe(2);
        expect([...short].sort()).toEqual([...(await searchIds('荆州市第一人民医院'))].sort());
      });
    });

    describe('matching', () => {
      it('requires every term for an exact match', async () => {
        const result = await search('双带头人 潍坊');
        expect(result.hits.filter((hit) => hit.exact).map((hit) => hit.document.id)).toEqual([fixtures.weifang.id]);
        expect(result.total).toBe(1);
        expect(result.relaxed).toBe(false);
      });

      it('matches a quoted phrase only where it is contiguous', async () => {
        const quoted = await searchIds('"党建 引领"');
        expect(quoted).toContain(fixtures.phraseTogether.id);
        expect(quoted).not.toContain(fixtures.phraseApart.id);
        const loose = await searchIds('党建 引领 ');
        expect(loose).toEqual(expect.arrayContaining([fixtures.phraseTogether.id, fixtures.phraseApart.id]));
      });

      it.each([
        ['党建品', fixtures.shanxiTumor.id],
        ['蒙阴县人', fixtures.mengyin.id],
        ['潍坊市妇幼保', fixtures.weifang.id],
      ])('matches the last word as a prefix while typing: %s', async (raw, id) => {
        expect(await searchIds(raw)).toContain(id);
      });

      it('falls back to most terms when all terms find nothing, and says so', async () => {
        const result = await search('双带头人 火星基地');
        expect(result.relaxed).toBe(true);
        expect(result.total).toBe(0);
        expect(result.partialTotal).toBe(result.hits.length);
        expect(result.hits.every((hit) => !hit.exact)).toBe(true);
        expect(idsOf(result)).toEqual(expect.arrayContaining([fixtures.mengyin.id, fixtures.weifang.id]));
        for (const hit of result.hits) expect(`${hit.document.title}${hit.document.body}`).toContain('双带头');
      });

      it('relaxes within the filters when every term matches only outside them', async () => {
        const result = await search('双带头人 潍坊', { filters: { province: ['湖北'] } });
        expect(result.relaxed).toBe(true);
        expect(idsOf(result)).toEqual([fixtures.jingzhouAlias.id]);
      });

      it('does not relax a one-word query to escape its filters', async () => {
        expect(await search('先锋党支部', { filters: { province: ['浙江'] } })).toMatchObject({ total: 1, relaxed: false });
        expect(await search('先锋党支部', { filters: { province: ['山东'] } })).toMatchObject({ hits: [], total: 0 });
      });

      it('returns nothing, not relaxed, when no term matches anywhere', async () => {
        const result = await search('火星基地');
        expect(result).toMatchObject({ hits: [], total: 0, partialTotal: 0, relaxed: false });
        expect(await search('火星基地 月球车')).toMatchObject({ hits: [], total: 0, partialTotal: 0, relaxed: false });
      });

      it('marks every hit of a one-word query and of a listing as exact', async () => {
        const one = await search('双带头人');
        expect(one.hits.length).toBeGreaterThan(0);
        expect(one.hits.every((hit) => hit.exact)).toBe(true);
        expect(one.partialTotal).toBe(0);
        const listing = await search('', { filters: { province: ['山东'] } });
        expect(listing.hits.every((hit) => hit.exact)).toBe(true);
        expect(listing).toMatchObject({ total: 2, partialTotal: 0 });
      });

      it('lists by date when there is no query, only filters', async () => {
        const result = await search('', { filters: { province: ['湖北'] } });
        expect(idsOf(result)).toEqual([fixtures.jingzhouAlias.id, fixtures.jingzhouFull.id]);
      });
    });

    describe('graded honours: one grade exactly, the family and the other grades in part', () => {
      const gradedDocs = [
        makeDocument({ id: 'gr-three', title: '我院党支部获评三星级党支部', body: '经考核，内科党支部被评为三星级党支部。', publishedAt: '2021-03-01' }),
        makeDocument({ id: 'gr-three-org', title: '创建三星级基层党组织', body: '外科党支部创建三星级基层党组织。', publishedAt: '2020-03-01' }),
        makeDocument({ id: 'gr-five', title: '五星级党支部授牌', body: '护理党支部获评五星级党支部。', publishedAt: '2023-03-01' }),
        makeDocument({ id: 'gr-family', title: '星级党支部创建推进会', body: '全面推进星级党支部创建工作。', publishedAt: '2022-03-01' }),
        makeDocument({ id: 'gr-plain', title: '党支部书记讲党课', body: '药剂科党支部书记为党员讲党课。', publishedAt: '2024-03-01' }),
      ];
      let own: SearchEngine;
      beforeAll(async () => {
        own = await makeEngine();
        await own.upsert(gradedDocs);
      });
      afterAll(async () => {
        await own.close();
      });
      const ownSearch = (raw: string, overrides: Partial<SearchRequest> = {}): Promise<SearchResult> =>
        own.search(makeRequest(raw, overrides));

      it('finds the grade exactly, then the family and the other grades as partial matches', async () => {
        const result = await ownSearch('三星级党支部');
        const exact = result.hits.filter((hit) => hit.exact).map((hit) => hit.document.id);
        const partial = result.hits.filter((hit) => !hit.exact).map((hit) => hit.document.id);
        expect(exact.sort()).toEqual(['gr-three', 'gr-three-org']);
        expect(partial.sort()).toEqual(['gr-family', 'gr-five']);
        // Every exact match comes before every partial one; a plain 党支部 is neither.
        expect(result.hits.slice(0, 2).every((hit) => hit.exact)).toBe(true);
        expect(result).toMatchObject({ total: 2, partialTotal: 2, relaxed: false });
      });

      it('keeps the exact grade first in date order too, and pages across the boundary', async () => {
        const byDate = await ownSearch('三星级党支部', { sort: 'date_desc' });
        expect(idsOf(byDate)).toEqual(['gr-three', 'gr-three-org', 'gr-five', 'gr-family']);
        const full = idsOf(await ownSearch('三星级党支部'));
        expect(await fetchAllPages(own, makeRequest('三星级党支部', { pageSize: 1 }))).toEqual(full);
      });

      it('answers with the other grades, marked partial, when no article has the grade asked for', async () => {
        const result = await ownSearch('四星级党支部');
        expect(result).toMatchObject({ total: 0, partialTotal: 4, relaxed: true });
        expect(result.hits.every((hit) => !hit.exact)).toBe(true);
        expect(idsOf(result)).not.toContain('gr-plain');
      });

      it('the family finds every grade exactly', async () => {
        const result = await ownSearch('星级党支部');
        expect(idsOf(result).sort()).toEqual(['gr-family', 'gr-five', 'gr-three', 'gr-three-org']);
        expect(result).toMatchObject({ total: 4, partialTotal: 0 });
      });
    });

    describe('partial matches fill the page', () => {
      // 党员 is in four articles, 义诊 in three, 献血 in one: a query for two
      // of them drops the more frequent word to fill the page.
      const partialDocs = [
        makeDocument({ id: 'pm-both', title: '医院开展主题活动', body: '医院党员走进社区开展义诊，服务群众。', publishedAt: '2021-03-01' }),
        makeDocument({ id: 'pm-rare-1', title: '义诊进乡村', body: '专家团队开展义诊，惠及上千名群众。', publishedAt: '2023-05-01' }),
        makeDocument({ id: 'pm-rare-2', title: '医院开展健康宣教', body: '在广场开展义诊和健康咨询。', publishedAt: '2022-05-01' }),
        makeDocument({ id: 'pm-frequent-1', title: '党员冬训', body: '全体党员参加冬训学习。' }),
        makeDocument({ id: 'pm-frequent-2', title: '党员大会', body: '召开党员大会选举支部委员。' }),
        makeDocument({ id: 'pm-frequent-3', title: '主题党日', body: '党员重温入党誓词，开展无偿献血。' }),
      ];
      let own: SearchEngine;
      beforeAll(async () => {
        own = await makeEngine();
        await own.upsert(partialDocs);
      });
      afterAll(async () => {
        await own.close();
      });
      const ownSearch = (raw: string, overrides: Partial<SearchRequest> = {}): Promise<SearchResult> =>
        own.search(makeRequest(raw, overrides));

      it('lists the exact matches first, then the articles with the rarer word, marked partial', async () => {
        const result = await ownSearch('党员 义诊');
        expect(result.hits.map((hit) => [hit.document.id, hit.exact])).toEqual([
          ['pm-both', true],
          ...(result.hits.slice(1).map((hit) => [hit.document.id, false]) as Array<[string, boolean]>),
        ]);
        expect(result.hits.slice(1).map((hit) => hit.document.id).sort()).toEqual(['pm-rare-1', 'pm-rare-2']);
        // Articles with only the frequent word are not partial matches.
        expect(result).toMatchObject({ total: 1, partialTotal: 2, relaxed: false });
      });

      it('ranks a partial match below every exact one, even with the word in its title', async () => {
        const result = await ownSearch('义诊 党员');
        expect(result.hits[0]?.document.id).toBe('pm-both');
        expect(result.hits.findIndex((hit) => hit.document.id === 'pm-rare-1')).toBeGreaterThan(0);
      });

      it('answers with partial matches only when no article has every word', async () => {
        const result = await ownSearch('献血 义诊');
        expect(result).toMatchObject({ total: 0, relaxed: true });
        expect(result.hits.length).toBeGreaterThan(0);
        expect(result.hits.every((hit) => !hit.exact)).toBe(true);
        // 义诊 (three articles) is dropped before 献血 (one).
        expect(idsOf(result)).toEqual(['pm-frequent-3']);
        expect(result.partialTotal).toBe(1);
      });

      it('keeps exact matches first in date order too', async () => {
        const result = await ownSearch('党员 义诊', { sort: 'date_desc' });
        expect(idsOf(result)).toEqual(['pm-both', 'pm-rare-1', 'pm-rare-2']);
        expect(result.hits.map((hit) => hit.exact)).toEqual([true, false, false]);
      });

      it('pages across the boundary between exact and partial matches without overlaps or gaps', async () => {
        const full = idsOf(await ownSearch('党员 义诊'));
        expect(await fetchAllPages(own, makeRequest('党员 义诊', { pageSize: 1 }))).toEqual(full);
      });

      it('counts facets over the exact matches', async () => {
        const result = await ownSearch('党员 义诊', { facets: true });
        expect(result.facets?.year).toEqual({ 2021: 1 });
      });
    });

    describe('filters', () => {
      it.each<[string, string, SearchFilters, string[]]>([
        ['one province', '双带头人', { province: ['山东'] }, [fixtures.weifang.id, fixtures.mengyin.id]],
        [
          'several provinces are OR-ed',
          '双带头人',
          { province: ['山东', '湖北'] },
          [fixtures.weifang.id, fixtures.mengyin.id, fixtures.jingzhouAlias.id],
        ],
        ['fields are AND-ed', '双带头人', { province: ['山东'], city: ['潍坊'] }, [fixtures.weifang.id]],
        ['city', '党建', { city: ['温州'] }, [fixtures.zhejiangPioneer.id]],
        ['hospital', '双带头人', { hospital: ['蒙阴县人民医院'] }, [fixtures.mengyin.id]],
        ['award type', '党建', { awardType: ['先锋党支部'] }, [fixtures.zhejiangPioneer.id]],
        ['award level', '党建品牌', { awardLevel: ['provincial'] }, [fixtures.zhejiangPioneer.id, fixtures.shanxiTumor.id]],
        ['year', '双带头人', { year: [2023] }, [fixtures.jingzhouAlias.id, fixtures.weifang.id]],
        ['several years', '党建品牌', { year: [2020, 2022] }, [fixtures.shanxiTumor.id, fixtures.zhejiangPioneer.id]],
        [
          'year from',
          '双带头人',
          { yearFrom: 2023 },
          [fixtures.jingzhouAlias.id, fixtures.weifang.id, fixtures.mengyin.id],
        ],
        ['year to', '党建品牌', { yearTo: 2022 }, [fixtures.zhejiangPioneer.id, fixtures.shanxiTumor.id]],
        ['year range', '先锋党支部', { yearFrom: 2021, yearTo: 2022 }, [fixtures.zhejiangPioneer.id]],
        ['a value nobody has', '党建', { province: ['火星'] }, []],
        ['hospital kind', '党建品牌', { hospitalKind: ['妇幼'] }, [fixtures.weifang.id]],
        ['several hospital kinds', '党建品牌', { hospitalKind: ['妇幼', '肿瘤'] }, [fixtures.weifang.id, fixtures.shanxiTumor.id]],
        ['a hospital kind with no article', '党建', { hospitalKind: ['口腔'] }, []],
      ])('%s', async (_name, raw, filters, expected) => {
        const result = await search(raw, { filters });
        expect([...idsOf(result)].sort()).toEqual([...expected].sort());
        expect(result.total).toBe(expected.length);
      });

      it.each(hostileValues)('a hostile value %j matches nothing and raises nothing', async (value) => {
        for (const field of ['province', 'city', 'hospital', 'awardType', 'hospitalKind'] as const) {
          const result = await search('党建', { filters: { [field]: [value] }, facets: true });
          expect(result.total).toBe(0);
          expect(result.hits).toEqual([]);
        }
      });

      it.each(hostileValues)('a hostile value %j beside a real one does not widen it', async (value) => {
        const result = await search('双带头人', { filters: { province: ['山东', value] } });
        expect([...idsOf(result)].sort()).toEqual([fixtures.mengyin.id, fixtures.weifang.id].sort());
      });
    });

    describe('hostile query text', () => {
      it.each(hostileQueries)('%j is searched as text without error', async (raw) => {
        const result = await search(raw, { facets: true });
        expect(Array.isArray(result.hits)).toBe(true);
        expect(result.total + result.partialTotal).toBeGreaterThanOrEqual(result.hits.length);
        expect(result.hits.filter((hit) => hit.exact).length).toBeLessThanOrEqual(result.total);
      });
    });

    describe('facets', () => {
      it('counts the whole result set, not the page', async () => {
        const all = await search('党建', { pageSize: 100 });
        const page = await search('党建', { pageSize: 1, facets: true });
        expect(page.hits).toHaveLength(1);
        expect(page.total).toBe(all.hits.length);
        expect(page.facets).toEqual(countFacets(all.hits.map((h) => h.document)));
      });

      it('counts within the filters', async () => {
        const result = await search('双带头人', { filters: { province: ['山东'] }, facets: true });
        expect(result.facets?.province).toEqual({ 山东: 2 });
        expect(result.facets?.city).toEqual({ 临沂: 1, 潍坊: 1 });
      });

      it('lists facet values for the filtered documents', async () => {
        const counts = await engine.facetValues({ province: ['山东'] });
        expect(counts.province).toEqual({ 山东: 2 });
        expect(counts.hospital).toEqual({ 潍坊市妇幼保健院: 1, 蒙阴县人民医院: 1 });
      });

      it('counts the kind of hospital read from the hospital names', async () => {
        const counts = await engine.facetValues({ province: ['山东'] });
        expect(counts.hospitalKind).toEqual({ 妇幼: 1, 综合: 1 });
      });
    });

    describe.skipIf(options.facetOptions !== true)('disjunctive facets, fixed filters, top values', () => {
      const withoutField = (filters: SearchFilters, field: keyof SearchFilters): SearchFilters => {
        const rest = { ...filters };
        delete rest[field];
        return rest;
      };

      it.each<[string, string, SearchFilters]>([
        ['one filtered field', '双带头人', { province: ['山东'] }],
        ['two filtered fields', '双带头人', { province: ['山东'], year: [2023] }],
        ['a filter beside a year range', '党建', { province: ['浙江'], yearFrom: 2021 }],
        ['a value nobody has', '党建', { province: ['火星'] }],
        ['several clauses', '党建 品牌', { awardLevel: ['provincial'] }],
        ['no query', '', { province: ['山东'], city: ['潍坊'] }],
      ])('%s: each filtered field counts as if its own filter were absent', async (_name, raw, filters) => {
        const result = await search(raw, { filters, facets: true, disjunctiveFacets: true });
        const conjunctive = await search(raw, { filters, facets: true });
        expect(idsOf(result)).toEqual(idsOf(conjunctive));
        expect(result.total).toBe(conjunctive.total);
        for (const field of facetFields) {
          const constrained = filters[field] !== undefined;
          const expected = constrained
            ? (await search(raw, { filters: withoutField(filters, field), facets: true })).facets?.[field]
            : conjunctive.facets?.[field];
          expect(result.facets?.[field], field).toEqual(expected);
        }
      });

      it('shows the alternatives to a selected province', async () => {
        const result = await search('双带头人', { filters: { province: ['山东'] }, facets: true, disjunctiveFacets: true });
        expect(result.facets?.province).toEqual({ 山东: 2, 湖北: 1 });
        expect(result.facets?.city).toEqual({ 临沂: 1, 潍坊: 1 });
      });

      it('never lifts the fixed filters', async () => {
        const scope: SearchFilters = { hospital: ['蒙阴县人民医院'] };
        const result = await search('双带头人', {
          filters: { hospital: ['蒙阴县人民医院'] },
          fixedFilters: scope,
          facets: true,
          disjunctiveFacets: true,
        });
        expect(idsOf(result)).toEqual([fixtures.mengyin.id]);
        expect(result.facets?.hospital).toEqual({ 蒙阴县人民医院: 1 });
        expect(result.facets?.province).toEqual({ 山东: 1 });
      });

      it('ANDs the fixed filters with the request filters', async () => {
        const result = await search('双带头人', { filters: { province: ['山东'] }, fixedFilters: { city: ['潍坊'] }, facets: true });
        expect(idsOf(result)).toEqual([fixtures.weifang.id]);
        expect(result.facets?.province).toEqual({ 山东: 1 });
      });

      it.each([1, 2])('facetLimit %i keeps the most frequent values of each field', async (limit) => {
        const full = await search('党建', { facets: true });
        const top = await search('党建', { facets: true, facetLimit: limit });
        // Compared as records: a record lists integer-like keys (years) in ascending order whatever the insertion order.
        for (const field of facetFields) {
          const ranked = Object.entries(full.facets?.[field] ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
          expect(top.facets?.[field], field).toEqual(Object.fromEntries(ranked.slice(0, limit)));
        }
      });
    });

    describe('ranking', () => {
      it('puts the articles of a hospital kind first when the query names the kind', async () => {
        // 潍坊市妇幼保健院's article never says 妇女儿童医院: the kind's names come from its metadata.
        const result = await search('妇女儿童医院 党建品牌');
        expect(idsOf(result)[0]).toBe(fixtures.weifang.id);
        expect(result.hits[0]?.exact).toBe(true);
      });

      it('puts a title match above a body match', async () => {
        const found = await searchIds('清廉医院');
        expect(found.indexOf(fixtures.cleanTitle.id)).toBeGreaterThanOrEqual(0);
        expect(found.indexOf(fixtures.cleanTitle.id)).toBeLessThan(found.indexOf(fixtures.cleanBody.id));
      });

      it('puts the terms together above the terms scattered', async () => {
        const found = await searchIds('党建 引领 ');
        expect(found.indexOf(fixtures.phraseTogether.id)).toBeGreaterThanOrEqual(0);
        expect(found.indexOf(fixtures.phraseTogether.id)).toBeLessThan(found.indexOf(fixtures.phraseApart.id));
      });

      it('keeps an off-topic page stuffed with the words below real articles', async () => {
        const found = await searchIds('双带头人');
        expect(found.length).toBeGreaterThan(1);
        expect(found.at(-1)).toBe(fixtures.offTopic.id);
      });

      it('scores hits in decreasing order', async () => {
        const scores = (await search('党建品牌')).hits.map((h) => h.score);
        expect(scores.length).toBeGreaterThan(1);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
      });
    });

    describe('sorting and pagination', () => {
      it.each(['date_desc', 'date_asc'] as const)('%s orders by date, undated last, across stable pages', async (sort) => {
        const full = await searchIds('党建', { sort, pageSize: 100 });
        const paged = await fetchAllPages(engine, makeRequest('党建', { sort, pageSize: 3 }));
        expect(paged).toEqual(full);
        expect(new Set(paged).size).toBe(paged.length);
        const dated = full.map(dateOf);
        const firstUndated = dated.indexOf('');
        const known = firstUndated === -1 ? dated : dated.slice(0, firstUndated);
        if (firstUndated !== -1) expect(dated.slice(firstUndated).every((d) => d === '')).toBe(true);
        const expected = [...known].sort();
        expect(known).toEqual(sort === 'date_asc' ? expected : expected.reverse());
      });

      it('pages through relevance order without overlaps or gaps', async () => {
        const full = await searchIds('党建', { pageSize: 100 });
        expect(full.length).toBeGreaterThan(4);
        expect(await fetchAllPages(engine, makeRequest('党建', { pageSize: 2 }))).toEqual(full);
      });

      it('returns an empty page past the end with the total intact', async () => {
        const result = await search('双带头人', { page: 99, pageSize: 10 });
        expect(result.hits).toEqual([]);
        expect(result.total).toBeGreaterThan(0);
      });
    });

    describe('near-duplicates', () => {
      it('folds a repost into its canonical article by default', async () => {
        const result = await search('山西省肿瘤医院 党建品牌', { facets: true });
        expect(idsOf(result)).toEqual([fixtures.shanxiTumor.id]);
        expect(result.total).toBe(1);
        expect(result.hits[0]?.duplicates).toEqual([fixtures.shanxiTumorRepost.id]);
        expect(result.facets?.province).toEqual({ 山西: 1 });
      });

      it('shows every copy when collapsing is off', async () => {
        const result = await search('山西省肿瘤医院 党建品牌', { collapse: false, facets: true });
        expect([...idsOf(result)].sort()).toEqual([fixtures.shanxiTumor.id, fixtures.shanxiTumorRepost.id].sort());
        expect(result.total).toBe(2);
        for (const hit of result.hits) expect(hit.duplicates).toEqual([]);
        expect(result.facets?.province).toEqual({ 山西: 2 });
      });

      it('lists the duplicates of an article', async () => {
        expect(await engine.duplicatesOf(fixtures.shanxiTumor.id)).toEqual([fixtures.shanxiTumorRepost.id]);
        expect(await engine.duplicatesOf(fixtures.mengyin.id)).toEqual([]);
      });
    });

    describe('related articles', () => {
      it('lists other articles sharing keywords, never the article itself', async () => {
        const source = fixtures.mengyin;
        const related = await engine.related({ id: source.id, limit: 5, filters: {} });
        expect(related.length).toBeGreaterThan(0);
        expect(related.length).toBeLessThanOrEqual(5);
        for (const hit of related) {
          expect(hit.document.id).not.toBe(source.id);
          expect(hit.sharedKeywords.length).toBeGreaterThan(0);
          for (const keyword of hit.sharedKeywords) {
            expect(source.keywords).toContain(keyword);
            expect(`${hit.document.title}\n${hit.document.body}`).toContain(keyword);
          }
        }
        expect(related.map((h) => h.document.id)).toContain(fixtures.weifang.id);
      });

      it.each([
        [fixtures.shanxiTumor.id, fixtures.shanxiTumorRepost.id],
        [fixtures.shanxiTumorRepost.id, fixtures.shanxiTumor.id],
      ])('for %s leaves out its near-duplicate %s', async (id, duplicate) => {
        const related = (await engine.related({ id, limit: 20, filters: {} })).map((h) => h.document.id);
        expect(related.length).toBeGreaterThan(0);
        expect(related).not.toContain(id);
        expect(related).not.toContain(duplicate);
      });

      it('honours filters', async () => {
        const related = await engine.related({ id: fixtures.mengyin.id, limit: 10, filters: { province: ['湖北'] } });
        expect(related.length).toBeGreaterThan(0);
        for (const hit of related) expect(hit.document.province).toBe('湖北');
      });

      it('keeps to fixed filters: every hit within them, and an article outside them is not found', async () => {
        const unscoped = await engine.related({ id: fixtures.mengyin.id, limit: 10, filters: {} });
        expect(unscoped.map((h) => h.document.id)).toContain(fixtures.weifang.id);
        const own = { hospital: [fixtures.mengyin.hospital ?? ''] };
        const scoped = await engine.related({ id: fixtures.mengyin.id, limit: 10, filters: {}, fixedFilters: own });
        expect(scoped.map((h) => h.document.id)).not.toContain(fixtures.weifang.id);
        for (const hit of scoped) expect(hit.document.hospitals).toContain(fixtures.mengyin.hospital);
        const elsewhere = { hospital: [fixtures.weifang.hospital ?? ''] };
        await expect(
          engine.related({ id: fixtures.mengyin.id, limit: 10, filters: {}, fixedFilters: elsewhere }),
        ).rejects.toBeInstanceOf(DocumentNotFoundError);
      });

      it('refuses an unknown article', async () => {
        await expect(engine.related({ id: 'no-such-article', limit: 5, filters: {} })).rejects.toBeInstanceOf(
          DocumentNotFoundError,
        );
      });
    });

    describe('pinyin and homophone typos, read against the index vocabulary', () => {
      const lookUp = (keys: string[]): Promise<VocabularyEntry[]> => engine.vocabulary(keys);

      it('finds a word by its full pinyin or its initials, with its document count', async () => {
        for (const key of ['dangjianpinpai', 'djpp']) {
          const entries = await engine.vocabulary([key]);
          const entry = entries.find((e) => e.text === '党建品牌');
          expect(entry).toMatchObject({ kind: 'term', pinyin: 'dangjianpinpai', initials: 'djpp' });
          expect(entry?.weight).toBeGreaterThanOrEqual(1);
        }
        expect(await engine.vocabulary(['huoxingjidi'])).toEqual([]);
        expect(await engine.vocabulary([])).toEqual([]);
      });

      it.each([
        ['dangjian', '党建'],
        ['djpp', '党建品牌'],
        ['dang jian pin pai', '党建品牌'],
        ["dang'jian pin'pai", '党建品牌'],
        ['shuangdaitouren', '双带头人'],
      ])('%s is searched as %s (interpretedAs)', async (raw, expected) => {
        const interpretation = await interpretQuery(raw, lookUp);
        expect(interpretation).toEqual({ text: expected, interpretedAs: expected, correctedFrom: null });
        expect((await search(interpretation.text)).total).toBeGreaterThan(0);
      });

      it('corrects a homophone typo to the word of the index it sounds like (correctedFrom)', async () => {
        const interpretation = await interpretQuery('党见品牌', lookUp);
        expect(interpretation).toEqual({ text: '党建品牌', interpretedAs: '党建品牌', correctedFrom: '党见品牌' });
        expect(await searchIds(interpretation.text)).toContain(fixtures.shanxiTumor.id);
      });

      it.each(['党建品牌', '双带头人 火星基地', '先锋党支部', 'huoxing', '"党见品牌"'])(
        'leaves %j as written when the index has no other reading',
        async (raw) => {
          expect(await interpretQuery(raw, lookUp)).toEqual({ text: raw, interpretedAs: null, correctedFrom: null });
        },
      );
    });

    describe('suggestions', () => {
      it.each([
        ['Chinese prefix', '党建', '党建品牌'],
        ['Traditional prefix', '黨建', '党建品牌'],
        ['full pinyin', 'dangjian', '党建品牌'],
        ['pinyin initials', 'djpp', '党建品牌'],
        ['hospital name', '蒙阴', '蒙阴县人民医院'],
        ['hospital in Traditional', '濰坊', '潍坊市妇幼保健院'],
        ['hospital in pinyin', 'mengyin', '蒙阴县人民医院'],
      ])('%s: %s → %s', async (_kind, prefix, expected) => {
        const suggestions = await engine.suggest({ prefix, limit: 10, filters: {} });
        expect(suggestions.map((s) => s.text)).toContain(expected);
        expect(suggestions.length).toBeLessThanOrEqual(10);
      });

      it('names the kind of each suggestion and the article of a title', async () => {
        const suggestions = await engine.suggest({ prefix: '蒙阴', limit: 10, filters: {} });
        expect(suggestions).toContainEqual({ text: '蒙阴县人民医院', kind: 'hospital' });
        expect(suggestions).toContainEqual({ text: fixtures.mengyin.title, kind: 'title', id: fixtures.mengyin.id });
      });

      it('keeps to the hospital a search box is scoped to', async () => {
        const suggestions = await engine.suggest({ prefix: '潍坊', limit: 10, filters: { hospital: ['山西省肿瘤医院'] } });
        expect(suggestions.filter((s) => s.kind !== 'term')).toEqual([]);
        const own = await engine.suggest({ prefix: '山西', limit: 10, filters: { hospital: ['山西省肿瘤医院'] } });
        expect(own.map((s) => s.text)).toContain(fixtures.shanxiTumor.title);
      });

      it('respects the limit and returns nothing for nothing typed', async () => {
        expect((await engine.suggest({ prefix: 'd', limit: 2, filters: {} })).length).toBeLessThanOrEqual(2);
        expect(await engine.suggest({ prefix: '  ', limit: 5, filters: {} })).toEqual([]);
      });
    });

    describe('documents', () => {
      it('gets a document for showing: every field but the engine-only ones as stored', async () => {
        for (const document of [fixtures.mengyin, fixtures.shanxiTumorRepost, fixtures.jingzhouAlias]) {
          const shown = await engine.get(document.id, { engineFields: false });
          expect(shown).not.toBeNull();
          const { titleTokens, bodyTokens, metaTokens, fingerprint, ...visible } = document;
          expect(shown).toMatchObject(visible);
          for (const [field, stored] of Object.entries({ titleTokens, bodyTokens, metaTokens, fingerprint })) {
            expect(['', stored]).toContain((shown as Record<string, unknown> | null)?.[field]);
          }
        }
        expect(await engine.get('no-such-article', { engineFields: false })).toBeNull();
      });

      it('gets a document back as it was stored', async () => {
        expect(await engine.get(fixtures.mengyin.id)).toEqual(fixtures.mengyin);
        expect(await engine.get('no-such-article')).toBeNull();
      });

      it('keeps where a year comes from, and a year filter matches published and inferred years alike', async () => {
        expect((await engine.get(fixtures.weifang.id))?.yearSource).toBe('inferred');
        expect((await engine.get(fixtures.jingzhouAlias.id))?.yearSource).toBe('published');
        const result = await search('双带头人', { filters: { year: [2023] } });
        const sources = new Map(result.hits.map((h) => [h.document.id, h.document.yearSource]));
        expect(sources).toEqual(new Map([[fixtures.jingzhouAlias.id, 'published'], [fixtures.weifang.id, 'inferred']]));
      });

      it('reports content hashes for all and dedupe fingerprints for canonical documents', async () => {
        const hashes = await engine.contentHashes();
        expect(hashes.size).toBe(fixtureDocuments.length);
        expect(hashes.get(fixtures.weifang.id)).toBe(fixtures.weifang.contentHash);
        const fingerprints = await engine.dedupeFingerprints();
        expect(fingerprints.get(fixtures.shanxiTumor.id)).toBe(fixtures.shanxiTumor.fingerprint);
        expect(fingerprints.has(fixtures.shanxiTumorRepost.id)).toBe(false);
      });

      it('reports stats and health', async () => {
        const stats = await engine.stats();
        expect(stats.documents).toBe(fixtureDocuments.length);
        expect(stats.sizeBytes).toBeGreaterThan(0);
        expect(await engine.health()).toMatchObject({ ok: true });
      });
    });

    describe('writes', () => {
      it('replaces a document with the same id', async () => {
        const own = await makeEngine();
        try {
          await own.upsert([fixtures.mengyin, fixtures.weifang]);
          const changed = makeDocument({
            ...fixtures.mengyin,
            title: '蒙阴县人民医院开展送医下乡义诊活动',
            body: '蒙阴县人民医院组织专家深入乡镇开展义诊活动，为群众送去优质医疗服务。',
          });
          await own.upsert([changed]);
          expect(await own.get(changed.id)).toEqual(changed);
          expect((await own.stats()).documents).toBe(2);
          expect(idsOf(await own.search(makeRequest('义诊')))).toEqual([changed.id]);
          expect(idsOf(await own.search(makeRequest('领航')))).toEqual([]);
          const titles = await own.suggest({ prefix: '蒙阴', limit: 10, filters: {} });
          expect(titles.map((s) => s.text)).toContain(changed.title);
          expect(titles.map((s) => s.text)).not.toContain(fixtures.mengyin.title);
        } finally {
          await own.close();
        }
      });

      it('deletes documents by id, ignoring unknown ids', async () => {
        const own = await makeEngine();
        try {
          await own.upsert([fixtures.mengyin, fixtures.weifang]);
          await own.delete([fixtures.weifang.id, 'no-such-article']);
          expect(await own.get(fixtures.weifang.id)).toBeNull();
          expect((await own.stats()).documents).toBe(1);
          expect(idsOf(await own.search(makeRequest('双带头人')))).toEqual([fixtures.mengyin.id]);
          expect((await own.facetValues({})).city).toEqual({ 临沂: 1 });
          const suggestions = await own.suggest({ prefix: '潍坊', limit: 10, filters: {} });
          expect(suggestions.filter((s) => s.kind !== 'term')).toEqual([]);
        } finally {
          await own.close();
        }
      });

      it('replaces everything at once, answering from the old index until the switch', async () => {
        const own = await makeEngine();
        try {
          await own.upsert([fixtures.mengyin, fixtures.weifang]);
          const seenDuringBuild: string[][] = [];
          async function* incoming(): AsyncGenerator<EngineDocument> {
            yield fixtures.shanxiTumor;
            seenDuringBuild.push(idsOf(await own.search(makeRequest('双带头人'))).sort());
            yield fixtures.zhejiangPioneer;
            seenDuringBuild.push(idsOf(await own.search(makeRequest('党建品牌'))).sort());
          }
          await own.replaceAll(incoming());
          expect(seenDuringBuild).toEqual([
            [fixtures.mengyin.id, fixtures.weifang.id].sort(),
            [fixtures.mengyin.id, fixtures.weifang.id].sort(),
          ]);
          expect(idsOf(await own.search(makeRequest('双带头人')))).toEqual([]);
          expect([...idsOf(await own.search(makeRequest('党建品牌')))].sort()).toEqual(
            [fixtures.shanxiTumor.id, fixtures.zhejiangPioneer.id].sort(),
          );
          expect((await own.stats()).documents).toBe(2);
          expect(await own.get(fixtures.weifang.id)).toBeNull();
        } finally {
          await own.close();
        }
      });

      it('keeps the old index when a replacement fails part-way', async () => {
        const own = await makeEngine();
        try {
          await own.upsert([fixtures.mengyin]);
          function* failing(): Generator<EngineDocument> {
            yield fixtures.shanxiTumor;
            throw new Error('corpus became unreadable');
          }
          await expect(own.replaceAll(failing())).rejects.toThrow();
          expect(idsOf(await own.search(makeRequest('双带头人')))).toEqual([fixtures.mengyin.id]);
          expect(await own.get(fixtures.shanxiTumor.id)).toBeNull();
        } finally {
          await own.close();
        }
      });
    });
  });

  // The five seed articles, through the real indexer pipeline (cleaning,
  // conversion, extraction, segmentation) into this engine.
  describe(`${name}: seed corpus acceptance`, () => {
    let engine: SearchEngine;
    const hospitalOf = new Map<string, string | null>();
    const idOf = (hospital: string): string => {
      for (const [id, h] of hospitalOf) if (h === hospital) return id;
      throw new Error(`no seed article about ${hospital}`);
    };

    beforeAll(async () => {
      engine = await makeEngine();
      const summary = await indexCorpus({
        engine,
        corpusDir: seedCorpusDir,
        onDocument: (doc) => hospitalOf.set(doc.id, doc.hospital),
      });
      expect(summary.indexed).toBe(5);
    });
    afterAll(async () => {
      await engine.close();
    });

    const run = (raw: string, overrides: Partial<SearchRequest> = {}): Promise<SearchResult> =>
      engine.search(makeRequest(raw, overrides));
    const hospitalsFound = async (raw: string, overrides: Partial<SearchRequest> = {}): Promise<string[]> =>
      (await run(raw, overrides)).hits.map((hit) => hit.document.hospital ?? '(none)').sort();

    it('黨建品牌 (Traditional) finds the 山西省肿瘤医院 article', async () => {
      expect(await hospitalsFound('黨建品牌')).toContain('山西省肿瘤医院');
    });

    it('荆州一医 and 荆州市第一人民医院 return the same top hit', async () => {
      const short = await run('荆州一医');
      const full = await run('荆州市第一人民医院');
      expect(short.hits[0]?.document.id).toBe(idOf('荆州市第一人民医院'));
      expect(full.hits[0]?.document.id).toBe(short.hits[0]?.document.id);
    });

    it('先锋党支部 in 浙江 finds the Zhejiang article and nothing from 山东; in 山东 nothing', async () => {
      const zhejiang = await run('先锋党支部', { filters: { province: ['浙江'] } });
      expect(zhejiang.hits.length).toBeGreaterThan(0);
      expect(zhejiang.hits.every((hit) => hit.document.province === '浙江')).toBe(true);
      expect(zhejiang.hits[0]?.document.partyBranches).toContain('儿童外科党支部');
      const shandong = await run('先锋党支部', { filters: { province: ['山东'] } });
      expect(shandong.hits).toEqual([]);
      expect(shandong.total).toBe(0);
    });

    it('双带头人 finds the 荆州, 潍坊 and 蒙阴 articles', async () => {
      expect(await hospitalsFound('双带头人')).toEqual(['潍坊市妇幼保健院', '荆州市第一人民医院', '蒙阴县人民医院'].sort());
    });

    it('党建 facets list 浙江 1, 湖北 1, 山东 2, 山西 1', async () => {
      const result = await run('党建', { facets: true });
      expect(result.facets?.province).toEqual({ 浙江: 1, 湖北: 1, 山东: 2, 山西: 1 });
    });

    it('related articles for the 蒙阴 article are other articles, each with shared keywords', async () => {
      const id = idOf('蒙阴县人民医院');
      const related = await engine.related({ id, limit: 5, filters: {} });
      expect(related.length).toBeGreaterThan(0);
      for (const hit of related) {
        expect(hit.document.id).not.toBe(id);
        expect(hit.sharedKeywords.length).toBeGreaterThan(0);
      }
    });

    it('a hostile filter value returns nothing and no error', async () => {
      const result = await run('党建', { filters: { province: ['山东" OR province != "x'] }, facets: true });
      expect(result.hits).toEqual([]);
      expect(result.total).toBe(0);
    });
  });
}
