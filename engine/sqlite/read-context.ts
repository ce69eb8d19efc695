/**
 * What every read (search, related, suggest, facets) works on: one open
 * generation's connection with its prepared statements, the in-memory
 * columns loaded from it and the caches valid for it; plus the primitive
 * reads they share (FTS match lists, bm25, term frequencies, the page's
 * documents).
 */
import type Database from 'better-sqlite3';
import type { EngineDocument } from '../document.js';
import type { AnswerCache } from './answer-cache.js';
import { deserialiseDocument, pageColumns, type StoredRow } from './document-writer.js';
import type { MemoryIndex } from './memory-index.js';
import { parseRowList, parseScores, type ScoredRows } from './row-lists.js';
import { bm25Weights } from './schema.js';
import { bodyPattern, foldAscii } from './stored-text.js';
import { termSetKey } from './term-sets.js';

export interface Connection {
  db: Database.Database;
  /** Real path of the open generation file. */
  path: string;
  /** Link target (generation file name) it was opened through, null when the index is a plain file. */
  target: string | null;
  statements: Map<string, Database.Statement>;
  dataVersion: number;
}

export interface ReadContext {
  connection: Connection;
  memory: MemoryIndex;
  cache: AnswerCache;
}

export function statement(ctx: Pick<ReadContext, 'connection'>, sql: string): Database.Statement {
  const { statements, db } = ctx.connection;
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

/** Relevance is scaled by topicality so that off-topic pages full of the same vocabulary sink. */
export function topicalityFactor(topicality: number): number {
  return 0.3 + 0.7 * topicality;
}

/** The terms (of `terms`) that occur in the document's title or body: what the snippet renderer marks. */
export function matchedTerms(document: EngineDocument, terms: readonly string[]): string[] {
  const text = foldAscii(`${document.title}\n${document.body}`);
  return terms.filter((term) => term !== '' && text.includes(foldAscii(term)));
}

/** The documents of `rows` as hits show them: without the token fields and fingerprint (see deserialiseDocument). */
export function loadDocuments(ctx: ReadContext, rows: readonly number[]): Map<number, EngineDocument> {
  const out = new Map<number, EngineDocument>();
  if (rows.length === 0) return out;
  const stored = statement(ctx, `SELECT ${pageColumns} FROM docs WHERE doc IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(rows),
  ) as StoredRow[];
  for (const row of stored) out.set(row.doc, deserialiseDocument(row));
  return out;
}

/**
 * SQL testing that `table`'s title+body contains `param` contiguously: a
 * plain instr first (cheap; on the body's UTF-16 bytes, see stored-text.ts),
 * then with whitespace removed and ASCII folded (contains_folded), since
 * scraped text puts spaces and line breaks inside phrases.
 */
export function containsTextSql(table: string, param: string): string {
  return `(instr(${table}.title, ${param}) > 0 OR instr(${table}.body, ${param}_body) % 2 = 1 OR contains_folded(${table}.title, ${table}.body, ${param}_folded))`;
}

/** Rows matching an FTS expression whose title+body also contain every `phrases` text contiguously. */
export function matchRows(ctx: ReadContext, expression: string, phrases: readonly string[]): Int32Array {
  if (phrases.length === 0) {
    return parseRowList(
      statement(ctx, 'SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?').pluck().get(expression) as string | null,
    );
  }
  // Quoted phrases must be contiguous in the text; FTS5 cannot promise that
  // across sub-word tokens, so the text is checked (see containsTextSql).
  const conditions = phrases.map((_, i) => containsTextSql('docs', `@p${i}`)).join(' AND ');
  const sql = `SELECT group_concat(fts.rowid) FROM fts JOIN docs ON docs.doc = fts.rowid WHERE fts MATCH @match AND ${conditions}`;
  const params: Record<string, string | Buffer> = { match: expression };
  phrases.forEach((phrase, i) => {
    params[`p${i}`] = phrase;
    params[`p${i}_body`] = bodyPattern(phrase);
    params[`p${i}_folded`] = foldAscii(phrase);
  });
  return parseRowList(statement(ctx, sql).pluck().get(params) as string | null);
}

/** Every row matching `expression` (as matchRows lists them) and its bm25 (bigger is better), indexed by row. */
export function bm25Scores(ctx: ReadContext, expression: string): ScoredRows {
  // Scores travel as integers (thousandths) in one string; LIMIT -1 stops
  // SQLite flattening the subquery, which would put bm25() in an aggregate.
  const sql = `SELECT group_concat(r || ':' || CAST(round(-s * 1000) AS INTEGER))
               FROM (SELECT rowid AS r, bm25(fts, ${bm25Weights.title}, ${bm25Weights.body}, ${bm25Weights.meta}) AS s
                     FROM fts WHERE fts MATCH ? LIMIT -1)`;
  return parseScores(statement(ctx, sql).pluck().get(expression) as string | null, ctx.memory.rowCapacity);
}

/**
 * Documents containing `token` (approximate after deletes, which is all
 * ranking needs). fts5vocab counts by reading the token's whole document
 * list (a few milliseconds for a word in most articles), so answers are
 * remembered until the next write, and a word held as a bitset
 * (term-sets.ts), which is what the frequent words are, is counted from it.
 */
export function documentFrequency(ctx: ReadContext, token: string): number {
  const frequencies = ctx.cache.frequencies;
  const key = `=${token}`;
  if (frequencies.size > 50_000) frequencies.clear();
  let frequency = frequencies.get(key);
  if (frequency === undefined) {
    const setKey = termSetKey(token, false);
    const held = setKey === null ? null : ctx.memory.termRows(setKey);
    frequency = held !== null ? held.count : ((statement(ctx, 'SELECT doc FROM temp.fts_vocab WHERE term = ?').pluck().get(token) as number | undefined) ?? 0);
    frequencies.set(key, frequency);
  }
  return frequency;
}

/**
 * An upper bound of the documents with a word starting with `prefix`, or
 * Infinity when the prefix is short or common enough that counting would
 * cost more than it saves.
 */
export function prefixFrequency(ctx: ReadContext, prefix: string, enough: number): number {
  if ([...prefix].length < 2 || documentFrequency(ctx, prefix) > enough) return Infinity;
  const frequencies = ctx.cache.frequencies;
  const key = `*${prefix}`;
  let frequency = frequencies.get(key);
  if (frequency === undefined) {
    const row = statement(
      ctx,
      'SELECT count(*) AS terms, coalesce(sum(doc), 0) AS docs FROM (SELECT doc FROM temp.fts_vocab WHERE term >= ? AND term < ? LIMIT 17)',
    ).get(prefix, `${prefix}\u{10FFFF}`) as { terms: number; docs: number };
    frequency = row.terms > 16 ? Infinity : row.docs;
    frequencies.set(key, frequency);
  }
  return frequency;
}
