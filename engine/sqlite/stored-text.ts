/**
 * How `docs` stores the body and the near-duplicate fingerprint (layout 5).
 *
 * - The body as UTF-16LE bytes in a BLOB. The articles are Chinese: UTF-8
 *   takes 3 bytes an ideograph, UTF-16 two, so the column is about 30%
 *   smaller (−166 MB at 100k articles). It is also faster to read: a BLOB
 *   reaches JavaScript as a byte copy and `toString('utf16le')` is a copy
 *   too, where TEXT is decoded from UTF-8 (a page of 10 bodies: 0.1 against
 *   0.4 ms), and `instr` on bytes skips SQLite's character counting (90
 *   candidates of the exact-query check: 0.8 against 1.35 ms). Measured on
 *   20k articles of the 100k benchmark corpus.
 * - The fingerprint as packed 32-bit samples instead of space-separated hex
 *   (about 4.5 against 9 bytes a sample: −36 MB at 100k), when it packs back
 *   to the same text; any other string is stored as it is.
 *
 * Older layouts stored both as text; every decoder here takes either form.
 */
import type Database from 'better-sqlite3';

export function encodeBody(body: string): Buffer {
  return Buffer.from(body, 'utf16le');
}

export function decodeBody(stored: Buffer | string): string {
  return typeof stored === 'string' ? stored : stored.toString('utf16le');
}

/**
 * The SQL parameter to `instr` a text in an encoded body. instr on BLOBs
 * compares bytes, so a hit must also start on a character (odd 1-based
 * offset): `instr(body, @p) % 2 = 1`. A first hit off a character boundary
 * (two characters' halves that spell the text, vanishingly rare in CJK text)
 * hides any later one, so exact callers fall back to `contains_folded`.
 */
export function bodyPattern(text: string): Buffer {
  return encodeBody(text);
}

export function foldAscii(text: string): string {
  return text.replace(/[A-Z]/gu, (ch) => ch.toLowerCase());
}

/** Spaces and line breaks out, ASCII lower-cased: scraped text puts spaces and line breaks inside phrases. */
export function foldForPhrase(text: string): string {
  return foldAscii(text.replace(/[ \n]/gu, ''));
}

/**
 * Registers `contains_folded(title, body, folded)` on a connection: whether
 * title+body, folded as foldForPhrase does, contain `folded` (already
 * folded). The slow path of a phrase check, reached only when the plain
 * instr found nothing.
 */
export function registerTextFunctions(db: Database.Database): void {
  db.function('contains_folded', { deterministic: true }, (title: unknown, body: unknown, folded: unknown) => {
    if (typeof title !== 'string' || typeof folded !== 'string') return 0;
    if (typeof body !== 'string' && !Buffer.isBuffer(body)) return 0;
    return foldForPhrase(title + decodeBody(body)).includes(folded) ? 1 : 0;
  });
}

const plainKey = 1;
const hospitalKeyed = 2;
const hospitalKeyBytes = 5;
const samplePattern = /^[1-9a-f][0-9a-f]{0,7}$/u;
const keyPattern = /^@[0-9a-f]{10}$/u;

/** The packed form of a fingerprint (near-duplicates.ts), or the text itself when it does not pack back exactly. */
export function encodeFingerprint(fingerprint: string): Buffer | string {
  if (fingerprint === '') return fingerprint;
  const parts = fingerprint.split(' ');
  const key = parts[0]?.startsWith('@') ? parts.shift()! : null;
  if (key !== null && !keyPattern.test(key)) return fingerprint;
  if (!parts.every((part) => samplePattern.test(part))) return fingerprint;
  const head = key === null ? 1 : 1 + hospitalKeyBytes;
  const packed = Buffer.alloc(head + 4 * parts.length);
  packed[0] = key === null ? plainKey : hospitalKeyed;
  if (key !== null) packed.write(key.slice(1), 1, 'hex');
  parts.forEach((part, i) => packed.writeUInt32BE(parseInt(part, 16), head + 4 * i));
  return packed;
}

export function decodeFingerprint(stored: Buffer | string | null | undefined): string {
  if (stored === null || stored === undefined) return '';
  if (typeof stored === 'string') return stored;
  const keyed = stored[0] === hospitalKeyed;
  const head = keyed ? 1 + hospitalKeyBytes : 1;
  const parts: string[] = keyed ? [`@${stored.toString('hex', 1, head)}`] : [];
  for (let at = head; at + 4 <= stored.length; at += 4) parts.push(stored.readUInt32BE(at).toString(16));
  return parts.join(' ');
}
