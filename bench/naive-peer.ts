/**
 * The naive peer the benchmark compares against: SQLite FTS5 over jieba
 * tokens, facets counted in SQL, nothing else (no cleaning, no Traditional
 * conversion, no extraction, no duplicate detection). What a first version
 * of this service could have been in an afternoon; the real pipeline does far
 * more per article and still has to beat it on indexing MB/s and search p50.
 *
 * `buildNaivePeer(corpusDir, dataDir)` indexes a corpus (single thread, one
 * transaction per 1,000 articles); `peer.search(q, filters)` answers a query
 * with the top 10 by BM25, a snippet per hit and year/host facets.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { readCorpus } from '../indexer/read-corpus.js';

export interface PeerHit {
  id: string;
  title: string;
  snippet: string;
}

export interface PeerResult {
  total: number;
  hits: PeerHit[];
  facets: { year: Record<string, number>; host: Record<string, number> };
}

export interface PeerBuild {
  articles: number;
  inputBytes: number;
  seconds: number;
}

let jieba: Jieba | null = null;

function tokens(text: string): string {
  jieba ??= Jieba.withDict(dict);
  return jieba
    .cut(text, false)
    .map((t) => t.trim())
    .filter((t) => t !== '' && !/^[\p{P}\p{S}]+$/u.test(t))
    .join(' ');
}

function hostOf(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

export class NaivePeer {
  private constructor(private readonly db: Database.Database) {}

  static open(dataDir: string): NaivePeer {
    return new NaivePeer(new Database(join(dataDir, 'peer.sqlite'), { readonly: true, fileMustExist: true }));
  }

  search(q: string, filters: { year?: number } = {}): PeerResult {
    const words = tokens(q).split(' ').filter((w) => w !== '');
    if (words.length === 0) return { total: 0, hits: [], facets: { year: {}, host: {} } };
    const match = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(' AND ');
    const yearClause = filters.year === undefined ? '' : 'AND d.year = @year';
    const params = { match, year: filters.year ?? null };
    const hits = this.db
      .prepare(
        `SELECT d.id AS id, d.title AS title, snippet(fts, 1, '<mark>', '</mark>', '…', 24) AS snippet
         FROM fts JOIN docs d ON d.doc = fts.rowid WHERE fts MATCH @match ${yearClause} ORDER BY rank LIMIT 10`,
      )
      .all(params) as PeerHit[];
    const count = (column: 'year' | 'host'): Record<string, number> => {
      const rows = this.db
        .prepare(
          `SELECT d.${column} AS value, count(*) AS n FROM fts JOIN docs d ON d.doc = fts.rowid
           WHERE fts MATCH @match ${yearClause} AND d.${column} IS NOT NULL GROUP BY d.${column} ORDER BY n DESC LIMIT 20`,
        )
        .all(params) as Array<{ value: string | number; n: number }>;
      return Object.fromEntries(rows.map((r) => [String(r.value), r.n]));
    };
    const total = (this.db.prepare(`SELECT count(*) AS n FROM fts JOIN docs d ON d.doc = fts.rowid WHERE fts MATCH @match ${yearClause}`).get(params) as { n: number }).n;
    return { total, hits, facets: { year: count('year'), host: count('host') } };
  }

  close(): void {
    this.db.close();
  }
}

export async function buildNaivePeer(corpusDir: string, dataDir: string): Promise<PeerBuild> {
  const started = performance.now();
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'peer.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE docs (doc INTEGER PRIMARY KEY, id TEXT UNIQUE, title TEXT, body TEXT, year INTEGER, host TEXT);
           CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61');`);
  const insertDoc = db.prepare('INSERT OR REPLACE INTO docs (id, title, body, year, host) VALUES (?, ?, ?, ?, ?)');
  const insertFts = db.prepare('INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)');
  let batch: Array<[string, string, string, number | null, string | null]> = [];
  const flush = db.transaction((rows: typeof batch) => {
    for (const [id, title, body, year, host] of rows) {
      const { lastInsertRowid } = insertDoc.run(id, title, body, year, host);
      insertFts.run(lastInsertRowid, tokens(title), tokens(body));
    }
  });
  let articles = 0;
  let inputBytes = 0;
  for await (const item of readCorpus(corpusDir)) {
    if (item.kind === 'rejection') continue;
    articles++;
    inputBytes += item.inputBytes;
    const body = item.text ?? item.html ?? '';
    const year = item.publishedAt !== undefined ? Number(item.publishedAt.slice(0, 4)) : null;
    batch.push([item.id ?? item.sourcePath, item.title ?? '', body, Number.isFinite(year) ? year : null, hostOf(item.url)]);
    if (batch.length >= 1000) {
      flush(batch);
      batch = [];
    }
  }
  flush(batch);
  db.close();
  return { articles, inputBytes, seconds: (performance.now() - started) / 1000 };
}
