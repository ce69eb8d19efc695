/**
 * Completions as the user types: hospital names, terms and titles whose
 * text, full pinyin or pinyin initials start with the prefix, from the
 * `suggest` table's range indexes, within the request's filters.
 */
import { parseSuggestInput } from '../analysis/suggestions.js';
import type { SuggestRequest, Suggestion, VocabularyEntry } from '../port.js';
import { isSearchableToken, quoteFtsString } from './fts-query.js';
import { statement, type ReadContext } from './read-context.js';

type Entry = { text: string; doc: number | null; canonical: string | null; weight: number };

function lookup(ctx: ReadContext, kind: Suggestion['kind'], input: { text: string; pinyin: string | null }, scanLimit: number): Entry[] {
  const found = new Map<string, Entry>();
  const ranges: Array<['text' | 'pinyin_full' | 'pinyin_initials', string]> = [['text', input.text]];
  if (input.pinyin !== null && input.pinyin.length > 0) {
    ranges.push(['pinyin_full', input.pinyin], ['pinyin_initials', input.pinyin]);
  }
  for (const [column, prefix] of ranges) {
    // A range on the index, so the prefix is data: no LIKE pattern to escape.
    const rows = statement(
      ctx,
      `SELECT text, doc, canonical, weight FROM suggest
       WHERE kind = ? AND ${column} >= ? AND ${column} < ? ORDER BY ${column} LIMIT ?`,
    ).all(kind, prefix, `${prefix}\u{10FFFF}`, scanLimit) as Entry[];
    for (const row of rows) {
      const key = row.doc === null ? row.text : `${row.doc}`;
      if (!found.has(key)) found.set(key, row);
    }
  }
  return [...found.values()].sort(
    (a, b) => b.weight - a.weight || a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
  );
}

/** Rows of a term's matches examined before it counts as outside the filters. */
const scopeScanLimit = 20_000;

/** The first `wanted` of `terms` (best first) that occur in a row `inside` accepts. */
function termsWithin(ctx: ReadContext, terms: readonly Entry[], inside: (row: number) => boolean, wanted: number): Entry[] {
  const out: Entry[] = [];
  const rowsOf = statement(ctx, 'SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?').pluck();
  for (const term of terms) {
    if (out.length >= wanted) break;
    if (!isSearchableToken(term.text)) continue;
    for (const row of rowsOf.iterate(quoteFtsString(term.text), scopeScanLimit) as IterableIterator<number>) {
      if (inside(row)) {
        out.push(term);
        break;
      }
    }
  }
  return out;
}

export function suggest(ctx: ReadContext, request: SuggestRequest): Suggestion[] {
  const { memory } = ctx;
  const input = parseSuggestInput(request.prefix);
  const limit = Math.max(0, Math.floor(request.limit));
  if (input === null || limit === 0) return [];
  const filter = memory.compileFilter(request.filters);
  // Within a hospital filter (a site key's scope) only that hospital is
  // suggested: the others its articles mention belong to other sites.
  const allowedHospitals =
    request.filters.hospital !== undefined && request.filters.hospital.length > 0
      ? new Set(request.filters.hospital)
      : filter
        ? memory.facetValuesOf('hospital', memory.rowsMatching(filter))
        : null;

  const hospitals = lookup(ctx, 'hospital', input, 1000).filter(
    (e) => allowedHospitals === null || (e.canonical !== null && allowedHospitals.has(e.canonical)),
  );
  // Terms are counted over the whole index; within filters, only those found in an article inside them.
  const allTerms = lookup(ctx, 'term', input, 1000);
  const terms = filter === null ? allTerms : termsWithin(ctx, allTerms, (row) => memory.isLive(row) && filter(row), 4 * limit);
  const titles = lookup(ctx, 'title', input, 500).filter(
    (e) => e.doc !== null && memory.isLive(e.doc) && (filter === null || filter(e.doc)),
  );

  // Hospitals first (few, specific), then terms, then titles; each kind
  // has a quota so that no kind crowds the others out, then leftovers fill.
  const quotas: Array<[Suggestion['kind'], Entry[], number]> = [
    ['hospital', hospitals, Math.max(1, Math.ceil(limit / 4))],
    ['term', terms, Math.max(1, Math.ceil(limit / 2))],
    ['title', titles, limit],
  ];
  const out: Suggestion[] = [];
  const seen = new Set<string>();
  const take = (kind: Suggestion['kind'], entry: Entry): void => {
    if (out.length >= limit || seen.has(entry.text)) return;
    seen.add(entry.text);
    const suggestion: Suggestion = { text: entry.text, kind };
    if (kind === 'title' && entry.doc !== null) suggestion.id = memory.idOf(entry.doc);
    out.push(suggestion);
  };
  for (const [kind, entries, quota] of quotas) for (const entry of entries.slice(0, quota)) take(kind, entry);
  for (const [kind, entries] of quotas) for (const entry of entries) take(kind, entry);
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
