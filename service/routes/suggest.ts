import { Hono } from 'hono';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { buildSuggestRequest } from '../query/search-request.js';
import { suggestQuerySchema, suggestResponseSchema } from '../schemas.js';
import { validate } from '../middleware/validate.js';
import type { RouteDeps } from './deps.js';

export const suggestOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/suggest',
    operationId: 'suggest',
    tag: 'search',
    summary: 'Completions for what the user is typing',
    description: 'From titles, hospital names and frequent terms. Full pinyin (dangjian) and initials (djpp) work too.',
    query: suggestQuerySchema,
    siteKey: true,
    examples: { query: { q: 'djpp' } },
    responses: { 200: { description: 'Suggestions, best first.', schema: suggestResponseSchema } },
    errors: ['validation_failed', 'invalid_site_key', 'rate_limited', 'not_ready', 'engine_unavailable'],
  },
];

export function createSuggestRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/v1/suggest', deps.publicGuard, validate('query', suggestQuerySchema), async (c) => {
    const { q, limit } = c.req.valid('query');
    const request = buildSuggestRequest(q, limit, c.get('siteScope'));
    if (request.prefix === '') return c.json({ suggestions: [] }, 200);
    const suggestions = await deps.engine.suggest(request);
    return c.json(
      { suggestions: suggestions.map((s) => (s.id === undefined ? { text: s.text, kind: s.kind } : { text: s.text, kind: s.kind, id: s.id })) },
      200,
    );
  });
  return app;
}
