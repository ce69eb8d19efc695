/** The one place a SqliteError (or a file-system error) is looked at and translated into the engine's closed set. */
import Database from 'better-sqlite3';
import {
  EngineQueryError,
  EngineTimeoutError,
  EngineUnavailableError,
  EngineWriteError,
  IndexCorruptError,
  isEngineError,
  type EngineError,
} from '../errors.js';

export type Operation = 'open' | 'read' | 'write';

export function translateError(error: unknown, operation: Operation, what: string): EngineError {
  if (isEngineError(error)) return error;
  const code = error instanceof Database.SqliteError ? error.code : (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : '';
  if (/^SQLITE_(CORRUPT|NOTADB)/u.test(text)) return new IndexCorruptError(`${what}: the index file is damaged`, { cause: error });
  if (/^SQLITE_(BUSY|LOCKED)/u.test(text)) return new EngineTimeoutError(`${what}: the index is locked`, { cause: error });
  if (/^SQLITE_(CANTOPEN|IOERR|FULL|READONLY|PERM)|^E(NOSPC|ACCES|PERM|ROFS|IO|NOENT)$/u.test(text) || operation === 'open') {
    return new EngineUnavailableError(`${what}: the index cannot be used`, { cause: error });
  }
  return operation === 'write'
    ? new EngineWriteError(`${what} failed`, { cause: error })
    : new EngineQueryError(`${what} failed`, { cause: error });
}
