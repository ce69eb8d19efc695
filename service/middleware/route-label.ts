import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';

/**
 * The route pattern that matched (`/v1/articles/:id`), never the raw path:
 * metrics labels and log fields must have bounded cardinality. Middleware
 * registrations use method ALL; an endpoint always has a concrete method.
 */
export function labelRoute(c: Context): string {
  const routes = matchedRoutes(c);
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i];
    if (route && route.method !== 'ALL') return route.path;
  }
  return c.req.method === 'OPTIONS' ? 'preflight' : 'unmatched';
}
