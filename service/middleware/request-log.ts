/**
 * One structured JSON log line per request: request id, method, route
 * pattern, path, status, latency. Headers and query strings are never logged
 * (they carry the admin token and what people search for).
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../context.js';
import { labelRoute } from './route-label.js';

export function logRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.set('logger', logger.child({ requestId }));
    await next();
    const status = c.res.status;
    const entry = {
      requestId,
      method: c.req.method,
      route: labelRoute(c),
      path: c.req.path,
      status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (status >= 500) logger.error(entry, 'request');
    else if (status >= 400) logger.warn(entry, 'request');
    else logger.info(entry, 'request');
  };
}
