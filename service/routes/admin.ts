import { Hono } from 'hono';
import { ingestArticle, removeArticle } from '../../indexer/ingest.js';
import { rebuildIndex } from '../../indexer/pipeline.js';
import type { GivenFields } from '../../indexer/types.js';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { limitBody, requireJson } from '../middleware/body-guards.js';
import { validate } from '../middleware/validate.js';
import { presentIngested, presentReindex } from '../query/present.js';
import {
  articleIdParamsSchema,
  articleInputSchema,
  emptyQuerySchema,
  ingestResponseSchema,
  limits,
  reindexResponseSchema,
  type ArticleInput,
} from '../schemas.js';
import type { RouteDeps } from './deps.js';

const adminErrors = ['unauthorized', 'admin_disabled', 'rate_limited', 'not_ready', 'engine_unavailable'] as const;

export const adminOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/articles',
    operationId: 'ingestArticle',
    tag: 'admin',
    summary: 'Add or update an article',
    description:
      'The article goes through the indexing pipeline, is written durably under CORPUS_DIR and is searchable before the response. The same URL (or, without a URL, the same content) updates the existing article instead of adding a second one. A repost of an earlier article comes back with `duplicateOf`. Body at most 2 MB.',
    query: emptyQuerySchema,
    body: articleInputSchema,
    admin: true,
    responses: {
      201: { description: 'Created.', schema: ingestResponseSchema, headers: { Location: 'URL of the article.' } },
      200: { description: 'Updated: an article with the same URL or content existed.', schema: ingestResponseSchema },
    },
    errors: ['validation_failed', 'too_little_text', ...adminErrors, 'payload_too_large', 'unsupported_media_type', 'insufficient_storage'],
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

  app.post(
    '/v1/articles',
    deps.adminGuard,
    requireJson(),
    limitBody(limits.bodyBytes),
    validate('query', emptyQuerySchema),
    validate('json', articleInputSchema),
    async (c) => {
      const input = c.req.valid('json');
      const { document, created } = await deps.writes.run(() => ingestArticle(context, toGivenFields(input)));
      c.get('logger').info({ articleId: document.id, created, duplicateOf: document.duplicateOf }, 'article ingested');
      if (created) c.header('Location', `/v1/articles/${encodeURIComponent(document.id)}`);
      return c.json(presentIngested(document), created ? 201 : 200);
    },
  );

  app.delete(
    '/v1/articles/:id',
    deps.adminGuard,
    validate('param', articleIdParamsSchema),
    validate('query', emptyQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param');
      const removed = await deps.writes.run(() => removeArticle(context, id));
      if (!removed) throw new ApiError('not_found', `No article with id "${id}".`, { field: 'id' });
      c.get('logger').info({ articleId: id }, 'article removed');
      return c.body(null, 204);
    },
  );

  app.post('/v1/reindex', deps.adminGuard, validate('query', emptyQuerySchema), async (c) => {
    if (rebuilding) throw new ApiError('conflict', 'A rebuild is already running.');
    rebuilding = true;
    try {
      const summary = await deps.writes.run(() => rebuildIndex(context));
      c.get('logger').info({ articles: summary.articles, seconds: summary.seconds }, 'index rebuilt');
      return c.json(presentReindex(summary), 200);
    } finally {
      rebuilding = false;
    }
  });
  return app;
}
