/**
 * Admin routes: `Authorization: Bearer <ADMIN_TOKEN>`. Tokens are compared as
 * SHA-256 digests with timingSafeEqual: equal-length inputs make the
 * comparison constant-time whatever the caller sends, so response timing does
 * not reveal how much of a guess was right. The token is never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function isSameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

const bearer = /^Bearer[ ]+([^\s]+)\s*$/iu;

/**
 * True when the request carries the valid admin token. Lets the per-address
 * limit tell operators from visitors before any route runs; a wrong token is
 * false, so guessing stays on the visitors' limit.
 */
export function hasAdminToken(authorization: string | undefined, adminToken: string | undefined): boolean {
  if (adminToken === undefined || authorization === undefined) return false;
  const match = bearer.exec(authorization);
  return match?.[1] !== undefined && isSameToken(match[1], adminToken);
}

export function requireAdmin(adminToken: string | undefined): MiddlewareHandler {
  const expected = adminToken;
  return async (c, next) => {
    if (expected === undefined) {
      throw new ApiError(
        'admin_disabled',
        'Admin routes are disabled. Set ADMIN_TOKEN (a random secret of at least 16 characters) in the environment and restart the service to enable them.',
      );
    }
    const header = c.req.header('Authorization');
    const match = header === undefined ? null : bearer.exec(header);
    const challenge = { 'WWW-Authenticate': 'Bearer realm="admin"' };
    if (!match?.[1]) {
      throw new ApiError('unauthorized', 'Admin routes need the header Authorization: Bearer <ADMIN_TOKEN>.', { headers: challenge });
    }
    if (!isSameToken(match[1], expected)) {
      throw new ApiError('unauthorized', 'The admin token is not valid.', { headers: challenge });
    }
    await next();
  };
}
