import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { emptyFacetCounts } from '../query/present.js';
import { buildFacetFilters } from '../query/search-request.js';
import { facetsQuerySchema, facetsResponseSchema } from '../schemas.js';
import { validate } from '../middleware/validate.js';
import type { RouteDeps } from './deps.js';

export const facetOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/facets',
    operationId: 'facets',
    tag: 'search',
    summary: 'Every facet value with its article count, for building filter UIs',
    description: 'Optionally narrowed by the same filters as /v1/search; with a site key, only its hospital is counted.',
    query: facetsQuerySchema,
    siteKey: true,
    examples: { query: { province: ['山东'] } },
    responses: { 200: { description: 'Facet counts.', schema: facetsResponseSchema } },
    errors: ['validation_failed', 'invalid_site_key', 'rate_limited', 'not_ready', 'engine_unavailable'],
  },
];

export function createFacetRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/v1/facets', deps.publicGuard, validate('query', facetsQuerySchema), async (c) => {
    const filters = buildFacetFilters(c.req.valid('query'), c.get('siteScope'));
    const facets = filters === null ? emptyFacetCounts() : await deps.engine.facetValues(filters);
    return c.json({ facets }, 200);
  });
  return app;
}
