/**
 * AnalysedQuery → FTS5 MATCH strings. Pure, no I/O.
 *
 * Every token is written as an FTS5 string ("…" with inner quotes doubled),
 * so user text can never become FTS5 syntax: AND/OR/NOT/NEAR, `*`, `^`, `:`,
 * parentheses and column filters inside a string are just characters for the
 * tokenizer. Operators, column names and NEAR distances come only from this
 * file.
 *
 * Why NEAR and not FTS5 phrases for multi-token alternatives: documents are
 * indexed with jieba's search segmentation, which emits a word's sub-words
 * right before it (党建品牌 → 党建 品牌 党建品牌), so the coarse words of a
 * query are rarely adjacent token positions in the index and a phrase query
 * would miss them. NEAR within a window wide enough for those sub-words
 * keeps them together; exact contiguity of quoted phrases is checked
 * afterwards on the text itself (`phraseTexts`).
 */
import type { AnalysedQuery, QueryAlternative, QueryClause } from '../analysis/query.js';

/** Indexed columns, in the order of the FTS5 table (bm25 weights follow this order). */
export const ftsColumns = ['title_tokens', 'body_tokens', 'meta_tokens'] as const;

/** Restricts a match to the article text, leaving out metadata (for more-like-this). */
const textColumns = '{title_tokens body_tokens}';

export interface FtsQueryPlan {
  /** Every clause must match (AND of clauses, OR of alternatives). Null when nothing is searchable. */
  strict: string | null;
  /** One expression per searchable clause, for counting how many clauses a document matches. */
  clauses: string[];
  /**
   * Per entry of `clauses`: its alternatives and its broader forms together
   * (what matches the clause at least in part), or null when it has none.
   */
  clauseBroader: Array<string | null>;
  /** Per entry of `clauses`: the compact text a quoted multi-token clause must find contiguously, else null. */
  clausePhrases: Array<string | null>;
  /** Compact texts that must occur contiguously in title+body (quoted clauses of several tokens). */
  phraseTexts: string[];
  /** Any clause may match: the fallback when `strict` finds nothing. Null with fewer than two clauses. */
  relaxed: string | null;
  /** Every clause matched by the user's own form (first alternative). Null when no clause was expanded. */
  original: string | null;
  /** The whole query as one compact text, for the exact-query bonus. Null with fewer than two clauses. */
  exactText: string | null;
  /** Per searchable clause, its alternatives' texts (lower-cased, compact) for title matching. */
  clauseForms: string[][];
  /** Per searchable clause, its alternatives' searchable tokens, and whether it is a prefix clause. */
  clauseTokens: Array<{ alternatives: string[][]; prefix: boolean }>;
}

// FTS5's unicode61 tokenizer drops everything but letters, numbers and
// private-use characters; a string with none of them is an empty phrase,
// which matches nothing and would turn an AND into no results.
const tokenChar = /[\p{L}\p{N}\p{Co}]/u;

export function isSearchableToken(token: string): boolean {
  return tokenChar.test(token);
}

/** One FTS5 string literal: user text in double quotes, inner quotes doubled. */
export function quoteFtsString(token: string): string {
  return `"${token.replace(/"/gu, '""')}"`;
}

/** Removes all whitespace: the form in which contiguity is checked on document text. */
export function compactText(text: string): string {
  return text.replace(/\s+/gu, '');
}

/**
 * How many index positions may separate the words of one alternative. In the
 * index each word comes after its own sub-words (2- and 3-character pieces:
 * fewer than 2n for a word of n characters), so adjacent words of the text
 * are at most that many positions apart; one more per gap absorbs a jieba cut
 * that differs between the query and the document's context.
 */
function nearDistance(tokens: readonly string[]): number {
  let distance = 0;
  for (const token of tokens.slice(1)) {
    const n = [...token].length;
    distance += 1 + (n > 2 ? n - 1 : 0) + (n > 3 ? n - 2 : 0);
  }
  return distance;
}

/** An alternative as an FTS5 expression, or null when it has no searchable token. */
export function buildAlternative(alternative: QueryAlternative, prefix: boolean): string | null {
  const tokens = alternative.tokens.filter(isSearchableToken);
  if (tokens.length === 0) return null;
  const parts = tokens.map((token, i) => quoteFtsString(token) + (prefix && i === tokens.length - 1 ? '*' : ''));
  if (parts.length === 1) return parts[0] ?? null;
  return `NEAR(${parts.join(' ')}, ${nearDistance(tokens)})`;
}

/**
 * The alternatives that add rows to the clause: one of several words whose
 * words include another alternative (入党 宣誓 beside 入党) matches only
 * rows that alternative already has, in a prefix clause too (its last word
 * as a prefix, the others whole, each within the single word's prefix).
 * Without it such a clause would go to FTS5 whole, its words' bitsets unused.
 */
export function alternativesAddingRows(alternatives: readonly (readonly string[])[]): (readonly string[])[] {
  const single = new Set(alternatives.flatMap((tokens) => (tokens.length === 1 ? [tokens[0] ?? ''] : [])));
  return alternatives.filter((tokens) => tokens.length === 1 || !tokens.some((token) => single.has(token)));
}

/**
 * The words a clause is listed by one at a time (each from its bitset when
 * held): its single-word alternatives that add rows. The alternatives of
 * several words that add rows (multiWordAlternativesOf) are listed by FTS5
 * beside them.
 */
export function singleWordsOf(alternatives: readonly (readonly string[])[]): string[] {
  return alternativesAddingRows(alternatives).flatMap((tokens) => (tokens.length === 1 ? [tokens[0] ?? ''] : []));
}

/** The alternatives of several words that add rows to a clause, which no word bitset can list. */
export function multiWordAlternativesOf(alternatives: readonly (readonly string[])[]): (readonly string[])[] {
  return alternativesAddingRows(alternatives).filter((tokens) => tokens.length > 1);
}

/** A clause as an FTS5 expression (OR of its alternatives), or null when nothing in it is searchable. */
export function buildClause(clause: QueryClause): string | null {
  const alternatives = clause.alternatives
    .map((alternative) => buildAlternative(alternative, clause.prefix))
    .filter((expression): expression is string => expression !== null);
  const unique = [...new Set(alternatives)];
  if (unique.length === 0) return null;
  return unique.length === 1 ? (unique[0] ?? null) : `(${unique.join(' OR ')})`;
}

function joinWith(operator: 'AND' | 'OR', expressions: readonly string[]): string | null {
  if (expressions.length === 0) return null;
  if (expressions.length === 1) return expressions[0] ?? null;
  // Clause expressions are atoms (a string, NEAR(…) or a parenthesised OR), so no precedence can leak.
  return expressions.join(` ${operator} `);
}

export function buildFtsQuery(query: AnalysedQuery): FtsQueryPlan {
  const searchable: Array<{ clause: QueryClause; expression: string }> = [];
  for (const clause of query.clauses) {
    const expression = buildClause(clause);
    if (expression !== null) searchable.push({ clause, expression });
  }
  const clauses = searchable.map((s) => s.expression);
  // A quoted clause that is a single token needs no text check: a token is a
  // contiguous piece of the text by construction.
  const clausePhrases = searchable.map((s) =>
    s.clause.phrase && (s.clause.alternatives[0]?.tokens.filter(isSearchableToken).length ?? 0) > 1
      ? compactText(s.clause.text)
      : null,
  );
  const phraseTexts = [...new Set(clausePhrases.filter((p): p is string => p !== null && p !== ''))];

  const expanded = searchable.some((s) => s.clause.alternatives.length > 1);
  let original: string | null = null;
  if (expanded) {
    const firsts = searchable.map((s) => {
      const first = s.clause.alternatives[0];
      return first ? buildAlternative(first, s.clause.prefix) : null;
    });
    if (firsts.every((f): f is string => f !== null)) original = joinWith('AND', firsts);
  }

  const exactText = searchable.length >= 2 ? compactText(searchable.map((s) => s.clause.text).join('')) : null;

  const clauseBroader = searchable.map((s) => {
    const broader = s.clause.broader?.alternatives ?? [];
    if (broader.length === 0) return null;
    const widened = buildClause({ ...s.clause, alternatives: [...s.clause.alternatives, ...broader] });
    return widened === s.expression ? null : widened;
  });

  return {
    strict: joinWith('AND', clauses),
    clauses,
    clauseBroader,
    clausePhrases,
    phraseTexts,
    relaxed: clauses.length >= 2 ? joinWith('OR', clauses) : null,
    original,
    exactText,
    clauseTokens: searchable.map((s) => ({
      alternatives: s.clause.alternatives.map((a) => a.tokens.filter(isSearchableToken)).filter((t) => t.length > 0),
      prefix: s.clause.prefix,
    })),
    clauseForms: searchable.map((s) => [
      ...new Set(s.clause.alternatives.map((a) => compactText(a.text).toLowerCase()).filter((t) => t !== '')),
    ]),
  };
}

/**
 * More-like-this: any of the keywords, in the article text only (metadata such
 * as the province would otherwise make every article from the same place
 * look related). Multi-word keywords are kept together with NEAR.
 */
export function buildKeywordQuery(keywords: ReadonlyArray<QueryAlternative>): string | null {
  const parts = [...new Set(keywords.map((k) => buildAlternative(k, false)).filter((e): e is string => e !== null))];
  if (parts.length === 0) return null;
  return `${textColumns} : (${parts.join(' OR ')})`;
}
