/**
 * Every request and response of the HTTP API as a zod schema. The same
 * schemas validate requests (zValidator in service/routes) and generate
 * /openapi.json (service/openapi.ts), so the documentation cannot drift from
 * what the server accepts.
 *
 * Query parameters arrive as strings (or arrays of strings when repeated), so
 * their schemas parse strictly: integers are digits only, booleans are exactly
 * true/false/1/0, and unknown parameters are rejected rather than ignored (a
 * typo like `provice=` would otherwise silently widen a search).
 */
import { z } from 'zod';
import { dictionaryEntrySchema } from '../config/data.js';
import { awardLevelSchema, engineDocumentSchema, facetFields, yearSourceSchema } from '../engine/document.js';
import { listHospitalKinds } from '../engine/analysis/hospital-kind.js';
import { errorCodes } from './errors.js';

/** Named schemas, emitted as components in /openapi.json. */
export const apiRegistry = z.registry<{ id: string; description?: string }>();

/** Query parameters that accept several values (`province=a&province=b`). */
export const repeatableParams = new WeakSet<z.ZodType>();

export const limits = {
  queryChars: 200,
  pageSizeMax: 50,
  pageMax: 1000,
  filterValueChars: 100,
  relatedMax: 20,
  suggestMax: 20,
  facetLimitMax: 1000,
  /** Values per facet in a search answer unless asked otherwise, as Meilisearch's and Algolia's maxValuesPerFacet. */
  facetLimitDefault: 100,
  bodyBytes: 2 * 1024 * 1024,
} as const;

function digits(min: number, max: number) {
  return z
    .string()
    .regex(/^\d{1,9}$/u, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** Strict boolean: a mistyped `facets=flase` is an error, not silently false. */
function booleanParam(fallback: boolean) {
  return z
    .enum(['true', 'false', '1', '0'], { message: 'must be one of true, false, 1, 0' })
    .transform((v) => v === 'true' || v === '1')
    .pipe(z.boolean())
    .default(fallback);
}

function repeatable<Out>(item: z.ZodType<Out, string>, description: string) {
  // Described here, not by the caller: .describe() returns a new schema, which would not be in the set.
  const schema = z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(item).max(20, 'at most 20 values'))
    .optional()
    .describe(description);
  repeatableParams.add(schema);
  return schema;
}

// The kinds are a closed vocabulary from config/data/hospital-kinds.json: an unknown one is a 400, not an empty page.
const [firstKind = '综合', ...otherKinds] = listHospitalKinds();
export const hospitalKindSchema = z.enum([firstKind, ...otherKinds]);

const filterText = z.string().trim().min(1, 'must not be empty').max(limits.filterValueChars);
const yearParam = digits(1900, 2100);

export const siteKeyParamSchema = z
  .string()
  .max(200)
  .optional()
  .describe('Site key bound to one hospital (alternative to the X-Site-Key header).');

export const filterParamsShape = {
  province: repeatable(filterText, 'Province, short form (浙江). Repeat for OR.'),
  city: repeatable(filterText, 'City without 市 (杭州). Repeat for OR.'),
  hospital: repeatable(filterText, 'Hospital, canonical name or a known alias. Repeat for OR.'),
  awardType: repeatable(filterText, 'Award type from the taxonomy. Repeat for OR.'),
  awardLevel: repeatable(awardLevelSchema, 'Award level. Repeat for OR.'),
  year: repeatable(yearParam, 'Publication year. Repeat for OR.'),
  yearFrom: yearParam.optional().describe('Earliest year (inclusive).'),
  yearTo: yearParam.optional().describe('Latest year (inclusive).'),
  hospitalKind: repeatable(hospitalKindSchema, 'Kind of hospital (综合, 中医, 妇幼, 儿童, 肿瘤, 精神, 口腔, 传染病, 卫生院, 社区), read from its name. Repeat for OR.'),
};

function checkYearRange(value: { yearFrom?: number | undefined; yearTo?: number | undefined }, ctx: z.RefinementCtx): void {
  if (value.yearFrom !== undefined && value.yearTo !== undefined && value.yearFrom > value.yearTo) {
    ctx.addIssue({ code: 'custom', path: ['yearFrom'], message: 'must not be after yearTo' });
  }
}

export const sortSchema = z.enum(['relevance', 'date_desc', 'date_asc']);

export const searchQuerySchema = z
  .strictObject({
    q: z
      .string()
      .max(limits.queryChars, `must be at most ${limits.queryChars} characters`)
      .default('')
      .describe('Search text. Empty lists articles (newest first) within the filters.'),
    ...filterParamsShape,
    sort: sortSchema
      .optional()
      .describe('relevance (default with a query) | date_desc (default without) | date_asc.'),
    page: digits(1, limits.pageMax).default(1).describe('1-based page number.'),
    pageSize: digits(1, limits.pageSizeMax).default(10).describe('Hits per page, 1–50.'),
    facets: booleanParam(true).describe('Count facets over the whole result set.'),
    disjunctiveFacets: booleanParam(false).describe(
      "Count each facet without its own filter (other filters still apply), so a selected value's alternatives keep their counts.",
    ),
    facetLimit: digits(1, limits.facetLimitMax)
      .default(limits.facetLimitDefault)
      .describe(
        `At most this many values per facet, the most frequent first (default ${limits.facetLimitDefault}). GET /v1/facets lists every value.`,
      ),
    collapse: booleanParam(true).describe('Fold near-duplicate articles into their canonical hit.'),
    key: siteKeyParamSchema,
  })
  .superRefine(checkYearRange);
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const facetsQuerySchema = z.strictObject({ ...filterParamsShape, key: siteKeyParamSchema }).superRefine(checkYearRange);
export type FacetsQuery = z.infer<typeof facetsQuerySchema>;

export const relatedQuerySchema = z.strictObject({
  limit: digits(1, limits.relatedMax).default(5).describe('How many related articles, 1–20.'),
  key: siteKeyParamSchema,
});

export const suggestQuerySchema = z.strictObject({
  q: z
    .string()
    .max(limits.queryChars, `must be at most ${limits.queryChars} characters`)
    .default('')
    .describe('What the user has typed so far: Chinese, full pinyin (dangjian) or initials (djpp).'),
  limit: digits(1, limits.suggestMax).default(8).describe('How many suggestions, 1–20.'),
  key: siteKeyParamSchema,
});

export const articleQuerySchema = z.strictObject({ key: siteKeyParamSchema });

/** Routes that take no query parameters still reject unknown ones. */
export const emptyQuerySchema = z.strictObject({});

export const articleIdParamsSchema = z.object({
  id: z.string().min(1).max(200).describe('Article id.'),
});

// ---------------------------------------------------------------- responses

export const facetCountsSchema = z
  .object(
    Object.fromEntries(
      facetFields.map((f) => [f, z.record(z.string(), z.number().int()).describe(`${f} value → number of matching articles`)]),
    ) as Record<(typeof facetFields)[number], z.ZodRecord<z.ZodString, z.ZodNumber>>,
  )
  .register(apiRegistry, { id: 'FacetCounts', description: 'For each facet, value → count, largest first.' });

export const searchHitSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    snippet: z.string().describe('HTML: text around the best match with <mark> around matched words; everything else escaped.'),
    titleHighlighted: z.string().optional().describe('HTML: the title with <mark> around matched words.'),
    url: z.string().nullable(),
    publishedAt: z.string().nullable().describe('YYYY-MM-DD'),
    year: z.number().int().nullable(),
    yearSource: yearSourceSchema.nullable().describe('published: the year of the publication date; inferred: read from the text (event, anniversary, congress). Year filters match both.'),
    province: z.string().nullable(),
    city: z.string().nullable(),
    hospital: z.string().nullable(),
    awardTypes: z.array(z.string()),
    awardLevels: z.array(awardLevelSchema),
    source: z.string().nullable(),
    duplicates: z.array(z.string()).describe('Ids of near-duplicate articles folded into this hit.'),
    exact: z
      .boolean()
      .describe('True when the article matches every query word; false for a partial match, listed after the exact ones.'),
  })
  .register(apiRegistry, { id: 'SearchHit' });
export type ApiSearchHit = z.infer<typeof searchHitSchema>;

export const searchResponseSchema = z
  .object({
    query: z.string(),
    hits: z.array(searchHitSchema),
    total: z.number().int().describe('Articles matching every query word.'),
    partialTotal: z
      .number()
      .int()
      .describe(
        'Articles matching only some words (the words matching most articles dropped first), listed after the exact matches.',
      ),
    page: z.number().int(),
    pageSize: z.number().int(),
    relaxed: z.boolean().describe('True when no article has every word and only partial matches answer (total 0).'),
    interpretedAs: z
      .string()
      .nullable()
      .describe('What was searched instead of `query`: pinyin read as Chinese (dangjian, djpp → 党建品牌) or a homophone typo corrected; null when `query` was searched as written.'),
    correctedFrom: z
      .string()
      .nullable()
      .describe('The text as typed when a homophone typo was corrected (党见品牌 → 党建品牌); null otherwise.'),
    facets: facetCountsSchema.nullable(),
    tookMs: z.number(),
    partial: z
      .boolean()
      .optional()
      .describe('Present and true when the time budget (SEARCH_TIMEOUT_MS) ran out: the best results found by then, ranked more coarsely.'),
  })
  .register(apiRegistry, { id: 'SearchResponse' });
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const relatedHitSchema = searchHitSchema
  .omit({ exact: true })
  .extend({ sharedKeywords: z.array(z.string()) })
  .register(apiRegistry, { id: 'RelatedHit' });
export type ApiRelatedHit = z.infer<typeof relatedHitSchema>;

export const relatedResponseSchema = z
  .object({ hits: z.array(relatedHitSchema) })
  .register(apiRegistry, { id: 'RelatedResponse' });

export const suggestionSchema = z
  .object({
    text: z.string(),
    kind: z.enum(['title', 'hospital', 'term']),
    id: z.string().optional().describe('Article id, for title suggestions.'),
  })
  .register(apiRegistry, { id: 'Suggestion' });

export const suggestResponseSchema = z
  .object({ suggestions: z.array(suggestionSchema) })
  .register(apiRegistry, { id: 'SuggestResponse' });

export const facetsResponseSchema = z
  .object({ facets: facetCountsSchema })
  .register(apiRegistry, { id: 'FacetsResponse' });

/** The stored document without the engine-only fields (segmented text, dedupe fingerprint). */
export const articleResponseSchema = engineDocumentSchema
  .omit({ titleTokens: true, bodyTokens: true, metaTokens: true, fingerprint: true })
  .extend({ duplicates: z.array(z.string()).describe('Ids of near-duplicates of this article.') })
  .register(apiRegistry, { id: 'Article' });
export type ArticleResponse = z.infer<typeof articleResponseSchema>;

/**
 * Articles of the People's Republic's hospitals: none before 1949, none
 * dated past next year (a typo or a placeholder such as 9999-12-31 that the
 * extractor would drop silently).
 */
export const earliestArticleYear = 1949;
const isoDate = z.iso
  .date('must be a date YYYY-MM-DD')
  .refine((value) => {
    const year = Number(value.slice(0, 4));
    return year >= earliestArticleYear && year <= new Date().getUTCFullYear() + 1;
  }, `must be a date between ${earliestArticleYear} and next year`);

export const articleInputSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/u, message: 'must be an http(s) URL' }).max(2000).optional(),
    title: z.string().max(500).optional(),
    text: z.string().optional().describe('Plain text of the article (this or html is required).'),
    html: z.string().optional().describe('HTML of the article page (this or text is required).'),
    publishedAt: isoDate.optional(),
    source: z.string().max(200).optional(),
    hospital: z.string().max(200).optional(),
    province: z.string().max(50).optional(),
  })
  .superRefine((value, ctx) => {
    const hasText = value.text !== undefined && value.text.trim() !== '';
    const hasHtml = value.html !== undefined && value.html.trim() !== '';
    if (!hasText && !hasHtml) ctx.addIssue({ code: 'custom', path: ['text'], message: 'one of text or html is required' });
  })
  .register(apiRegistry, { id: 'ArticleInput' });
export type ArticleInput = z.infer<typeof articleInputSchema>;

export const ingestResponseSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    publishedAt: z.string().nullable(),
    year: z.number().int().nullable(),
    yearSource: yearSourceSchema.nullable(),
    province: z.string().nullable(),
    city: z.string().nullable(),
    county: z.string().nullable(),
    hospital: z.string().nullable(),
    hospitalAliases: z.array(z.string()),
    awardNames: z.array(z.string()),
    awardTypes: z.array(z.string()),
    awardLevels: z.array(awardLevelSchema),
    partyBranches: z.array(z.string()),
    source: z.string().nullable(),
    keywords: z.array(z.string()),
    duplicateOf: z.string().nullable().describe('Id of the earlier article this one repeats, if any.'),
  })
  .register(apiRegistry, { id: 'IngestResponse' });
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

export const reindexResponseSchema = z
  .object({
    articles: z.number().int(),
    indexed: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.number().int(),
    rejections: z.record(z.string(), z.number().int()).describe('reason → number of rejected inputs'),
    seconds: z.number(),
  })
  .register(apiRegistry, { id: 'ReindexResponse' });
export type ReindexResponse = z.infer<typeof reindexResponseSchema>;

export const healthResponseSchema = z.object({ status: z.literal('ok') }).register(apiRegistry, { id: 'Health' });

export const readinessResponseSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    engine: z.enum(['sqlite', 'meilisearch']),
    documents: z.number().int().optional(),
    detail: z.string().optional(),
    corpus: z
      .object({
        rejectedFiles: z.number().int().describe('Corpus files (or JSONL lines) the last scan could not index.'),
        rejected: z
          .array(z.object({ path: z.string(), reason: z.string(), detail: z.string() }))
          .describe('The first 20 of them. An article already indexed from such a file keeps its indexed copy.'),
      })
      .optional(),
  })
  .register(apiRegistry, { id: 'Readiness' });
export type ReadinessResponse = z.infer<typeof readinessResponseSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes as [string, ...string[]]),
      message: z.string(),
      field: z.string().optional().describe('The parameter or body field at fault.'),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .register(apiRegistry, { id: 'Error' });

// ---- Export (GET /v1/export) ------------------------------------------------

export const exportFormatSchema = z.enum(['csv', 'jsonl']);

/** The search parameters, so a /v1/search or /search URL exports as is; page, pageSize and facets are accepted and ignored. */
export const exportQuerySchema = z
  .strictObject({
    ...searchQuerySchema.shape,
    format: exportFormatSchema.default('csv').describe('csv (UTF-8 with a byte-order mark, for Excel) or jsonl (one JSON object per line).'),
  })
  .superRefine(checkYearRange);
export type ExportQuery = z.infer<typeof exportQuerySchema>;

// ---- Search analytics (POST /v1/events, GET /v1/admin/analytics) -------------

export const eventBodySchema = z
  .strictObject({
    type: z.literal('click').describe('A visitor opened a result.'),
    query: z.string().max(limits.queryChars).describe('The search the result was found by.'),
    id: z.string().min(1).max(200).optional().describe('The article opened.'),
    position: z.number().int().min(1).max(10_000).optional().describe('1-based rank of the result in the list.'),
  })
  .register(apiRegistry, { id: 'Event' });

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/u, 'must be a date YYYY-MM-DD')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), 'must be a real date');

export const analyticsQuerySchema = z
  .strictObject({
    from: isoDay.optional().describe('First day (UTC, inclusive); default 30 days before `to`.'),
    to: isoDay.optional().describe('Last day (UTC, inclusive); default today.'),
    limit: digits(1, 500).default(50).describe('Rows per list.'),
  })
  .superRefine((value, ctx) => {
    if (value.from !== undefined && value.to !== undefined && value.from > value.to) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
    }
  });

const queryStatsSchema = z.object({
  query: z.string(),
  searches: z.number().int(),
  noExactMatch: z.number().int().describe('Searches that found no article with every word.'),
  clicks: z.number().int(),
  clickThrough: z.number().describe('clicks / searches.'),
  lastTotal: z.number().int().describe('Exact matches at the latest search in the period.'),
});

export const analyticsResponseSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    searches: z.number().int(),
    clicks: z.number().int(),
    distinctQueries: z.number().int(),
    topQueries: z.array(queryStatsSchema),
    noExactMatchQueries: z.array(queryStatsSchema),
  })
  .register(apiRegistry, { id: 'AnalyticsReport' });
// --- Batch ingest (POST /v1/articles with an array or JSON lines) ---

export const articleBatchInputSchema = z
  .array(articleInputSchema)
  .min(1)
  .describe('Several articles at once; also accepted as application/x-ndjson, one article object per line.')
  .register(apiRegistry, { id: 'ArticleBatchInput' });

export const ingestBodySchema = z.union([articleInputSchema, articleBatchInputSchema]);

export const batchItemResultSchema = z
  .union([
    z.object({
      status: z.union([z.literal(201), z.literal(200)]).describe('201: added; 200: updated an article with the same URL or content.'),
      id: z.string(),
      duplicateOf: z.string().nullable(),
      article: ingestResponseSchema,
    }),
    z.object({
      status: z.union([z.literal(400), z.literal(413)]),
      error: errorBodySchema.shape.error.describe('As a single post would answer; `field` starts with the item, e.g. `items[3].text`.'),
    }),
  ])
  .register(apiRegistry, { id: 'BatchItemResult' });
export type BatchItemResult = z.infer<typeof batchItemResultSchema>;

export const batchIngestResponseSchema = z
  .object({
    items: z.array(batchItemResultSchema).describe('One result per article, in the order sent.'),
    created: z.number().int(),
    updated: z.number().int(),
    failed: z.number().int(),
  })
  .register(apiRegistry, { id: 'BatchIngestResponse' });
export type BatchIngestResponse = z.infer<typeof batchIngestResponseSchema>;

// --- Synonyms and dictionary at run time (/v1/admin/synonyms, /v1/admin/dictionary, /v1/admin/tasks) ---

const synonymForm = z.string().trim().min(1, 'must not be empty').max(50);

export const synonymsInputSchema = z
  .strictObject({
    groups: z.array(z.array(synonymForm).min(2, 'a group needs at least two forms').max(50)).max(5000).describe('Interchangeable forms: a query for any finds the others.'),
    oneWay: z
      .array(z.strictObject({ term: synonymForm, alsoMatches: z.array(synonymForm).min(1).max(50) }))
      .max(5000)
      .default([])
      .describe('A query for `term` also finds `alsoMatches`, not the reverse.'),
  })
  .register(apiRegistry, { id: 'SynonymsInput' });
export type SynonymsInput = z.infer<typeof synonymsInputSchema>;

export const dictionaryInputSchema = z
  .strictObject({ words: z.array(dictionaryEntrySchema).max(20_000).describe('Words jieba keeps whole.') })
  .register(apiRegistry, { id: 'DictionaryInput' });
export type DictionaryInput = z.infer<typeof dictionaryInputSchema>;

export const analysisTaskSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['synonyms', 'dictionary']),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    words: z.number().int().describe('Words added or removed by the change.'),
    total: z.number().int().describe('Documents to look at.'),
    scanned: z.number().int(),
    resegmented: z.number().int().describe('Documents containing a changed word, segmented again.'),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
    error: z.string().optional(),
  })
  .register(apiRegistry, { id: 'AnalysisTask' });
export type AnalysisTask = z.infer<typeof analysisTaskSchema>;

export const synonymsResponseSchema = z
  .object({
    groups: z.array(z.array(z.string())),
    oneWay: z.array(z.object({ term: z.string(), alsoMatches: z.array(z.string()) })),
    shipped: z.object({ groups: z.number().int(), oneWay: z.number().int() }).describe('How many entries config/data/synonyms.json ships (always in force).'),
    task: analysisTaskSchema.optional().describe('After a change: the background re-segmentation.'),
  })
  .register(apiRegistry, { id: 'SynonymsResponse' });

export const dictionaryResponseSchema = z
  .object({
    words: z.array(dictionaryEntrySchema),
    shipped: z.number().int().describe('How many words config/data/dictionary.txt ships (always in force).'),
    task: analysisTaskSchema.optional(),
  })
  .register(apiRegistry, { id: 'DictionaryResponse' });

export const taskIdParamsSchema = z.object({ id: z.string().min(1).max(100).describe('Task id.') });
