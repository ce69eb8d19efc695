/**
 * The body of `POST /v1/articles`: one article object, a JSON array of them,
 * or JSON lines (`application/x-ndjson`, one article per line). Pure: the
 * route hands in the raw text and gets back what to ingest, each batch item
 * already validated on its own so a bad item never rejects the others.
 */
import { ApiError, buildErrorBody, payloadTooLarge, type ErrorBody } from '../errors.js';
import { toValidationError } from '../middleware/validate.js';
import { articleInputSchema, limits, type ArticleInput } from '../schemas.js';

export interface BatchLimits {
  /** Most articles in one batch. */
  maxItems: number;
  /** Most bytes in one batch body (a single article stays at limits.bodyBytes). */
  maxBytes: number;
}

export type BatchEntry = { ok: true; input: ArticleInput } | { ok: false; status: 400 | 413; error: ErrorBody['error'] };

export type ParsedIngestBody = { kind: 'single'; input: ArticleInput } | { kind: 'batch'; entries: BatchEntry[] };

const jsonType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/iu;
const linesType = /^application\/(?:x-ndjson|jsonl|x-jsonlines)\s*(?:;|$)/iu;

export type IngestMediaType = 'json' | 'ndjson';

export function ingestMediaType(contentType: string | undefined): IngestMediaType {
  if (contentType !== undefined && linesType.test(contentType)) return 'ndjson';
  if (contentType !== undefined && jsonType.test(contentType)) return 'json';
  throw new ApiError(
    'unsupported_media_type',
    'Send one article or an array of articles as Content-Type: application/json, or one article per line as application/x-ndjson.',
    { field: 'Content-Type' },
  );
}

/** An item's validation error, with its position in front of every path: `items[3].text`. */
function itemError(index: number, error: ApiError): ErrorBody['error'] {
  const prefix = `items[${index}]`;
  const body = buildErrorBody(error).error;
  const field = body.field === undefined || body.field === 'body' ? prefix : `${prefix}.${body.field}`;
  return {
    ...body,
    message: body.message.replace(/^Invalid field "([^"]*)"/u, `Invalid field "${prefix}.$1"`).replace(/^Unknown field "([^"]*)"/u, `Unknown field "${prefix}.$1"`),
    field,
    ...(body.details ? { details: body.details.map((d) => ({ ...d, path: `${prefix}.${d.path}` })) } : {}),
  };
}

function validateItem(index: number, value: unknown, bytes: number): BatchEntry {
  if (bytes > limits.bodyBytes) {
    return { ok: false, status: 413, error: { ...buildErrorBody(payloadTooLarge(limits.bodyBytes)).error, field: `items[${index}]` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      status: 400,
      error: { code: 'validation_failed', message: `Invalid field "items[${index}]": expected an article object.`, field: `items[${index}]` },
    };
  }
  const result = articleInputSchema.safeParse(value);
  if (!result.success) return { ok: false, status: 400, error: itemError(index, toValidationError(result.error, 'json')) };
  return { ok: true, input: result.data };
}

function checkCount(count: number, batch: BatchLimits): void {
  if (count === 0) throw new ApiError('validation_failed', 'The batch is empty: send at least one article.', { field: 'body' });
  if (count > batch.maxItems) {
    throw new ApiError('payload_too_large', `The batch has ${count} articles; the limit is ${batch.maxItems}. Split it into smaller batches.`, {
      field: 'body',
    });
  }
}

export function parseIngestBody(text: string, mediaType: IngestMediaType, batch: BatchLimits): ParsedIngestBody {
  if (mediaType === 'ndjson') {
    const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    checkCount(lines.length, batch);
    return {
      kind: 'batch',
      entries: lines.map((line, index) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return {
            ok: false,
            status: 400,
            error: { code: 'validation_failed', message: `Invalid field "items[${index}]": line ${index + 1} is not valid JSON.`, field: `items[${index}]` },
          };
        }
        return validateItem(index, value, Buffer.byteLength(line));
      }),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('validation_failed', 'Malformed JSON in request body.', { field: 'body' });
  }
  if (Array.isArray(value)) {
    checkCount(value.length, batch);
    return { kind: 'batch', entries: value.map((item, index) => validateItem(index, item, Buffer.byteLength(JSON.stringify(item) ?? ''))) };
  }
  if (Buffer.byteLength(text) > limits.bodyBytes) throw payloadTooLarge(limits.bodyBytes);
  const result = articleInputSchema.safeParse(value);
  if (!result.success) throw toValidationError(result.error, 'json');
  return { kind: 'single', input: result.data };
}
