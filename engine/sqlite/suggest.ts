/**
 * Completions as the user types: hospital names, terms and titles whose
 * text, full pinyin or pinyin initials start with the prefix, from the
 * `suggest` table's range indexes, within the request's filters.
 */
import { parseSuggestInput } from '../analysis/suggestions.js';
import type { SuggestRequest, Suggestion, VocabularyEntry } from '../port.js';
import { isSearchableToken, quoteFtsString } from './fts-query.js';
import type { RowFilter } from './memory-index.js';
import { statement, type ReadContext } from './read-context.js';
import { termSetKey } from './term-sets.js';

type Entry = { text: string; doc: number | null; canonical: string | null; weight: number };

/** Entries of one kind, best first; `complete` false when the list was cut short at `take`. */
interface Ranked {
  entries: Entry[];
  complete: boolean;
}

/**
 * Best first: heavier, then shorter, then by text, then the earlier article.
 * Lengths count characters and texts compare by code point, as SQLite's
 * length() and BINARY collation do, so that the order SQLite picks the best
 * entries in (see lookup) is this order exactly.
 */
export function compareEntries(a: Entry, b: Entry): number {
  return b.weight - a.weight || codePoints(a.text) - codePoints(b.text) || compareCodePoints(a.text, b.text) || (a.doc ?? -1) - (b.doc ?? -1);
}

function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit < 0xdc00) n--;
  }
  return n;
}

function compareCodePoints(a: string, b: string): number {
  const end = Math.min(a.length, b.length);
  for (let i = 0; i < end; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    // UTF-16 puts surrogates (characters past U+FFFF) below U+E000–U+FFFF; code points put them above.
    if (x !== y) return sortUnit(x) - sortUnit(y);
  }
  return a.length - b.length;
}

function sortUnit(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

/**
 * Entries of `kind` whose text, full pinyin or initials start with the
 * input: of each range's first `scanLimit` entries, the best `take`, picked
 * by SQLite from the covering index (schema.ts) so that only those become
 * JavaScript objects; the lists of several ranges are merged, each entry
 * once, and cut where the first cut range ends (past it the merged order
 * may lack entries).
 */
function lookup(ctx: ReadContext, kind: Suggestion['kind'], input: { text: string; pinyin: string | null }, scanLimit: number, take: number): Ranked {
  const found = new Map<string, Entry>();
  const ranges: Array<['text' | 'pinyin_full' | 'pinyin_initials', string]> = [['text', input.text]];
  if (input.pinyin !== null && input.pinyin.length > 0) {
    ranges.push(['pinyin_full', input.pinyin], ['pinyin_initials', input.pinyin]);
  }
  const wanted = Math.min(take, scanLimit);
  let cutAt: Entry | null = null;
  for (const [column, prefix] of ranges) {
    // A range on the index, so the prefix is data: no LIKE pattern to escape.
    const rows = statement(
      ctx,
      `SELECT text, doc, canonical, weight FROM
         (SELECT text, doc, canonical, weight FROM suggest
          WHERE kind = ? AND ${column} >= ? AND ${column} < ? ORDER BY ${column} LIMIT ?)
       ORDER BY weight DESC, length(text), text, doc LIMIT ?`,
    ).all(kind, prefix, `${prefix}\u{10FFFF}`, scanLimit, wanted + 1) as Entry[];
    if (rows.length > wanted) {
      rows.length = wanted;
      const last = rows[wanted - 1];
      if (last !== undefined && (cutAt === null || compareEntries(last, cutAt) < 0)) cutAt = last;
    }
    for (const row of rows) {
      const key = row.doc === null ? row.text : `${row.doc}`;
      if (!found.has(key)) found.set(key, row);
    }
  }
  const entries = [...found.values()].sort(compareEntries);
  if (cutAt === null) return { entries, complete: true };
  const bound = cutAt;
  return { entries: entries.filter((e) => compareEntries(e, bound) <= 0), complete: false };
}

/** Rows of a term's matches examined before it counts as outside the filters (a term not held as a bitset). */
const scopeScanLimit = 20_000;

/**
 * The first `wanted` of `terms` (best first) that occur in a live row the
 * filter passes. A term held as a bitset (term-sets.ts: the frequent words,
 * which is what most suggested terms are) is tested against the filter's
 * bitset, word by word; any other is looked for in its first rows in FTS5,
 * where a frequent word absent from a site's articles cost a walk of
 * twenty thousand rows.
 */
function termsWithin(ctx: ReadContext, terms: Ranked, filter: RowFilter, wanted: number): Ranked {
  const { memory } = ctx;
  const out: Entry[] = [];
  const rowsOf = statement(ctx, 'SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?').pluck();
  let scope: Uint32Array | null = null;
  for (const term of terms.entries) {
    if (out.length >= wanted) break;
    if (!isSearchableToken(term.text)) continue;
    const key = termSetKey(term.text, false);
    const held = key === null ? null : memory.termRows(key);
    if (held !== null) {
      // A held word's bitset has live rows only: writes keep it exact.
      scope ??= filter.bits();
      if (held.intersects(scope)) out.push(term);
      continue;
    }
    for (const row of rowsOf.iterate(quoteFtsString(term.text), scopeScanLimit) as IterableIterator<number>) {
      if (memory.isLive(row) && filter(row)) {
        out.push(term);
        break;
      }
    }
  }
  // Cut short, the list may hold fewer than the whole one would.
  return { entries: out, complete: terms.complete || out.length >= wanted };
}

/**
 * Entries fetched of each kind at first, without filters: enough for the
 * quotas and the rest of the list almost always. When they run out before
 * the list is full, the suggestions are made again from the whole ranges,
 * as they are at once within filters (a site's scope keeps a few entries in
 * a hundred).
 */
const firstTake = (limit: number): number => Math.max(32, 4 * limit);

export function suggest(ctx: ReadContext, request: SuggestRequest): Suggestion[] {
  const limit = Math.max(0, Math.floor(request.limit));
  const input = parseSuggestInput(request.prefix);
  if (input === null || limit === 0) return [];
  const filter = ctx.memory.compileFilter(request.filters);
  return (filter === null ? suggestFrom(ctx, request, filter, input, limit, firstTake(limit)) : null) ?? suggestFrom(ctx, request, filter, input, limit, Infinity) ?? [];
}

/** The suggestions, or null when an entry past a list cut short at `take` would be needed. */
function suggestFrom(
  ctx: ReadContext,
  request: SuggestRequest,
  filter: RowFilter | null,
  input: { text: string; pinyin: string | null },
  limit: number,
  take: number,
): Suggestion[] | null {
  const { memory } = ctx;
  // Within a hospital filter (a site key's scope) only that hospital is
  // suggested: the others its articles mention belong to other sites.
  const allowedHospitals =
    request.filters.hospital !== undefined && request.filters.hospital.length > 0
      ? new Set(request.filters.hospital)
      : filter
        ? memory.facetValuesOf('hospital', memory.rowsMatching(filter))
        : null;
  const keep = (ranked: Ranked, test: (e: Entry) => boolean): Ranked => ({ entries: ranked.entries.filter(test), complete: ranked.complete });

  const hospitals = keep(
    lookup(ctx, 'hospital', input, 1000, take),
    (e) => allowedHospitals === null || (e.canonical !== null && allowedHospitals.has(e.canonical)),
  );
  // Terms are counted over the whole index; within filters, only those found in an article inside them.
  const allTerms = lookup(ctx, 'term', input, 1000, take);
  const terms = filter === null ? allTerms : termsWithin(ctx, allTerms, filter, 4 * limit);
  const titles = keep(lookup(ctx, 'title', input, 500, take), (e) => e.doc !== null && memory.isLive(e.doc) && (filter === null || filter(e.doc)));

  // Hospitals first (few, specific), then terms, then titles; each kind
  // has a quota so that no kind crowds the others out, then leftovers fill.
  const quotas: Array<[Suggestion['kind'], Ranked, number]> = [
    ['hospital', hospitals, Math.max(1, Math.ceil(limit / 4))],
    ['term', terms, Math.max(1, Math.ceil(limit / 2))],
    ['title', titles, limit],
  ];
  // A list cut short must hold its whole quota.
  if (quotas.some(([, ranked, quota]) => !ranked.complete && ranked.entries.length < quota)) return null;
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const offer = (kind: Suggestion['kind'], entry: Entry): void => {
    if (out.length >= limit || seen.has(entry.text)) return;
    seen.add(entry.text);
    const suggestion: Suggestion = { text: entry.text, kind };
    if (kind === 'title' && entry.doc !== null) suggestion.id = memory.idOf(entry.doc);
    out.push(suggestion);
  };
  for (const [kind, ranked, quota] of quotas) for (const entry of ranked.entries.slice(0, quota)) offer(kind, entry);
  for (const [kind, ranked] of quotas) {
    for (const entry of ranked.entries) offer(kind, entry);
    // The leftovers reached the end of a list cut short with room still left: the whole list could fill it.
    if (!ranked.complete && out.length < limit) return null;
  }
  return out;
}

/** Hospital names and terms whose full pinyin or initials equal one of `keys` (the port's `vocabulary`), heaviest first. */
export function lookUpVocabulary(ctx: Pick<ReadContext, 'connection'>, keys: readonly string[]): VocabularyEntry[] {
  const found = new Map<string, VocabularyEntry>();
  for (const column of ['pinyin_full', 'pinyin_initials'] as const) {
    // Equality on the (kind, pinyin) indexes; keys are bound values, never SQL.
    const rows = statement(
      ctx,
      `SELECT kind, text, pinyin_full AS pinyin, pinyin_initials AS initials, weight FROM suggest
       WHERE kind IN ('hospital', 'term') AND doc IS NULL AND ${column} IN (SELECT value FROM json_each(?)) AND weight > 0`,
    ).all(JSON.stringify([...new Set(keys)])) as VocabularyEntry[];
    for (const row of rows) if (!found.has(`${row.kind}\u0000${row.text}`)) found.set(`${row.kind}\u0000${row.text}`, row);
  }
  return [...found.values()].sort((a, b) => b.weight - a.weight || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}
