/**
 * Query execution: FTS5 finds the matching rows; filters, collapsing,
 * facets and date order run on the in-memory columns (memory-index.ts);
 * relevance combines bm25 with title, wording, exact-query and topicality
 * signals; JSON is decoded only for the page of hits. Match sets, scores and
 * whole answers go through the answer cache.
 */
import type { FtsQueryPlan } from './fts-query.js';
import { escapeRegExp } from '../analysis/regexp.js';
import { buildAlternative, buildFtsQuery, multiWordAlternativesOf, quoteFtsString, singleWordsOf } from './fts-query.js';
import type { Collapsed, RowFilter } from './memory-index.js';
import {
  bm25Scores,
  documentFrequency,
  loadDocuments,
  matchedTerms,
  matchRows,
  prefixFrequency,
  statement,
  topicalityFactor,
  type ReadContext,
} from './read-context.js';
import { parseRowList, selectTop } from './row-lists.js';
import { intersectionOf, RowSet, unionOf } from './row-set.js';
import { bodyPattern } from './stored-text.js';
import { popCount, termSetKey, type TermSetKey } from './term-sets.js';
import { mayContain, mayContainAny, signatureOf } from './title-sets.js';
import type { FacetCounts, SearchHit, SearchRequest, SearchResult, SortOrder } from '../port.js';

interface MatchSet {
  /** Every candidate row, exact and partial, unsorted. */
  rows: Int32Array;
  /**
   * Indexed by row: how many clauses were dropped before the row matched
   * (0 = exact, every clause). Null when every row is exact.
   */
  tiers: Uint8Array | null;
  /** The deepest tier (clauses - 1), 0 when there are no partial matches. */
  levels: number;
  /** Identifies the drop order, which depends on the filters: part of cache keys. */
  key: string;
}

interface Scored {
  /** Matching rows within the filters, unsorted. */
  rows: Int32Array;
  /** Their relevance before the exact-query bonus, aligned with `rows`. */
  scores: Float64Array;
  /** Rows whose text was checked for the whole query as written. */
  exact: Map<number, boolean>;
}

interface PageEntry {
  row: number;
  score: number;
  duplicates: number[];
  exact: boolean;
}

/** Representatives whose text is checked for the whole query as written. */
const rerankWindow = 100;
/**
 * Above this many matches bm25 is not computed: FTS5 scores every matching
 * row (~0.8 µs a row on 100k real articles) before any can be ranked, which
 * alone would exceed the latency budget. Ranking then rests on title matches,
 * wording, the exact query and topicality, as Meilisearch's rules do. bm25's
 * IDF is ~0 anyway for terms in more than half the documents.
 */
export const bm25RowLimit = 5_000;

// Relevance: bm25 (normalised to the best match) plus bonuses for the clauses
// found in the title, for the whole query found as written, and for the
// user's own wording (not a synonym or concept: on the dev set 0.15 let 党建联盟 rank
// articles on 共建 above those saying 党建联盟; 0.6 puts them first), all scaled by topicality.
const titleBonus = 1;
const exactBonus = 1;
const originalFormBonus = 0.6;
/** A clause found in the title only through an expansion (synonym, concept) counts for this much of the user's own form. */
const expansionTitleShare = 0.5;
/**
 * From this many matching rows (and a quarter of the index), the titles
 * holding each clause come from bitsets over all titles (title-sets.ts)
 * rather than a test of each matching row's title.
 */
const titleScanRows = 4_000;
/** Per clause kept: partial matches rank below exact ones, and below those that dropped fewer clauses. */
const tierWeight = 100;

export function search(ctx: ReadContext, request: SearchRequest): SearchResult {
  // Whole answers are remembered too (until the next write): a page
  // reloaded, or the next page's facets, cost a map lookup. Callers get
  // their own result and hit objects; documents are shared, read-only.
  const key = `result\u0000${JSON.stringify([
    request.query.clauses,
    request.query.highlightTerms,
    request.filters,
    request.sort,
    request.page,
    request.pageSize,
    request.facets,
    request.collapse,
    request.fixedFilters,
    request.disjunctiveFacets,
    request.facetLimit,
  ])}`;
  const result = ctx.cache.remember(key, () => runSearch(ctx, request));
  if (result.partial === true) ctx.cache.forget(key);
  return { ...result, hits: result.hits.map((hit) => ({ ...hit })) };
}

/** True once the request's deadline (epoch ms) has passed. */
function pastDeadline(request: SearchRequest): boolean {
  return request.deadline !== undefined && Date.now() >= request.deadline;
}

function runSearch(ctx: ReadContext, request: SearchRequest): SearchResult {
  const { memory } = ctx;
  const filter = memory.compileFilter(request.filters, request.fixedFilters);
  const pageSize = Math.max(0, Math.floor(request.pageSize));
  const offset = Math.max(0, Math.floor(request.page) - 1) * pageSize;
  const dateSort: Exclude<SortOrder, 'relevance'> = request.sort === 'date_asc' ? 'date_asc' : 'date_desc';
  const byDate = (rows: ArrayLike<number>, terms: readonly string[], tiers: Uint8Array | null): SearchResult => {
    const collected = memory.collect(rows, { filter, collapse: request.collapse, offset, limit: pageSize, facets: false });
    const isExact = exactness(collected.reps, collected.folded, tiers);
    const page = collected.hits.map((hit, i) => ({
      row: hit.row,
      score: 0,
      duplicates: hit.duplicates,
      exact: isExact[offset + i] === 1,
    }));
    return toResult(ctx, request, page, collected.reps, isExact, terms, { candidates: rows, tiers });
  };

  // No query: list what the filters allow, newest first.
  if (request.query.clauses.length === 0) return byDate(memory.dateOrder(dateSort), [], null);
  const plan = buildFtsQuery(request.query);
  if (plan.strict === null) return byDate([], [], null);
  const match = findMatches(ctx, plan, filter);
  const terms = request.query.highlightTerms;
  if (request.sort !== 'relevance') {
    // Exact matches first, then partial ones, each in date order.
    return byDate(memory.orderByDate(match.rows, dateSort, match.tiers), terms, match.tiers);
  }

  // Past the deadline the matches found are ranked without bm25 and the
  // exact-query check, the two steps whose cost grows with the documents'
  // length: the caller gets an answer now rather than a better one later.
  const partial = pastDeadline(request);
  // A partial match scores at least tierWeight below any exact one, so when
  // the exact results fill the page the others are only counted, not scored.
  const exact = match.tiers !== null ? memory.exactResults(match.rows, match.tiers, filter, request.collapse, offset + pageSize) : null;
  const only = exact?.rows ?? null;
  const scored = partial ? computeScores(ctx, plan, match, false, filter, only) : scoreMatches(ctx, plan, match, filter, only, request.collapse);
  const collapsed = memory.collapseScored(scored.rows, scored.scores, filter, request.collapse);
  const isExact = exactness(collapsed.reps, collapsed.folded, match.tiers);
  const order = orderByRelevance(ctx, partial ? { ...plan, exactText: null } : plan, scored, collapsed, offset + pageSize);
  const page = order.slice(offset, offset + pageSize).map((i) => {
    const row = collapsed.reps[i] ?? 0;
    return { row, score: collapsed.scores[i] ?? 0, duplicates: collapsed.folded.get(row) ?? [], exact: isExact[i] === 1 };
  });
  const result = toResult(ctx, request, page, collapsed.reps, isExact, terms, { candidates: match.rows, tiers: match.tiers }, exact?.partialResults ?? 0);
  return partial ? { ...result, partial: true } : result;
}

/** Per representative: 1 when it, or a near-duplicate folded into it, matched every clause. */
function exactness(reps: Int32Array, folded: ReadonlyMap<number, number[]>, tiers: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(reps.length);
  if (tiers === null) return out.fill(1);
  for (let i = 0; i < reps.length; i++) {
    const row = reps[i] ?? 0;
    if (tiers[row] === 0 || (folded.size > 0 && (folded.get(row) ?? []).some((member) => tiers[member] === 0))) out[i] = 1;
  }
  return out;
}

/** The rows facet counts start from before filtering: what disjunctive counts lift filters over. */
interface FacetSource {
  candidates: ArrayLike<number>;
  tiers: Uint8Array | null;
}

function toResult(
  ctx: ReadContext,
  request: SearchRequest,
  page: readonly PageEntry[],
  reps: Int32Array,
  isExact: Uint8Array,
  terms: readonly string[],
  source: FacetSource,
  partialOutside = 0,
): SearchResult {
  let total = 0;
  for (let i = 0; i < isExact.length; i++) total += isExact[i] ?? 0;
  // partialOutside: partial results left out of `reps` (counted, not scored).
  const partialTotal = reps.length - total + partialOutside;
  let facets: FacetCounts | null = null;
  if (request.facets) facets = countResultFacets(ctx, request, reps, isExact, total, source);
  const documents = loadDocuments(
    ctx,
    page.map((hit) => hit.row),
  );
  const hits: SearchHit[] = [];
  for (const hit of page) {
    const document = documents.get(hit.row);
    if (!document) continue;
    hits.push({
      document,
      score: hit.score,
      matchedTerms: matchedTerms(document, terms),
      duplicates: hit.duplicates.map((row) => ctx.memory.idOf(row)),
      exact: hit.exact,
    });
  }
  return { hits, total, partialTotal, relaxed: total === 0 && partialTotal > 0, facets };
}

/** The representatives flagged exact, `total` of them, in order. */
function exactOnes(reps: Int32Array, isExact: Uint8Array, total: number): Int32Array {
  const out = new Int32Array(total);
  let n = 0;
  for (let i = 0; i < reps.length && n < total; i++) if (isExact[i] === 1) out[n++] = reps[i] ?? 0;
  return out;
}

function countResultFacets(
  ctx: ReadContext,
  request: SearchRequest,
  reps: Int32Array,
  isExact: Uint8Array,
  total: number,
  source: FacetSource,
): FacetCounts {
  const { memory } = ctx;
  const limit = request.facetLimit;
  const counted = total > 0 && total < reps.length ? exactOnes(reps, isExact, total) : reps;
  const facets = memory.countFacets(counted, limit);
  if (!request.disjunctiveFacets) return facets;
  const lifted = memory.countLiftedFacets(source.candidates, request.filters, memory.compileFilter(request.fixedFilters), {
    collapse: request.collapse,
    tiers: source.tiers,
    ...(limit !== undefined ? { limit } : {}),
  });
  return { ...facets, ...lifted };
}

/** Rows matching one clause (its alternatives, and its contiguous text when quoted), remembered until the next write. */
function clauseRows(ctx: ReadContext, plan: FtsQueryPlan, i: number, broader = false): RowSet {
  const expression = (broader ? plan.clauseBroader[i] : null) ?? plan.clauses[i] ?? '';
  const phrase = plan.clausePhrases[i] ?? null;
  return ctx.cache.remember(`clause\u0000${expression}\u0000${phrase ?? ''}`, () =>
    phrase === null && !(broader && plan.clauseBroader[i])
      ? listClause(ctx, expression, plan.clauseTokens[i])
      : RowSet.ofRows(matchRows(ctx, expression, phrase !== null ? [phrase] : [])),
  );
}

/**
 * A clause's rows, from the bitsets of frequent words (term-sets.ts) where
 * they are held and from FTS5 for the rest. A clause of one-word
 * alternatives whose words are frequent enough is listed by FTS5 word by
 * word once, and from bitsets from then on.
 */
function listClause(ctx: ReadContext, expression: string, clause: FtsQueryPlan['clauseTokens'][number] | undefined): RowSet {
  const { memory } = ctx;
  const fts = (match: string): RowSet => RowSet.ofRows(matchRows(ctx, match, []));
  const words = clause ? singleWordsOf(clause.alternatives) : [];
  const keys = words.map((word) => termSetKey(word, clause?.prefix === true));
  if (words.length === 0 || keys.some((key) => key === null)) return fts(expression);
  const ftsWord = (word: string): string => quoteFtsString(word) + (clause?.prefix === true ? '*' : '');
  // Alternatives of several words (不忘初心 牢记使命 beside 不忘初心牢记使命) are listed by FTS5 with the words not held.
  const phrases = (clause ? multiWordAlternativesOf(clause.alternatives) : [])
    .map((tokens) => buildAlternative({ text: tokens.join(' '), tokens: [...tokens] }, clause?.prefix === true))
    .filter((phrase): phrase is string => phrase !== null);
  if (words.length === 1 && phrases.length === 0) {
    const key = keys[0] as TermSetKey;
    const held = memory.termRows(key);
    if (held !== null) return held;
    const rows = matchRows(ctx, expression, []);
    memory.offerTermRows(key, rows);
    return RowSet.ofRows(rows);
  }
  const parts: RowSet[] = [];
  const rest: string[] = [...phrases];
  words.forEach((word, w) => {
    const key = keys[w] as TermSetKey;
    const held = memory.termRows(key);
    if (held !== null) parts.push(held);
    else if (clause?.prefix !== true && memory.wouldHoldTerm(documentFrequency(ctx, word.toLowerCase()))) {
      const rows = matchRows(ctx, ftsWord(word), []);
      memory.offerTermRows(key, rows);
      parts.push(RowSet.ofRows(rows));
    } else rest.push(ftsWord(word));
  });
  if (parts.length === 0) return fts(expression);
  if (rest.length > 0) parts.push(fts(rest.length === 1 ? (rest[0] ?? '') : `(${rest.join(' OR ')})`));
  return unionOf(parts, memory.rowCapacity);
}

/**
 * Exact matches (every clause) and partial ones: the clause matching the
 * most documents is dropped first, then the next, down to the rarest clause
 * alone, as Meilisearch's `matchingStrategy: frequency` does; rows with more
 * than half of the clauses count too (on the dev set this lifts nDCG@10 from
 * 0.861 to 0.878: `抗疫 党员先锋 医院` finds the 抗疫 articles that lack the
 * rarer 党员先锋). A clause that matches nothing within the filters is
 * dropped before any other, since keeping it would leave every level empty
 * (`双带头人 火星基地` still finds 双带头人).
 */
function findMatches(ctx: ReadContext, plan: FtsQueryPlan, filter: RowFilter | null): MatchSet {
  const { memory, cache } = ctx;
  const strict = plan.strict ?? '';
  const phrases = plan.phraseTexts.join('\u0001');
  const broadened = plan.clauseBroader.some((b) => b !== null);
  if (plan.clauses.length < 2 && !broadened) {
    const rows = cache.remember(`match\u0000${strict}\u0000${phrases}`, () =>
      plan.phraseTexts.length === 0 && plan.clauses.length === 1
        ? listClause(ctx, strict, plan.clauseTokens[0]).rows()
        : matchRows(ctx, strict, plan.phraseTexts),
    );
    return { rows, tiers: null, levels: 0, key: 'one' };
  }
  const sets = plan.clauses.map((_, i) => clauseRows(ctx, plan, i));
  // What matches each clause at least in part: its broader forms too (the other grades of an honour).
  const wide = plan.clauses.map((_, i) => (plan.clauseBroader[i] ? clauseRows(ctx, plan, i, true) : null));
  const passing = sets.map((rows, i) => anyPasses(ctx, wide[i] ?? rows, filter));
  // Drop order: empty within the filters first, then by document count, the later clause first on ties.
  const order = sets
    .map((rows, i) => ({ i, passes: passing[i] === true, count: rows.count }))
    .sort((a, b) => Number(a.passes) - Number(b.passes) || b.count - a.count || b.i - a.i)
    .map((c) => c.i);
  const key = order.join(',') + (passing.every(Boolean) ? '' : `/${passing.map(Number).join('')}`);
  const lastIndex = order.at(-1) ?? 0;
  if (passing[lastIndex] !== true) return { rows: new Int32Array(0), tiers: null, levels: 0, key };

  const broaderKey = plan.clauseBroader.join('\u0001');
  return cache.remember(`tiers\u0000${strict}\u0000${phrases}\u0000${broaderKey}\u0000${key}`, () =>
    rankPartialMatches(
      memory.rowCapacity,
      order.map((i) => sets[i] ?? RowSet.empty),
      order.map((i) => wide[i] ?? null),
      key,
    ),
  );
}

/**
 * Tiers from the clauses' row sets in drop order (most frequent first).
 * Candidates: rows with the rarest clause (what dropping the most frequent
 * clauses one at a time reaches) and rows with more than half of the
 * clauses. Ranked by how many clauses they lack, then by which: lacking a
 * frequent clause costs less than lacking a rare one. A clause matched only
 * by a broader form (`wide`: the other grades of an honour) counts as half
 * a clause lacking, so such rows are partial matches too.
 */
function rankPartialMatches(capacity: number, ordered: readonly RowSet[], wide: ReadonlyArray<RowSet | null>, key: string): MatchSet {
  const n = ordered.length;
  const words = (capacity + 31) >>> 5;
  // One bitset per clause (and per broader form): a candidate's clauses are
  // then n bit tests, with no array as long as the corpus to clear and fill.
  // A held word's bitset is used as it is.
  const clauseBits = ordered.map((rows) => rows.bits(words));
  const wideBits = wide.map((rows) => (rows === null ? null : rows.bits(words)));
  const full = n >= 32 ? 0xffffffff : (1 << n) - 1;
  const rarest = 1 << (n - 1);
  const majority = Math.floor(n / 2) + 1;

  // Only some clauses' rows need walking to find every candidate: a row
  // reaching `majority` clauses is in at least one of any n - majority + 1
  // of them, so the smallest such clauses (and the rarest, which alone makes
  // a candidate) cover them all. Candidates are swept from their union only;
  // the most frequent clause, often most of the corpus, is only tested.
  const bySize = ordered.map((rows, p) => ({ p, size: rows.count + (wide[p]?.count ?? 0) })).sort((x, y) => x.size - y.size || y.p - x.p);
  const walked = [...new Set([n - 1, ...bySize.slice(0, n - majority + 1).map((c) => c.p)])];
  const seen = new Uint32Array(words);
  let seenCount = 0;
  for (const p of walked) {
    for (const bits of [clauseBits[p], wideBits[p]]) {
      if (!bits) continue;
      for (let w = 0; w < words; w++) seen[w] = (seen[w] ?? 0) | (bits[w] ?? 0);
    }
  }
  for (let w = 0; w < words; w++) seenCount += popCount(seen[w] ?? 0);

  // Swept in row order, so candidates (and the near-duplicates folded from them) come out in a fixed order.
  // A candidate's rank follows from which clauses it lacks and which it has
  // only in part: that pair of masks is its key, and the few distinct keys
  // are ranked once rather than a cost per candidate.
  const candidates = new Int32Array(seenCount);
  // Per candidate, which of the distinct keys it has (in order of first sight): a typed-array read per row, not a map lookup.
  const slots = new Int32Array(seenCount);
  const slotKeys: number[] = [];
  const missingWeight = 2 ** n;
  // The pair of masks as one code below 4^n; a table of codes when that is small, else a map.
  const table = n <= 8 ? new Int32Array(4 ** n).fill(-1) : null;
  const slotMap = table === null ? new Map<number, number>() : null;
  const slotOf = (missing: number, inWide: number): number => {
    const code = missing * missingWeight + inWide;
    let slot = table !== null ? (table[code] ?? -1) : (slotMap?.get(code) ?? -1);
    if (slot === -1) {
      slot = slotKeys.length;
      slotKeys.push(code);
      if (table !== null) table[code] = slot;
      else slotMap?.set(code, slot);
    }
    return slot;
  };
  const clauseWords = new Uint32Array(n);
  const wideWords = new Uint32Array(n);
  const noBits = new Uint32Array(words);
  let count = 0;
  for (let w = 0; w < words; w++) {
    let word = seen[w] ?? 0;
    if (word === 0) continue;
    for (let p = 0; p < n; p++) {
      clauseWords[p] = (clauseBits[p] ?? noBits)[w] ?? 0;
      wideWords[p] = (wideBits[p] ?? noBits)[w] ?? 0;
    }
    while (word !== 0) {
      const low = word & -word;
      const row = (w << 5) + 31 - Math.clz32(low);
      word = (word ^ low) >>> 0;
      let mask = 0;
      let inWide = 0;
      for (let p = 0; p < n; p++) {
        if (((clauseWords[p] ?? 0) & low) !== 0) mask |= 1 << p;
        else if (((wideWords[p] ?? 0) & low) !== 0) inWide |= 1 << p;
      }
      const reached = (mask | inWide) >>> 0;
      if ((reached & rarest) === 0 && popCount(reached) < majority) continue;
      candidates[count] = row;
      slots[count++] = slotOf((full & ~reached) >>> 0, inWide);
    }
  }

  // Half-clauses lacking first (a clause in part is one, a missing clause two); then which are missing, then which in part.
  const costOf = (key: number): number => {
    const inWide = key % missingWeight;
    const missing = (key - inWide) / missingWeight;
    return (popCount(missing) * 2 + popCount(inWide)) * 4 ** n + key;
  };
  const ranked = [...slotKeys].sort((a, b) => costOf(a) - costOf(b));
  // Exact rows have key 0, so rank 0 — unless no row is exact, when rank 0 is a partial tier.
  const shift = ranked[0] === 0 ? 0 : 1;
  const rankOf = new Map(ranked.map((code, rank) => [code, Math.min(255, rank + shift)]));
  const tierOfSlot = Uint8Array.from(slotKeys, (code) => rankOf.get(code) ?? 255);
  const tiers = new Uint8Array(capacity);
  for (let i = 0; i < count; i++) tiers[candidates[i] ?? 0] = tierOfSlot[slots[i] ?? 0] ?? 255;
  return { rows: candidates.slice(0, count), tiers, levels: ranked.length - (ranked[0] === 0 ? 1 : 0), key };
}

function anyPasses(ctx: ReadContext, rows: RowSet, filter: RowFilter | null): boolean {
  return rows.some((row) => ctx.memory.isLive(row) && (filter === null || filter(row)));
}

/**
 * Scores every matching row (in match order, unsorted): bm25 normalised to
 * the best match, clauses found in the title, the user's own wording,
 * topicality, and first of all the tier (exact matches above partial ones).
 */
function scoreMatches(
  ctx: ReadContext,
  plan: FtsQueryPlan,
  match: MatchSet,
  filter: RowFilter | null,
  exactOnly: Int32Array | null,
  collapse: boolean,
): Scored {
  // Scores within filters are not shared: each filter scores its own rows, and the answer cache remembers the page.
  if (filter !== null) return computeScores(ctx, plan, match, true, filter, exactOnly);
  // The rows of exact groups depend on whether reposts fold (exactResults).
  const scope = exactOnly === null ? 'all' : collapse ? 'exact-groups' : 'exact-rows';
  return ctx.cache.remember(`score\u0000${match.key}\u0000${plan.strict ?? ''}\u0000${plan.phraseTexts.join('\u0001')}\u0000${scope}`, () =>
    computeScores(ctx, plan, match, true, null, exactOnly),
  );
}

/**
 * The scores of scoreMatches; without bm25 (and the original-wording pass)
 * when `full` is false. With a filter only the rows it passes are scored
 * (collapsing drops the others anyway): a filtered query keeps a few percent
 * of its matches. `only`, when given, is the rows to score (within the
 * filter): see exactResults. bm25 is still normalised over every match, so a
 * row scores the same whichever rows are scored with it.
 */
function computeScores(
  ctx: ReadContext,
  plan: FtsQueryPlan,
  match: MatchSet,
  full: boolean,
  filter: RowFilter | null,
  only: Int32Array | null = null,
): Scored {
  const { memory } = ctx;
  const rows = only ?? (filter !== null ? memory.passing(match.rows, filter) : match.rows);
  const expression = full ? chooseBm25Expression(ctx, plan, match) : null;
  const bm25 = expression !== null ? bm25Scores(ctx, expression).scores : null;
  let best = 0;
  if (bm25) for (const row of match.rows) best = Math.max(best, bm25[row] ?? 0);

  let original: Uint8Array | null = null;
  // A small bonus, not worth another pass over a very broad match.
  if (full && plan.original !== null && match.rows.length <= 4 * bm25RowLimit) {
    original = new Uint8Array(memory.rowCapacity);
    for (const row of originalRows(ctx, plan, plan.original).rows()) original[row] = 1;
  }
  const clauseCount = Math.max(1, plan.clauseForms.length);
  // One pattern for a clause's expansions: a clause such as 被评为 has seven
  // forms, and one regular expression over a title is ~4× cheaper than seven
  // substring searches. Either runs only on the titles whose signature
  // could hold a form (title-sets.ts), a few in a hundred.
  const titleTests = plan.clauseForms.map(([own, ...expansions]) => ({
    own: own ?? null,
    ownSignature: signatureOf(own ?? ''),
    expansions: expansions.length > 0 ? new RegExp(expansions.map(escapeRegExp).join('|'), 'u') : null,
    expansionSignatures: expansions.map(signatureOf),
  }));
  // Over a large share of the index, each form's titles come from a bitset of every title holding
  // it, kept from one query to the next (title-sets.ts); building one costs a test of every title.
  const titleSets =
    rows.length >= Math.max(titleScanRows, memory.size / 4)
      ? plan.clauseForms.map(([own, ...expansions]) => ({
          own: own === undefined ? null : memory.titlesContaining([own]),
          expansions: expansions.length > 0 ? memory.titlesContaining(expansions) : null,
        }))
      : null;

  const scores = new Float64Array(rows.length);
  const signatures = titleSets === null && titleTests.length > 0 ? memory.titleSignatures() : null;
  const { tiers, levels } = match;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    const relevance = bm25 && best > 0 ? (bm25[row] ?? 0) / best : 0;
    let inTitle = 0;
    if (titleSets !== null) {
      const word = row >>> 5;
      const bit = 1 << (row & 31);
      for (let c = 0; c < titleSets.length; c++) {
        const { own, expansions } = titleSets[c] as (typeof titleSets)[number];
        if (own !== null && ((own[word] ?? 0) & bit) !== 0) inTitle++;
        else if (expansions !== null && ((expansions[word] ?? 0) & bit) !== 0) inTitle += expansionTitleShare;
      }
    } else if (signatures !== null) {
      for (let c = 0; c < titleTests.length; c++) {
        const { own, ownSignature, expansions, expansionSignatures } = titleTests[c] as (typeof titleTests)[number];
        if (own !== null && mayContain(signatures, row, ownSignature) && memory.titleKeyOf(row).includes(own)) inTitle++;
        else if (expansions !== null && mayContainAny(signatures, row, expansionSignatures) && expansions.test(memory.titleKeyOf(row)))
          inTitle += expansionTitleShare;
      }
    }
    let score = 1 + relevance + (titleBonus * inTitle) / clauseCount + (original?.[row] === 1 ? originalFormBonus : 0);
    score *= topicalityFactor(memory.topicalityOf(row));
    if (tiers) score += tierWeight * (levels - (tiers[row] ?? 0));
    scores[i] = score;
  }
  return { rows, scores, exact: new Map<number, boolean>() };
}

/**
 * The rows with every clause in the user's own form (`original`, the AND of
 * each clause's first alternative), as FTS5 lists them. A clause whose own
 * form is a held word comes from its bitset: FTS5 would read that word's
 * whole position list (党支部, in every article, costs ~60 ms at 100k), for
 * a bonus. The others go to FTS5 together.
 */
function originalRows(ctx: ReadContext, plan: FtsQueryPlan, original: string): RowSet {
  const fts = (match: string, phrases: readonly string[] = []): RowSet => RowSet.ofRows(matchRows(ctx, match, phrases));
  if (plan.phraseTexts.length > 0) return fts(original, plan.phraseTexts);
  const held: RowSet[] = [];
  const rest: string[] = [];
  for (const clause of plan.clauseTokens) {
    const own = clause.alternatives[0] ?? [];
    const key = own.length === 1 ? termSetKey(own[0] ?? '', clause.prefix) : null;
    const rows = key === null ? null : ctx.memory.termRows(key);
    if (rows !== null) held.push(rows);
    else {
      const expression = buildAlternative({ text: own.join(' '), tokens: [...own] }, clause.prefix);
      if (expression === null) return fts(original);
      rest.push(expression);
    }
  }
  if (held.length === 0) return fts(original);
  if (rest.length > 0) held.push(fts(rest.join(' AND ')));
  return intersectionOf(held, ctx.memory.rowCapacity);
}

/**
 * The expression to compute bm25 with: the query's selective clauses only.
 * FTS5's bm25 scans every phrase's full document list to weigh it, so one
 * frequent word (医院, 党建…) costs milliseconds however few rows match; and
 * such a word's weight is ~0 anyway. Null when nothing selective is left or
 * the rows to score would be too many (see bm25RowLimit).
 */
function chooseBm25Expression(ctx: ReadContext, plan: FtsQueryPlan, match: MatchSet): string | null {
  if (match.rows.length === 0) return null;
  const selective = Math.max(bm25RowLimit, ctx.memory.size / 10);
  const kept: string[] = [];
  const estimates: number[] = [];
  plan.clauseTokens.forEach((clause, i) => {
    const expression = plan.clauses[i];
    if (expression === undefined) return;
    // The rows found for the clause are at most what the estimate below
    // counts: past the limit already, the clause is left out without asking
    // fts5vocab, which reads a frequent word's whole document list.
    const found = plan.clauses.length === 1 && match.tiers === null ? match.rows.length : clauseRows(ctx, plan, i).count;
    if (found > selective) return;
    // Documents with any alternative; an alternative of several words has at most its rarest word's.
    let estimate = 0;
    for (const tokens of clause.alternatives) {
      estimate += Math.min(
        ...tokens.map((token, j) =>
          clause.prefix && j === tokens.length - 1
            ? prefixFrequency(ctx, token.toLowerCase(), selective)
            : documentFrequency(ctx, token.toLowerCase()),
        ),
      );
    }
    if (estimate > selective) return;
    kept.push(expression);
    estimates.push(estimate);
  });
  if (kept.length === 0) return null;
  const partial = match.tiers !== null;
  const rows = partial ? estimates.reduce((a, b) => a + b, 0) : Math.min(...estimates);
  if (rows > bm25RowLimit) return null;
  return kept.join(partial ? ' OR ' : ' AND ');
}

/** Which of `rows` contain the whole query as written (clauses contiguous); remembered per query. */
function checkExactQuery(ctx: ReadContext, plan: FtsQueryPlan, scored: Scored, rows: readonly number[]): void {
  if (plan.exactText === null) return;
  const unknown = rows.filter((row) => !scored.exact.has(row));
  if (unknown.length === 0) return;
  for (const row of unknown) scored.exact.set(row, false);
  const found = parseRowList(
    statement(
      ctx,
      // Verbatim only (no whitespace folding, no second look past a first
      // hit off a character boundary): this is a bonus, and the folded
      // check costs ~1 ms a row.
      'SELECT group_concat(doc) FROM docs WHERE doc IN (SELECT value FROM json_each(@rows)) AND (instr(title, @text) > 0 OR instr(body, @body) % 2 = 1)',
    )
      .pluck()
      .get({ rows: JSON.stringify(unknown), text: plan.exactText, body: bodyPattern(plan.exactText) }) as string | null,
  );
  for (const row of found) scored.exact.set(row, true);
}

/**
 * Orders representatives by relevance far enough to serve the page. The
 * best `rerankWindow` by score get the exact-query bonus (checked on their
 * text) and are re-sorted; the rest keep their score order. The order is a
 * fixed function of query, filters and data, so pages never overlap or skip.
 */
function orderByRelevance(ctx: ReadContext, plan: FtsQueryPlan, scored: Scored, collapsed: Collapsed, needed: number): number[] {
  const { memory } = ctx;
  const { reps, scores } = collapsed;
  const better = (a: number, b: number): number =>
    (scores[b] ?? 0) - (scores[a] ?? 0) || memory.compareIds(reps[a] ?? 0, reps[b] ?? 0);
  if (plan.exactText === null) return selectTop(reps.length, needed, better);

  const window = selectTop(reps.length, rerankWindow, better);
  // The bonus only raises a score, by at most exactBonus × topicality: a row
  // below the needed-th score even with it cannot reach the rows asked for,
  // so its text is read only when a later page reaches that far.
  const threshold = scores[window[Math.min(needed, window.length) - 1] ?? 0] ?? 0;
  const reachable = window.filter((i) => (scores[i] ?? 0) + exactBonus * topicalityFactor(memory.topicalityOf(reps[i] ?? 0)) >= threshold);
  checkExactQuery(
    ctx,
    plan,
    scored,
    reachable.map((i) => reps[i] ?? 0),
  );
  for (const i of window) {
    const row = reps[i] ?? 0;
    if (scored.exact.get(row) === true) scores[i] = (scores[i] ?? 0) + exactBonus * topicalityFactor(memory.topicalityOf(row));
  }
  window.sort(better);
  if (needed <= window.length) return window;
  const inWindow = new Set(window);
  const rest = selectTop(reps.length, needed, better, (i) => !inWindow.has(i));
  return [...window, ...rest.slice(0, needed - window.length)];
}
