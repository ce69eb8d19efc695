/**
 * Single-article writes from the HTTP API: the article goes through the same
 * pipeline as the corpus, is written durably into the corpus directory (the
 * source of truth, so a rebuild keeps it) and indexed before the caller is
 * answered.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
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

/** Fewer letters and digits than the minimum once cleaned (`"x"`, `"。"`, emoji, markup only). */
export class TooLittleTextError extends InvalidArticleError {
  override readonly name = 'TooLittleTextError';
}

/** Default of MIN_ARTICLE_CHARS: letters and digits an article's text needs after cleaning. */
export const defaultMinArticleChars = 10;

/** Letters and digits in `text`: what is left of an article once punctuation, symbols, emoji and controls are set aside. */
export function countRealChars(text: string): number {
  let n = 0;
  for (const ch of text) if (/[\p{L}\p{N}]/u.test(ch)) n++;
  return n;
}

function withoutMarkup(text: string): string {
  return text.replace(/<[^>]*>?/gu, ' ').replace(/&(?:#\d+|#x[0-9a-f]+|[a-z]+);?/giu, ' ');
}

export interface IngestContext {
  engine: SearchEngine;
  corpusDir: string;
  /** Letters and digits the cleaned text must have (MIN_ARTICLE_CHARS; default defaultMinArticleChars). */
  minArticleChars?: number;
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

/**
 * Writes `content` at `path` like writeFileAtomic, but keeps the previous
 * file (a hard link: no space needed) until the caller settles: `undo()`
 * puts it back, `commit()` drops it. A write the caller answers with an
 * error must not stay in the corpus, where the next rebuild would find it.
 * A crash in between leaves the link as an orphan `*.tmp`, which the next
 * start removes; `path` is always either the old file or the new one.
 */
export async function replaceFileUndoably(path: string, content: string): Promise<{ commit(): Promise<void>; undo(): Promise<void> }> {
  const previous = `${path}.${randomBytes(6).toString('hex')}.prev.tmp`;
  let hadPrevious = true;
  try {
    await link(path, previous);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') hadPrevious = false;
    // A file system without hard links: a copy does the same, at the cost of its space.
    else await copyFile(path, previous);
  }
  try {
    await writeFileAtomic(path, content);
  } catch (err) {
    if (hadPrevious) await rm(previous, { force: true });
    throw err;
  }
  return {
    async commit() {
      if (hadPrevious) await rm(previous, { force: true });
    },
    async undo() {
      if (hadPrevious) await rename(previous, path);
      else await rm(path, { force: true });
      fsyncPath(dirname(path));
    },
  };
}

/** Temporary files of interrupted writes (writeFileAtomic, replaceFileUndoably) under the corpus. */
const orphanTmp = /\.[0-9a-f]{12}(?:\.prev)?\.tmp$/u;

/** Removes what interrupted writes left in the corpus; returns the removed paths (corpus-relative). */
export async function removeOrphanTempFiles(corpusDir: string): Promise<string[]> {
  const removed: string[] = [];
  let entries: string[];
  try {
    entries = await readdir(corpusDir, { recursive: true });
  } catch {
    return removed;
  }
  for (const entry of entries) {
    if (!orphanTmp.test(entry)) continue;
    await rm(join(corpusDir, entry), { force: true });
    removed.push(entry);
  }
  return removed;
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
  // A title given but without content is as much a mistake as such a text.
  if (typeof given.title === 'string' && given.title.trim() !== '' && countRealChars(withoutMarkup(given.title)) === 0) {
    throw new TooLittleTextError('`title` has no letters or digits once markup is removed', 'title');
  }
  const first = (await (context.pool ?? sharedBuildPool()).build(draft)).result;
  const textField = prepared.contentField;
  if (!first.ok) {
    if (first.rejection.reason === 'empty') throw new TooLittleTextError(`\`${textField}\` holds no article text once cleaned`, textField);
    throw new InvalidArticleError(first.rejection.detail, textField);
  }
  const minChars = context.minArticleChars ?? defaultMinArticleChars;
  const realChars = countRealChars(first.document.body);
  if (realChars < minChars) {
    throw new TooLittleTextError(
      `\`${textField}\` has ${realChars} letters or digits once cleaned; an article needs at least ${minChars}`,
      textField,
    );
  }
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

  const file = await replaceFileUndoably(absPath, content);
  try {
    await context.engine.upsert([document]);
  } catch (err) {
    await file.undo();
    throw err;
  }
  await file.commit();
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
