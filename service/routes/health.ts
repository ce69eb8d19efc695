import { Hono } from 'hono';
import { ApiError } from '../errors.js';
import { requestLogger, type AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { healthResponseSchema, readinessResponseSchema, type ReadinessResponse } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** A readiness probe must answer quickly even when the engine hangs. */
const healthTimeoutMs = 2000;

export const healthOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    tag: 'operations',
    summary: 'Liveness: the process is up',
    responses: { 200: { description: 'Up.', schema: healthResponseSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    tag: 'operations',
    summary: 'Readiness: the index is loaded and the engine reachable',
    description: 'Answers 503 while starting (engine initialising, corpus being indexed), while shutting down, and whenever the engine is unreachable.',
    responses: { 200: { description: 'Ready to serve.', schema: readinessResponseSchema } },
    errors: ['not_ready', 'engine_unavailable'],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'operations',
    summary: 'Prometheus metrics',
    description:
      'Request counts and latency histograms by route pattern and status, index size, process metrics. With METRICS_TOKEN set, needs `Authorization: Bearer <METRICS_TOKEN>`.',
    security: [{}, { metricsToken: [] }],
    responses: { 200: { description: 'Prometheus text exposition format.', contentType: 'text/plain; version=0.0.4' } },
    errors: ['unauthorized'],
  },
];

async function checkEngine(deps: RouteDeps): Promise<{ ok: boolean; detail?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${healthTimeoutMs} ms` }), healthTimeoutMs);
  });
  try {
    return await Promise.race([deps.engine.health(), timeout]);
  } catch {
    return { ok: false, detail: 'health check failed' };
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' as const }, 200));

  app.get('/readyz', async (c) => {
    if (deps.readiness.state !== 'ready') {
      throw new ApiError('not_ready', `Not ready: ${deps.readiness.detail}.`, { headers: { 'Retry-After': '5' } });
    }
    const health = await checkEngine(deps);
    if (!health.ok) {
      requestLogger(c).warn({ detail: health.detail }, 'engine health check failed');
      throw new ApiError('engine_unavailable', 'The search engine is not reachable.', { headers: { 'Retry-After': '5' } });
    }
    const stats = await deps.engine.stats();
    const problems = deps.readiness.corpusProblems;
    const body: ReadinessResponse = { status: 'ready', engine: deps.engine.name, documents: stats.documents };
    if (problems.length > 0) {
      body.corpus = {
        rejectedFiles: problems.length,
        rejected: problems.slice(0, 20).map((p) => ({ path: p.sourcePath, reason: p.reason, detail: p.detail })),
      };
    }
    return c.json(body, 200);
  });

  app.get('/metrics', async (c) => {
    const text = await deps.metrics.render();
    return c.body(text, 200, { 'Content-Type': deps.metrics.contentType });
  });
  return app;
}
