/**
 * What the Meilisearch indexes look like: the documents this adapter sends
 * (EngineDocument plus a few derived fields) and the index settings, all
 * derived from the same config/data files the SQLite engine and the query
 * analyser use. Everything here is deterministic: the same config always
 * yields the same settings object, so init() can re-apply it idempotently.
 *
 * Requires Meilisearch ≥ 1.10 (localizedAttributes and the `locales` search
 * parameter; dictionary, proximityPrecision, `IS NULL` filters and ranking
 * score details are older). Only settings every such version knows are sent.
 */
import { createHash } from 'node:crypto';
import type { Settings } from 'meilisearch';
import { loadDomainWords } from '../../config/data.js';
import { normaliseText } from '../analysis/normalise.js';
import { documentFacetValues, engineDocumentSchema, type EngineDocument, type FacetField } from '../document.js';
import type { SearchFilters, Suggestion } from '../port.js';
// Shared with the SQLite engine so both suggest the same words with the same keys.
import { aggregateEntriesOf, computePinyinKeys, type AggregateEntry } from '../analysis/suggestions.js';
import { getExpansions } from '../analysis/query.js';

// ---------------------------------------------------------------------------
// Article index: documents

/**
 * Meilisearch only accepts `[A-Za-z0-9_-]` primary keys; our ids are free
 * text (they may come from URLs), so the primary key is the id in base64url,
 * which is injective and always valid. `id` stays a plain filterable field.
 */
export const primaryKey = 'pk';

export function encodeDocumentKey(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** An article as stored in Meilisearch: the engine document plus derived fields. */
export type MeiliArticle = EngineDocument & {
  pk: string;
  /** yyyymmdd from `publishedAt`, else year × 10000; absent when undated (sorts last). */
  dateKey?: number;
  /** 0 for clearly off-topic pages, 1 otherwise (see rankingRules). */
  topicalityTier: number;
} & FacetValueFields;

/** The facet values of engine/document.ts `documentFacetValues`, one array attribute per facet. */
type FacetValueFields = {
  facetProvince: string[];
  facetCity: string[];
  facetHospital: string[];
  facetAwardType: string[];
  facetAwardLevel: string[];
  facetHospitalKind: string[];
};

/** Engine document fields: what searches retrieve (derived fields stay on the server). */
export const documentFields = Object.keys(engineDocumentSchema.shape) as Array<keyof EngineDocument>;

/** Sortable date, as the SQLite engine computes it: the full date when known, else day 0 of the year. */
export function computeDateKey(document: Pick<EngineDocument, 'publishedAt' | 'year'>): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})/u.exec(document.publishedAt ?? '');
  if (match) return Number(`${match[1]}${match[2]}${match[3]}`);
  return document.year === null ? undefined : document.year * 10000;
}

/**
 * Below this topicality a page is treated as off-topic (spam, tag pages,
 * content farms that use the vocabulary). The SQLite engine scales its score
 * by topicality; Meilisearch ranks in buckets, so the same intent becomes a
 * two-level rule: off-topic pages rank below on-topic pages matching as many
 * words, and relevance decides within each level.
 */
export const offTopicBelow = 0.3;

export function computeTopicalityTier(topicality: number): number {
  return topicality < offTopicBelow ? 0 : 1;
}

function facetValueFields(document: EngineDocument): FacetValueFields {
  const values = documentFacetValues(document);
  return {
    facetProvince: values.province,
    facetCity: values.city,
    facetHospital: values.hospital,
    facetAwardType: values.awardType,
    facetAwardLevel: values.awardLevel,
    facetHospitalKind: values.hospitalKind,
  };
}

export function toMeiliArticle(document: EngineDocument): MeiliArticle {
  const dateKey = computeDateKey(document);
  const article: MeiliArticle = {
    ...document,
    ...facetValueFields(document),
    pk: encodeDocumentKey(document.id),
    topicalityTier: computeTopicalityTier(document.topicality),
  };
  if (dateKey !== undefined) article.dateKey = dateKey;
  return article;
}

/** Back to the engine contract: derived fields dropped, shape validated. */
export function fromMeiliArticle(stored: Record<string, unknown>): EngineDocument {
  const picked: Record<string, unknown> = {};
  for (const field of documentFields) picked[field] = stored[field];
  return engineDocumentSchema.parse(picked);
}

/**
 * Fields only the engines read: the segmented text and the near-duplicate
 * fingerprint. They are most of a stored article's bytes, and the API never
 * shows them, so search and related hits are fetched without them.
 */
const engineOnlyFields: ReadonlySet<string> = new Set(['titleTokens', 'bodyTokens', 'metaTokens', 'fingerprint']);

/** The fields a search or related hit is fetched with. */
export const hitFields = documentFields.filter((field) => !engineOnlyFields.has(field));

/** A hit fetched with `hitFields`: the engine-only fields are empty. */
export function fromMeiliHit(stored: Record<string, unknown>): EngineDocument {
  const picked: Record<string, unknown> = {};
  for (const field of documentFields) picked[field] = engineOnlyFields.has(field) ? '' : stored[field];
  return engineDocumentSchema.parse(picked);
}

// ---------------------------------------------------------------------------
// Article index: attributes

/**
 * Searchable attributes in priority order (the `attribute` ranking rule).
 * `metaTokens` (hospital names and aliases, places, honours, branches) sits
 * between title and body, as in the SQLite engine's weights. Title and body
 * are indexed twice: the `*Tokens` form carries our jieba segmentation with
 * sub-words (党建品牌 → 党建 品牌 党建品牌, what the SQLite engine indexes),
 * so a query word finds longer compounds; the raw form is segmented by
 * Meilisearch itself (jieba + our dictionary) without interleaved sub-words,
 * which keeps quoted phrases contiguous.
 */
export const searchableAttributes = ['titleTokens', 'title', 'metaTokens', 'bodyTokens', 'body'] as const;

/**
 * Where each filter of the port is applied: the derived facet attributes,
 * filled from `documentFacetValues` like the SQLite engine's facet table, so
 * a filter and its facet count agree across engines (`hospital` covers every
 * hospital the article is about). `year` stays numeric for ranges.
 */
export const filterAttributes = {
  province: 'facetProvince',
  city: 'facetCity',
  hospital: 'facetHospital',
  awardType: 'facetAwardType',
  awardLevel: 'facetAwardLevel',
  hospitalKind: 'facetHospitalKind',
  year: 'year',
} as const satisfies Record<Exclude<keyof SearchFilters, 'yearFrom' | 'yearTo'>, string>;

/** Where each facet of the port is counted: always the attribute its filter uses. */
export const facetAttributes = {
  province: filterAttributes.province,
  city: filterAttributes.city,
  hospital: filterAttributes.hospital,
  year: filterAttributes.year,
  awardType: filterAttributes.awardType,
  awardLevel: filterAttributes.awardLevel,
  hospitalKind: filterAttributes.hospitalKind,
} as const satisfies Record<FacetField, string>;

export const filterableAttributes = ['id', 'duplicateOf', ...Object.values(filterAttributes)] as const;

export const sortableAttributes = ['dateKey', 'year', 'id'] as const;

/**
 * `sort` comes right after `words`: a date-sorted search is in date order
 * (every hit of a strict search matches every word), while a relaxed search
 * still puts hits that match more words first. Without a `sort` parameter the
 * rule is inactive and relevance applies: off-topic pages below real cases
 * (`topicalityTier`), then proximity before attribute, so an exact phrase
 * beats scattered words, then title before body; `topicality` breaks ties.
 */
export const rankingRules = [
  'words',
  'sort',
  'topicalityTier:desc',
  'typo',
  'proximity',
  'attribute',
  'exactness',
  'topicality:desc',
];

/** Facet lists must be complete (facetValues), not Meilisearch's default top 100. */
export const maxFacetValues = 5000;
/** Totals are exhaustive up to this many hits (page/hitsPerPage pagination). */
export const maxTotalHits = 100_000;

export const chineseLocales = ['cmn'];

// ---------------------------------------------------------------------------
// Synonyms and dictionary from config

/**
 * Meilisearch synonyms are the analyser's own expansions (engine/analysis/query.ts),
 * so both engines find the same alternatives for every configured form.
 */
export function buildSynonyms(): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  const expansions = getExpansions();
  for (const form of [...expansions.keys()].sort()) {
    const others = (expansions.get(form) ?? []).filter((f) => f !== form);
    if (others.length > 0) synonyms[form] = others;
  }
  return synonyms;
}

/**
 * The words jieba keeps whole for us become Meilisearch's `dictionary`, so
 * its segmenter (also jieba-based, with another word list) cuts documents,
 * queries and synonym keys the way our analyser does: 党建品牌 and 荆州一医
 * stay one word instead of 党建/品牌 and 荆州/一/医.
 */
export function buildDictionary(): string[] {
  const words = loadDomainWords()
    .map((w) => normaliseText(w).replace(/\s+/gu, ''))
    .filter((w) => w !== '');
  return [...new Set(words)].sort();
}

// ---------------------------------------------------------------------------
// Article index: settings

// ---------------------------------------------------------------------------
// Settings already in force

/** Settings whose values are sets: their order carries no meaning. */
const setValuedSettings: ReadonlySet<string> = new Set(['dictionary', 'stopWords', 'separatorTokens', 'nonSeparatorTokens', 'filterableAttributes', 'sortableAttributes']);

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function sortedJson(values: readonly unknown[]): string[] {
  return values.map((v) => JSON.stringify(v)).sort();
}

/** `wanted` is in force in `current`: equal, as sets where order means nothing, and nested objects as far as `wanted` says. */
function inForce(key: string, current: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(current)) return false;
    return setValuedSettings.has(key) ? sameJson(sortedJson(current), sortedJson(wanted)) : sameJson(current, wanted);
  }
  if (key === 'synonyms' && wanted !== null && typeof wanted === 'object') {
    // Exactly these keys: one left over from earlier would still expand queries.
    if (current === null || typeof current !== 'object') return false;
    const have = current as Record<string, unknown>;
    const want = wanted as Record<string, unknown[]>;
    const keys = Object.keys(want);
    if (Object.keys(have).length !== keys.length) return false;
    return keys.every((k) => Array.isArray(have[k]) && sameJson(sortedJson(have[k] as unknown[]), sortedJson(want[k] ?? [])));
  }
  if (wanted !== null && typeof wanted === 'object') {
    if (current === null || typeof current !== 'object') return false;
    const have = current as Record<string, unknown>;
    return Object.entries(wanted as Record<string, unknown>).every(([k, v]) => inForce(k, have[k], v));
  }
  return current === wanted;
}

/**
 * The part of `wanted` that `current` (an index's settings as Meilisearch
 * reports them, defaults filled in) does not already have. Sending settings
 * that are already in force is not free: at 100k articles the start-up's
 * settings tasks held the engine's opening for 27 s.
 */
export function settingsToUpdate(current: Record<string, unknown>, wanted: Settings): Settings {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (value !== undefined && !inForce(key, current[key], value)) out[key] = value;
  }
  return out;
}

/**
 * Typo tolerance is off. Meilisearch allows typos by word length in
 * characters (1 typo from 5, 2 from 9 by default), which for Chinese means
 * 荆州市第二人民医院 would match 荆州市第一人民医院 and 省级 / 市级 style
 * one-character differences would match each other: in Chinese a changed
 * character is a different word, not a misspelling. The rare Latin words in
 * the corpus (DRG, MDT) are acronyms, where typos are just as wrong.
 */
export function buildIndexSettings(): Settings {
  const textAttributes = [...searchableAttributes];
  return {
    searchableAttributes: textAttributes,
    filterableAttributes: [...filterableAttributes],
    sortableAttributes: [...sortableAttributes],
    rankingRules: [...rankingRules],
    typoTolerance: { enabled: false },
    synonyms: buildSynonyms(),
    dictionary: buildDictionary(),
    localizedAttributes: [{ attributePatterns: textAttributes, locales: [...chineseLocales] }],
    proximityPrecision: 'byWord',
    faceting: { maxValuesPerFacet: maxFacetValues, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits },
  };
}

// ---------------------------------------------------------------------------
// Suggest index

/**
 * A completion. Its vocabulary is the SQLite engine's (engine/sqlite/
 * suggestions.ts: titles; hospital names with their aliases; keywords and
 * dictionary words), with the same pinyin keys and the same weights: the
 * number of articles carrying a hospital or term, 1 + topicality for a title.
 */
export interface MeiliSuggestion {
  sid: string;
  text: string;
  kind: Suggestion['kind'];
  /** The canonical hospital a hospital name or alias stands for. */
  canonical?: string;
  /** The article a title comes from. */
  docId?: string;
  /** Toneless full pinyin, letters and digits only (党建品牌 → dangjianpinpai). */
  pinyin: string;
  /** Pinyin initials (党建品牌 → djpp). */
  initials: string;
  weight: number;
  /** Titles carry their article's facet values, so filters narrow them. */
  facetProvince?: string[];
  facetCity?: string[];
  facetHospital?: string[];
  facetAwardType?: string[];
  facetAwardLevel?: string[];
  facetHospitalKind?: string[];
  year?: number;
}

export const suggestPrimaryKey = 'sid';

export function titleSuggestionKey(documentId: string): string {
  return `title-${encodeDocumentKey(documentId)}`;
}

export function aggregateSuggestionKey(entry: Pick<AggregateEntry, 'kind' | 'text'>): string {
  return `${entry.kind}-${createHash('sha1').update(entry.text).digest('hex')}`;
}

export function buildTitleSuggestion(document: EngineDocument): MeiliSuggestion | null {
  if (document.title.trim() === '') return null;
  const keys = computePinyinKeys(document.title);
  const suggestion: MeiliSuggestion = {
    sid: titleSuggestionKey(document.id),
    text: document.title,
    kind: 'title',
    docId: document.id,
    pinyin: keys.full,
    initials: keys.initials,
    weight: 1 + document.topicality,
    ...facetValueFields(document),
  };
  if (document.year !== null) suggestion.year = document.year;
  return suggestion;
}

export function buildAggregateSuggestion(entry: AggregateEntry, weight: number): MeiliSuggestion {
  const keys = computePinyinKeys(entry.text);
  const suggestion: MeiliSuggestion = {
    sid: aggregateSuggestionKey(entry),
    text: entry.text,
    kind: entry.kind,
    pinyin: keys.full,
    initials: keys.initials,
    weight,
  };
  if (entry.canonical !== null) suggestion.canonical = entry.canonical;
  return suggestion;
}

/** The fields `aggregateEntriesOf` reads: all an old version is fetched with before it is replaced or deleted. */
export const aggregateSourceFields = [
  'id',
  'hospital',
  'hospitals',
  'hospitalAliases',
  'keywords',
  'titleTokens',
  'bodyTokens',
] as const;

const aggregateSourceSchema = engineDocumentSchema.pick({
  id: true,
  hospital: true,
  hospitals: true,
  hospitalAliases: true,
  keywords: true,
  titleTokens: true,
  bodyTokens: true,
});

/**
 * A stored article reduced to what its suggestions depend on. Only those
 * fields are validated, so an article stored by an older version of the
 * document schema can still be replaced.
 */
export function readAggregateSource(stored: Record<string, unknown>): EngineDocument {
  // aggregateEntriesOf takes a whole document but reads only these fields.
  return aggregateSourceSchema.parse(stored) as EngineDocument;
}

export interface AggregateCount {
  entry: AggregateEntry;
  count: number;
}

/** sid → hospital/term entry with the number of `documents` carrying it (`sign` −1 to subtract). */
export function countAggregates(
  documents: Iterable<EngineDocument>,
  into = new Map<string, AggregateCount>(),
  sign: 1 | -1 = 1,
): Map<string, AggregateCount> {
  for (const document of documents) {
    for (const entry of aggregateEntriesOf(document)) {
      const sid = aggregateSuggestionKey(entry);
      const seen = into.get(sid);
      if (seen) seen.count += sign;
      else into.set(sid, { entry, count: sign });
    }
  }
  return into;
}

/** Suggestion attributes a filter may constrain; only titles carry them (see params.ts). */
export const suggestFilterableAttributes = ['kind', 'sid', ...Object.values(filterAttributes)] as const;

export function buildSuggestIndexSettings(): Settings {
  return {
    searchableAttributes: ['text', 'pinyin', 'initials'],
    filterableAttributes: [...suggestFilterableAttributes],
    sortableAttributes: ['weight'],
    rankingRules: ['words', 'attribute', 'exactness', 'weight:desc'],
    // Completions are prefixes of what was typed; a typo would complete something else.
    typoTolerance: { enabled: false },
    dictionary: buildDictionary(),
    localizedAttributes: [{ attributePatterns: ['text'], locales: [...chineseLocales] }],
    proximityPrecision: 'byWord',
    pagination: { maxTotalHits: 1000 },
  };
}
