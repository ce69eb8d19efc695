/**
 * The API's closed set of error codes and their HTTP statuses, and the ONE
 * place (`handleError`, installed as the app's onError) where every thrown
 * error becomes a response. Clients always get `{error: {code, message,
 * field?, details?}}`; errors we did not anticipate get a fixed message while
 * their details go to the log under the request id. Stack traces never leave
 * the process.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Logger } from 'pino';
import { DocumentNotFoundError, EngineQueryError, EngineUnavailableError } from '../engine/errors.js';
import { InvalidArticleError, TooLittleTextError } from '../indexer/ingest.js';

export const errorStatuses = {
  /** A parameter or body field is missing, malformed or unknown; `field` names it. */
  validation_failed: 400,
  /** The article's text (or title) has too few letters and digits once cleaned (MIN_ARTICLE_CHARS); `field` names it. */
  too_little_text: 400,
  /** Admin route without a valid `Authorization: Bearer <ADMIN_TOKEN>`. */
  unauthorized: 401,
  /** The site key (X-Site-Key header or `key` parameter) is not known. */
  invalid_site_key: 401,
  /** Admin routes are switched off because ADMIN_TOKEN is unset. */
  admin_disabled: 403,
  /** A browser origin outside CORS_ORIGINS asked for cross-origin access. */
  origin_not_allowed: 403,
  not_found: 404,
  /** This instance serves the index read-only (READ_ONLY=true): writes go to the writing instance. */
  read_only: 405,
  /** Another index rebuild is already running. */
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  /** The disk holding the corpus or the index is full: nothing was kept; free space and retry. */
  insufficient_storage: 507,
  /** The engine could not answer a request it accepted. */
  engine_error: 500,
  /** Still starting (engine initialising or the corpus being indexed) or shutting down. */
  not_ready: 503,
  /** The search engine cannot be reached. */
  engine_unavailable: 503,
  /** The client went away before the answer (nginx's convention; only logs and metrics see it). */
  client_closed: 499 as ContentfulStatusCode,
  /** The search did not finish within SEARCH_TIMEOUT_MS, not even with partial results. */
  timeout: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof errorStatuses;
export const errorCodes = Object.keys(errorStatuses) as ErrorCode[];

/**
 * Answers the service gives on purpose, whatever their status: a state it is
 * in (starting, read-only), a search cut at its budget, a client that left.
 * They are logged at this level, with no stack trace: an operator reading
 * the error level should only find what needs looking at.
 */
export const expectedErrorLevels: Partial<Record<ErrorCode, 'info' | 'warn'>> = {
  not_ready: 'info',
  read_only: 'info',
  client_closed: 'info',
  timeout: 'warn',
};

/** True once the client has gone (socket closed, or the request's signal aborted) before the answer was sent. */
export function clientHasLeft(c: Context): boolean {
  // On a real server the response says it: the request's signal would do too, but reading it
  // makes @hono/node-server build an AbortController for every request, /healthz included.
  const outgoing = (c.env as { outgoing?: { destroyed?: unknown; writableFinished?: unknown } } | undefined)?.outgoing;
  if (outgoing !== undefined && typeof outgoing.destroyed === 'boolean') return outgoing.destroyed && outgoing.writableFinished !== true;
  return c.req.raw.signal.aborted;
}

/** The level a request's log line takes: expected answers at theirs, other 5xx at error, 4xx at warn. */
export function logLevelOf(status: number, code: ErrorCode | undefined): 'info' | 'warn' | 'error' {
  const expected = code === undefined ? undefined : expectedErrorLevels[code];
  if (expected !== undefined) return expected;
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'info';
}

export interface ErrorDetail {
  path: string;
  message: string;
}

export interface ApiErrorOptions {
  field?: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly field: string | undefined;
  readonly details: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = errorStatuses[code];
    this.field = options.field;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; field?: string; details?: ErrorDetail[] };
}

export function buildErrorBody(error: ApiError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field !== undefined ? { field: error.field } : {}),
      ...(error.details !== undefined ? { details: error.details } : {}),
    },
  };
}

const fixedInternalMessage = 'Internal error. The request id in the X-Request-Id header identifies it in the server log.';

/** True when `err`, or an error it was caused by, is a full disk (ENOSPC, SQLite's SQLITE_FULL). */
function isDiskFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return true;
  }
  return false;
}

/** Translate anything thrown by handlers, middleware, the engine or the indexer into an ApiError. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isDiskFull(err)) {
    return new ApiError('insufficient_storage', 'The disk is full: the write was not kept. Try again once space is freed.', { cause: err });
  }
  if (err instanceof TooLittleTextError) return new ApiError('too_little_text', err.message, { field: err.field, cause: err });
  if (err instanceof InvalidArticleError) return new ApiError('validation_failed', err.message, { field: err.field, cause: err });
  if (err instanceof DocumentNotFoundError) return new ApiError('not_found', 'No article with this id.', { cause: err });
  if (err instanceof EngineUnavailableError) {
    return new ApiError('engine_unavailable', 'The search engine is unavailable. Try again shortly.', {
      headers: { 'Retry-After': '5' },
      cause: err,
    });
  }
  if (err instanceof EngineQueryError) return new ApiError('engine_error', 'The search engine could not answer this request.', { cause: err });
  if (err instanceof HTTPException) {
    // Hono's own 400s (e.g. malformed JSON) carry safe messages written by Hono.
    if (err.status === 400) return new ApiError('validation_failed', err.message || 'Malformed request.', { field: 'body', cause: err });
    if (err.status === 413) return payloadTooLarge();
    if (err.status === 404) return new ApiError('not_found', 'Not found.', { cause: err });
  }
  return new ApiError('internal_error', fixedInternalMessage, { cause: err });
}

export function payloadTooLarge(limitBytes?: number): ApiError {
  const limit = limitBytes === undefined ? '' : ` (limit ${Math.round(limitBytes / 1024 / 1024)} MB)`;
  return new ApiError('payload_too_large', `The request body is too large${limit}.`);
}

export function respondWithError(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  return c.json(buildErrorBody(error), error.status);
}

/**
 * The app's single onError: logs what the client must not see, answers with
 * the closed error body. Whatever failed after the client left (most often
 * reading the rest of its body) failed because it left: that is a 499
 * `client_closed`, not an error of ours.
 */
export function createErrorHandler(logger: Logger) {
  return (err: unknown, c: Context): Response => {
    const error = clientHasLeft(c) ? clientClosed(err) : toApiError(err);
    c.set('errorCode', error.code);
    const requestId = (c.get('requestId') as string | undefined) ?? null;
    if (error.status >= 500 && expectedErrorLevels[error.code] === undefined) {
      const cause = error.code === 'internal_error' ? err : (error.cause ?? err);
      logger.error({ requestId, code: error.code, err: cause }, 'request failed');
    }
    return respondWithError(c, error);
  };
}

export function clientClosed(cause?: unknown): ApiError {
  return new ApiError('client_closed', 'The client closed the connection before the answer was ready.', { cause });
}
