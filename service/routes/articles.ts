import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { isInScope, presentArticle } from '../query/present.js';
import { articleIdParamsSchema, articleQuerySchema, articleResponseSchema } from '../schemas.js';
import { validate } from '../middleware/validate.js';
import type { RouteDeps } from './deps.js';

export const articleOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/articles/:id',
    operationId: 'getArticle',
    tag: 'articles',
    summary: 'One article with its text, all extracted metadata and its near-duplicates',
    params: articleIdParamsSchema,
    query: articleQuerySchema,
    siteKey: true,
    responses: { 200: { description: 'The article.', schema: articleResponseSchema } },
    errors: ['validation_failed', 'invalid_site_key', 'not_found', 'rate_limited', 'not_ready', 'engine_unavailable'],
  },
];

export function createArticleRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    '/v1/articles/:id',
    deps.publicGuard,
    validate('param', articleIdParamsSchema),
    validate('query', articleQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param');
      const scope = c.get('siteScope');
      const doc = await deps.engine.get(id, { engineFields: false });
      // Outside the key's hospital the article does not exist for this caller.
      if (!doc || (scope && !isInScope(doc, scope.hospital))) throw new ApiError('not_found', `No article with id "${id}".`, { field: 'id' });
      const duplicates = await deps.engine.duplicatesOf(id);
      return c.json(presentArticle(doc, duplicates), 200);
    },
  );
  return app;
}
