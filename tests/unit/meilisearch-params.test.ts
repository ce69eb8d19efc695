import type { Hit } from 'meilisearch';
import { describe, expect, it } from 'vitest';
import { analyseQuery } from '../../engine/analysis/query.js';
import { facetFields, type EngineDocument } from '../../engine/document.js';
import {
  buildBroaderSearchPlan,
  buildClauseCountQueries,
  buildCountPlan,
  buildDisjunctiveFacetQueries,
  buildFacetValuesParams,
  buildMatchingDuplicatesPlan,
  buildQueryString,
  buildRelatedQueries,
  buildRelaxedSearchPlan,
  buildSearchPlan,
  buildSuggestPlan,
  buildVocabularyQueries,
  canRelax,
  readVocabulary,
  rankRelatedCandidates,
  rankSuggestions,
  readFacetCounts,
  selectRelatedKeywords,
  readMatchedTerms,
  readScore,
} from '../../engine/meilisearch/params.js';
import { documentFields, type MeiliSuggestion } from '../../engine/meilisearch/settings.js';
import { makeSearchRequest } from '../engine/fixtures.js';

const makeRequest = makeSearchRequest;

function makeDocument(overrides: Partial<EngineDocument> = {}): EngineDocument {
  return {
    id: 'a',
    url: null,
    title: '',
    body: '',
    summary: '',
    publishedAt: null,
    year: null,
    yearSource: null,
    source: null,
    authors: [],
    province: null,
    city: null,
    county: null,
    hospital: null,
    hospitals: [],
    hospitalAliases: [],
    awardNames: [],
    awardTypes: [],
    awardLevels: [],
    partyBranches: [],
    keywords: [],
    duplicateOf: null,
    originalScript: 'simplified',
    topicality: 0.8,
    titleTokens: '',
    bodyTokens: '',
    metaTokens: '',
    fingerprint: '',
    contentHash: '',
    sourcePath: null,
    ...overrides,
  };
}

describe('buildQueryString', () => {
  it.each([
    // Alias clauses send the user's form; Meilisearch's synonyms add the others.
    ['荆州一医', '荆州一医 '],
    ['荆州市第一人民医院', '荆州市第一人民医院 '],
    ['黨建品牌', '党建品牌 '],
    ['卫健委', '卫健委 '],
    // The last word being typed stays a prefix: no trailing space.
    ['先锋党支部', '先锋党支部'],
    ['卫健委 党建品', '卫健委 党建 品'],
    // Finished with a space: every word is complete.
    ['先锋党支部 ', '先锋党支部 '],
    ['双带头人 先锋党支部 ', '双带头人 先锋党支部 '],
    // Quoted phrases stay quoted: Meilisearch matches their words consecutively.
    ['"党建 品牌" 双带头', '"党建 品牌" 双带头 '],
    ['“清廉医院建设”', '"清廉医院建设" '],
    // An unclosed quote runs to the end; a leading `-` is not Meilisearch's negation.
    ['"党建"品牌" -党委', '"党建" 品牌 "党委" '],
    ['党建 -党委 ', '党建 党委 '],
    ['"党建\u0000品牌"', '"党建 品牌" '],
  ])('%j → q %j', (raw, q) => {
    expect(buildQueryString(analyseQuery(raw))).toBe(q);
  });

  it('is null for a query with nothing to search for', () => {
    expect(buildQueryString(analyseQuery(''))).toBeNull();
    expect(buildQueryString(analyseQuery('，。！'))).toBeNull();
  });
});

describe('buildSearchPlan', () => {
  it('asks for every clause, Chinese tokenisation and exhaustive paging, never match positions, cropping or the token fields', () => {
    const plan = buildSearchPlan(makeRequest('先锋党支部 ', { page: 3, pageSize: 20 }));
    expect(plan.q).toBe('先锋党支部 ');
    expect(plan.params).toMatchObject({
      page: 3,
      hitsPerPage: 20,
      matchingStrategy: 'all',
      locales: ['cmn'],
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    // Meilisearch computes match positions over every displayed attribute: that tripled a search's time.
    expect(plan.params).not.toHaveProperty('showMatchesPosition');
    expect(plan.params.attributesToRetrieve).toEqual(documentFields.filter((f) => !['titleTokens', 'bodyTokens', 'metaTokens', 'fingerprint'].includes(f)));
    expect(plan.params).not.toHaveProperty('attributesToCrop');
    expect(plan.params).not.toHaveProperty('attributesToHighlight');
    expect(plan.params).not.toHaveProperty('sort');
  });

  it.each([
    ['relevance', undefined],
    ['date_desc', ['dateKey:desc', 'id:asc']],
    ['date_asc', ['dateKey:asc', 'id:asc']],
  ] as const)('sorts %s by %j', (sort, expected) => {
    expect(buildSearchPlan(makeRequest('党建 ', { sort })).params.sort).toEqual(expected);
  });

  it('filters out near-duplicates when collapsing, with the user filters', () => {
    const collapsed = buildSearchPlan(makeRequest('先锋党支部 ', { filters: { province: ['浙江'] } }));
    expect(collapsed.params.filter).toBe('facetProvince = "浙江" AND (duplicateOf IS NULL)');
    const all = buildSearchPlan(makeRequest('先锋党支部 ', { filters: { province: ['浙江'] }, collapse: false }));
    expect(all.params.filter).toBe('facetProvince = "浙江"');
  });

  it('asks for the seven facets by their attributes only when facets are wanted', () => {
    expect(buildSearchPlan(makeRequest('党建 ', { facets: true })).params.facets).toEqual([
      'facetProvince',
      'facetCity',
      'facetHospital',
      'year',
      'facetAwardType',
      'facetAwardLevel',
      'facetHospitalKind',
    ]);
    expect(buildSearchPlan(makeRequest('党建 ')).params).not.toHaveProperty('facets');
  });

  it('browses newest first, without q, when the query is empty', () => {
    const plan = buildSearchPlan(makeRequest(''));
    expect(plan.q).toBeNull();
    expect(plan.params).not.toHaveProperty('showMatchesPosition');
    expect(plan.params.sort).toEqual(['dateKey:desc', 'id:asc']);
    expect(buildSearchPlan(makeRequest('', { sort: 'date_asc' })).params.sort).toEqual(['dateKey:asc', 'id:asc']);
  });
});

describe('relaxed retry', () => {
  it('relaxes only queries with something to drop', () => {
    expect(canRelax(analyseQuery('先锋党支部 '))).toBe(false);
    expect(canRelax(analyseQuery('先锋党支部 蒙阴 '))).toBe(true);
  });

  it('counts each clause alone, under the same filters', () => {
    const request = makeRequest('先锋党支部 荆州一医 绿化 ', { filters: { province: ['浙江'] } });
    const queries = buildClauseCountQueries('articles', request);
    expect(queries.map((q) => q.q)).toEqual(['先锋党支部 ', '荆州一医 ', '绿化 ']);
    for (const query of queries) {
      expect(query).toMatchObject({ indexUid: 'articles', hitsPerPage: 0, matchingStrategy: 'all' });
      expect(query.filter).toBe('facetProvince = "浙江" AND (duplicateOf IS NULL)');
    }
  });

  it('considers at most the ten words Meilisearch reads', () => {
    const words = '党建 先锋 支部 医院 书记 党员 品牌 示范 清廉 抗疫 标杆 星级 ';
    expect(buildClauseCountQueries('articles', makeRequest(words))).toHaveLength(10);
  });

  it('drops clauses that match nothing and sends the rest rarest first with matchingStrategy last', () => {
    const request = makeRequest('党建 先锋党支部 xyzzy 蒙阴 ', { page: 2, facets: true });
    const plan = buildRelaxedSearchPlan(request, [40, 3, 0, 1]);
    expect(plan?.q).toBe('蒙阴 先锋党支部 党建 ');
    expect(plan?.params).toMatchObject({ matchingStrategy: 'last', page: 2, hitsPerPage: 10, locales: ['cmn'] });
    expect(plan?.params.filter).toBe('(duplicateOf IS NULL)');
    expect(plan?.params.facets).toHaveLength(facetFields.length);
  });

  it('keeps a typed last clause a prefix when it stays last', () => {
    const plan = buildRelaxedSearchPlan(makeRequest('xyzzy 党建品'), [0, 5, 7]);
    expect(plan?.q).toBe('党建 品');
  });

  it('searches a lone surviving clause strictly, and gives up when none survives', () => {
    expect(buildRelaxedSearchPlan(makeRequest('先锋党支部 xyzzy '), [2, 0])?.params.matchingStrategy).toBe('all');
    expect(buildRelaxedSearchPlan(makeRequest('先锋党支部 xyzzy '), [0, 0])).toBeNull();
  });
});

describe('graded honours on Meilisearch', () => {
  it('sends the family for the grade, leaves the exact matches out by id, and asks for the first hits', () => {
    const plan = buildBroaderSearchPlan(makeRequest('三星级党支部 抗疫 ', { filters: { province: ['浙江'] } }), ['a', 'b'], 7);
    expect(plan.q).toBe('星级党支部 抗疫 ');
    expect(plan.params).toMatchObject({ page: 1, hitsPerPage: 7, matchingStrategy: 'all' });
    expect(plan.params.filter).toBe('(facetProvince = "浙江" AND (duplicateOf IS NULL)) AND NOT id IN ["a", "b"]');
    expect(buildBroaderSearchPlan(makeRequest('三星级党支部 ', { collapse: false }), [], 3).params).not.toHaveProperty('filter');
  });

  it('counts without hits, facets, scores or sort', () => {
    const plan = buildCountPlan(buildSearchPlan(makeRequest('党建 ', { facets: true, sort: 'date_desc', page: 3 })));
    expect(plan.params).toMatchObject({ page: 1, hitsPerPage: 0 });
    for (const key of ['facets', 'sort', 'showRankingScore', 'showRankingScoreDetails']) expect(plan.params).not.toHaveProperty(key);
  });
});

describe('readMatchedTerms', () => {
  const title = '荆州市第一人民医院召开党建品牌推进会';
  const body = '会上，荆州一医党委书记介绍了“双带头人”培育工程。';

  it('finds synonyms in the text and completes the word being typed', () => {
    const hit = { title, body } as Hit;
    // 荆州一医 matched its synonym in the title; 党建品 is 党建 and the prefix 品, which matched 品牌.
    const terms = readMatchedTerms(hit, analyseQuery('荆州一医 党建品'));
    expect(terms).toEqual(expect.arrayContaining(['荆州市第一人民医院', '荆州一医', '品牌']));
    expect(terms[0]).toBe('荆州市第一人民医院');
    for (const term of terms) expect(`${title}${body}`).toContain(term);
  });

  it('adds query forms that occur literally, and only what the text contains', () => {
    const hit = { title, body } as Hit;
    expect(readMatchedTerms(hit, analyseQuery('"荆州一医党委" 卫健委 '))).toEqual(['荆州一医党委', '荆州一医', '党委']);
    expect(readMatchedTerms(hit, analyseQuery('双带头人 '))).toEqual(['双带头人', '双带头']);
    expect(readMatchedTerms(hit, analyseQuery('绿化 '))).toEqual([]);
  });

  it('completes a typed word only while it is being typed', () => {
    const hit = { title, body } as Hit;
    expect(readMatchedTerms(hit, analyseQuery('党建品'))).toEqual(expect.arrayContaining(['党建', '品牌']));
    expect(readMatchedTerms(hit, analyseQuery('党建品 '))).not.toContain('品牌');
    expect(readMatchedTerms(hit, analyseQuery('培'))).toContain('培育');
  });
});

describe('fixed filters and disjunctive facets', () => {
  it('ANDs the fixed filters into the page, the clause counts and the duplicates lookup', () => {
    const request = makeRequest('先锋党支部 党建 ', {
      filters: { province: ['湖北'] },
      fixedFilters: { hospital: ['荆州市第一人民医院'] },
    });
    const scoped = 'facetProvince = "湖北" AND (facetHospital = "荆州市第一人民医院") AND (duplicateOf IS NULL)';
    const plan = buildSearchPlan(request);
    expect(plan.params.filter).toBe(scoped);
    for (const query of buildClauseCountQueries('articles', request)) expect(query.filter).toBe(scoped);
    expect(buildMatchingDuplicatesPlan(plan, request, ['a']).params.filter).toBe(
      'facetProvince = "湖北" AND (facetHospital = "荆州市第一人民医院") AND (duplicateOf IN ["a"])',
    );
  });

  it('counts each filtered field without its own filter, never lifting the year range or the fixed filters', () => {
    const request = makeRequest('党建 ', {
      filters: { province: ['山东'], year: [2023], yearFrom: 2020 },
      fixedFilters: { hospital: ['蒙阴县人民医院'] },
      facets: true,
      disjunctiveFacets: true,
    });
    const lifted = buildDisjunctiveFacetQueries('articles', buildSearchPlan(request), request);
    expect(lifted.map((l) => [l.field, l.query.facets, l.query.filter])).toEqual([
      ['province', ['facetProvince'], 'year = 2023 AND year >= 2020 AND (facetHospital = "蒙阴县人民医院") AND (duplicateOf IS NULL)'],
      ['year', ['year'], 'facetProvince = "山东" AND year >= 2020 AND (facetHospital = "蒙阴县人民医院") AND (duplicateOf IS NULL)'],
    ]);
    for (const { query } of lifted) {
      expect(query.q).toBe('党建 ');
      expect(query.hitsPerPage).toBe(0);
      expect(query.matchingStrategy).toBe('all');
    }
  });

  it('lifts nothing when no facet field is filtered', () => {
    const request = makeRequest('党建 ', { filters: { yearFrom: 2020 }, disjunctiveFacets: true, facets: true });
    expect(buildDisjunctiveFacetQueries('articles', buildSearchPlan(request), request)).toEqual([]);
  });
});

describe('readFacetCounts', () => {
  it('keeps the most frequent values of each field under a facet limit', () => {
    const counts = readFacetCounts({ facetProvince: { 山西: 1, 山东: 3, 浙江: 2 }, year: { '2021': 2, '2023': 3 } }, 2);
    expect(Object.entries(counts.province)).toEqual([
      ['山东', 3],
      ['浙江', 2],
    ]);
    expect(counts.year).toEqual({ '2023': 3, '2021': 2 });
  });

  it('maps attributes back to facet names, ordered by count then value', () => {
    const counts = readFacetCounts({
      facetProvince: { 山西: 1, 山东: 2, 浙江: 1, 湖北: 1 },
      facetHospital: { 蒙阴县人民医院: 1, 潍坊市妇幼保健院: 1 },
      year: { '2021': 2, '2023': 3 },
      facetAwardLevel: { national: 0 },
    });
    expect(Object.entries(counts.province)).toEqual([
      ['山东', 2],
      ['山西', 1],
      ['浙江', 1],
      ['湖北', 1],
    ]);
    expect(counts.hospital).toEqual({ 潍坊市妇幼保健院: 1, 蒙阴县人民医院: 1 });
    expect(counts.year).toEqual({ '2021': 2, '2023': 3 });
    expect(counts.awardLevel).toEqual({});
    expect(counts.city).toEqual({});
  });

  it('counts facet values over canonical articles matching the filters', () => {
    const params = buildFacetValuesParams({ province: ['山东'] });
    expect(params).toMatchObject({ hitsPerPage: 0, filter: 'facetProvince = "山东" AND (duplicateOf IS NULL)' });
    expect(params.facets).toHaveLength(facetFields.length);
  });
});

describe('scores', () => {
  const relevance = buildSearchPlan(makeRequest('党建品牌 '));
  const hit = (rankingScore: number, topicality: number, words = 1): Hit => ({
    topicality,
    _rankingScore: rankingScore,
    _rankingScoreDetails: { words: { order: 0, matchingWords: 1, maxMatchingWords: 1, score: words } },
  });

  it('decreases down a result list where an off-topic page was ranked below better text matches', () => {
    // Meilisearch's order: on-topic pages, then the off-topic one, whose text match alone scores higher.
    const scores = [hit(0.8, 0.9), hit(0.6, 0.5), hit(0.97, 0.05)].map((h) => readScore(h, relevance));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const score of scores) expect(score).toBeGreaterThan(0);
    for (const score of scores) expect(score).toBeLessThanOrEqual(1);
  });

  it('puts matching more words first when relaxed', () => {
    expect(readScore(hit(0.1, 0.05, 1), relevance)).toBeGreaterThan(readScore(hit(0.99, 0.9, 0.5), relevance));
  });

  it('is 0 in date order and when browsing', () => {
    expect(readScore(hit(0.73, 0.8), buildSearchPlan(makeRequest('党建 ', { sort: 'date_desc' })))).toBe(0);
    expect(readScore(hit(0.73, 0.8), buildSearchPlan(makeRequest('')))).toBe(0);
  });
});

describe('buildMatchingDuplicatesPlan', () => {
  it('looks for the duplicates of the page with the answered query, strategy and filters', () => {
    const request = makeRequest('双带头人 蒙阴 ', { filters: { province: ['山东'] } });
    const relaxed = buildRelaxedSearchPlan(request, [4, 1]);
    if (relaxed === null) throw new Error('no plan');
    const plan = buildMatchingDuplicatesPlan(relaxed, request, ['fx-shanxi-tumor', 'a"b']);
    expect(plan.q).toBe(relaxed.q);
    expect(plan.params).toMatchObject({
      matchingStrategy: 'last',
      attributesToRetrieve: ['id', 'duplicateOf'],
      filter: 'facetProvince = "山东" AND (duplicateOf IN ["fx-shanxi-tumor", "a\\"b"])',
    });
    expect(plan.params).not.toHaveProperty('facets');
  });
});

describe('related articles', () => {
  const source = makeDocument({
    id: 'mengyin',
    hospitals: ['蒙阴县人民医院'],
    province: '山东',
    awardTypes: ['先锋党支部'],
    keywords: ['双带头人', '党支部', '蒙阴'],
    duplicateOf: 'mengyin-original',
  });

  it('uses the keywords, or the words of the title when there are none', () => {
    expect(selectRelatedKeywords(source)).toEqual(['双带头人', '党支部', '蒙阴']);
    expect(selectRelatedKeywords(makeDocument({ title: '清廉医院建设推进会召开', keywords: [' ', ''] }))).toEqual(
      ['清廉医院', '建设', '推进', '召开'],
    );
  });

  it('asks once per keyword, excluding the article, its canonical article and every near-duplicate', () => {
    const queries = buildRelatedQueries('articles', source, ['双带头人', '党支部', '蒙阴'], {
      id: 'mengyin',
      limit: 5,
      filters: { year: [2023] },
    });
    expect(queries.map((q) => q.q)).toEqual(['双带头人 ', '党支部 ', '蒙阴 ']);
    for (const query of queries) {
      expect(query.filter).toBe('year = 2023 AND (duplicateOf IS NULL) AND (NOT id IN ["mengyin", "mengyin-original"])');
      expect(query.matchingStrategy).toBe('all');
      expect(query.hitsPerPage).toBeGreaterThanOrEqual(15);
    }
  });

  it('ranks by keywords the text shares, then boosts same hospital, province and award type', () => {
    const keywords = selectRelatedKeywords(source);
    const sameHospital = makeDocument({ id: 'h', hospitals: ['蒙阴县人民医院'], province: '山东', body: '蒙阴县人民医院召开大会' });
    const twoKeywords = makeDocument({ id: 'k', province: '浙江', body: '“双带头人”党支部书记' });
    const oneKeyword = makeDocument({ id: 'o', province: '湖北', body: '党支部开展活动' });
    // Found through a synonym or the metadata only: nothing shared in the text.
    const onlyMeta = makeDocument({ id: 'm', province: '山东', body: '双带头培育', metaTokens: '蒙阴' });
    const ranked = rankRelatedCandidates(
      source,
      keywords,
      [[twoKeywords, onlyMeta], [twoKeywords, oneKeyword, source], [sameHospital, onlyMeta]],
      10,
    );
    expect(ranked.map((c) => c.document.id)).toEqual(['h', 'k', 'o']);
    expect(ranked.map((c) => c.sharedKeywords)).toEqual([['蒙阴'], ['双带头人', '党支部'], ['党支部']]);
    expect(rankRelatedCandidates(source, keywords, [[twoKeywords], [oneKeyword]], 1).map((c) => c.document.id)).toEqual(['k']);
  });

  it('puts an off-topic page sharing the same keywords last', () => {
    const keywords = selectRelatedKeywords(source);
    const real = makeDocument({ id: 'real', body: '党支部推行双带头人', topicality: 0.8 });
    const spam = makeDocument({ id: 'spam', body: '热门标签 党支部 双带头人 蒙阴', topicality: 0.05 });
    const ranked = rankRelatedCandidates(source, keywords, [[spam, real]], 10);
    expect(ranked.map((c) => c.document.id)).toEqual(['real', 'spam']);
  });
});

describe('suggest', () => {
  it.each([
    ['dangjian', 'dangjian', false],
    ['dang jian', 'dangjian', false],
    ['DJPP', 'djpp', false],
    ["xi'an", 'xian', false],
    ['黨建', '党建', true],
    ['党建品', '党建品', true],
    ['5G', '5g', true],
  ])('completes %j with q %j (Chinese tokenisation: %s)', (prefix, q, chinese) => {
    const plan = buildSuggestPlan({ prefix, limit: 5, filters: {} });
    expect(plan?.q).toBe(q);
    expect(plan?.params.locales).toEqual(chinese ? ['cmn'] : undefined);
    expect(plan?.params).not.toHaveProperty('filter');
  });

  it('is null for a prefix with nothing to complete', () => {
    expect(buildSuggestPlan({ prefix: '  ', limit: 5, filters: {} })).toBeNull();
    expect(buildSuggestPlan({ prefix: '"', limit: 5, filters: {} })).toBeNull();
  });

  it('narrows titles by the filters on the server, never terms or hospitals', () => {
    const plan = buildSuggestPlan({ prefix: '党建', limit: 5, filters: { province: ['山东" OR kind != "x'] } });
    expect(plan?.params.filter).toBe('kind = "term" OR kind = "hospital" OR (facetProvince = "山东\\" OR kind != \\"x")');
  });

  const suggestion = (
    text: string,
    kind: MeiliSuggestion['kind'],
    pinyin: string,
    initials: string,
    weight: number,
    extra: Partial<MeiliSuggestion> = {},
  ): MeiliSuggestion => ({ sid: `${kind}-${text}`, text, kind, pinyin, initials, weight, ...extra });

  const candidates = [
    suggestion('优秀党建品牌', 'term', 'youxiudangjianpinpai', 'yxdjpp', 9),
    suggestion('党建品牌引领高质量发展', 'title', 'dangjianpinpaiyinling', 'djppylgzlfz', 1.8, { docId: 'doc-2' }),
    suggestion('党建品牌', 'title', 'dangjianpinpai', 'djpp', 1.9, { docId: 'doc-1' }),
    suggestion('党建品牌', 'term', 'dangjianpinpai', 'djpp', 4),
    suggestion('党建工作', 'term', 'dangjiangongzuo', 'djgz', 7),
    suggestion('党建引领', 'term', 'dangjianyinling', 'djyl', 7),
  ];

  it('keeps only completions of the input: text, full pinyin or initials', () => {
    const plan = buildSuggestPlan({ prefix: 'djpp', limit: 5, filters: {} });
    if (plan === null) throw new Error('no plan');
    expect(rankSuggestions(candidates, plan, 5, null)).toEqual([
      { text: '党建品牌', kind: 'term' },
      { text: '党建品牌引领高质量发展', kind: 'title', id: 'doc-2' },
    ]);
  });

  it('orders by kind quota, then weight, then shorter text, one suggestion per text', () => {
    const plan = buildSuggestPlan({ prefix: '党建', limit: 4, filters: {} });
    if (plan === null) throw new Error('no plan');
    expect(rankSuggestions(candidates, plan, 4, null)).toEqual([
      { text: '党建工作', kind: 'term' },
      { text: '党建引领', kind: 'term' },
      { text: '党建品牌', kind: 'title', id: 'doc-1' },
      { text: '党建品牌引领高质量发展', kind: 'title', id: 'doc-2' },
    ]);
  });

  it('shows a hospital only when an article the filters allow is about it', () => {
    const plan = buildSuggestPlan({ prefix: 'jz', limit: 5, filters: { province: ['湖北'] } });
    if (plan === null) throw new Error('no plan');
    const hospitals = [
      suggestion('荆州市第一人民医院', 'hospital', 'jingzhoushidiyirenminyiyuan', 'jzsdyrmyy', 3, { canonical: '荆州市第一人民医院' }),
      suggestion('荆州一医', 'hospital', 'jingzhouyiyi', 'jzyy', 2, { canonical: '荆州市第一人民医院' }),
      suggestion('锦州市中心医院', 'hospital', 'jinzhoushizhongxinyiyuan', 'jzszxyy', 5, { canonical: '锦州市中心医院' }),
    ];
    expect(rankSuggestions(hospitals, plan, 5, new Set(['荆州市第一人民医院'])).map((s) => s.text)).toEqual([
      '荆州市第一人民医院',
      '荆州一医',
    ]);
    expect(rankSuggestions(hospitals, plan, 5, null).map((s) => s.text)[0]).toBe('锦州市中心医院');
  });
});

describe('vocabulary', () => {
  const entry = (text: string, pinyin: string, initials: string, kind: MeiliSuggestion['kind'], weight: number): MeiliSuggestion =>
    ({ sid: `${kind}-${text}`, text, kind, pinyin, initials, weight });

  it('asks the suggestion index once per key, for hospitals and terms, with keys as plain letters', () => {
    const queries = buildVocabularyQueries('articles_suggest', ['djpp', 'djpp', 'dang"jian', '']);
    expect(queries.map((q) => q.q)).toEqual(['djpp', 'dangjian']);
    for (const query of queries) {
      expect(query).toMatchObject({ indexUid: 'articles_suggest', filter: 'kind = "term" OR kind = "hospital"' });
    }
  });

  it('keeps only exact full-pinyin or initials matches, never titles, each once, heaviest first', () => {
    const hits = [
      entry('党建品牌建设', 'dangjianpinpaijianshe', 'djppjs', 'term', 9),
      entry('党建品牌', 'dangjianpinpai', 'djpp', 'term', 3),
      entry('党建评比', 'dangjianpingbi', 'djpb', 'term', 1),
      entry('党建品牌', 'dangjianpinpai', 'djpp', 'title', 7),
      entry('党建品牌', 'dangjianpinpai', 'djpp', 'term', 3),
      entry('大江频频', 'dajiangpinpin', 'djpp', 'term', 5),
    ];
    expect(readVocabulary(hits, ['djpp']).map((e) => [e.text, e.weight])).toEqual([
      ['大江频频', 5],
      ['党建品牌', 3],
    ]);
    expect(readVocabulary(hits, ['dangjianpinpai'])).toEqual([
      { text: '党建品牌', kind: 'term', pinyin: 'dangjianpinpai', initials: 'djpp', weight: 3 },
    ]);
  });
});
