/**
 * CORS allowlist (CORS_ORIGINS). Search boxes embedded in hospital sites call
 * the public API from their own origin; only listed origins get the
 * Access-Control-Allow-* headers. A preflight from an unlisted origin is
 * answered 403 so the refusal is visible in the browser's network panel
 * instead of an opaque failure. Cross-origin requests never get admin access:
 * Authorization is not an allowed header.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ApiError } from '../errors.js';

export function isOriginAllowed(origin: string, allowlist: readonly string[]): boolean {
  return allowlist.includes('*') || allowlist.includes(origin);
}

export function corsAllowlist(allowlist: readonly string[]): MiddlewareHandler {
  const allow = cors({
    origin: (origin) => (isOriginAllowed(origin, allowlist) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    allowHeaders: ['X-Site-Key', 'Content-Type'],
    exposeHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header('Origin');
    const isPreflight = c.req.method === 'OPTIONS' && c.req.header('Access-Control-Request-Method') !== undefined;
    if (isPreflight && (origin === undefined || !isOriginAllowed(origin, allowlist))) {
      c.header('Vary', 'Origin');
      throw new ApiError('origin_not_allowed', 'This origin is not allowed to call the API (see CORS_ORIGINS).');
    }
    return allow(c, next);
  };
}
