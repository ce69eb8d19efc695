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
    facets: facetCountsSchema.nullable(),
    tookMs: z.number(),
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

const isoDate = z.iso.date('must be a date YYYY-MM-DD');

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

// --- Batch ingest (POST /v1/articles with an array or JSON lines) ---

export const articleBatchInputSchema = z
  .array(articleInputSchema)
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
