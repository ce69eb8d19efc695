/**
 * Query execution: FTS5 finds the matching rows; filters, collapsing,
 * facets and date order run on the in-memory columns (memory-index.ts);
 * relevance combines bm25 with title, wording, exact-query and topicality
 * signals; JSON is decoded only for the page of hits. Match sets, scores and
 * whole answers go through the answer cache.
 */
import type { FtsQueryPlan } from './fts-query.js';
import { buildFtsQuery } from './fts-query.js';
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
import type { FacetCounts, SearchHit, SearchRequest, SearchResult, SortOrder } from '../port.js';

interface MatchSet {
  rows: Int32Array;
  relaxed: boolean;
  /** Relaxed only: how many clauses each row matched, indexed by row. */
  clauseCounts: Uint8Array | null;
  /** Relaxed only: the fewest clauses a kept row matches. */
  threshold?: number;
}

interface Scored {
  /** Matching rows, unsorted. */
  rows: Int32Array;
  /** Their relevance before the exact-query bonus, aligned with `rows`. */
  scores: Float64Array;
  /** Rows whose text was checked for the whole query as written. */
  exact: Map<number, boolean>;
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
// user's own wording (not a synonym), all scaled by topicality.
const titleBonus = 1;
const exactBonus = 1;
const originalFormBonus = 0.15;
const relaxedClauseWeight = 100;

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
  ])}`;
  const result = ctx.cache.remember(key, () => runSearch(ctx, request));
  return { ...result, hits: result.hits.map((hit) => ({ ...hit })) };
}

function runSearch(ctx: ReadContext, request: SearchRequest): SearchResult {
  const { memory } = ctx;
  const filter = memory.compileFilter(request.filters);
  const pageSize = Math.max(0, Math.floor(request.pageSize));
  const offset = Math.max(0, Math.floor(request.page) - 1) * pageSize;
  const dateSort: Exclude<SortOrder, 'relevance'> = request.sort === 'date_asc' ? 'date_asc' : 'date_desc';
  const byDate = (rows: ArrayLike<number>, terms: readonly string[], relaxed: boolean): SearchResult => {
    const collected = memory.collect(rows, {
      filter,
      collapse: request.collapse,
      offset,
      limit: pageSize,
      facets: request.facets,
    });
    const page = collected.hits.map((hit) => ({ row: hit.row, score: 0, duplicates: hit.duplicates }));
    return toResult(ctx, page, collected.total, collected.facets, terms, relaxed);
  };

  // No query: list what the filters allow, newest first.
  if (request.query.clauses.length === 0) return byDate(memory.dateOrder(dateSort), [], false);
  const plan = buildFtsQuery(request.query);
  if (plan.strict === null) return byDate([], [], false);
  const match = findMatches(ctx, plan, filter);
  const terms = request.query.highlightTerms;
  if (request.sort !== 'relevance') return byDate(memory.orderByDate(match.rows, dateSort), terms, match.relaxed);

  const scored = scoreMatches(ctx, plan, match);
  const collapsed = memory.collapseScored(scored.rows, scored.scores, filter, request.collapse);
  const facets = request.facets ? memory.countFacets(collapsed.reps) : null;
  const order = orderByRelevance(ctx, plan, scored, collapsed, offset + pageSize);
  const page = order.slice(offset, offset + pageSize).map((i) => {
    const row = collapsed.reps[i] ?? 0;
    return { row, score: collapsed.scores[i] ?? 0, duplicates: collapsed.folded.get(row) ?? [] };
  });
  return toResult(ctx, page, collapsed.reps.length, facets, terms, match.relaxed);
}

function toResult(
  ctx: ReadContext,
  page: ReadonlyArray<{ row: number; score: number; duplicates: number[] }>,
  total: number,
  facets: FacetCounts | null,
  terms: readonly string[],
  relaxed: boolean,
): SearchResult {
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
    });
  }
  return { hits, total, relaxed, facets };
}

/**
 * Rows with every clause or, when none of those passes the filters, rows
 * with most clauses (relaxed). Relaxing only after filtering means a query
 * too specific for the chosen year or province still finds its best
 * partial matches there, while a query whose every clause matches inside
 * the filters is never diluted.
 */
function findMatches(ctx: ReadContext, plan: FtsQueryPlan, filter: RowFilter | null): MatchSet {
  const { memory, cache } = ctx;
  const strict = plan.strict ?? '';
  const phrases = plan.phraseTexts.join('\u0001');
  const rows = cache.remember<MatchSet>(`match\u0000${strict}\u0000${phrases}`, () => ({
    rows: matchRows(ctx, strict, plan.phraseTexts),
    relaxed: false,
    clauseCounts: null,
  }));
  if (plan.relaxed === null || anyPasses(ctx, rows.rows, filter)) return rows;

  const partial = cache.remember<MatchSet>(`partial\u0000${strict}\u0000${phrases}`, () => {
    const counts = new Uint8Array(memory.rowCapacity);
    const touched: number[] = [];
    plan.clauses.forEach((clause, i) => {
      const phrase = plan.clausePhrases[i];
      for (const row of matchRows(ctx, clause, phrase ? [phrase] : [])) {
        if (row >= counts.length) continue;
        if (counts[row] === 0) touched.push(row);
        counts[row] = (counts[row] ?? 0) + 1;
      }
    });
    return { rows: Int32Array.from(touched), relaxed: true, clauseCounts: counts };
  });
  // Keep what has most clauses: half of them, lowered to the best any
  // document within the filters reaches.
  const counts = partial.clauseCounts ?? new Uint8Array(0);
  let best = 0;
  for (const row of partial.rows) {
    if (memory.isLive(row) && (filter === null || filter(row))) best = Math.max(best, counts[row] ?? 0);
  }
  if (best === 0) return rows;
  const threshold = Math.max(1, Math.min(best, Math.ceil(plan.clauses.length / 2)));
  return {
    rows: partial.rows.filter((row) => (counts[row] ?? 0) >= threshold),
    relaxed: true,
    clauseCounts: counts,
    threshold,
  };
}

function anyPasses(ctx: ReadContext, rows: ArrayLike<number>, filter: RowFilter | null): boolean {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    if (ctx.memory.isLive(row) && (filter === null || filter(row))) return true;
  }
  return false;
}

/**
 * Scores every matching row (in match order, unsorted): bm25 normalised to
 * the best match, clauses found in the title, the user's own wording,
 * topicality, and in relaxed mode the number of clauses matched first.
 */
function scoreMatches(ctx: ReadContext, plan: FtsQueryPlan, match: MatchSet): Scored {
  const { memory } = ctx;
  const mode = match.relaxed ? `relaxed ${match.threshold ?? 0}` : 'strict';
  return ctx.cache.remember(`score\u0000${mode}\u0000${plan.strict ?? ''}\u0000${plan.phraseTexts.join('\u0001')}`, () => {
    const rows = match.rows;
    const expression = chooseBm25Expression(ctx, plan, match);
    const bm25 = expression !== null ? bm25Scores(ctx, expression) : null;
    let best = 0;
    if (bm25) for (const row of rows) best = Math.max(best, bm25[row] ?? 0);

    let original: Uint8Array | null = null;
    // A small bonus, not worth another pass over a very broad match.
    if (plan.original !== null && rows.length <= 4 * bm25RowLimit) {
      original = new Uint8Array(memory.rowCapacity);
      for (const row of matchRows(ctx, plan.original, plan.phraseTexts)) original[row] = 1;
    }
    const clauseCount = Math.max(1, plan.clauseForms.length);

    const scores = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] ?? 0;
      const relevance = bm25 && best > 0 ? (bm25[row] ?? 0) / best : 0;
      const title = memory.titleKeyOf(row);
      let inTitle = 0;
      for (const forms of plan.clauseForms) if (forms.some((form) => title.includes(form))) inTitle++;
      let score = 1 + relevance + (titleBonus * inTitle) / clauseCount + (original?.[row] === 1 ? originalFormBonus : 0);
      score *= topicalityFactor(memory.topicalityOf(row));
      if (match.clauseCounts) score += relaxedClauseWeight * (match.clauseCounts[row] ?? 0);
      scores[i] = score;
    }
    return { rows, scores, exact: new Map<number, boolean>() };
  });
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
  const rows = match.relaxed ? estimates.reduce((a, b) => a + b, 0) : Math.min(...estimates);
  if (rows > bm25RowLimit) return null;
  return kept.join(match.relaxed ? ' OR ' : ' AND ');
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
      // Verbatim only (no whitespace folding): this is a bonus, and the folded check costs ~1 ms a row.
      'SELECT group_concat(doc) FROM docs WHERE doc IN (SELECT value FROM json_each(@rows)) AND (instr(title, @text) > 0 OR instr(body, @text) > 0)',
    )
      .pluck()
      .get({ rows: JSON.stringify(unknown), text: plan.exactText }) as string | null,
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
  checkExactQuery(
    ctx,
    plan,
    scored,
    window.map((i) => reps[i] ?? 0),
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
