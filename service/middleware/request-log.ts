/**
 * One structured JSON log line per request: request id, method, route
 * pattern, path, status, error code, latency. Headers and query strings are
 * never logged (they carry the admin token and what people search for).
 *
 * The level says whether someone should look: answers given on purpose
 * (starting, read-only, a search cut at its budget, a client that left) are
 * info or warn, as are the client's own mistakes (4xx); only other 5xx are
 * errors. Health probes that succeed log at debug: a load balancer polls
 * them every few seconds, and their lines would drown the requests people
 * make (and cost /healthz a third of its throughput).
 */
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../context.js';
import { clientHasLeft, errorStatuses, logLevelOf, type ErrorCode } from '../errors.js';

/**
 * The status a request ended with, as logs and metrics count it: a client
 * that left before the answer was sent is 499 `client_closed` (nginx's
 * convention), whatever the handler went on to answer nobody.
 */
export function outcomeOf(c: Context<AppEnv>): { status: number; code: ErrorCode | undefined } {
  if (clientHasLeft(c)) return { status: errorStatuses.client_closed, code: 'client_closed' };
  return { status: c.res.status, code: c.get('errorCode') };
}

const probeRoutes = new Set(['/healthz', '/readyz']);

/** The one line a finished request logs, at the level its outcome calls for. */
export function logRequest(
  logger: Logger,
  c: Context<AppEnv>,
  finished: { route: string; status: number; code: ErrorCode | undefined; latencyMs: number },
): void {
  const { route, status, code, latencyMs } = finished;
  const outcomeLevel = logLevelOf(status, code);
  const level = outcomeLevel === 'info' && status < 400 && probeRoutes.has(route) ? 'debug' : outcomeLevel;
  // A probe's line is usually below the level in force: not even built then.
  if (!logger.isLevelEnabled(level)) return;
  const entry = {
    requestId: c.get('requestId'),
    method: c.req.method,
    route,
    path: c.req.path,
    status,
    ...(code !== undefined ? { code } : {}),
    latencyMs: Math.round(latencyMs * 100) / 100,
  };
  logger[level](entry, 'request');
}
