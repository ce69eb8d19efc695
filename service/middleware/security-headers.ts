/**
 * Response headers that keep browsers from misusing what we send, beyond the
 * `nosniff` every response gets (request-envelope.ts): on /docs a policy that
 * allows scripts, requests, images and fonts from this origin only (the reference's script is served from here, and its
 * "try it" calls this API), the inline styles its components set, and no
 * framing (clickjacking). The demo and search pages set their own headers:
 * they are meant to be embedded.
 */
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';
import { isSameToken } from './admin-auth.js';

export const docsContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function docsPageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', docsContentSecurityPolicy);
    c.header('X-Frame-Options', 'DENY');
  };
}

const bearer = /^Bearer[ ]+([^\s]+)\s*$/iu;

/** With METRICS_TOKEN set, /metrics needs `Authorization: Bearer <METRICS_TOKEN>` (what Prometheus' `authorization` sends). */
export function requireMetricsToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (token !== undefined) {
      const match = bearer.exec(c.req.header('Authorization') ?? '');
      if (!match?.[1] || !isSameToken(match[1], token)) {
        throw new ApiError('unauthorized', '/metrics needs the header Authorization: Bearer <METRICS_TOKEN>.', {
          headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
        });
      }
    }
    await next();
  };
}
