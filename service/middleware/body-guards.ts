/** Request-body checks for JSON routes: media type (415) and size (413), before anything parses it. */
import { nodeRequestOf } from './node-bindings.js';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, payloadTooLarge, respondWithError } from '../errors.js';

const jsonMediaType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/iu;

/** The `charset` parameter of a media type, lower-cased, or null. */
function charsetOf(type: string): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/iu.exec(type);
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * JSON is UTF-8 (RFC 8259): a body declared in another charset (GBK from an
 * old CMS) would be stored garbled, and a compressed one would fail as
 * "malformed JSON". Both are refused with 415 saying what to send instead.
 */
export function requireJson(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('Content-Type');
    if (type === undefined || !jsonMediaType.test(type)) {
      throw new ApiError('unsupported_media_type', 'Send the body as JSON with Content-Type: application/json.', {
        field: 'Content-Type',
      });
    }
    checkPlainUtf8(type, c.req.header('Content-Encoding'));
    await next();
  };
}

/** For routes that take several media types (JSON or JSON lines): only the charset and the encoding are checked. */
export function requireUtf8Body(): MiddlewareHandler {
  return async (c, next) => {
    checkPlainUtf8(c.req.header('Content-Type'), c.req.header('Content-Encoding'));
    await next();
  };
}

function checkPlainUtf8(type: string | undefined, contentEncoding: string | undefined): void {
  const charset = type === undefined ? null : charsetOf(type);
  if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ApiError('unsupported_media_type', `The body must be UTF-8 JSON; charset=${charset} is not accepted. Convert it to UTF-8.`, {
      field: 'Content-Type',
    });
  }
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    throw new ApiError('unsupported_media_type', `Compressed bodies (Content-Encoding: ${encoding}) are not accepted; send plain JSON.`, {
      field: 'Content-Encoding',
    });
  }
}

export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({ maxSize: maxBytes, onError: (c) => respondWithError(c, payloadTooLarge(maxBytes)) });
}

/**
 * A request answered without its body being read (a 413 on the declared
 * length, or a 400/401/415 before parsing) leaves the body in the socket.
 * Node would then cut a keep-alive connection the reply said to keep, and a
 * client still sending could lose the reply itself. So the unread body is
 * read and dropped before the reply goes out, up to `maxBytes` and
 * `maxMs`; beyond that (or when a guard stopped reading it half-way) the
 * reply says `Connection: close`, which clients honour. Run once the
 * handler has answered (request-envelope.ts).
 */
export async function settleUnreadBody(c: Context, maxBytes: number, maxMs: number): Promise<void> {
  const raw = c.req.raw;
  // Asked first because reading `raw.body` builds a full fetch Request on
  // @hono/node-server, which alone cost /healthz most of its throughput.
  if (!requestDeclaresBody(c)) return;
  if (raw.body === null) return;
  if (raw.bodyUsed || raw.body.locked) {
    if (c.res.status === 413) c.header('Connection', 'close');
    return;
  }
  const declared = Number(raw.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    c.header('Connection', 'close');
    return;
  }
  if (!(await discardBody(raw.body, maxBytes, maxMs))) c.header('Connection', 'close');
}

/** HTTP/1.1 requests carry a body only with a Content-Length above 0 or a Transfer-Encoding (RFC 9112 §6.1). */
function declaresBody(transferEncoding: string | null | undefined, contentLength: string | null | undefined): boolean {
  if (transferEncoding !== null && transferEncoding !== undefined) return true;
  return contentLength !== null && contentLength !== undefined && contentLength.trim() !== '0';
}

/**
 * Whether the request declares a body. On @hono/node-server the answer comes
 * from Node's own header object: asking the fetch Request builds a Headers
 * object from every header of every request, a body or not.
 */
export function requestDeclaresBody(c: Context): boolean {
  const incoming = nodeRequestOf(c);
  if (incoming) return declaresBody(incoming.headers['transfer-encoding'], incoming.headers['content-length']);
  const headers = c.req.raw.headers;
  return declaresBody(headers.get('transfer-encoding'), headers.get('content-length'));
}

/** Reads and drops a body; false when it is longer than `maxBytes` or takes longer than `maxMs`. */
async function discardBody(body: ReadableStream<Uint8Array>, maxBytes: number, maxMs: number): Promise<boolean> {
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), maxMs);
  });
  let bytes = 0;
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), timedOut]);
      if (chunk === 'timeout') return false;
      if (chunk.done) return true;
      bytes += chunk.value.byteLength;
      if (bytes > maxBytes) return false;
    }
  } catch {
    // The client went away while sending: nothing left to keep alive.
    return false;
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}
