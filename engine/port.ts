/**
 * The search engine port: the only way the service and the indexer talk to a
 * search backend. Adapters: engine/sqlite (embedded default) and
 * engine/meilisearch (production). Both must pass tests/engine/contract.ts.
 *
 * Engines receive queries already analysed (engine/analysis/query.ts), so
 * normalisation, segmentation and synonym expansion are identical for both.
 * Engines return raw field values; snippets and highlights are rendered by
 * the shared engine/analysis/snippet.ts from the terms the engine matched.
 */
import type { AwardLevel, EngineDocument, FacetField } from './document.js';
import type { AnalysedQuery } from './analysis/query.js';

export type SortOrder = 'relevance' | 'date_desc' | 'date_asc';

/** Several values in one field are OR-ed; fields are AND-ed. Values are data, never syntax. */
export interface SearchFilters {
  province?: string[];
  city?: string[];
  hospital?: string[];
  awardType?: string[];
  awardLevel?: AwardLevel[] | string[];
  year?: number[];
  yearFrom?: number;
  yearTo?: number;
  /** Kind of hospital (综合, 中医, 妇幼, …; config/data/hospital-kinds.json), read from the article's hospital names. */
  hospitalKind?: string[];
}

export interface SearchRequest {
  query: AnalysedQuery;
  filters: SearchFilters;
  sort: SortOrder;
  /** 1-based. */
  page: number;
  pageSize: number;
  /** Count facets over the whole result set. */
  facets: boolean;
  /** Fold near-duplicates into their canonical article. */
  collapse: boolean;
  /**
   * Time budget: past this instant (epoch ms) the engine answers with what it
   * has found so far, ranked more coarsely, and sets `partial`. Unset: no budget.
   */
  deadline?: number;
  /**
   * Filters that always hold, facet counts included: a site key's hospital.
   * AND-ed with `filters`; never lifted by `disjunctiveFacets`.
   */
  fixedFilters?: SearchFilters;
  /**
   * Count each facet field without the request's own filter on that field
   * (every other filter and `fixedFilters` still apply): the alternatives to
   * a selected value keep their counts, as InstantSearch expects. Fields
   * with no filter are counted as usual. The year range is never lifted.
   */
  disjunctiveFacets?: boolean;
  /** At most this many values per facet field in the result, the most frequent first. Absent: all. */
  facetLimit?: number;
}

/** value → count, ordered by count descending then value. */
export type FacetCounts = Record<FacetField, Record<string, number>>;

export interface SearchHit {
  document: EngineDocument;
  /** Engine relevance score (bigger is better); 0 when sorting by date. */
  score: number;
  /** Query terms (normalised, as in the text) found in this document: feed to the snippet renderer. */
  matchedTerms: string[];
  /** Ids of near-duplicates folded into this hit (empty when `collapse` is false). */
  duplicates: string[];
  /**
   * Every query clause matched (in this document or a near-duplicate folded
   * into it). False for a partial match: the page fills with those after the
   * exact matches, ranked below them. True for every hit of an empty query.
   */
  exact: boolean;
}

export interface SearchResult {
  /** Exact matches first, then partial matches (`exact: false`). */
  hits: SearchHit[];
  /** Number of (collapsed, when collapsing) documents that match every clause. */
  total: number;
  /**
   * Number of (collapsed) documents that match only some clauses: those left
   * when the clauses matching the most documents are dropped one at a time
   * (Meilisearch's `matchingStrategy: frequency`; a clause matching nothing
   * within the filters is dropped first), plus those with more than half of
   * the clauses. Ranked by how many clauses they lack, then by how frequent
   * the missing ones are. 0 for a query of one clause.
   */
  partialTotal: number;
  /** True when no document matched every clause and partial matches answered (total 0, partialTotal > 0). */
  relaxed: boolean;
  /** Counted over the exact matches, or over the partial matches when there is no exact match. */
  facets: FacetCounts | null;
  /** True when the request's deadline passed and the answer is the best found by then. */
  partial?: boolean;
}

export interface GetOptions {
  /**
   * False for a caller that shows the article: the engine-only fields (token
   * fields and fingerprint) may then come back empty, as in a hit. It spares
   * the embedded engine segmenting the text again (about 1.2 ms an article
   * at 100k) and Meilisearch sending them.
   */
  engineFields?: boolean;
}

export interface RelatedRequest {
  id: string;
  limit: number;
  /** What every hit must pass; the article itself need not. */
  filters: SearchFilters;
  /**
   * Filters that always hold: a site key's hospital. Every hit passes them,
   * and so must the article itself, or it is not found (DocumentNotFoundError),
   * as if it did not exist.
   */
  fixedFilters?: SearchFilters;
}

export interface RelatedHit extends Omit<SearchHit, 'exact'> {
  sharedKeywords: string[];
}

export interface SuggestRequest {
  /** Raw prefix as typed: Chinese, full pinyin (dangjian) or initials (djpp). */
  prefix: string;
  limit: number;
  filters: SearchFilters;
}

export interface Suggestion {
  text: string;
  kind: 'title' | 'hospital' | 'term';
  id?: string;
}

/** A word of the index's vocabulary (a hospital name or a term) with its pinyin keys. */
export interface VocabularyEntry {
  text: string;
  kind: 'hospital' | 'term';
  /** Toneless full pinyin, letters and digits only (党建品牌 → dangjianpinpai). */
  pinyin: string;
  /** Pinyin initials (党建品牌 → djpp). */
  initials: string;
  /** Number of documents with the word. */
  weight: number;
}

export interface EngineStats {
  documents: number;
  /** Bytes on disk (or reported by the server). */
  sizeBytes: number;
  lastUpdatedAt: string | null;
}

export interface EngineHealth {
  ok: boolean;
  detail?: string;
}

export interface SearchEngine {
  readonly name: 'sqlite' | 'meilisearch';
  /** Create or migrate the index and apply settings. Idempotent. */
  init(): Promise<void>;
  /** Insert or replace by id. Resolves only once the write is durable. */
  upsert(documents: EngineDocument[]): Promise<void>;
  delete(ids: string[]): Promise<void>;
  get(id: string, options?: GetOptions): Promise<EngineDocument | null>;
  /** Ids of documents whose `duplicateOf` is `id`. */
  duplicatesOf(id: string): Promise<string[]>;
  /** id → contentHash for every document: lets the indexer skip unchanged input. */
  contentHashes(): Promise<Map<string, string>>;
  /** id → fingerprint of canonical documents (duplicateOf null): lets the indexer find near-duplicates of new input. */
  dedupeFingerprints(): Promise<Map<string, string>>;
  search(request: SearchRequest): Promise<SearchResult>;
  related(request: RelatedRequest): Promise<RelatedHit[]>;
  suggest(request: SuggestRequest): Promise<Suggestion[]>;
  /**
   * Hospital names and terms of the index whose full pinyin or initials equal
   * one of `keys` (lower-case letters): what pinyin input and homophone typos
   * are read against (engine/analysis/interpret.ts). The same vocabulary as
   * suggestions, so every entry is a word some document has.
   */
  vocabulary(keys: readonly string[]): Promise<VocabularyEntry[]>;
  /** Every facet value with its count over the documents matching `filters`. */
  facetValues(filters: SearchFilters): Promise<FacetCounts>;
  /**
   * Build a complete new index from `documents` and switch to it atomically:
   * searches keep being answered from the old index until the swap.
   */
  replaceAll(documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>): Promise<void>;
  stats(): Promise<EngineStats>;
  /**
   * Optional: push the synonyms and dictionary in force (after a run-time
   * change) into the engine's own settings. Engines that take analysed
   * tokens only (the embedded one) leave it out.
   */
  applyAnalysisSettings?(): Promise<void>;
  health(): Promise<EngineHealth>;
  close(): Promise<void>;
}
