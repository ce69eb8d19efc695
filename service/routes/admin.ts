import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { ingestArticle, removeArticle } from '../../indexer/ingest.js';
import { ingestBatch } from '../../indexer/ingest-batch.js';
import { rebuildIndex } from '../../indexer/pipeline.js';
import type { GivenFields } from '../../indexer/types.js';
import { ApiError } from '../errors.js';
import { requestLogger, type AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { limitBody, requireUtf8Body } from '../middleware/body-guards.js';
import { checkIdempotencyKey, digestRequest, type StoredReply } from '../idempotency.js';
import { validate } from '../middleware/validate.js';
import { presentIngested, presentReindex } from '../query/present.js';
import {
  articleIdParamsSchema,
  batchIngestResponseSchema,
  emptyQuerySchema,
  ingestBodySchema,
  ingestResponseSchema,
  reindexResponseSchema,
  type ArticleInput,
  type BatchIngestResponse,
  type BatchItemResult,
} from '../schemas.js';
import type { RouteDeps } from './deps.js';
import { ingestMediaType, parseIngestBody, type BatchEntry } from './ingest-body.js';

const adminErrors = ['unauthorized', 'admin_disabled', 'rate_limited', 'not_ready', 'engine_unavailable'] as const;

export const adminOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/articles',
    operationId: 'ingestArticle',
    tag: 'admin',
    summary: 'Add or update an article, or a batch of articles',
    description:
      'The article goes through the indexing pipeline, is written durably under CORPUS_DIR and is searchable before the response. The same URL (or, without a URL, the same content) updates the existing article instead of adding a second one. A repost of an earlier article comes back with `duplicateOf`. Body at most 2 MB.\n\n' +
      'A JSON array of articles, or `application/x-ndjson` with one article per line, is a batch (at most INGEST_BATCH_MAX_ITEMS articles and INGEST_BATCH_MAX_BYTES bytes, each article at most 2 MB): every article is validated and indexed on its own and the reply (200) lists a result per article in order, so a bad article never rejects the good ones. The batch is durable as a whole before the reply.\n\n' +
      'With an `Idempotency-Key` header (any 1–200 printable ASCII characters, e.g. a UUID) a retried request gets the stored reply (marked `Idempotent-Replayed: true`) and nothing is written twice; the same key with a different body is refused (409). Keys are kept for a day.',
    query: emptyQuerySchema,
    body: ingestBodySchema,
    bodyTypes: { 'application/x-ndjson': 'One article object per line (a batch).' },
    admin: true,
    examples: {
      body: {
        url: 'https://www.example-hospital.cn/news/2024/0701.html',
        title: '蒙阴县人民医院党委获评全市党建工作示范点',
        text: '近年来，蒙阴县人民医院党委坚持党建引领，以优质高效的党建工作推动临床医疗技术和服务能力的提升，获评全市党建工作示范点。',
        publishedAt: '2024-07-01',
        hospital: '蒙阴县人民医院',
        province: '山东',
      },
    },
    responses: {
      201: { description: 'Created (a single article).', schema: ingestResponseSchema, headers: { Location: 'URL of the article.' } },
      200: {
        description: 'A single article updated (an article with the same URL or content existed), or the results of a batch.',
        schema: z.union([ingestResponseSchema, batchIngestResponseSchema]),
      },
    },
    errors: ['validation_failed', 'too_little_text', ...adminErrors, 'conflict', 'payload_too_large', 'unsupported_media_type', 'insufficient_storage'],
  },
  {
    method: 'delete',
    path: '/v1/articles/:id',
    operationId: 'deleteArticle',
    tag: 'admin',
    summary: 'Remove an article from the index and the corpus',
    params: articleIdParamsSchema,
    query: emptyQuerySchema,
    admin: true,
    responses: { 204: { description: 'Removed.' } },
    errors: ['validation_failed', ...adminErrors, 'not_found'],
  },
  {
    method: 'post',
    path: '/v1/reindex',
    operationId: 'reindex',
    tag: 'admin',
    summary: 'Rebuild the index from CORPUS_DIR',
    description:
      'Builds a new index from the corpus (e.g. after a dictionary change) and swaps it in; searches keep being answered from the old index meanwhile. Article writes wait until the rebuild is done.',
    query: emptyQuerySchema,
    admin: true,
    responses: { 200: { description: 'Rebuilt.', schema: reindexResponseSchema } },
    errors: ['validation_failed', ...adminErrors, 'conflict'],
  },
];

function toGivenFields(input: ArticleInput): GivenFields {
  const given: GivenFields = {};
  for (const key of ['url', 'title', 'text', 'html', 'publishedAt', 'source', 'hospital', 'province'] as const) {
    const value = input[key];
    if (value !== undefined) given[key] = value;
  }
  return given;
}

export function createAdminRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const context = { engine: deps.engine, corpusDir: deps.corpusDir, minArticleChars: deps.minArticleChars };
  let rebuilding = false;

  app.post('/v1/articles', deps.adminGuard, requireUtf8Body(), limitBody(deps.ingestLimits.maxBytes), validate('query', emptyQuerySchema), async (c) => {
    const mediaType = ingestMediaType(c.req.header('Content-Type'));
    const key = c.req.header('Idempotency-Key');
    const idempotencyKey = key === undefined ? undefined : checkIdempotencyKey(key);
    const text = await c.req.text();
    const parsed = parseIngestBody(text, mediaType, deps.ingestLimits);
    const request = digestRequest(mediaType, text);
    const reply = await deps.writes.run(async (): Promise<StoredReply> => {
      if (idempotencyKey !== undefined) {
        const stored = await deps.idempotency.find(idempotencyKey, request);
        if (stored) return { ...stored, headers: { ...stored.headers, 'Idempotent-Replayed': 'true' } };
      }
      const fresh = parsed.kind === 'single' ? await ingestOne(c, parsed.input, request) : await ingestMany(c, parsed.entries, request);
      if (idempotencyKey !== undefined) await deps.idempotency.save(idempotencyKey, fresh);
      return fresh;
    });
    for (const [name, value] of Object.entries(reply.headers)) c.header(name, value);
    return c.json(reply.body, reply.status as 200 | 201);
  });

  async function ingestOne(c: Context<AppEnv>, input: ArticleInput, request: string): Promise<StoredReply> {
    const { document, created } = await ingestArticle(context, toGivenFields(input));
    requestLogger(c).info({ articleId: document.id, created, duplicateOf: document.duplicateOf }, 'article ingested');
    const headers: Record<string, string> = created ? { Location: `/v1/articles/${encodeURIComponent(document.id)}` } : {};
    return { request, status: created ? 201 : 200, headers, body: presentIngested(document) };
  }

  async function ingestMany(c: Context<AppEnv>, entries: BatchEntry[], request: string): Promise<StoredReply> {
    const valid = entries.flatMap((entry, index) => (entry.ok ? [{ index, input: entry.input }] : []));
    const outcomes = await ingestBatch(
      context,
      valid.map((v) => toGivenFields(v.input)),
    );
    const items: BatchItemResult[] = entries.map((entry) => (entry.ok ? null : { status: entry.status, error: entry.error })) as BatchItemResult[];
    valid.forEach(({ index }, i) => {
      const outcome = outcomes[i]!;
      items[index] = outcome.ok
        ? { status: outcome.created ? 201 : 200, id: outcome.document.id, duplicateOf: outcome.document.duplicateOf, article: presentIngested(outcome.document) }
        : {
            status: 400,
            error: {
              code: 'validation_failed',
              message: `Invalid field "items[${index}].${outcome.field}": ${outcome.message}`,
              field: `items[${index}].${outcome.field}`,
            },
          };
    });
    const body: BatchIngestResponse = {
      items,
      created: items.filter((r) => r.status === 201).length,
      updated: items.filter((r) => r.status === 200).length,
      failed: items.filter((r) => r.status >= 400).length,
    };
    requestLogger(c).info({ articles: items.length, created: body.created, updated: body.updated, failed: body.failed }, 'article batch ingested');
    return { request, status: 200, headers: {}, body };
  }

  app.delete(
    '/v1/articles/:id',
    deps.adminGuard,
    validate('param', articleIdParamsSchema),
    validate('query', emptyQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param');
      const removed = await deps.writes.run(() => removeArticle(context, id));
      if (!removed) throw new ApiError('not_found', `No article with id "${id}".`, { field: 'id' });
      requestLogger(c).info({ articleId: id }, 'article removed');
      return c.body(null, 204);
    },
  );

  app.post('/v1/reindex', deps.adminGuard, validate('query', emptyQuerySchema), async (c) => {
    if (rebuilding) throw new ApiError('conflict', 'A rebuild is already running.');
    rebuilding = true;
    try {
      const summary = await deps.writes.run(() => rebuildIndex(context));
      requestLogger(c).info({ articles: summary.articles, seconds: summary.seconds }, 'index rebuilt');
      return c.json(presentReindex(summary), 200);
    } finally {
      rebuilding = false;
    }
  });
  return app;
}
