/** Per-request values that middleware hands to handlers (Hono context variables). */
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { ErrorCode } from './errors.js';
import type { SiteScope } from './query/filters.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    /** The service's logger; handlers log through `requestLogger(c)`. */
    rootLogger: Logger;
    /** The request's own logger, made by the first `requestLogger(c)`. */
    logger: Logger | undefined;
    /** Set by the site-key middleware on public routes; null when no key was given. */
    siteScope: SiteScope | null;
    /** Set by the error handler: the code the request was answered with (unset for answers that are not errors). */
    errorCode: ErrorCode | undefined;
  };
}

/**
 * The logger of this request: the service's, bound to the request id. Made
 * on first use: most requests log only their one line (request-log.ts), and
 * a pino child per request cost every request the same as a route's work.
 */
export function requestLogger(c: Context<AppEnv>): Logger {
  let logger = c.get('logger');
  if (logger === undefined) {
    logger = c.get('rootLogger').child({ requestId: c.get('requestId') });
    c.set('logger', logger);
  }
  return logger;
}
