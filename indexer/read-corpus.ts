/**
 * Reads a corpus directory into RawArticles. Every problem with an input (bad
 * JSON, binary data, an unknown encoding, a file too large) is yielded as a
 * Rejection value and the walk goes on: one bad file never stops a run.
 *
 * Order is deterministic (entries sorted by code point at every level), so two
 * runs over the same tree see the same articles in the same order.
 */
import { createReadStream, type Dirent } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { z } from 'zod';
import { createRejection, type Rejection, type RejectionReason } from './rejections.js';
import type { RawArticle } from './types.js';

export type ArticleFormat = RawArticle['format'];
type FileFormat = Exclude<ArticleFormat, 'api'>;

export interface ReadCorpusOptions {
  /** Largest file (or JSONL line) read as an article; larger inputs are rejected as `too-large`. */
  maxBytes?: number;
  /**
   * Asked before each file of a known format is read, with its size and
   * modification time: false skips it (nothing is yielded for it). The
   * start-up sync skips files its ledger shows unchanged (corpus-ledger.ts).
   */
  shouldRead?: (relPath: string, stat: { size: number; mtimeMs: number }) => boolean;
}

/** Real articles are tens of kilobytes; a 16 MiB "article" is a dump or a mistake. */
export const defaultMaxBytes = 16 * 1024 * 1024;

const formatsByExtension: Readonly<Record<string, FileFormat>> = {
  '.txt': 'txt',
  '.text': 'txt',
  '.md': 'md',
  '.markdown': 'md',
  '.html': 'html',
  '.htm': 'html',
  '.shtml': 'html',
  '.xhtml': 'html',
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

// Documents an editor may well drop into the corpus expecting them to be
// indexed: say so instead of ignoring them. Images, archives and the like are
// ignored silently unless their content turns out to be Chinese text.
const documentExtensions = new Set([
  '.doc', '.docx', '.wps', '.rtf', '.odt', '.pdf', '.pages', '.epub', '.mht', '.mhtml', '.xml', '.csv', '.xls', '.xlsx',
]);

export function detectFormat(path: string): FileFormat | undefined {
  return formatsByExtension[extname(path).toLowerCase()];
}

// ---------------------------------------------------------------------------
// Decoding

export type DecodeResult =
  | { ok: true; text: string; encoding: string }
  | { ok: false; reason: Extract<RejectionReason, 'empty' | 'binary' | 'bad-encoding'>; detail: string };

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const utf8Loose = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

const binarySignatures: ReadonlyArray<[string, number[]]> = [
  ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['ZIP archive (docx/xlsx?)', [0x50, 0x4b, 0x03, 0x04]],
  ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['JPEG image', [0xff, 0xd8, 0xff]],
  ['GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['gzip archive', [0x1f, 0x8b]],
  ['OLE document (doc/xls?)', [0xd0, 0xcf, 0x11, 0xe0]],
];

const binarySample = 64 * 1024;

/** Why a buffer is binary rather than text, or undefined when it looks like text. */
function detectBinary(buf: Uint8Array): string | undefined {
  for (const [name, magic] of binarySignatures) {
    if (buf.length >= magic.length && magic.every((byte, i) => buf[i] === byte)) return name;
  }
  const n = Math.min(buf.length, binarySample);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return 'contains NUL bytes';
    // Tab, LF, FF, CR and ESC turn up in real text files; other C0 codes do not.
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 0x1b) || b === 0x7f) control++;
  }
  if (n > 0 && control / n > 0.05) return `${Math.round((100 * control) / n)}% control characters`;
  return undefined;
}

function isCjkLike(code: number): boolean {
  return (
    (code >= 0x3400 && code <= 0x9fff) || // CJK ideographs
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x3000 && code <= 0x303f) || // CJK punctuation
    (code >= 0xff00 && code <= 0xffef) || // full-width forms
    (code >= 0x2010 && code <= 0x206f) || // “” — … ·
    (code >= 0x2460 && code <= 0x24ff) || // ①
    (code >= 0x25a0 && code <= 0x25ff) || // ▲ □
    code === 0x00b7 ||
    code >= 0x20000 // supplementary ideographs
  );
}

/**
 * Whether a legacy decoding produced Chinese rather than garbage: almost no
 * replacement characters, and nearly all non-ASCII characters CJK.
 */
function looksLikeChinese(text: string): boolean {
  let nonAscii = 0;
  let cjk = 0;
  let replaced = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) continue;
    nonAscii++;
    if (code === 0xfffd) replaced++;
    else if (isCjkLike(code)) cjk++;
  }
  return cjk > 0 && replaced <= nonAscii * 0.01 && cjk >= nonAscii * 0.9;
}

function countReplacements(text: string): { replaced: number; nonAscii: number } {
  let replaced = 0;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    nonAscii++;
    if (code === 0xfffd) replaced++;
  }
  return { replaced, nonAscii };
}

function finishText(text: string, encoding: string): DecodeResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, reason: 'empty', detail: 'only whitespace' };
  return { ok: true, text: body, encoding };
}

/**
 * Bytes to text: UTF-8 (BOM stripped), UTF-16 with a BOM, or GBK/GB18030 and
 * Big5 as Chinese sites still serve them. Legacy decodings are accepted only
 * when the UTF-8 reading is mostly replacement characters AND the legacy
 * reading is mostly CJK: otherwise a UTF-8 file with one broken byte would be
 * "decoded" into GB18030 mojibake (鍏氬缓…).
 */
export function decodeText(buf: Uint8Array): DecodeResult {
  if (buf.length === 0) return { ok: false, reason: 'empty', detail: 'file is 0 bytes' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return finishText(iconv.decode(Buffer.from(buf.subarray(2)), 'utf16-le'), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return finishText(iconv.decode(Buffer.from(buf.subarray(2)), 'utf16-be'), 'utf-16be');

  const binary = detectBinary(buf);
  if (binary !== undefined) return { ok: false, reason: 'binary', detail: binary };

  try {
    return finishText(utf8Strict.decode(buf), 'utf-8');
  } catch {
    // Not valid UTF-8: decide below between a few broken bytes and another encoding.
  }

  const loose = utf8Loose.decode(buf);
  const { replaced, nonAscii } = countReplacements(loose);
  if (replaced <= Math.max(1, nonAscii * 0.01) && nonAscii >= 20) {
    return finishText(loose.replaceAll('\ufffd', ''), 'utf-8');
  }

  // Both legacy encodings decode each other's bytes into plausible-looking
  // ideographs, so the order matters: GB18030 (mainland sites) first unless
  // chardet is clearly more confident in Big5. On short texts it rarely is.
  const guesses = chardet.analyse(buf);
  const confidence = (name: string): number => guesses.find((g) => g.name === name)?.confidence ?? 0;
  const candidates = confidence('Big5') > confidence('GB18030') + 10 ? ['big5', 'gb18030'] : ['gb18030', 'big5'];

  const asBuffer = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (const encoding of candidates) {
    const text = iconv.decode(asBuffer, encoding);
    if (looksLikeChinese(text)) return finishText(text, encoding);
  }
  const best = guesses[0];
  const detail = best ? `not UTF-8; closest guess ${best.name} (${best.confidence}%)` : 'not UTF-8';
  return { ok: false, reason: 'bad-encoding', detail };
}

/** The format a single buffer is read as: by extension, `.jsonl` as one JSON line, plain text otherwise. */
function singleArticleFormat(path: string): Exclude<ArticleFormat, 'jsonl'> {
  const format = detectFormat(path);
  if (format === 'jsonl') return 'json';
  return format ?? 'txt';
}

// ---------------------------------------------------------------------------
// JSON articles

const nothingToUndefined = (value: unknown): unknown =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

const metaString = z.preprocess(
  nothingToUndefined,
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .optional(),
);
const contentString = z.preprocess((v) => (v === null ? undefined : v), z.string().optional());

/** The article fields a JSON file, JSONL line or API client may give. Unknown fields are ignored. */
export const givenArticleSchema = z.object({
  id: metaString,
  url: metaString,
  title: metaString,
  text: contentString,
  html: contentString,
  publishedAt: metaString,
  source: metaString,
  hospital: metaString,
  province: metaString,
});

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/**
 * A parsed JSON value to a RawArticle: used for JSON files, JSONL lines and
 * bodies posted to the HTTP API (format `api`).
 */
export function parseArticleObject(
  value: unknown,
  sourcePath: string,
  format: ArticleFormat,
  inputBytes: number,
): RawArticle | Rejection {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return createRejection(sourcePath, 'invalid-article', `expected one article object, got ${got}`);
  }
  const parsed = givenArticleSchema.safeParse(value);
  if (!parsed.success) return createRejection(sourcePath, 'invalid-article', describeIssues(parsed.error));
  const given = parsed.data;
  if (given.text === undefined && given.html === undefined) {
    return createRejection(sourcePath, 'invalid-article', 'needs a `text` or `html` field');
  }
  if ((given.text ?? '').trim() === '' && (given.html ?? '').trim() === '') {
    return createRejection(sourcePath, 'empty', '`text`/`html` is blank');
  }
  const article: RawArticle = { kind: 'article', sourcePath, format, inputBytes };
  for (const [key, v] of Object.entries(given)) {
    if (v !== undefined) (article as unknown as Record<string, string>)[key] = v;
  }
  return article;
}

export function parseArticleJson(text: string, sourcePath: string, format: ArticleFormat, inputBytes: number): RawArticle | Rejection {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return createRejection(sourcePath, 'bad-json', err instanceof Error ? err.message : String(err));
  }
  return parseArticleObject(value, sourcePath, format, inputBytes);
}

/**
 * The bytes of one single-article input (a txt/md/html/json file, or a body
 * posted to the API) to a RawArticle. JSONL holds many articles: see readJsonLines.
 */
export function readArticleBuffer(
  buf: Uint8Array,
  sourcePath: string,
  format: Exclude<ArticleFormat, 'jsonl'> = singleArticleFormat(sourcePath),
): RawArticle | Rejection {
  const decoded = decodeText(buf);
  if (!decoded.ok) return createRejection(sourcePath, decoded.reason, decoded.detail);
  const inputBytes = Buffer.byteLength(decoded.text, 'utf8');
  switch (format) {
    case 'json':
    case 'api':
      return parseArticleJson(decoded.text, sourcePath, format, inputBytes);
    case 'html':
      return { kind: 'article', sourcePath, format, inputBytes, html: decoded.text };
    case 'txt':
    case 'md':
      return { kind: 'article', sourcePath, format, inputBytes, text: decoded.text };
  }
}

// ---------------------------------------------------------------------------
// JSONL

interface RawLine {
  lineNumber: number;
  /** Undefined when the line exceeded the size limit (its bytes were dropped). */
  bytes: Buffer | undefined;
  size: number;
}

/** Splits a stream into lines of bytes, without ever holding an oversized line in memory. */
async function* splitLines(path: string, maxBytes: number): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let lineNumber = 1;
  const take = (): RawLine => {
    const line: RawLine = { lineNumber, bytes: oversized ? undefined : Buffer.concat(parts, size), size };
    parts = [];
    size = 0;
    oversized = false;
    lineNumber++;
    return line;
  };
  const add = (chunk: Buffer): void => {
    size += chunk.length;
    if (size > maxBytes) {
      oversized = true;
      parts = [];
    } else if (chunk.length > 0) {
      parts.push(chunk);
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      add(chunk.subarray(start, nl));
      yield take();
      start = nl + 1;
    }
    add(chunk.subarray(start));
  }
  if (size > 0 || oversized) yield take();
}

function isBlankLine(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

/** One article per line; a bad line rejects that line only (`file.jsonl#7`). */
export async function* readJsonLines(absPath: string, relPath: string, maxBytes = defaultMaxBytes): AsyncGenerator<RawArticle | Rejection> {
  let head: Buffer;
  try {
    head = await readHead(absPath, 8192);
  } catch (err) {
    yield createRejection(relPath, 'unreadable', errorDetail(err));
    return;
  }
  const binary = detectBinary(head);
  if (binary !== undefined) {
    yield createRejection(relPath, 'binary', binary);
    return;
  }
  let articles = 0;
  try {
    for await (const line of splitLines(absPath, maxBytes)) {
      const sourcePath = `${relPath}#${line.lineNumber}`;
      if (line.bytes === undefined) {
        yield createRejection(sourcePath, 'too-large', `line is ${line.size} bytes; the limit is ${maxBytes}`);
        continue;
      }
      if (isBlankLine(line.bytes)) continue;
      articles++;
      const decoded = decodeText(line.bytes);
      if (!decoded.ok) {
        yield createRejection(sourcePath, decoded.reason, decoded.detail);
        continue;
      }
      yield parseArticleJson(decoded.text, sourcePath, 'jsonl', line.size);
    }
  } catch (err) {
    yield createRejection(relPath, 'unreadable', errorDetail(err));
    return;
  }
  if (articles === 0) yield createRejection(relPath, 'empty', 'no non-blank lines');
}

// ---------------------------------------------------------------------------
// Walking the corpus

function errorDetail(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function compareNames(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface FoundFile {
  absPath: string;
  relPath: string;
}

async function* walk(dir: string, rel: string, visited: Set<string>): AsyncGenerator<FoundFile | Rejection> {
  let entries: Dirent[];
  try {
    visited.add(await realpath(dir));
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield createRejection(rel === '' ? '.' : rel, 'unreadable', errorDetail(err));
    return;
  }
  entries.sort(compareNames);
  for (const entry of entries) {
    // Dotfiles are editor and VCS state (.git, .DS_Store), never articles.
    if (entry.name.startsWith('.')) continue;
    const absPath = join(dir, entry.name);
    const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(absPath);
        isDirectory = target.isDirectory() && !visited.has(await realpath(absPath));
        isFile = target.isFile();
      } catch (err) {
        yield createRejection(relPath, 'unreadable', `broken link (${errorDetail(err)})`);
        continue;
      }
    }
    if (isDirectory) yield* walk(absPath, relPath, visited);
    else if (isFile) yield { absPath, relPath };
  }
}

const cjkRun = /[\u3400-\u9fff]{8}/u;

/** Unknown extensions: report the file only when it holds Chinese text (an article saved under an odd name). */
async function classifyUnknown(file: FoundFile): Promise<Rejection | undefined> {
  const ext = extname(file.relPath).toLowerCase();
  if (documentExtensions.has(ext)) {
    return createRejection(file.relPath, 'unsupported-format', `${ext} files are not read; convert to .txt, .html or .json`);
  }
  let head: Buffer;
  try {
    head = await readHead(file.absPath, 4096);
  } catch (err) {
    return createRejection(file.relPath, 'unreadable', errorDetail(err));
  }
  const decoded = decodeText(head);
  if (decoded.ok && cjkRun.test(decoded.text)) {
    const what = ext === '' ? 'no extension' : `extension ${ext}`;
    return createRejection(file.relPath, 'unsupported-format', `Chinese text with ${what}; rename to .txt, .md, .html, .json or .jsonl`);
  }
  return undefined;
}

async function* readFileArticles(file: FoundFile, format: FileFormat, maxBytes: number): AsyncGenerator<RawArticle | Rejection> {
  if (format === 'jsonl') {
    yield* readJsonLines(file.absPath, file.relPath, maxBytes);
    return;
  }
  let buf: Buffer;
  try {
    const info = await stat(file.absPath);
    if (info.size > maxBytes) {
      yield createRejection(file.relPath, 'too-large', `${info.size} bytes; the limit is ${maxBytes}`);
      return;
    }
    buf = await readFile(file.absPath);
  } catch (err) {
    yield createRejection(file.relPath, 'unreadable', errorDetail(err));
    return;
  }
  yield readArticleBuffer(buf, file.relPath, format);
}

async function corpusFiles(dir: string): Promise<AsyncIterable<FoundFile | Rejection> | Iterable<FoundFile>> {
  const root = await stat(dir);
  return root.isFile() ? [{ absPath: dir, relPath: basename(dir) }] : walk(dir, '', new Set());
}

/** True when bytes[from, to) hold something besides spaces, tabs and CRs (a JSON line starts at once, so this stops early). */
function hasContent(bytes: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return true;
  }
  return false;
}

/**
 * How many items readJsonLines yields for a file, counted without decoding:
 * one per oversized line and per other non-blank line, one more when no line
 * was an article, or one for a binary or unreadable file.
 */
async function countJsonLines(absPath: string, maxBytes: number): Promise<number> {
  try {
    if (detectBinary(await readHead(absPath, 8192)) !== undefined) return 1;
    let oversized = 0;
    let articles = 0;
    let size = 0;
    let content = false;
    const endLine = (): void => {
      if (size > maxBytes) oversized++;
      else if (content) articles++;
      size = 0;
      content = false;
    };
    for await (const chunk of createReadStream(absPath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        size += nl - start;
        content ||= hasContent(chunk, start, nl);
        endLine();
        start = nl + 1;
      }
      size += chunk.length - start;
      content ||= hasContent(chunk, start, chunk.length);
    }
    if (size > 0) endLine();
    return oversized + articles + (articles === 0 ? 1 : 0);
  } catch {
    return 1;
  }
}

/**
 * How many items (articles and rejections) `readCorpus(dir, options)` will
 * yield, so a progress display knows its total before the run starts: one
 * per single-article file, one per non-blank JSONL line, one per reported
 * problem. Files are only listed and JSONL files scanned for line breaks;
 * nothing is decoded or parsed.
 */
export async function countCorpusInputs(dir: string, options: ReadCorpusOptions = {}): Promise<number> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  let total = 0;
  for await (const item of await corpusFiles(dir)) {
    if ('kind' in item) {
      total++;
      continue;
    }
    const format = detectFormat(item.relPath);
    if (format === undefined) {
      if ((await classifyUnknown(item)) !== undefined) total++;
    } else if (format === 'jsonl') {
      total += await countJsonLines(item.absPath, maxBytes);
    } else {
      total++;
    }
  }
  return total;
}

/**
 * Every article under `dir` (or in `dir` itself when it is a file), in a
 * stable order, with a Rejection in place of each input that cannot be read.
 * Throws only when `dir` itself does not exist: that is a usage error, not a data problem.
 */
export async function* readCorpus(dir: string, options: ReadCorpusOptions = {}): AsyncGenerator<RawArticle | Rejection> {
  const maxBytes = options.maxBytes ?? defaultMaxBytes;
  for await (const item of await corpusFiles(dir)) {
    if ('kind' in item) {
      yield item;
      continue;
    }
    const format = detectFormat(item.relPath);
    if (format === undefined) {
      const rejection = await classifyUnknown(item);
      if (rejection) yield rejection;
      continue;
    }
    if (options.shouldRead) {
      let info;
      try {
        info = await stat(item.absPath);
      } catch (err) {
        yield createRejection(item.relPath, 'unreadable', errorDetail(err));
        continue;
      }
      if (!options.shouldRead(item.relPath, { size: info.size, mtimeMs: info.mtimeMs })) continue;
    }
    yield* readFileArticles(item, format, maxBytes);
  }
}
