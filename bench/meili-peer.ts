/**
 * The plain-Meilisearch peer of the evaluation: the dev articles in an index
 * set up the way someone who installs only Meilisearch would, with raw article
 * text, default settings, Meilisearch's own Chinese tokenizer and
 * `localizedAttributes` for `cmn`, and the judged queries sent as typed.
 *
 * It has none of the extracted metadata, so a query's filters (province,
 * year, award level…) cannot be applied: its figures are given over all
 * judged queries (filters ignored, which favours nobody but shows the full
 * picture) and over the queries that have no filter (the like-for-like one).
 */
import { Meilisearch } from 'meilisearch';
import { meanOf, scoreRanking } from './metrics.js';

export interface PeerArticle {
  id: string;
  title: string | null;
  text: string;
}

export interface PeerQuery {
  qid: string;
  query: string;
  filters: Record<string, unknown>;
  relevant: Record<string, number>;
}

export interface PeerFigures {
  queries: number;
  ndcg: number;
  recall: number;
  mrr: number;
}

export interface PeerReport {
  version: string;
  all: PeerFigures;
  unfiltered: PeerFigures;
  /** Per judged query, to compare with ours. */
  perQuery: { qid: string; ndcg: number | null; recall: number | null }[];
}

function summarise(scores: { ndcg: number | null; recall: number | null; reciprocalRank: number | null }[]): PeerFigures {
  const judged = scores.filter((s) => s.ndcg !== null);
  return {
    queries: judged.length,
    ndcg: meanOf(judged.map((s) => s.ndcg)) ?? 0,
    recall: meanOf(judged.map((s) => s.recall)) ?? 0,
    mrr: meanOf(judged.map((s) => s.reciprocalRank)) ?? 0,
  };
}

/** Meilisearch ids allow letters, digits, - and _ only. */
const toPeerId = (id: string): string => id.replace(/[^A-Za-z0-9_-]/gu, (c) => `-${c.codePointAt(0)?.toString(16) ?? ''}-`);

export async function runMeilisearchPeer(
  connection: { url: string; apiKey: string | undefined },
  articles: PeerArticle[],
  queries: PeerQuery[],
  groupOf: (id: string) => string,
): Promise<PeerReport> {
  const client = new Meilisearch({ host: connection.url, ...(connection.apiKey ? { apiKey: connection.apiKey } : {}) });
  const uid = `eval_peer_${process.pid}_${Date.now()}`;
  const back = new Map(articles.map((a) => [toPeerId(a.id), a.id]));
  try {
    await client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: 60_000 });
    const index = client.index(uid);
    await index.updateLocalizedAttributes([{ attributePatterns: ['*'], locales: ['cmn'] }]).waitTask({ timeout: 60_000 });
    const task = await index
      .addDocuments(articles.map((a) => ({ id: toPeerId(a.id), title: a.title ?? '', text: a.text })))
      .waitTask({ timeout: 300_000 });
    if (task.status !== 'succeeded') throw new Error(`peer indexing failed: ${JSON.stringify(task.error)}`);
    const scores: { qid: string; filtered: boolean; ndcg: number | null; recall: number | null; reciprocalRank: number | null }[] = [];
    for (const q of queries) {
      const res = await index.search(q.query, { limit: 10, attributesToRetrieve: ['id'] });
      const hits = res.hits.map((h) => [back.get(String(h['id'])) ?? String(h['id'])]);
      const s = scoreRanking(hits, q.relevant, 10, groupOf);
      scores.push({ qid: q.qid, filtered: Object.keys(q.filters).length > 0, ndcg: s.ndcg, recall: s.recall, reciprocalRank: s.reciprocalRank });
    }
    return {
      version: (await client.getVersion()).pkgVersion,
      all: summarise(scores),
      unfiltered: summarise(scores.filter((s) => !s.filtered)),
      perQuery: scores.map(({ qid, ndcg, recall }) => ({ qid, ndcg, recall })),
    };
  } finally {
    await client.deleteIndex(uid).waitTask({ timeout: 60_000 }).catch(() => undefined);
  }
}
