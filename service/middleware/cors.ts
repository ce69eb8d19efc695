/**
 * CORS allowlist (CORS_ORIGINS). Search boxes embedded in hospital sites call
 * the public API from their own origin; only listed origins get the
 * Access-Control-Allow-* headers. A preflight from an unlisted origin is
 * answered 403 so the refusal is visible in the browser's network panel
 * instead of an opaque failure. Cross-origin requests never get admin access:
 * Authorization is not an allowed header.
 *
 * Preflights go to Hono's cors middleware. Every other request gets its
 * headers here, before the route runs: Hono's middleware adds `Vary` after
 * the route, and Hono answers a header set on a finished response by copying
 * that response into a new one, which on @hono/node-server also leaves its
 * fast path (a suggestion answered at 0.6× the rate; README "Performance").
 */
import type { Context, MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ApiError } from '../errors.js';
import { nodeResponseOf } from './node-bindings.js';

export function isOriginAllowed(origin: string, allowlist: readonly string[]): boolean {
  return allowlist.includes('*') || allowlist.includes(origin);
}

const exposedHeaders = ['Retry-After', 'X-Request-Id'];

export function corsAllowlist(allowlist: readonly string[]): MiddlewareHandler {
  const preflight = cors({
    origin: (origin) => (isOriginAllowed(origin, allowlist) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    allowHeaders: ['X-Site-Key', 'Content-Type'],
    exposeHeaders: exposedHeaders,
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const allowed = origin !== undefined && isOriginAllowed(origin, allowlist);
    if (c.req.method === 'OPTIONS') {
      if (!allowed && c.req.header('Access-Control-Request-Method') !== undefined) {
        c.header('Vary', 'Origin');
        throw new ApiError('origin_not_allowed', 'This origin is not allowed to call the API (see CORS_ORIGINS).');
      }
      return preflight(c, next);
    }
    const headers: Array<[string, string]> = allowed
      ? [
          ['Access-Control-Allow-Origin', origin],
          ['Access-Control-Expose-Headers', exposedHeaders.join(',')],
        ]
      : [];
    await withHeaders(c, headers, next);
  };
}

/**
 * Runs the route with `headers` and `Vary: Origin` on whatever it answers,
 * errors included. On Node they go onto Node's response, which every reply
 * is written through (a `Vary` of the reply's own would take precedence; no
 * route under CORS sets one). Elsewhere they go onto Hono's response before
 * the route, which Hono carries into the route's own, and `Vary` is appended
 * after it, keeping any the route set.
 */
async function withHeaders(c: Context, headers: ReadonlyArray<[string, string]>, next: () => Promise<void>): Promise<void> {
  const outgoing = nodeResponseOf(c);
  if (outgoing) {
    for (const [name, value] of headers) outgoing.setHeader(name, value);
    outgoing.setHeader('Vary', 'Origin');
    await next();
    return;
  }
  for (const [name, value] of headers) c.res.headers.set(name, value);
  await next();
  c.header('Vary', 'Origin', { append: true });
}
