/**
 * One structured JSON log line per request: request id, method, route
 * pattern, path, status, error code, latency. Headers and query strings are
 * never logged (they carry the admin token and what people search for).
 *
 * The level says whether someone should look: answers given on purpose
 * (starting, read-only, a search cut at its budget, a client that left) are
 * info or warn, as are the client's own mistakes (4xx); only other 5xx are
 * errors.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../context.js';
import { clientHasLeft, errorStatuses, logLevelOf, type ErrorCode } from '../errors.js';
import { labelRoute } from './route-label.js';

/**
 * The status a request ended with, as logs and metrics count it: a client
 * that left before the answer was sent is 499 `client_closed` (nginx's
 * convention), whatever the handler went on to answer nobody.
 */
export function outcomeOf(c: Context<AppEnv>): { status: number; code: ErrorCode | undefined } {
  if (clientHasLeft(c)) return { status: errorStatuses.client_closed, code: 'client_closed' };
  return { status: c.res.status, code: c.get('errorCode') };
}

export function logRequests(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.get('requestId');
    c.set('logger', logger.child({ requestId }));
    await next();
    const { status, code } = outcomeOf(c);
    const entry = {
      requestId,
      method: c.req.method,
      route: labelRoute(c),
      path: c.req.path,
      status,
      ...(code !== undefined ? { code } : {}),
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    };
    logger[logLevelOf(status, code)](entry, 'request');
  };
}
