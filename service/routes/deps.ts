/** What route modules get from createApp: the engine, shared state and the guards they put in front of handlers. */
import type { MiddlewareHandler } from 'hono';
import type { SearchEngine } from '../../engine/port.js';
import type { AppEnv } from '../context.js';
import type { Metrics } from '../middleware/metrics.js';
import type { ApiOperation } from '../openapi.js';
import type { Readiness } from '../readiness.js';
import type { WriteQueue } from '../write-queue.js';
import type { SearchAnalytics } from '../analytics/recorder.js';
import type { IdempotencyStore } from '../idempotency.js';
import type { BatchLimits } from './ingest-body.js';

export interface RouteDeps {
  engine: SearchEngine;
  corpusDir: string;
  readiness: Readiness;
  metrics: Metrics;
  writes: WriteQueue;
  /** Batch ingest: most articles and bytes per request. */
  ingestLimits: BatchLimits;
  /** DATA_DIR/analysis: the run-time synonyms and dictionary (undefined: kept in memory). */
  analysisDir?: string | undefined;
  /** Replies to writes sent with an Idempotency-Key. */
  idempotency: IdempotencyStore;
  /** Site key resolution and its rate limit: in front of every public data route. */
  publicGuard: MiddlewareHandler<AppEnv>;
  /** Bearer-token check: in front of every admin route. */
  adminGuard: MiddlewareHandler<AppEnv>;
  /** MIN_ARTICLE_CHARS, for articles posted through the API. */
  minArticleChars: number;
  /** The search time budget (SEARCH_TIMEOUT_MS); 0: none. */
  searchTimeoutMs: number;
  /** Search and click counts; null when the service runs without them (tests around a bare engine). */
  analytics: SearchAnalytics | null;
  /** For the analytics page's own token check (its form cannot send a header). */
  adminToken: string | undefined;
  /** Most rows one GET /v1/export sends (EXPORT_MAX_ROWS). */
  exportMaxRows: number;
  /** Every documented operation (for /openapi.json and /docs). */
  operations: () => readonly ApiOperation[];
}
