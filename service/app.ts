/**
 * The composition of the HTTP API: `createApp(deps)` wires middleware and
 * routes around a given engine, so tests can build an app around a temp
 * engine and service/main.ts around the configured one.
 *
 * Middleware order, outermost first: the request envelope (id, logger,
 * nosniff, metrics, log line, unread body) → (on /v1/*) CORS → per-address rate limit → readiness gate → per-route
 * guards (site key + its rate limit, or admin token) → validation → handler.
 * Every error, wherever thrown, goes through the one onError in errors.ts.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { every } from 'hono/combine';
import type { Logger } from 'pino';
import type { SearchEngine } from '../engine/port.js';
import type { AppEnv } from './context.js';
import { ApiError, createErrorHandler, respondWithError } from './errors.js';
import { hasAdminToken, requireAdmin } from './middleware/admin-auth.js';
import { docsPageHeaders, requireMetricsToken } from './middleware/security-headers.js';
import { corsAllowlist } from './middleware/cors.js';
import { createMetrics } from './middleware/metrics.js';
import { TokenBuckets, limitByAddress, limitBySiteKey, type BucketSettings } from './middleware/rate-limit.js';
import { requestEnvelope } from './middleware/request-envelope.js';
import { resolveSiteKey, type SiteKeys } from './middleware/site-key.js';
import type { ApiOperation } from './openapi.js';
import { Readiness } from './readiness.js';
import { limits } from './schemas.js';
import { adminOperations, createAdminRoutes } from './routes/admin.js';
import { articlePageOperations, createArticlePageRoutes } from './routes/article-page.js';
import { analysisOperations, createAnalysisRoutes } from './routes/analysis.js';
import { adminPageOperations, adminPageRoutes } from './routes/admin-page.js';
import { articleOperations, createArticleRoutes } from './routes/articles.js';
import type { RouteDeps } from './routes/deps.js';
import { createDocsRoutes, docsOperations } from './routes/docs.js';
import { createExportRoutes, exportOperations } from './routes/export.js';
import { analyticsOperations, createAnalyticsRoutes } from './routes/analytics.js';
import { createSearchAnalytics } from './analytics/recorder.js';
import type { AnalyticsStore } from './analytics/store.js';
import { createFacetRoutes, facetOperations } from './routes/facets.js';
import { createHealthRoutes, healthOperations } from './routes/health.js';
import { pagesRoutes } from './routes/pages.js';
import { createRelatedRoutes, relatedOperations } from './routes/related.js';
import { createSearchRoutes, searchOperations } from './routes/search.js';
import { createSuggestRoutes, suggestOperations } from './routes/suggest.js';
import { WriteQueue } from './write-queue.js';
import { defaultMinArticleChars } from '../indexer/ingest.js';
import { IdempotencyStore } from './idempotency.js';
import type { BatchLimits } from './routes/ingest-body.js';

export interface AppDeps {
  engine: SearchEngine;
  corpusDir: string;
  logger: Logger;
  /** Defaults to ready (tests that build an app around an initialised engine). */
  readiness?: Readiness;
  siteKeys?: SiteKeys;
  adminToken?: string | undefined;
  corsOrigins?: readonly string[];
  /** `admin`: requests with the valid admin token, instead of `perIp` (default: unlimited). */
  rateLimit?: { perIp: BucketSettings; perSiteKey: BucketSettings; admin?: BucketSettings };
  /** Proxies in front that append to X-Forwarded-For (true = 1); false or 0: use the socket's address. */
  trustProxy?: boolean | number;
  /** READ_ONLY: every write under /v1 answers 405 `read_only`. */
  readOnly?: boolean;
  /** METRICS_TOKEN: when set, /metrics needs it as a bearer token. */
  metricsToken?: string | undefined;
  /** MIN_ARTICLE_CHARS (default defaultMinArticleChars). */
  minArticleChars?: number;
  /** SEARCH_TIMEOUT_MS (default: no budget). */
  searchTimeoutMs?: number;
  /** Clock for the rate limiter (ms). */
  now?: () => number;
  /** Per-day search and click counts (service/analytics); none when unset. */
  analytics?: AnalyticsStore;
  /** Most rows one export sends (default 10 000). */
  exportMaxRows?: number;
  /** Where the run-time synonyms and dictionary are kept (default: in memory). */
  analysisDir?: string;
  /** Where replies to Idempotency-Key writes are kept (default: in memory). */
  idempotencyDir?: string;
  /** Batch ingest limits (default 1000 articles, 32 MB). */
  ingestLimits?: BatchLimits;
  /** Shared with start-up's corpus sync, so admin writes and the sync never interleave. */
  writes?: WriteQueue;
}

/** service/routes/pages.ts (owned by the widget): described here so /openapi.json lists every route. */
const pageOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/',
    operationId: 'demoPage',
    tag: 'pages',
    summary: 'Demo page: the embeddable search box on the indexed corpus, and how to embed it',
    responses: { 200: { description: 'HTML page.', contentType: 'text/html; charset=utf-8' } },
  },
  {
    method: 'get',
    path: '/search',
    operationId: 'searchPage',
    tag: 'pages',
    summary: "Editors' full-page search; the URL holds the state (shareable links)",
    responses: { 200: { description: 'HTML page.', contentType: 'text/html; charset=utf-8' } },
  },
  {
    method: 'get',
    path: '/widget.js',
    operationId: 'widgetScript',
    tag: 'pages',
    summary: 'The embeddable search box script (gzip, ETag)',
    responses: {
      200: { description: 'JavaScript.', contentType: 'text/javascript; charset=utf-8' },
      304: { description: 'Not modified (If-None-Match).' },
    },
  },
  {
    method: 'get',
    path: '/widget-zh-hant.js',
    operationId: 'widgetTraditionalScript',
    tag: 'pages',
    summary: 'Simplified → Traditional conversion (OpenCC) that search boxes with data-lang="zh-TW" or "zh-HK" load (gzip, ETag)',
    responses: {
      200: { description: 'JavaScript.', contentType: 'text/javascript; charset=utf-8' },
      304: { description: 'Not modified (If-None-Match).' },
    },
  },
];

const noLimit: BucketSettings = { perMinute: 0, burst: 1 };

/**
 * The address the `hops`-th proxy from us saw the request come from: that
 * many entries from the end of X-Forwarded-For, since every proxy appends
 * its peer and the client can put anything before them. With fewer entries
 * than hops, the first one (the furthest address known).
 */
export function forwardedClient(header: string | undefined, hops: number): string | undefined {
  if (header === undefined || hops < 1) return undefined;
  const entries = header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries[Math.max(0, entries.length - hops)];
}

function createClientAddress(trustProxy: boolean | number): (c: Context) => string {
  const hops = trustProxy === true ? 1 : trustProxy === false ? 0 : trustProxy;
  return (c) => {
    const forwarded = forwardedClient(c.req.header('X-Forwarded-For'), hops);
    if (forwarded !== undefined) return forwarded;
    try {
      return getConnInfo(c).remote.address ?? 'unknown';
    } catch {
      // app.request() in tests has no socket.
      return 'unknown';
    }
  };
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const readiness =
    deps.readiness ??
    (() => {
      const r = new Readiness();
      r.markReady();
      return r;
    })();
  const metrics = createMetrics(deps.engine, deps.logger, () => readiness.corpusProblems.length);
  const perIp = new TokenBuckets(deps.rateLimit?.perIp ?? noLimit, deps.now);
  const perSiteKey = new TokenBuckets(deps.rateLimit?.perSiteKey ?? noLimit, deps.now);
  const perAdmin = new TokenBuckets(deps.rateLimit?.admin ?? noLimit, deps.now);

  const operations: ApiOperation[] = [
    ...searchOperations,
    ...exportOperations,
    ...analyticsOperations,
    ...suggestOperations,
    ...facetOperations,
    ...articleOperations,
    ...relatedOperations,
    ...adminOperations,
    ...analysisOperations,
    ...healthOperations,
    ...docsOperations,
    ...pageOperations,
    ...articlePageOperations,
    ...adminPageOperations,
  ];
  const routeDeps: RouteDeps = {
    engine: deps.engine,
    corpusDir: deps.corpusDir,
    readiness,
    metrics,
    writes: deps.writes ?? new WriteQueue(),
    exportMaxRows: deps.exportMaxRows ?? 10_000,
    analytics: deps.analytics ? createSearchAnalytics(deps.analytics, metrics.registry) : null,
    adminToken: deps.adminToken,
    ingestLimits: deps.ingestLimits ?? { maxItems: 1000, maxBytes: 32 * 1024 * 1024 },
    idempotency: new IdempotencyStore(deps.idempotencyDir),
    analysisDir: deps.analysisDir,
    publicGuard: every(resolveSiteKey(deps.siteKeys ?? new Map()), limitBySiteKey(perSiteKey)),
    adminGuard: requireAdmin(deps.adminToken),
    searchTimeoutMs: deps.searchTimeoutMs ?? 0,
    minArticleChars: deps.minArticleChars ?? defaultMinArticleChars,
    operations: () => operations,
  };

  const app = new Hono<AppEnv>();
  app.use('*', requestEnvelope({ logger: deps.logger, metrics, unreadBody: { maxBytes: 4 * limits.bodyBytes, maxMs: 5_000 } }));
  app.use('/docs', docsPageHeaders());
  app.use('/metrics', requireMetricsToken(deps.metricsToken));
  app.use('/v1/*', corsAllowlist(deps.corsOrigins ?? []));
  app.use('/openapi.json', corsAllowlist(deps.corsOrigins ?? []));
  app.use(
    '/v1/*',
    limitByAddress(perIp, createClientAddress(deps.trustProxy ?? false), {
      isAdmin: (c) => hasAdminToken(c.req.header('Authorization'), deps.adminToken),
      buckets: perAdmin,
    }),
  );
  if (deps.readOnly === true) {
    app.use('/v1/*', async (c, next) => {
      if (!['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
        throw new ApiError('read_only', 'This instance serves the index read-only (READ_ONLY=true); send writes to the writing instance.', {
          headers: { Allow: 'GET, HEAD, OPTIONS' },
        });
      }
      await next();
    });
  }
  app.use('/v1/*', async (_c, next) => {
    if (readiness.state !== 'ready') {
      throw new ApiError('not_ready', `The service is not ready (${readiness.detail}). Try again shortly.`, {
        headers: { 'Retry-After': '5' },
      });
    }
    await next();
  });

  for (const routes of [
    createSearchRoutes,
    createSuggestRoutes,
    createFacetRoutes,
    createRelatedRoutes,
    createArticleRoutes,
    createAdminRoutes,
    createAnalysisRoutes,
    createHealthRoutes,
    createDocsRoutes,
    createArticlePageRoutes,
    createExportRoutes,
    createAnalyticsRoutes,
  ]) {
    app.route('/', routes(routeDeps));
  }

  app.route('/', pagesRoutes);
  app.route('/', adminPageRoutes);

  app.notFound((c) => respondWithError(c, new ApiError('not_found', `No route ${c.req.method} ${c.req.path}.`)));
  app.onError(createErrorHandler(deps.logger));
  return app;
}
