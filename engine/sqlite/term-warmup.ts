/**
 * Bitsets of the most frequent keywords made before the first query, when
 * the columns are loaded from SQL (after a build, or when the saved copy is
 * stale) and so saved with them (column-snapshot.ts). Listing a word found
 * in tens of thousands of articles costs FTS5 6–16 ms (it reads every
 * position), which otherwise the first query with that word pays, once per
 * word and per reading thread. Meilisearch keeps a bitmap per word and per
 * frequent prefix for the same reason.
 *
 * The words are the keywords suggest offers (what people are shown and
 * type), most frequent first, each as the query analyser splits it; both
 * the word and the prefix form, since a query's last word is a prefix
 * (as-you-type). Bounded in time and in memory, so the rest of the budget
 * stays for the words queries bring.
 */
import type Database from 'better-sqlite3';
import { analyseQuery } from '../analysis/query.js';
import { buildFtsQuery, quoteFtsString, singleWordsOf } from './fts-query.js';
import type { MemoryIndex } from './memory-index.js';
import { parseRowList } from './row-lists.js';
import { termSetKey } from './term-sets.js';

export interface WarmupLimits {
  /** Stop after this long (ms). */
  milliseconds: number;
  /** Stop once the held bitsets take this share of their memory budget. */
  budgetShare: number;
}

export const defaultWarmupLimits: WarmupLimits = { milliseconds: 3_000, budgetShare: 0.5 };

/**
 * When a writer closes a generation it filled (the end of an indexing run),
 * no request waits: the warm-up may take longer, and stops at the memory
 * share alone on a quiet machine (about 6 s at 100k articles; the 3 s above
 * held 380–680 bitsets there, depending on the machine's load).
 */
export const closingWarmupLimits: WarmupLimits = { milliseconds: 10_000, budgetShare: 0.5 };

/** Holds the bitsets of frequent keywords; returns how many it added. */
export function warmTermSets(db: Database.Database, memory: MemoryIndex, limits: WarmupLimits = defaultWarmupLimits): number {
  // Nothing can be held in an index smaller than a held word's row count.
  if (!memory.wouldHoldTerm(memory.size)) return 0;
  const started = performance.now();
  const keywords = db
    .prepare("SELECT text FROM suggest WHERE kind = 'term' AND doc IS NULL ORDER BY weight DESC, text LIMIT 5000")
    .pluck()
    .all() as string[];
  const list = db.prepare('SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?').pluck();
  let added = 0;
  const within = (): boolean => performance.now() - started < limits.milliseconds && memory.termBudgetUsed < limits.budgetShare;
  for (const keyword of keywords) {
    if (!within()) break;
    for (const word of singleWords(keyword)) {
      for (const prefix of [false, true]) {
        const key = termSetKey(word, prefix);
        if (key === null || memory.holdsTerm(key) || !within()) continue;
        const rows = parseRowList(list.get(quoteFtsString(word) + (prefix ? '*' : '')) as string | null);
        if (!memory.wouldHoldTerm(rows.length)) continue;
        memory.offerTermRows(key, rows);
        added++;
      }
    }
  }
  return added;
}

/** The words a query for `text` lists one at a time, as search.ts `listClause` does. */
function singleWords(text: string): string[] {
  return buildFtsQuery(analyseQuery(text)).clauseTokens.flatMap((clause) => singleWordsOf(clause.alternatives));
}
