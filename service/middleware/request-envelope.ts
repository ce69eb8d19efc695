/**
 * What every request passes through before and after its route: a request
 * id, a per-request logger, `X-Content-Type-Options: nosniff` (a JSON body is
 * never run as a script or page), the metrics and the log line, and settling
 * a body nobody read.
 *
 * One middleware, not five: each Hono middleware layer is two more awaited
 * promises per request, and five of them held /healthz at about 0.4× the
 * requests per second of a bare Hono route (README "Performance").
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../context.js';
import { requestDeclaresBody, settleUnreadBody } from './body-guards.js';
import type { Metrics } from './metrics.js';
import { logRequest, outcomeOf } from './request-log.js';
import { nodeRequestOf, nodeResponseOf } from './node-bindings.js';
import { labelRoute } from './route-label.js';

export interface EnvelopeOptions {
  logger: Logger;
  metrics: Metrics;
  /** Most bytes and time spent reading and dropping a body the route did not read. */
  unreadBody: { maxBytes: number; maxMs: number };
}

const requestIdHeader = 'X-Request-Id';
const requestIdMaxLength = 255;

/** The caller's X-Request-Id when it is a plain token (letters, digits, `_`, `-`, `=`), else a new UUID. */
export function requestIdOf(c: Context): string {
  const incoming = nodeRequestOf(c);
  const raw = incoming ? incoming.headers['x-request-id'] : c.req.header(requestIdHeader);
  // Node joins a repeated header with ", ", as fetch's Headers does: not a plain token.
  const given = Array.isArray(raw) ? raw.join(', ') : raw;
  if (given && given.length <= requestIdMaxLength && !/[^\w\-=]/u.test(given)) return given;
  return crypto.randomUUID();
}

export function requestEnvelope(options: EnvelopeOptions): MiddlewareHandler<AppEnv> {
  const { logger, metrics, unreadBody } = options;
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c);
    c.set('requestId', requestId);
    c.set('rootLogger', logger);
    // On Node the two headers go onto Node's response, which every reply
    // (error pages and streams too) is written through; elsewhere through Hono,
    // set before the handler, so they go into the response it builds (set after,
    // Hono copies that response into a new one).
    const outgoing = nodeResponseOf(c);
    if (outgoing) {
      outgoing.setHeader(requestIdHeader, requestId);
      outgoing.setHeader('X-Content-Type-Options', 'nosniff');
    } else {
      c.header(requestIdHeader, requestId);
      c.header('X-Content-Type-Options', 'nosniff');
    }
    await next();
    if (!outgoing) {
      if (!c.res.headers.has('X-Content-Type-Options')) c.header('X-Content-Type-Options', 'nosniff');
      if (!c.res.headers.has(requestIdHeader)) c.header(requestIdHeader, requestId);
    }
    const latencyMs = performance.now() - started;
    const route = labelRoute(c);
    const { status, code } = outcomeOf(c);
    metrics.record(c.req.method, route, status, latencyMs / 1000);
    logRequest(logger, c, { route, status, code, latencyMs });
    // Whatever refused the request, its unread body is settled before the reply goes out.
    if (requestDeclaresBody(c)) await settleUnreadBody(c, unreadBody.maxBytes, unreadBody.maxMs);
  };
}
