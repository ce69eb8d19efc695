import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { DocumentNotFoundError } from '../../engine/errors.js';
import { presentRelatedHit } from '../query/present.js';
import { buildRelatedRequest } from '../query/search-request.js';
import { articleIdParamsSchema, relatedQuerySchema, relatedResponseSchema } from '../schemas.js';
import { validate } from '../middleware/validate.js';
import type { RouteDeps } from './deps.js';

export const relatedOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/articles/:id/related',
    operationId: 'relatedArticles',
    tag: 'articles',
    summary: 'Articles like this one',
    description:
      'More-like-this from the article keywords, favouring the same hospital, province and award type; never the article itself or its near-duplicates. Each hit lists the keywords it shares.',
    params: articleIdParamsSchema,
    query: relatedQuerySchema,
    siteKey: true,
    responses: { 200: { description: 'Related articles, best first.', schema: relatedResponseSchema } },
    errors: ['validation_failed', 'invalid_site_key', 'not_found', 'rate_limited', 'not_ready', 'engine_unavailable'],
  },
];

export function createRelatedRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    '/v1/articles/:id/related',
    deps.publicGuard,
    validate('param', articleIdParamsSchema),
    validate('query', relatedQuerySchema),
    async (c) => {
      const { id } = c.req.valid('param');
      const { limit } = c.req.valid('query');
      const scope = c.get('siteScope');
      let hits;
      try {
        // The engine checks the article is there and within the site's scope.
        hits = await deps.engine.related(buildRelatedRequest(id, limit, scope));
      } catch (error) {
        if (error instanceof DocumentNotFoundError) throw new ApiError('not_found', `No article with id "${id}".`, { field: 'id' });
        throw error;
      }
      return c.json({ hits: hits.map(presentRelatedHit) }, 200);
    },
  );
  return app;
}
