/**
 * Search analytics without personal data: per day and normalised query, how
 * often it was searched, how often it found no exact match, and how often a
 * result was opened. No address, no user id, no session: only counts.
 *
 * Stored in its own SQLite file under DATA_DIR (analytics.sqlite), apart from
 * the index so a reindex never touches it. Bounded: at most
 * `maxQueriesPerDay` distinct queries a day (the rest are counted under one
 * "other" row) and `retentionDays` days. Counts are buffered in memory and
 * written in one transaction every few seconds, so a search never waits on a disk write.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { normaliseText } from '../../engine/analysis/normalise.js';

export interface AnalyticsOptions {
  maxQueriesPerDay?: number;
  retentionDays?: number;
  flushMs?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

export interface QueryStats {
  query: string;
  searches: number;
  /** Searches that found no article with every word. */
  noExactMatch: number;
  clicks: number;
  /** clicks / searches, 0..1 (several clicks per search can push it above 1). */
  clickThrough: number;
  /** Exact matches at the latest search of the period. */
  lastTotal: number;
}

export interface AnalyticsReport {
  from: string;
  to: string;
  searches: number;
  clicks: number;
  distinctQueries: number;
  topQueries: QueryStats[];
  noExactMatchQueries: QueryStats[];
}

/** The row that collects queries beyond the day's limit. */
export const otherQueries = '（其他）';

/** What counts as the same query: normalised script, width and case, collapsed spaces, at most 100 characters. */
export function normaliseQuery(raw: string): string {
  return normaliseText(raw).toLowerCase().replace(/\s+/gu, ' ').trim().slice(0, 100);
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

interface Pending {
  searches: number;
  noExact: number;
  clicks: number;
  lastTotal: number | null;
}

export class AnalyticsStore {
  private readonly db: Database.Database;
  private readonly maxQueriesPerDay: number;
  private readonly retentionDays: number;
  private readonly now: () => number;
  private pending = new Map<string, Pending>();
  private readonly timer: ReturnType<typeof setInterval>;
  private prunedDay = '';

  constructor(dataDir: string, options: AnalyticsOptions = {}) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'analytics.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS query_day (
      day TEXT NOT NULL,
      query TEXT NOT NULL,
      searches INTEGER NOT NULL DEFAULT 0,
      no_exact INTEGER NOT NULL DEFAULT 0,
      clicks INTEGER NOT NULL DEFAULT 0,
      last_total INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (day, query)
    ) WITHOUT ROWID`);
    this.maxQueriesPerDay = options.maxQueriesPerDay ?? 5000;
    this.retentionDays = options.retentionDays ?? 400;
    this.now = options.now ?? Date.now;
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 5000);
    this.timer.unref();
  }

  private bump(query: string, change: (p: Pending) => void): void {
    const key = `${dayOf(this.now())}\u0000${query}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { searches: 0, noExact: 0, clicks: 0, lastTotal: null };
      this.pending.set(key, entry);
    }
    change(entry);
    // A flood of distinct queries between flushes must not grow memory without bound either.
    if (this.pending.size > this.maxQueriesPerDay) this.flush();
  }

  /** One search with its number of exact matches. Empty queries (plain listings) are not counted. */
  recordSearch(rawQuery: string, total: number): void {
    const query = normaliseQuery(rawQuery);
    if (query === '') return;
    this.bump(query, (p) => {
      p.searches++;
      if (total === 0) p.noExact++;
      p.lastTotal = total;
    });
  }

  /** A visitor opened a result found by `rawQuery`. */
  recordClick(rawQuery: string): void {
    const query = normaliseQuery(rawQuery);
    if (query === '') return;
    this.bump(query, (p) => p.clicks++);
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const known = this.db.prepare('SELECT 1 FROM query_day WHERE day = ? AND query = ?');
    const countDay = this.db.prepare('SELECT COUNT(*) AS n FROM query_day WHERE day = ?');
    const upsert = this.db.prepare(`INSERT INTO query_day (day, query, searches, no_exact, clicks, last_total)
      VALUES (@day, @query, @searches, @noExact, @clicks, @lastTotal)
      ON CONFLICT (day, query) DO UPDATE SET searches = searches + excluded.searches, no_exact = no_exact + excluded.no_exact,
        clicks = clicks + excluded.clicks, last_total = CASE WHEN @hasTotal THEN excluded.last_total ELSE last_total END`);
    this.db.transaction(() => {
      const dayCounts = new Map<string, number>();
      for (const [key, p] of batch) {
        const [day = '', raw = ''] = key.split('\u0000');
        let query = raw;
        if (!known.get(day, query)) {
          const count = dayCounts.get(day) ?? (countDay.get(day) as { n: number }).n;
          if (count >= this.maxQueriesPerDay) query = otherQueries;
          else dayCounts.set(day, count + 1);
        }
        upsert.run({ day, query, searches: p.searches, noExact: p.noExact, clicks: p.clicks, lastTotal: p.lastTotal ?? 0, hasTotal: p.lastTotal === null ? 0 : 1 });
      }
    })();
    const today = dayOf(this.now());
    if (today !== this.prunedDay) {
      this.prunedDay = today;
      this.db.prepare('DELETE FROM query_day WHERE day < ?').run(dayOf(this.now() - this.retentionDays * 86_400_000));
    }
  }

  /** Totals per query over [from, to] (inclusive days, YYYY-MM-DD). */
  report(from: string, to: string, limit = 50): AnalyticsReport {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT query, SUM(searches) AS searches, SUM(no_exact) AS noExact, SUM(clicks) AS clicks,
           (SELECT last_total FROM query_day l WHERE l.query = q.query AND l.day BETWEEN @from AND @to AND l.searches > 0 ORDER BY l.day DESC LIMIT 1) AS lastTotal
         FROM query_day q WHERE day BETWEEN @from AND @to GROUP BY query`,
      )
      .all({ from, to }) as { query: string; searches: number; noExact: number; clicks: number; lastTotal: number | null }[];
    const stats: QueryStats[] = rows.map((r) => ({
      query: r.query,
      searches: r.searches,
      noExactMatch: r.noExact,
      clicks: r.clicks,
      clickThrough: r.searches > 0 ? Math.round((r.clicks / r.searches) * 1000) / 1000 : 0,
      lastTotal: r.lastTotal ?? 0,
    }));
    const bySearches = (a: QueryStats, b: QueryStats): number => b.searches - a.searches || a.query.localeCompare(b.query);
    return {
      from,
      to,
      searches: stats.reduce((n, s) => n + s.searches, 0),
      clicks: stats.reduce((n, s) => n + s.clicks, 0),
      distinctQueries: stats.length,
      topQueries: stats.filter((s) => s.searches > 0).sort(bySearches).slice(0, limit),
      noExactMatchQueries: stats
        .filter((s) => s.noExactMatch > 0)
        .sort((a, b) => b.noExactMatch - a.noExactMatch || bySearches(a, b))
        .slice(0, limit),
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
    this.db.close();
  }
}
