/** Request-body checks for JSON routes: media type (415) and size (413), before anything parses it. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, payloadTooLarge, respondWithError } from '../errors.js';

const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/iu;

export function requireJson(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('Content-Type');
    if (type === undefined || !jsonMediaType.test(type)) {
      throw new ApiError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.', {
        field: 'Content-Type',
      });
    }
    await next();
  };
}

export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => respondWithError(c, payloadTooLarge(maxBytes)) });
}
