/**
 * The indexer → engine contract. Every engine stores exactly this shape and
 * every field is produced by the indexer pipeline (indexer/pipeline.ts).
 *
 * Text fields (`title`, `body`, `summary`) hold the cleaned, Simplified text
 * that users read and that highlights are computed on. The `*Tokens` fields
 * hold the same text segmented by jieba and joined with single spaces: engines
 * index those, so that Chinese words (not characters) are the unit of match.
 */
import { z } from 'zod';
import { classifyHospitals } from './analysis/hospital-kind.js';
import type { SearchFilters } from './port.js';

export const awardLevels = ['national', 'provincial', 'municipal', 'county', 'internal'] as const;
export const awardLevelSchema = z.enum(awardLevels);
export type AwardLevel = z.infer<typeof awardLevelSchema>;

export const scriptSchema = z.enum(['simplified', 'traditional', 'mixed']);

/** Where `year` comes from: the page's publication date, or the text (an event, an anniversary, a congress). */
export const yearSourceSchema = z.enum(['published', 'inferred']);
export type YearSource = z.infer<typeof yearSourceSchema>;
export type Script = z.infer<typeof scriptSchema>;

export const engineDocumentSchema = z.object({
  /** Stable across runs: from the normalised URL, else from the normalised content. */
  id: z.string().min(1),
  url: z.string().nullable(),
  title: z.string(),
  /** Cleaned Simplified body, paragraphs separated by "\n". Does not repeat the title. */
  body: z.string(),
  /** First sentences of the body, for result lists without a query. */
  summary: z.string(),
  /** ISO date `YYYY-MM-DD`, only when the page shows a publication date. */
  publishedAt: z.string().nullable(),
  /** Publication year, or the year of the main event when no date is shown. */
  year: z.number().int().nullable(),
  /** `published` (a publication date, shown or in the URL) or `inferred` (from the text); null with no year. Year filters use both. */
  yearSource: yearSourceSchema.nullable().default(null),
  source: z.string().nullable(),
  authors: z.array(z.string()),
  /** Short province name without suffix: 山东, 广西, 内蒙古, 北京. */
  province: z.string().nullable(),
  /** Prefecture-level city without 市; for municipalities the same as province. */
  city: z.string().nullable(),
  /** County-level unit with its suffix: 蒙阴县, 沙坪坝区. */
  county: z.string().nullable(),
  /** Canonical full name of the main hospital the article is about. */
  hospital: z.string().nullable(),
  /** Every hospital the article is about (canonical names), `hospital` first. */
  hospitals: z.array(z.string()),
  /** Other names of those hospitals as written in the text (after normalisation). */
  hospitalAliases: z.array(z.string()),
  awardNames: z.array(z.string()),
  /** Controlled vocabulary from config/data/awards.json. */
  awardTypes: z.array(z.string()),
  awardLevels: z.array(awardLevelSchema),
  partyBranches: z.array(z.string()),
  /** Top TF-IDF terms, most significant first; drives related-article lookups. */
  keywords: z.array(z.string()),
  /** Id of the earlier article this one is a near-duplicate of. */
  duplicateOf: z.string().nullable(),
  originalScript: scriptSchema,
  /**
   * 0..1: how much the article is about Party-building work in hospitals.
   * Off-topic pages (spam, content farms, stubs) still contain the vocabulary;
   * ranking uses this to keep them below real cases.
   */
  topicality: z.number().min(0).max(1),
  /** Segmented title: jieba tokens joined by one space. */
  titleTokens: z.string(),
  /** Segmented body: jieba tokens joined by one space. */
  bodyTokens: z.string(),
  /** Segmented metadata (hospitals and aliases, places, award names and types, branches). */
  metaTokens: z.string(),
  /**
   * Near-duplicate fingerprint: content-sampled shingle hashes of the body
   * (hex, space-separated); see indexer/steps/near-duplicates.ts. Opaque to engines.
   */
  fingerprint: z.string(),
  /** Hash of the source input and pipeline version: unchanged hash means nothing to redo. */
  contentHash: z.string(),
  /** Corpus-relative path of the file the article came from (plus `#line` for JSONL). */
  sourcePath: z.string().nullable(),
});

export type EngineDocument = z.infer<typeof engineDocumentSchema>;

/** The facet fields every engine counts, in the order UIs show them. */
export const facetFields = ['province', 'city', 'hospital', 'year', 'awardType', 'awardLevel', 'hospitalKind'] as const;
export type FacetField = (typeof facetFields)[number];

/**
 * The values a document contributes to each facet (and is filtered by), the
 * same for every engine. `hospital` covers every hospital the article is
 * about, so an article on two hospitals is found under either; `hospitalKind`
 * is read from those names (engine/analysis/hospital-kind.ts).
 */
export function documentFacetValues(document: EngineDocument): Record<FacetField, string[]> {
  const unique = (values: ReadonlyArray<string | null>): string[] => [
    ...new Set(values.filter((v): v is string => typeof v === 'string' && v !== '')),
  ];
  return {
    province: unique([document.province]),
    city: unique([document.city]),
    hospital: unique([document.hospital, ...document.hospitals]),
    year: document.year === null ? [] : [String(document.year)],
    awardType: unique(document.awardTypes),
    awardLevel: unique(document.awardLevels),
    hospitalKind: classifyHospitals(unique([document.hospital, ...document.hospitals])),
  };
}

/**
 * The facet fields `filters` constrains, each with the values it allows in
 * the form documentFacetValues gives them (years as strings). The year
 * range is not among them.
 */
export function constrainedFields(filters: SearchFilters): Array<[FacetField, string[]]> {
  const byField: Array<[FacetField, ReadonlyArray<string | number> | undefined]> = [
    ['province', filters.province],
    ['city', filters.city],
    ['hospital', filters.hospital],
    ['awardType', filters.awardType],
    ['awardLevel', filters.awardLevel],
    ['year', filters.year],
    ['hospitalKind', filters.hospitalKind],
  ];
  return byField.flatMap(([field, values]) => (values === undefined || values.length === 0 ? [] : [[field, values.map(String)]]));
}

/**
 * Whether a document passes `filters`, as every engine filters a search: at
 * least one value per constrained field (an empty list constrains nothing),
 * and a year within the range when one is given.
 */
export function documentMatchesFilters(document: EngineDocument, filters: SearchFilters): boolean {
  const values = documentFacetValues(document);
  for (const [field, wanted] of constrainedFields(filters)) {
    if (!wanted.some((value) => values[field].includes(value))) return false;
  }
  if (filters.yearFrom !== undefined || filters.yearTo !== undefined) {
    if (document.year === null) return false;
    if (document.year < (filters.yearFrom ?? -Infinity) || document.year > (filters.yearTo ?? Infinity)) return false;
  }
  return true;
}
