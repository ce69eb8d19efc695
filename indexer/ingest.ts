/**
 * Single-article writes from the HTTP API: the article goes through the same
 * pipeline as the corpus, is written durably into the corpus directory (the
 * source of truth, so a rebuild keeps it) and indexed before the caller is
 * answered.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { EngineDocument } from '../engine/document.js';
import { fsyncPath } from '../engine/fsync.js';
import type { SearchEngine } from '../engine/port.js';
import { sharedBuildPool, type BuildPool } from './build-pool.js';
import { DuplicateTracker, deriveId } from './pipeline.js';
import type { GivenFields, RawArticle } from './types.js';

export class InvalidArticleError extends Error {
  readonly code = 'invalid_article';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'InvalidArticleError';
  }
}

export interface IngestContext {
  engine: SearchEngine;
  corpusDir: string;
  /** Where the article is built (default: the process's shared pool): never the thread that answers searches. */
  pool?: BuildPool;
}

export interface IngestResult {
  document: EngineDocument;
  /** False when an article with the same id (same URL, or same content) was updated. */
  created: boolean;
}

/** Directory (inside the corpus) where articles posted through the API are kept. */
export const apiArticlesDir = 'api';

/** Write to a temporary file, fsync, rename over the target, fsync the directory: all or nothing. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content);
    fsyncPath(tmp);
    await rename(tmp, path);
    fsyncPath(dirname(path));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

function only<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

export function insideCorpus(corpusDir: string, path: string): boolean {
  const rel = relative(resolve(corpusDir), resolve(path));
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep);
}

export type PreparedArticle =
  | { ok: true; fields: GivenFields; draft: RawArticle; contentField: 'text' | 'html' }
  | { ok: false; message: string; field: string };

/** The given fields as they are stored in the corpus, and the draft the pipeline builds from them. */
export function prepareArticle(given: GivenFields): PreparedArticle {
  const hasText = typeof given.text === 'string' && given.text.trim() !== '';
  const hasHtml = typeof given.html === 'string' && given.html.trim() !== '';
  if (!hasText && !hasHtml) return { ok: false, message: 'one of `text` or `html` is required', field: 'text' };
  const fields: GivenFields = only({
    url: given.url,
    title: given.title,
    text: given.text,
    html: given.html,
    publishedAt: given.publishedAt,
    source: given.source,
    hospital: given.hospital,
    province: given.province,
  });
  const content = `${JSON.stringify(fields, null, 2)}\n`;
  const draft: RawArticle = { ...fields, sourcePath: '', format: 'api', inputBytes: Buffer.byteLength(content) };
  return { ok: true, fields, draft, contentField: hasText ? 'text' : 'html' };
}

export async function ingestArticle(context: IngestContext, given: GivenFields): Promise<IngestResult> {
  const prepared = prepareArticle(given);
  if (!prepared.ok) throw new InvalidArticleError(prepared.message, prepared.field);
  const { fields, draft } = prepared;
  const content = `${JSON.stringify(fields, null, 2)}\n`;
  const first = (await (context.pool ?? sharedBuildPool()).build(draft)).result;
  if (!first.ok) throw new InvalidArticleError(first.rejection.detail, prepared.contentField);
  const id = deriveId(draft, first.document.title, first.document.body);
  const existing = await context.engine.get(id);

  // An update rewrites the file the article came from when it is a one-article
  // JSON file; everything else lands in the API directory under its id.
  const existingPath = existing?.sourcePath;
  const relPath =
    existingPath && existingPath.endsWith('.json') && !existingPath.includes('#')
      ? existingPath
      : `${apiArticlesDir}/${id}.json`;
  const absPath = join(context.corpusDir, relPath);
  if (!insideCorpus(context.corpusDir, absPath)) throw new InvalidArticleError('article path escapes the corpus', 'url');

  // Where the file lives is not part of the input: the document built above only needs its path.
  const built = first;
  const document = built.document;
  document.sourcePath = relPath;

  if (existing?.duplicateOf) {
    document.duplicateOf = existing.duplicateOf;
  } else if (!existing) {
    const tracker = new DuplicateTracker();
    tracker.seed(await context.engine.dedupeFingerprints());
    tracker.assign(built);
  }

  await writeFileAtomic(absPath, content);
  await context.engine.upsert([document]);
  return { document, created: existing === null };
}

/** Removes an article from the corpus (its file, or its line in a JSONL file) and from the index. */
export async function removeArticle(context: IngestContext, id: string): Promise<boolean> {
  const doc = await context.engine.get(id);
  if (!doc) return false;
  if (doc.sourcePath) {
    const [file, line] = doc.sourcePath.split('#');
    const absPath = join(context.corpusDir, file ?? '');
    if (insideCorpus(context.corpusDir, absPath)) {
      if (line === undefined) {
        await rm(absPath, { force: true });
      } else {
        // Blank the line rather than removing it: other lines keep their positions.
        const lines = (await readFile(absPath, 'utf8')).split('\n');
        const index = Number(line) - 1;
        if (index >= 0 && index < lines.length) {
          lines[index] = '';
          await writeFileAtomic(absPath, lines.join('\n'));
        }
      }
    }
  }
  await context.engine.delete([id]);
  return true;
}
