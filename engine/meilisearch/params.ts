/**
 * Pure translation between the port's requests and Meilisearch search
 * parameters, and back from Meilisearch hits. No I/O here: the engine sends
 * what these functions build.
 *
 * How the analysed query maps onto Meilisearch's `q`:
 * - Clauses are AND-ed: `q` lists one entry per clause and the first request
 *   uses `matchingStrategy: 'all'`.
 * - Alternatives are OR-ed, but `q` has no OR. A clause with alternatives is
 *   always an alias/synonym form from config, and the index's `synonyms`
 *   setting is built from the same config by the same algorithm
 *   (settings.ts), so sending the user's form lets Meilisearch expand it to
 *   exactly the analyser's alternatives (multi-word synonyms are matched as
 *   phrases). Sending one request per alternative instead would multiply
 *   requests per clause and break totals, facets and pagination.
 * - A phrase clause is sent in double quotes: Meilisearch then requires its
 *   words to be consecutive (in the raw `title`/`body`, which have no
 *   interleaved sub-words).
 * - Prefix: Meilisearch treats the last word of `q` as a prefix unless `q`
 *   ends with a separator, so `q` ends with a space unless the analyser
 *   marked the last clause as being typed.
 * - No Meilisearch cropping or highlighting: it crops by words, which is
 *   wrong for Chinese. Matched words are found in the hit's text
 *   (`readMatchedTerms`) and the shared snippet renderer does the rest.
 */
import type { Hit, MatchingStrategies, MultiSearchQuery, SearchParams } from 'meilisearch';
import type { AnalysedQuery, QueryClause } from '../analysis/query.js';
import { segmentForIndex, segmentWords } from '../analysis/segment.js';
import type { EngineDocument, FacetField } from '../document.js';
import { facetFields } from '../document.js';
import type { FacetCounts, RelatedRequest, SearchFilters, SearchRequest, SortOrder, SuggestRequest, Suggestion, VocabularyEntry } from '../port.js';
import { parseSuggestInput, type SuggestInput } from '../analysis/suggestions.js';
import { buildFilter, buildInFilter } from './filter.js';
import { chineseLocales, computeTopicalityTier, facetAttributes, hitFields, type MeiliSuggestion } from './settings.js';

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Only canonical articles: near-duplicates are folded into them. */
export const canonicalOnlyFilter = 'duplicateOf IS NULL';

export type PagedSearchParams = SearchParams & { page: number; hitsPerPage: number };

export interface SearchPlan {
  q: string | null;
  params: PagedSearchParams;
}

// ---------------------------------------------------------------------------
// q

/**
 * Meilisearch query syntax is `"` (phrase) and a leading `-` (negation).
 * The analyser's words never hold either, but the raw text of a quoted
 * phrase can; they become separators so they stay plain words, as do
 * control characters.
 */
function sanitiseQueryText(text: string): string {
  return text
    .replace(/["\p{Cc}]/gu, ' ')
    .replace(/(^|\s)-+/gu, '$1')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** One clause as it appears in `q`. */
export function buildClauseQuery(clause: QueryClause): string {
  const first = clause.alternatives[0];
  if (first === undefined) return '';
  if (clause.phrase) {
    const text = sanitiseQueryText(first.text);
    return text === '' ? '' : `"${text}"`;
  }
  // The user's form as written: it is what the `synonyms` keys were made from.
  if (clause.alternatives.length > 1) return sanitiseQueryText(first.text);
  return sanitiseQueryText(first.tokens.join(' '));
}

/** `q` for the given clauses (default: all of them); null when there is nothing to search for. */
export function buildQueryString(
  query: AnalysedQuery,
  clauses: readonly QueryClause[] = query.clauses,
): string | null {
  const parts = clauses.map(buildClauseQuery).filter((p) => p !== '');
  if (parts.length === 0) return null;
  const last = clauses.at(-1);
  const typing = last !== undefined && last.prefix && !last.phrase;
  return typing ? parts.join(' ') : `${parts.join(' ')} `;
}

// ---------------------------------------------------------------------------
// Search

export function buildSort(sort: SortOrder): string[] | undefined {
  // `id` breaks date ties so pages never overlap or skip.
  if (sort === 'date_desc') return ['dateKey:desc', 'id:asc'];
  if (sort === 'date_asc') return ['dateKey:asc', 'id:asc'];
  return undefined;
}

/** Conditions every query of a search carries besides its own filters: the fixed scope, canonical only. */
function searchExtras(request: Pick<SearchRequest, 'collapse' | 'fixedFilters'>): string[] {
  const extras: string[] = [];
  const fixed = request.fixedFilters === undefined ? undefined : buildFilter(request.fixedFilters);
  if (fixed !== undefined) extras.push(fixed);
  if (request.collapse) extras.push(canonicalOnlyFilter);
  return extras;
}

function buildSearchFilter(
  request: Pick<SearchRequest, 'filters' | 'collapse' | 'fixedFilters'>,
  filters: SearchFilters = request.filters,
): string | undefined {
  return buildFilter(filters, searchExtras(request));
}

function withFilter<T extends SearchParams>(params: T, filter: string | undefined): T {
  if (filter !== undefined) params.filter = filter;
  return params;
}

function buildPlan(
  request: SearchRequest,
  q: string | null,
  matchingStrategy: MatchingStrategies,
): SearchPlan {
  const params: PagedSearchParams = {
    // Meilisearch rejects a page below 1; the service validates, this keeps the adapter total.
    page: Math.max(1, Math.floor(request.page)),
    hitsPerPage: Math.max(0, Math.floor(request.pageSize)),
    matchingStrategy,
    attributesToRetrieve: [...hitFields],
    locales: [...chineseLocales],
  };
  if (q !== null) {
    params.showRankingScore = true;
    params.showRankingScoreDetails = true;
  }
  // Browsing without a query lists newest first, as the SQLite engine does.
  const sort = buildSort(q === null && request.sort === 'relevance' ? 'date_desc' : request.sort);
  if (sort) params.sort = sort;
  if (request.facets) params.facets = facetFields.map((f) => facetAttributes[f]);
  return { q, params: withFilter(params, buildSearchFilter(request)) };
}

/** The first, strict request: every clause must match. */
export function buildSearchPlan(request: SearchRequest): SearchPlan {
  return buildPlan(request, buildQueryString(request.query), 'all');
}

/** Meilisearch reads at most ten words of `q`; relaxing considers no more clauses than that. */
const maxRelaxedClauses = 10;

/** Relaxing needs something to drop: at least two clauses. */
export function canRelax(query: AnalysedQuery): boolean {
  return query.clauses.length >= 2;
}

function relaxableClauses(query: AnalysedQuery): QueryClause[] {
  return query.clauses.slice(0, maxRelaxedClauses);
}

/**
 * One count-only query per clause, with the request's filters: which clauses
 * match anything at all, and how rare each is.
 */
export function buildClauseCountQueries(indexUid: string, request: SearchRequest): MultiSearchQuery[] {
  const filter = buildSearchFilter(request);
  return relaxableClauses(request.query).map((clause) =>
    withFilter<MultiSearchQuery>(
      {
        indexUid,
        q: buildQueryString(request.query, [clause]),
        page: 1,
        hitsPerPage: 0,
        matchingStrategy: 'all',
        locales: [...chineseLocales],
      },
      filter,
    ),
  );
}

/**
 * The fallback when the strict request found nothing: clauses that match
 * nothing on their own are dropped (Meilisearch's `last`/`frequency`
 * strategies would keep such a clause and still find nothing), the rest are
 * ordered rarest first and sent with `matchingStrategy: 'last'`, which ranks
 * articles matching more clauses first and drops the most common clause
 * first. Null when no clause matches anything.
 */
export function buildRelaxedSearchPlan(request: SearchRequest, clauseCounts: readonly number[]): SearchPlan | null {
  const kept = relaxableClauses(request.query)
    .map((clause, i) => ({ clause, count: clauseCounts[i] ?? 0, i }))
    .filter((c) => c.count > 0)
    .sort((a, b) => a.count - b.count || a.i - b.i)
    .map((c) => c.clause);
  if (kept.length === 0) return null;
  return buildPlan(request, buildQueryString(request.query, kept), kept.length > 1 ? 'last' : 'all');
}

/** A clause has broader forms (the other grades of an honour): its partial matches are theirs. */
export function hasBroaderClauses(query: AnalysedQuery): boolean {
  return query.clauses.some((clause) => (clause.broader?.alternatives.length ?? 0) > 0);
}

/**
 * Exact matches excluded from the broader list by id, sent as a filter with
 * each such search: past this many, the later ones could repeat in the
 * partial part.
 */
export const maxExcludedExact = 1000;

/** The plan's total only: no hits, facets or scores. */
export function buildCountPlan(plan: SearchPlan): SearchPlan {
  const params: PagedSearchParams = { ...plan.params, page: 1, hitsPerPage: 0 };
  for (const key of ['facets', 'showRankingScore', 'showRankingScoreDetails', 'sort'] as const) delete params[key];
  return { q: plan.q, params };
}

/** The ids of the strict plan's first `count` hits, in its order. */
export function buildIdsPlan(strict: SearchPlan, count: number): SearchPlan {
  const params: PagedSearchParams = { ...strict.params, page: 1, hitsPerPage: count, attributesToRetrieve: ['id'] };
  for (const key of ['facets', 'showRankingScore', 'showRankingScoreDetails'] as const) delete params[key];
  return { q: strict.q, params };
}

/**
 * Every article that matches the query at least in part through broader
 * forms: each such clause is sent as its broader form (星级党支部 for
 * 三星级党支部), which the `synonyms` setting expands to every grade, the
 * other clauses as they are. `excludeIds` (the exact matches) are left out,
 * and the list's first `count` hits are asked for.
 */
export function buildBroaderSearchPlan(request: SearchRequest, excludeIds: readonly string[], count: number): SearchPlan {
  const clauses = request.query.clauses.map((clause): QueryClause => {
    const broader = clause.broader;
    if (broader === undefined || broader.alternatives.length === 0) return clause;
    return { ...clause, text: broader.form, alternatives: [{ text: broader.form, tokens: [broader.form] }, ...broader.alternatives], prefix: false };
  });
  const plan = buildPlan(request, buildQueryString(request.query, clauses), 'all');
  plan.params.page = 1;
  plan.params.hitsPerPage = Math.max(0, count);
  if (excludeIds.length > 0) {
    const exclusion = `NOT ${buildInFilter('id', excludeIds)}`;
    plan.params.filter = typeof plan.params.filter === 'string' ? `(${plan.params.filter}) AND ${exclusion}` : exclusion;
  }
  return plan;
}

/** `total` of a response built with page/hitsPerPage (exhaustive, unlike estimatedTotalHits). */
export function readTotal(response: { totalHits?: number; estimatedTotalHits?: number }): number {
  return response.totalHits ?? response.estimatedTotalHits ?? 0;
}

/**
 * A relevance score that decreases down the result list (0 for date order
 * or browsing). Meilisearch's `_rankingScore` leaves out custom rules, so on
 * its own it would rise again where `topicalityTier` pushed an off-topic page
 * down. The score therefore follows the ranking rules lexicographically:
 * share of words matched first, then the topicality tier, then
 * `_rankingScore` (which orders typo, proximity, attribute, exactness),
 * scaled into 0..1.
 */
export function readScore(hit: Hit, plan: SearchPlan): number {
  if (plan.q === null || plan.params.sort !== undefined) return 0;
  const words = hit._rankingScoreDetails?.words?.score ?? 1;
  const topicality: unknown = hit['topicality'];
  const tier = typeof topicality === 'number' ? computeTopicalityTier(topicality) : 1;
  return (100 * words + 2 * tier + (hit._rankingScore ?? 0)) / 103;
}

// ---------------------------------------------------------------------------
// Matched terms

/** Every form the query could have matched with, longest first. */
function collectQueryForms(query: AnalysedQuery): string[] {
  const forms = new Set<string>(query.highlightTerms);
  for (const clause of query.clauses) {
    for (const alt of clause.alternatives) {
      forms.add(alt.text);
      for (const token of alt.tokens) forms.add(token);
    }
  }
  return [...forms].filter((f) => f.trim() !== '');
}

/** Occurrences of a typed prefix looked at for the word it completes; enough for a snippet. */
const maxPrefixOccurrences = 20;
/** Characters after an occurrence segmented to find the word it starts. */
const completionWindow = 12;

/**
 * The words of `text` that start with `prefix` where it occurs: the text after each occurrence is segmented as documents are
 * indexed, and an index token that starts there and extends the prefix is
 * the completed word Meilisearch matched (党建品 is read 党建 + 品…, so 品 → 品牌).
 */
function prefixCompletions(text: string, prefix: string): string[] {
  const out = new Set<string>();
  let from = 0;
  for (let n = 0; n < maxPrefixOccurrences; n++) {
    const at = text.indexOf(prefix, from);
    if (at < 0) break;
    const window = text.slice(at, at + prefix.length + completionWindow);
    for (const token of segmentForIndex(window)) {
      if (token.length > prefix.length && token.startsWith(prefix) && window.startsWith(token)) out.add(token);
    }
    from = at + prefix.length;
  }
  return [...out];
}

/**
 * The words this hit matched, as they appear in its title or body (the texts
 * the snippet renderer marks): the query's forms (what the user typed and its
 * alternatives) that occur literally, and for a word being typed the words it
 * completes. Computed here rather than read from `_matchesPosition`, which
 * Meilisearch computes over every displayed attribute of every hit (the
 * token fields included): it tripled the time of a search.
 */
export function readMatchedTerms(hit: Hit, query: AnalysedQuery): string[] {
  const title = typeof hit['title'] === 'string' ? hit['title'] : '';
  const body = typeof hit['body'] === 'string' ? hit['body'] : '';
  // Latin is lower-cased by the segmenter (DRG → drg); the renderer folds case the same way.
  const text = `${title}\n${body}`.toLowerCase();
  const terms = new Set<string>();
  for (const form of collectQueryForms(query)) if (text.includes(form.toLowerCase())) terms.add(form);
  const last = query.clauses.at(-1);
  if (last?.prefix === true) {
    const typed = last.alternatives[0]?.tokens.at(-1)?.toLowerCase() ?? '';
    if (typed !== '') for (const word of prefixCompletions(text, typed)) terms.add(word);
  }
  return [...terms].sort((a, b) => b.length - a.length || compareCodePoints(a, b));
}

// ---------------------------------------------------------------------------
// Facets

/** Meilisearch's facetDistribution in the port's shape: count descending, then value. */
export function readFacetCounts(
  distribution: Record<string, Record<string, number>> | undefined,
  limit?: number,
): FacetCounts {
  const counts = {} as FacetCounts;
  for (const field of facetFields) {
    const entries = Object.entries(distribution?.[facetAttributes[field]] ?? {})
      .filter(([, n]) => n > 0)
      .sort(([va, a], [vb, b]) => b - a || compareCodePoints(va, vb));
    counts[field] = Object.fromEntries(limit === undefined ? entries : entries.slice(0, Math.max(0, Math.floor(limit))));
  }
  return counts;
}

/** The facet fields whose own filter a disjunctive count lifts: those the request filters on. */
export function liftedFacetFields(filters: SearchFilters): FacetField[] {
  return facetFields.filter((field) => {
    const values: readonly unknown[] | undefined = filters[field];
    return values !== undefined && values.length > 0;
  });
}

/**
 * One count-only query per filtered field, with that field's filter lifted
 * (the year range, the fixed filters and the rest stay): the alternatives to
 * a selected value, as InstantSearch counts them. Same `q` and strategy as the
 * plan whose facets the result shows.
 */
export function buildDisjunctiveFacetQueries(
  indexUid: string,
  counted: SearchPlan,
  request: SearchRequest,
): Array<{ field: FacetField; query: MultiSearchQuery }> {
  return liftedFacetFields(request.filters).map((field) => {
    const rest: SearchFilters = { ...request.filters };
    delete rest[field];
    const query: MultiSearchQuery = {
      indexUid,
      q: counted.q,
      page: 1,
      hitsPerPage: 0,
      facets: [facetAttributes[field]],
      locales: [...chineseLocales],
    };
    if (counted.params.matchingStrategy !== undefined) query.matchingStrategy = counted.params.matchingStrategy;
    return { field, query: withFilter(query, buildSearchFilter(request, rest)) };
  });
}

export function buildFacetValuesParams(filters: SearchRequest['filters']): PagedSearchParams {
  return withFilter<PagedSearchParams>(
    { page: 1, hitsPerPage: 0, facets: facetFields.map((f: FacetField) => facetAttributes[f]) },
    buildFilter(filters, [canonicalOnlyFilter]),
  );
}

// ---------------------------------------------------------------------------
// Duplicates

// A canonical article rarely has more than a handful of reposts.
const maxDuplicatesPerPage = 1000;

/**
 * The near-duplicates of the page's canonical articles that match the same
 * query, filters and matching strategy: what the SQLite engine folds into a
 * hit (duplicates that do not match are not listed).
 */
export function buildMatchingDuplicatesPlan(
  answered: SearchPlan,
  request: Pick<SearchRequest, 'filters' | 'fixedFilters'>,
  canonicalIds: readonly string[],
): SearchPlan {
  const params: PagedSearchParams = {
    page: 1,
    hitsPerPage: maxDuplicatesPerPage,
    attributesToRetrieve: ['id', 'duplicateOf'],
    locales: [...chineseLocales],
  };
  if (answered.params.matchingStrategy !== undefined) params.matchingStrategy = answered.params.matchingStrategy;
  return {
    q: answered.q,
    params: withFilter(
      params,
      buildFilter(request.filters, [...searchExtras({ ...request, collapse: false }), buildDuplicatesFilter(canonicalIds)]),
    ),
  };
}

export function buildDuplicatesFilter(canonicalIds: readonly string[]): string {
  return buildInFilter('duplicateOf', canonicalIds);
}

// ---------------------------------------------------------------------------
// Related articles

/** Keywords used to look for related articles (the most significant first). */
export const maxRelatedKeywords = 12;
const relatedBoosts = { sameHospital: 2, sameProvince: 1, sharedAwardType: 1 };

/**
 * More-like-this as one multi-search: a query per keyword. One query with all
 * keywords cannot express "any of them": `matchingStrategy: 'last'` keeps
 * only articles containing the first keyword and `frequency` only those
 * containing the rarest one, which for TF-IDF keywords is often unique to the
 * source article. Candidates exclude the article, its canonical article and
 * every near-duplicate (only canonical articles are candidates).
 */
/**
 * The source's keywords, most significant first; an article without any
 * falls back to the words of its title (as in the SQLite engine).
 */
export function selectRelatedKeywords(source: EngineDocument): string[] {
  let keywords = source.keywords.map((k) => k.trim()).filter((k) => k !== '');
  if (keywords.length === 0) keywords = segmentWords(source.title).filter((w) => w.length >= 2);
  return [...new Set(keywords)].slice(0, maxRelatedKeywords);
}

export function buildRelatedQueries(
  indexUid: string,
  source: EngineDocument,
  keywords: readonly string[],
  request: RelatedRequest,
): MultiSearchQuery[] {
  const excluded = [source.id, ...(source.duplicateOf === null ? [] : [source.duplicateOf])];
  const extras = searchExtras({ collapse: true, ...(request.fixedFilters ? { fixedFilters: request.fixedFilters } : {}) });
  const filter = buildFilter(request.filters, [...extras, `NOT ${buildInFilter('id', excluded)}`]);
  const perKeyword = Math.max(20, request.limit * 3);
  return keywords.map((keyword) =>
    withFilter<MultiSearchQuery>(
      {
        indexUid,
        q: `${sanitiseQueryText(keyword)} `,
        page: 1,
        hitsPerPage: perKeyword,
        matchingStrategy: 'all',
        attributesToRetrieve: [...hitFields],
        showRankingScore: true,
        locales: [...chineseLocales],
      },
      filter,
    ),
  );
}

export interface RelatedCandidate {
  document: EngineDocument;
  score: number;
  sharedKeywords: string[];
}

/**
 * Scores candidates locally: each shared keyword counts, the source's top
 * keywords more; same hospital / province / award type add a boost; the
 * result is scaled by topicality like the SQLite engine's (0.3 + 0.7 t), so
 * off-topic pages full of the same words come last.
 * `resultsByKeyword` holds what each keyword's query found.
 */
export function rankRelatedCandidates(
  source: EngineDocument,
  keywords: readonly string[],
  resultsByKeyword: ReadonlyArray<readonly EngineDocument[]>,
  limit: number,
): RelatedCandidate[] {
  const byId = new Map<string, { document: EngineDocument }>();
  for (const documents of resultsByKeyword) {
    for (const document of documents) if (document.id !== source.id) byId.set(document.id, { document });
  }
  const hospitals = new Set(source.hospitals);
  const awardTypes = new Set(source.awardTypes);
  const ranked = [...byId.values()].map(({ document }) => {
    // Meilisearch nominated the candidate (possibly through a synonym or the
    // metadata); a keyword is shared when the article's text contains it, as
    // in the SQLite engine, so the snippet can show it.
    const text = `${document.title}\n${document.body}`.toLowerCase();
    const indices = keywords.flatMap((keyword, k) => (keyword !== '' && text.includes(keyword.toLowerCase()) ? [k] : []));
    let score = indices.reduce((sum, k) => sum + 1 + (keywords.length - k) / keywords.length, 0);
    if (document.hospitals.some((h) => hospitals.has(h))) score += relatedBoosts.sameHospital;
    if (document.province !== null && document.province === source.province) score += relatedBoosts.sameProvince;
    if (document.awardTypes.some((a) => awardTypes.has(a))) score += relatedBoosts.sharedAwardType;
    score *= 0.3 + 0.7 * document.topicality;
    return { document, score, sharedKeywords: indices.map((k) => keywords[k] ?? '').filter((k) => k !== '') };
  });
  return ranked
    .filter((c) => c.sharedKeywords.length > 0)
    .sort((a, b) => b.score - a.score || compareCodePoints(a.document.id, b.document.id))
    .slice(0, limit);
}

// ---------------------------------------------------------------------------
// Suggest

export interface SuggestPlan {
  q: string;
  params: PagedSearchParams;
  input: SuggestInput;
}

// Meilisearch matches words anywhere in a title; only completions of the
// typed prefix are kept, so ask for enough candidates to keep `limit`.
const suggestCandidates = 200;

/**
 * Null when the prefix holds nothing to complete. Pinyin input (letters only)
 * is searched as one word, because pinyin keys are indexed without spaces.
 * Titles are narrowed by the filters on the server; hospitals are narrowed by
 * the engine (by the hospitals of matching articles); terms are never narrowed.
 */
export function buildSuggestPlan(request: SuggestRequest): SuggestPlan | null {
  const input = parseSuggestInput(request.prefix);
  if (input === null) return null;
  const q = input.pinyin ?? sanitiseQueryText(input.text);
  if (q === '') return null;
  const params: PagedSearchParams = {
    page: 1,
    hitsPerPage: suggestCandidates,
    attributesToRetrieve: ['sid', 'text', 'kind', 'canonical', 'docId', 'pinyin', 'initials', 'weight'],
  };
  // Chinese prefixes are cut as Chinese; pinyin must not be.
  if (input.pinyin === null) params.locales = [...chineseLocales];
  const filter = buildFilter(request.filters);
  if (filter !== undefined) params.filter = `kind = "term" OR kind = "hospital" OR (${filter})`;
  return { q, params, input };
}

/**
 * Completions ordered as the SQLite engine orders them: only entries whose
 * text, pinyin or initials start with the input; hospitals, then terms, then
 * titles, each kind by weight, then shorter first, with a quota per kind so
 * none crowds the others out, then leftovers; one suggestion per text.
 * `allowedHospitals`: canonical hospitals of the articles the filters allow
 * (null without filters).
 */
export function rankSuggestions(
  hits: readonly MeiliSuggestion[],
  plan: SuggestPlan,
  limit: number,
  allowedHospitals: ReadonlySet<string> | null,
): Suggestion[] {
  const { text, pinyin } = plan.input;
  const completes = (hit: MeiliSuggestion): boolean =>
    hit.text.toLowerCase().startsWith(text) ||
    (pinyin !== null && pinyin !== '' && (hit.pinyin.startsWith(pinyin) || hit.initials.startsWith(pinyin)));
  const byKind = (kind: Suggestion['kind']): MeiliSuggestion[] =>
    hits
      .filter((hit) => hit.kind === kind && completes(hit))
      .filter((hit) => kind !== 'hospital' || allowedHospitals === null || allowedHospitals.has(hit.canonical ?? ''))
      .sort((a, b) => b.weight - a.weight || a.text.length - b.text.length || compareCodePoints(a.text, b.text));
  const quotas: Array<[Suggestion['kind'], MeiliSuggestion[], number]> = [
    ['hospital', byKind('hospital'), Math.max(1, Math.ceil(limit / 4))],
    ['term', byKind('term'), Math.max(1, Math.ceil(limit / 2))],
    ['title', byKind('title'), limit],
  ];
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const take = (hit: MeiliSuggestion): void => {
    if (out.length >= limit || seen.has(hit.text)) return;
    seen.add(hit.text);
    const suggestion: Suggestion = { text: hit.text, kind: hit.kind };
    if (hit.kind === 'title' && hit.docId !== undefined) suggestion.id = hit.docId;
    out.push(suggestion);
  };
  for (const [, entries, quota] of quotas) for (const hit of entries.slice(0, quota)) take(hit);
  for (const [, entries] of quotas) for (const hit of entries) take(hit);
  return out;
}

// ---------------------------------------------------------------------------
// Vocabulary

// Candidates per key: the pinyin attributes are searched as prefixes, and only
// exact keys are kept, so a few more than one word's homophones are asked for.
const vocabularyCandidates = 50;

/**
 * One query per pinyin key on the suggestion index's hospital and term
 * entries (the index's vocabulary, built at index time with the SQLite
 * engine's keys). Keys are letters only; they reach `q` as plain words.
 */
export function buildVocabularyQueries(suggestUid: string, keys: readonly string[]): MultiSearchQuery[] {
  return [...new Set(keys)]
    .map((key) => key.toLowerCase().replace(/[^a-z0-9]/gu, ''))
    .filter((key) => key !== '')
    .map((key) => ({
      indexUid: suggestUid,
      q: key,
      page: 1,
      hitsPerPage: vocabularyCandidates,
      filter: 'kind = "term" OR kind = "hospital"',
      attributesToRetrieve: ['text', 'kind', 'pinyin', 'initials', 'weight'],
    }));
}

/** The entries whose full pinyin or initials equal a key exactly, each once, heaviest first (as the SQLite engine orders them). */
export function readVocabulary(hits: readonly MeiliSuggestion[], keys: readonly string[]): VocabularyEntry[] {
  const wanted = new Set(keys);
  const found = new Map<string, VocabularyEntry>();
  for (const hit of hits) {
    if (hit.kind === 'title' || hit.weight <= 0) continue;
    if (!wanted.has(hit.pinyin) && !wanted.has(hit.initials)) continue;
    const key = `${hit.kind}\u0000${hit.text}`;
    if (!found.has(key)) found.set(key, { text: hit.text, kind: hit.kind, pinyin: hit.pinyin, initials: hit.initials, weight: hit.weight });
  }
  return [...found.values()].sort((a, b) => b.weight - a.weight || compareCodePoints(a.text, b.text));
}
