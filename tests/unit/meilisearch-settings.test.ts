import { describe, expect, it } from 'vitest';
import { analyseQuery } from '../../engine/analysis/query.js';
import type { EngineDocument } from '../../engine/document.js';
import { buildFilter } from '../../engine/meilisearch/filter.js';
import {
  buildDictionary,
  buildIndexSettings,
  aggregateSuggestionKey,
  buildAggregateSuggestion,
  buildSuggestIndexSettings,
  buildSynonyms,
  buildTitleSuggestion,
  countAggregates,
  computeDateKey,
  encodeDocumentKey,
  facetAttributes,
  filterableAttributes,
  fromMeiliArticle,
  readAggregateSource,
  searchableAttributes,
  sortableAttributes,
  suggestFilterableAttributes,
  titleSuggestionKey,
  toMeiliArticle,
} from '../../engine/meilisearch/settings.js';

function makeDocument(overrides: Partial<EngineDocument> = {}): EngineDocument {
  return {
    id: '000_1fa8a9b2f9a530c3',
    url: 'https://www.example.org/news/1.html',
    title: '荆州市第一人民医院召开党建品牌推进会',
    body: '荆州一医党委推进“双带头人”培育工程，打造党建品牌。',
    summary: '荆州一医党委推进“双带头人”培育工程。',
    publishedAt: '2023-06-28',
    year: 2023,
    yearSource: 'published',
    source: '党办',
    authors: [],
    province: '湖北',
    city: '荆州',
    county: null,
    hospital: '荆州市第一人民医院',
    hospitals: ['荆州市第一人民医院'],
    hospitalAliases: ['荆州一医'],
    awardNames: [],
    awardTypes: ['党建品牌'],
    awardLevels: ['municipal'],
    partyBranches: [],
    keywords: ['双带头人', '党建品牌', '培育'],
    duplicateOf: null,
    originalScript: 'simplified',
    topicality: 0.9,
    titleTokens: '荆州 荆州市 第一 人民 医院 荆州市第一人民医院 召开 党建 品牌 党建品牌 推进会',
    bodyTokens: '荆州一医 党委 推进 双带头人 培育 工程 打造 党建 品牌 党建品牌',
    metaTokens: '荆州市第一人民医院 荆州一医 湖北 荆州',
    fingerprint: '0a1b 2c3d',
    contentHash: 'abc123',
    sourcePath: 'corpus/000_1fa8a9b2f9a530c3.txt',
    ...overrides,
  };
}

describe('synonyms', () => {
  const synonyms = buildSynonyms();

  it.each([
    ['荆州一医', '荆州市第一人民医院'],
    ['荆州市第一人民医院', '荆州一医'],
    ['卫健委', '卫生健康委员会'],
    ['卫生健康委员会', '卫健委'],
    ['党建品牌', '党建特色品牌'],
    ['双带头', '双带头人'],
  ])('a query for %s also finds %s', (form, other) => {
    expect(synonyms[form]).toContain(other);
    expect(synonyms[form]).not.toContain(form);
  });

  it('expands every configured form exactly as the query analyser does', () => {
    // Forms with separators are split into several clauses by the analyser; one-clause forms must agree.
    const checked = Object.keys(synonyms).filter((form) => {
      const clauses = analyseQuery(`${form} `).clauses;
      return clauses.length === 1 && clauses[0]?.text === form;
    });
    expect(checked.length).toBeGreaterThanOrEqual(15);
    for (const form of checked) {
      const alternatives = analyseQuery(`${form} `).clauses[0]?.alternatives.map((a) => a.text) ?? [];
      expect(new Set(alternatives), form).toEqual(new Set([form, ...(synonyms[form] ?? [])]));
    }
  });

  it('holds Simplified forms only, because documents and queries are Simplified', () => {
    for (const [form, others] of Object.entries(synonyms)) {
      for (const text of [form, ...others]) expect(text).not.toMatch(/[黨醫衛]/u);
    }
  });
});

describe('buildIndexSettings', () => {
  const settings = buildIndexSettings();

  it('is deterministic, so init() can re-apply it without re-indexing', () => {
    expect(buildIndexSettings()).toEqual(settings);
  });

  it.each(['党建品牌', '双带头人', '先锋党支部', '荆州一医', '荆州市第一人民医院', '卫生健康委员会'])(
    'keeps %s whole in Meilisearch segmentation through the dictionary',
    (word) => {
      expect(settings.dictionary).toContain(word);
    },
  );

  it('matches the dictionary to the words jieba keeps whole, without spaces or duplicates', () => {
    const dictionary = buildDictionary();
    expect(new Set(dictionary).size).toBe(dictionary.length);
    for (const word of dictionary) expect(word).not.toMatch(/\s/u);
  });

  it('searches titles before metadata before bodies, each as our tokens and as raw text', () => {
    expect(settings.searchableAttributes).toEqual(['titleTokens', 'title', 'metaTokens', 'bodyTokens', 'body']);
  });

  it('cuts every searchable attribute as Chinese', () => {
    expect(settings.localizedAttributes).toEqual([{ attributePatterns: [...searchableAttributes], locales: ['cmn'] }]);
  });

  it('can filter on every attribute a filter, a facet, collapsing or related lookups use', () => {
    const filterable = settings.filterableAttributes ?? [];
    for (const attribute of [...Object.values(facetAttributes), 'duplicateOf', 'id']) {
      expect(filterable).toContain(attribute);
    }
    // Every attribute buildFilter can write is filterable.
    const written = buildFilter({
      province: ['a'],
      city: ['a'],
      hospital: ['a'],
      awardType: ['a'],
      awardLevel: ['a'],
      year: [2020],
      yearFrom: 2019,
      yearTo: 2021,
    });
    const attributes = [...(written ?? '').matchAll(/([A-Za-z]+) (?:=|>=|<=)/gu)].map((m) => m[1]);
    for (const attribute of attributes) expect(filterable).toContain(attribute);
    expect(filterable).toEqual([...filterableAttributes]);
  });

  it('sorts by date with an id tie-break', () => {
    expect(settings.sortableAttributes).toEqual([...sortableAttributes]);
    expect(settings.sortableAttributes).toEqual(expect.arrayContaining(['dateKey', 'id', 'year']));
  });

  it('ranks words, then the requested sort, then off-topic pages down, then relevance', () => {
    const rules = settings.rankingRules ?? [];
    expect(rules[0]).toBe('words');
    expect(rules.indexOf('sort')).toBe(1);
    expect(rules.indexOf('topicalityTier:desc')).toBe(2);
    expect(rules.indexOf('proximity')).toBeLessThan(rules.indexOf('attribute'));
    expect(rules.at(-1)).toBe('topicality:desc');
  });

  it('turns typo tolerance off: one changed character is another Chinese word', () => {
    expect(settings.typoTolerance?.enabled).toBe(false);
  });

  it('returns every facet value and exhaustive totals', () => {
    expect(settings.faceting?.maxValuesPerFacet).toBeGreaterThanOrEqual(1000);
    expect(settings.faceting?.sortFacetValuesBy).toEqual({ '*': 'count' });
    expect(settings.pagination?.maxTotalHits).toBeGreaterThanOrEqual(10_000);
  });
});

describe('articles as Meilisearch documents', () => {
  it.each([
    ['000_1fa8a9b2f9a530c3'],
    ['https://www.example.org/news/2024/06/28/党建.html?id=1#top'],
    ['荆州一医:党建/品牌'],
    ['a" OR id != "b'],
  ])('gives the id %j a primary key Meilisearch accepts, distinct per id', (id) => {
    const key = encodeDocumentKey(id);
    expect(key).toMatch(/^[A-Za-z0-9_-]{1,511}$/u);
    expect(Buffer.from(key, 'base64url').toString('utf8')).toBe(id);
  });

  it('round-trips a document, dropping only the derived fields', () => {
    const document = makeDocument();
    const stored = toMeiliArticle(document);
    expect(stored.pk).toBe(encodeDocumentKey(document.id));
    expect(stored.dateKey).toBe(20230628);
    expect(fromMeiliArticle({ ...stored, _rankingScore: 0.5, _matchesPosition: {} })).toEqual(document);
  });

  it('stores the facet values every engine filters and counts, main hospital included', () => {
    const stored = toMeiliArticle(makeDocument({ hospital: '荆州市第一人民医院', hospitals: ['荆州市中心医院'], county: '沙市区' }));
    expect(stored).toMatchObject({
      facetProvince: ['湖北'],
      facetCity: ['荆州'],
      facetHospital: ['荆州市第一人民医院', '荆州市中心医院'],
      facetAwardType: ['党建品牌'],
      facetAwardLevel: ['municipal'],
      year: 2023,
    });
    expect(toMeiliArticle(makeDocument({ province: null, city: '' })).facetProvince).toEqual([]);
    expect(toMeiliArticle(makeDocument({ province: null, city: '' })).facetCity).toEqual([]);
  });

  it.each([
    [0.9, 1],
    [0.3, 1],
    [0.29, 0],
    [0.05, 0],
  ])('ranks an article of topicality %s in tier %s', (topicality, tier) => {
    expect(toMeiliArticle(makeDocument({ topicality })).topicalityTier).toBe(tier);
  });

  it.each([
    [{ publishedAt: '2023-06-28', year: 2023 }, 20230628],
    [{ publishedAt: null, year: 2019 }, 20190000],
    [{ publishedAt: null, year: null }, undefined],
  ])('dates %j sort as %s', (dates, key) => {
    expect(computeDateKey(dates)).toBe(key);
  });

  it('omits the date key of undated articles, which Meilisearch sorts last', () => {
    expect('dateKey' in toMeiliArticle(makeDocument({ publishedAt: null, year: null }))).toBe(false);
  });
});

describe('suggestions', () => {
  it('offers a title with its pinyin, weighted by topicality and narrowed by its facets', () => {
    const document = makeDocument();
    expect(buildTitleSuggestion(document)).toMatchObject({
      sid: titleSuggestionKey(document.id),
      text: document.title,
      kind: 'title',
      docId: document.id,
      pinyin: expect.stringMatching(/^jingzhoushidiyirenminyiyuan/u) as unknown,
      initials: expect.stringMatching(/^jzsdyrmyyzkdjpp/u) as unknown,
      weight: 1.9,
      facetProvince: ['湖北'],
      facetHospital: ['荆州市第一人民医院'],
      year: 2023,
    });
    expect(buildTitleSuggestion(makeDocument({ title: '  ' }))).toBeNull();
  });

  it('counts the articles carrying each hospital name and term, and subtracts replaced versions', () => {
    const first = makeDocument();
    const second = makeDocument({
      id: '003_ae1c95c1e18dc3ef',
      title: '荆州一医开展主题党日活动',
      titleTokens: '荆州一医 开展 主题 党日 主题党日 活动',
      bodyTokens: '党员 参观 党建 品牌 党建品牌 展厅',
      keywords: ['主题党日', '展厅'],
    });
    const counts = countAggregates([first, second]);
    const count = (kind: string, text: string) => [...counts.values()].find((c) => c.entry.kind === kind && c.entry.text === text);
    expect(count('hospital', '荆州市第一人民医院')?.count).toBe(2);
    // The configured alias completes to the same hospital.
    expect(count('hospital', '荆州一医')).toMatchObject({ count: 2, entry: { canonical: '荆州市第一人民医院' } });
    expect(count('term', '党建品牌')?.count).toBe(2);
    expect(count('term', '双带头人')?.count).toBe(1);
    expect(count('term', '展厅')?.count).toBe(1);

    // Replacing `second` by a version without 展厅: +1 for the new, −1 for the old.
    const delta = countAggregates([{ ...second, keywords: ['主题党日'] }], countAggregates([second], new Map(), -1));
    expect([...delta.values()].find((c) => c.entry.text === '展厅')?.count).toBe(-1);
    expect([...delta.values()].find((c) => c.entry.text === '主题党日')?.count).toBe(0);
  });

  it('reads what an old stored version contributed, even one stored under an older document schema', () => {
    const older: Record<string, unknown> = { ...makeDocument(), pk: 'x', _rankingScore: 1 };
    for (const field of ['metaTokens', 'fingerprint', 'body']) delete older[field];
    const source = readAggregateSource(older);
    const entries = [...countAggregates([source]).values()].map((c) => `${c.entry.kind}:${c.entry.text}`);
    expect(entries).toEqual(expect.arrayContaining(['hospital:荆州市第一人民医院', 'hospital:荆州一医', 'term:双带头人']));
    expect(() => readAggregateSource({ id: 'x' })).toThrow();
  });

  it('keys suggestions with ids Meilisearch accepts, one per kind and text', () => {
    const suggestion = buildAggregateSuggestion({ kind: 'term', text: '党建品牌', canonical: null }, 3);
    expect(suggestion).toEqual({
      sid: aggregateSuggestionKey({ kind: 'term', text: '党建品牌' }),
      text: '党建品牌',
      kind: 'term',
      pinyin: 'dangjianpinpai',
      initials: 'djpp',
      weight: 3,
    });
    expect(aggregateSuggestionKey({ kind: 'hospital', text: '党建品牌' })).not.toBe(suggestion.sid);
    for (const key of [suggestion.sid, titleSuggestionKey('https://example.org/a?b#c')]) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{1,511}$/u);
    }
  });

  it('can filter titles on every attribute buildFilter writes, and never completes with a typo', () => {
    const settings = buildSuggestIndexSettings();
    expect(settings.filterableAttributes).toEqual([...suggestFilterableAttributes]);
    for (const attribute of Object.values(facetAttributes)) expect(settings.filterableAttributes).toContain(attribute);
    expect(settings.typoTolerance?.enabled).toBe(false);
    expect(settings.searchableAttributes).toEqual(['text', 'pinyin', 'initials']);
    expect(settings.localizedAttributes).toEqual([{ attributePatterns: ['text'], locales: ['cmn'] }]);
  });
});
