/**
 * More-like-this: an article's rarest keywords as an FTS query over the
 * other articles' text, ranked by bm25 with a lift for the same hospital,
 * province or award type, near-duplicates of the article left out.
 */
import type { QueryAlternative } from '../analysis/query.js';
import { segmentWords } from '../analysis/segment.js';
import { DocumentNotFoundError } from '../errors.js';
import type { RelatedHit, RelatedRequest } from '../port.js';
import { buildKeywordQuery } from './fts-query.js';
import type { RowFilter } from './memory-index.js';
import {
  bm25Scores,
  documentFrequency,
  loadDocuments,
  matchedTerms,
  topicalityFactor,
  type ReadContext,
} from './read-context.js';
import { selectTop } from './row-lists.js';
import { bm25RowLimit } from './search.js';

const relatedKeywordLimit = 12;

/**
 * The keywords worth searching for, rarest first: a keyword in most
 * documents says nothing about relatedness (and bm25 gives it no weight)
 * but makes the candidate set the whole index. Rarer keywords are added
 * until the candidates would exceed what bm25 can score quickly.
 */
function chooseDistinctiveKeywords(ctx: ReadContext, keywords: readonly string[]): QueryAlternative[] {
  const common = Math.max(1, ctx.memory.size / 2);
  const rated = keywords
    .map((text) => {
      const tokens = segmentWords(text);
      const frequency = Math.min(...tokens.map((t) => documentFrequency(ctx, t.toLowerCase())));
      return { alternative: { text, tokens }, frequency };
    })
    .filter((k) => k.alternative.tokens.length > 0 && k.frequency > 0)
    .sort((a, b) => a.frequency - b.frequency);
  const chosen: QueryAlternative[] = [];
  let candidates = 0;
  for (const keyword of rated) {
    if (chosen.length > 0 && (keyword.frequency > common || candidates + keyword.frequency > bm25RowLimit)) break;
    chosen.push(keyword.alternative);
    candidates += keyword.frequency;
  }
  return chosen;
}

export function findRelated(ctx: ReadContext, request: RelatedRequest): RelatedHit[] {
  const { memory } = ctx;
  const source = memory.rowOf(request.id);
  const fixed = memory.compileFilter(request.fixedFilters);
  if (source === undefined || (fixed !== null && !fixed(source))) throw new DocumentNotFoundError(request.id);
  const sourceDocument = loadDocuments(ctx, [source]).get(source);
  if (!sourceDocument || request.limit <= 0) return [];

  let keywords = sourceDocument.keywords.map((k) => k.trim()).filter((k) => k !== '');
  if (keywords.length === 0) keywords = segmentWords(sourceDocument.title).filter((w) => w.length >= 2);
  keywords = [...new Set(keywords)].slice(0, relatedKeywordLimit);
  const query = chooseDistinctiveKeywords(ctx, keywords);
  const expression = buildKeywordQuery(query);
  if (expression === null) return [];

  // One FTS5 pass lists the candidates and scores them.
  const { rows, scores: bm25 } = bm25Scores(ctx, expression);
  let best = 0;
  for (const row of rows) best = Math.max(best, bm25[row] ?? 0);
  const filter: RowFilter | null = memory.compileFilter(request.filters, request.fixedFilters);
  const sourceGroup = memory.groupOf(source);
  const sameHospital = memory.sharesFacetWith('hospital', source);
  const sameProvince = memory.sharesFacetWith('province', source);
  const sameAward = memory.sharesFacetWith('awardType', source);
  const candidates: number[] = [];
  const scores: number[] = [];
  for (const row of rows) {
    if (memory.groupOf(row) === sourceGroup) continue;
    // Same hospital counts most; same province or award type a little.
    const boost =
      1 +
      (sameHospital(row) ? 0.5 : 0) +
      (sameProvince(row) ? 0.25 : 0) +
      (sameAward(row) ? 0.25 : 0);
    const relevance = (best > 0 ? (bm25[row] ?? 0) / best : 0) + 0.1;
    candidates.push(row);
    scores.push(relevance * boost * topicalityFactor(memory.topicalityOf(row)));
  }
  const collapsed = memory.collapseScored(candidates, scores, filter, true);
  // A few spare hits, in case one shares no keyword in its text (matched through a sub-word only).
  const order = selectTop(
    collapsed.reps.length,
    request.limit * 2,
    (a, b) =>
      (collapsed.scores[b] ?? 0) - (collapsed.scores[a] ?? 0) || memory.compareIds(collapsed.reps[a] ?? 0, collapsed.reps[b] ?? 0),
  );
  const hits = order.map((i) => ({
    row: collapsed.reps[i] ?? 0,
    score: collapsed.scores[i] ?? 0,
    duplicates: collapsed.folded.get(collapsed.reps[i] ?? 0) ?? [],
  }));
  const documents = loadDocuments(
    ctx,
    hits.map((h) => h.row),
  );
  const out: RelatedHit[] = [];
  for (const hit of hits) {
    const document = documents.get(hit.row);
    if (!document) continue;
    const sharedKeywords = matchedTerms(document, keywords);
    if (sharedKeywords.length === 0) continue;
    out.push({
      document,
      score: hit.score,
      matchedTerms: sharedKeywords,
      duplicates: hit.duplicates.map((row) => memory.idOf(row)),
      sharedKeywords,
    });
    if (out.length >= request.limit) break;
  }
  return out;
}
