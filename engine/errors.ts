/**
 * The closed set of failures an engine reports. Adapters translate their
 * driver's errors (SqliteError, MeilisearchApiError, fetch failures) into
 * these at one boundary each; the service maps `code` to an HTTP status and
 * never shows `message` or `cause` to clients (they go to the log).
 */

export const engineErrorCodes = [
  /** The backend cannot be reached or opened (server down, file not writable, disk full). */
  'engine_unavailable',
  /** The backend did not answer, or a task did not finish, within the allowed time. */
  'engine_timeout',
  /** The backend rejected or failed a read (search, related, suggest, facets, get). */
  'engine_query_failed',
  /** The backend rejected or failed a write (upsert, delete, replaceAll, settings). */
  'engine_write_failed',
  /** A request named a document that is not in the index. */
  'document_not_found',
  /** The stored index is damaged or is not an index at all. */
  'index_corrupt',
  /** The stored index has a layout this code can neither read nor rebuild. */
  'index_schema_unsupported',
] as const;

export type EngineErrorCode = (typeof engineErrorCodes)[number];

export abstract class EngineError extends Error {
  abstract readonly code: EngineErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class EngineUnavailableError extends EngineError {
  readonly code = 'engine_unavailable';
}

export class EngineTimeoutError extends EngineError {
  readonly code = 'engine_timeout';
}

export class EngineQueryError extends EngineError {
  readonly code = 'engine_query_failed';
}

export class EngineWriteError extends EngineError {
  readonly code = 'engine_write_failed';
}

export class DocumentNotFoundError extends EngineError {
  readonly code = 'document_not_found';
  readonly documentId: string;

  constructor(documentId: string, options?: { cause?: unknown }) {
    super(`document ${JSON.stringify(documentId)} is not in the index`, options);
    this.documentId = documentId;
  }
}

export class IndexCorruptError extends EngineError {
  readonly code = 'index_corrupt';
}

export class IndexSchemaError extends EngineError {
  readonly code = 'index_schema_unsupported';
}

export function isEngineError(error: unknown): error is EngineError {
  return error instanceof EngineError;
}
