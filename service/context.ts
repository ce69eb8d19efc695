/** Per-request values that middleware hands to handlers (Hono context variables). */
import type { Logger } from 'pino';
import type { ErrorCode } from './errors.js';
import type { SiteScope } from './query/filters.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    /** Set by the site-key middleware on public routes; null when no key was given. */
    siteScope: SiteScope | null;
    /** Set by the error handler: the code the request was answered with (unset for answers that are not errors). */
    errorCode: ErrorCode | undefined;
  };
}
