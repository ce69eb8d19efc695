/**
 * Engine results → API response shapes. The API's shapes are ours: engine
 * fields that clients must not depend on (scores, segmented text, dedupe
 * fingerprints) stop here.
 */
import { escapeHtml, highlight, renderSnippet } from '../../engine/analysis/snippet.js';
import { facetFields, type EngineDocument } from '../../engine/document.js';
import type { FacetCounts, RelatedHit, SearchHit } from '../../engine/port.js';
import type { IndexSummary } from '../../indexer/pipeline.js';
import { countRejections } from '../../indexer/rejections.js';
import type {
  ApiRelatedHit,
  ApiSearchHit,
  ArticleResponse,
  IngestResponse,
  ReindexResponse,
} from '../schemas.js';

/**
 * With a query the snippet is cut around the matched words in the body; a
 * plain listing (no query) shows the summary, escaped like every snippet.
 */
export function presentHit(hit: SearchHit, hasQuery: boolean): ApiSearchHit {
  return { ...presentMatch(hit, hasQuery), exact: hit.exact };
}

function presentMatch(hit: Omit<SearchHit, 'exact'>, hasQuery: boolean): Omit<ApiSearchHit, 'exact'> {
  const doc = hit.document;
  const terms = hasQuery ? hit.matchedTerms : [];
  const snippetSource = doc.body !== '' ? doc.body : doc.summary;
  const out: Omit<ApiSearchHit, 'exact'> = {
    id: doc.id,
    title: doc.title,
    snippet: terms.length > 0 ? renderSnippet(snippetSource, terms) : escapeHtml(doc.summary),
    url: doc.url,
    publishedAt: doc.publishedAt,
    year: doc.year,
    yearSource: doc.yearSource,
    province: doc.province,
    city: doc.city,
    hospital: doc.hospital,
    awardTypes: doc.awardTypes,
    awardLevels: doc.awardLevels,
    source: doc.source,
    duplicates: hit.duplicates,
  };
  if (terms.length > 0) out.titleHighlighted = highlight(doc.title, terms);
  return out;
}

export function presentRelatedHit(hit: RelatedHit): ApiRelatedHit {
  const terms = hit.matchedTerms.length > 0 ? hit.matchedTerms : hit.sharedKeywords;
  return { ...presentMatch({ ...hit, matchedTerms: terms }, true), sharedKeywords: hit.sharedKeywords };
}

export function emptyFacetCounts(): FacetCounts {
  return Object.fromEntries(facetFields.map((f) => [f, {}])) as FacetCounts;
}

/** Engine-only fields: segmented text and the dedupe fingerprint mean nothing to clients. */
const engineOnlyFields = new Set<string>(['titleTokens', 'bodyTokens', 'metaTokens', 'fingerprint']);

export function presentArticle(doc: EngineDocument, duplicates: string[]): ArticleResponse {
  const visible = Object.fromEntries(Object.entries(doc).filter(([key]) => !engineOnlyFields.has(key)));
  return { ...(visible as Omit<EngineDocument, 'titleTokens' | 'bodyTokens' | 'metaTokens' | 'fingerprint'>), duplicates };
}

export function presentIngested(doc: EngineDocument): IngestResponse {
  return {
    id: doc.id,
    title: doc.title,
    publishedAt: doc.publishedAt,
    year: doc.year,
    yearSource: doc.yearSource,
    province: doc.province,
    city: doc.city,
    county: doc.county,
    hospital: doc.hospital,
    hospitalAliases: doc.hospitalAliases,
    awardNames: doc.awardNames,
    awardTypes: doc.awardTypes,
    awardLevels: doc.awardLevels,
    partyBranches: doc.partyBranches,
    source: doc.source,
    keywords: doc.keywords,
    duplicateOf: doc.duplicateOf,
  };
}

export function presentReindex(summary: IndexSummary): ReindexResponse {
  return {
    articles: summary.articles,
    indexed: summary.indexed,
    duplicates: summary.duplicates,
    rejected: summary.rejections.length,
    rejections: Object.fromEntries(countRejections(summary.rejections)),
    seconds: Math.round(summary.seconds * 1000) / 1000,
  };
}

/** Whether an article falls inside a site key's hospital (the same rule as the engine's hospital filter). */
export function isInScope(doc: EngineDocument, hospital: string): boolean {
  return doc.hospital === hospital || doc.hospitals.includes(hospital);
}
