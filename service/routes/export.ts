/**
 * GET /v1/export: every article matching a search (not one page), streamed
 * as CSV or JSON lines. Takes the /v1/search parameters and the same site-key
 * scope; one export is one request for the rate limits. Only the exact
 * matches (those `total` counts) are exported, up to EXPORT_MAX_ROWS.
 */
import { Hono } from 'hono';
import { requestLogger, type AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { csvBom, csvHeader, csvLine, jsonLine, toExportRow } from '../query/export-rows.js';
import { buildSearchRequest } from '../query/search-request.js';
import { exportQuerySchema } from '../schemas.js';
import { validate } from '../middleware/validate.js';
import type { RouteDeps } from './deps.js';

export const exportOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/export',
    operationId: 'exportSearch',
    tag: 'search',
    summary: 'Export every article matching a search as CSV or JSON lines',
    description:
      'Takes the /v1/search parameters (page, pageSize and facets are ignored) and streams every article that matches all the words, up to the EXPORT_MAX_ROWS cap; `X-Export-Total` gives the number of matches and `X-Export-Truncated: true` says the cap cut the file short. CSV columns: title, date, hospital, province, city, honours, levels, url, article (this service\'s page for it); UTF-8 with a byte-order mark so that Excel shows Chinese correctly.',
    query: exportQuerySchema,
    siteKey: true,
    responses: {
      200: {
        description: 'The matching articles, best first (or by date with `sort`).',
        contentType: 'text/csv; charset=utf-8',
        alsoAs: { 'application/x-ndjson; charset=utf-8': 'With format=jsonl: one JSON object per line.' },
        headers: { 'X-Export-Total': 'Number of matching articles.', 'X-Export-Truncated': 'true when the cap cut the export short.' },
      },
    },
    errors: ['validation_failed', 'invalid_site_key', 'rate_limited', 'not_ready', 'engine_unavailable'],
  },
];

/** Rows fetched from the engine per step of the stream. */
const batchSize = 100;

export function createExportRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/v1/export', deps.publicGuard, validate('query', exportQuerySchema), async (c) => {
    const params = c.req.valid('query');
    const plan = buildSearchRequest({ ...params, page: 1, pageSize: batchSize, facets: false }, c.get('siteScope'));
    const origin = new URL(c.req.url).origin;
    const csv = params.format === 'csv';
    const cap = deps.exportMaxRows;

    // The first batch answers before the headers go out, so a failing engine is still a proper error response.
    const first = plan.kind === 'nothing' ? null : await deps.engine.search(plan.request);
    const total = first?.total ?? 0;
    const exported = Math.min(total, cap);
    const stamp = new Date().toISOString().slice(0, 10);
    c.header('Content-Type', csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="dangjian-${stamp}.${params.format}"`);
    c.header('Cache-Control', 'no-store');
    c.header('X-Export-Total', String(total));
    c.header('X-Export-Truncated', String(total > cap));

    const encoder = new TextEncoder();
    let sent = 0;
    let page = 1;
    let batch = first?.hits ?? [];
    let started = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          if (csv) controller.enqueue(encoder.encode(csvBom + csvHeader()));
        }
        if (plan.kind === 'nothing' || sent >= exported || batch.length === 0) return controller.close();
        let chunk = '';
        for (const hit of batch) {
          // Partial matches follow the exact ones on the last pages: they are not part of the result set.
          if (!hit.exact || sent >= exported) break;
          const row = toExportRow(hit.document, origin);
          chunk += csv ? csvLine(row) : jsonLine(row);
          sent++;
        }
        controller.enqueue(encoder.encode(chunk));
        if (sent >= exported || batch.length < batchSize || batch.some((hit) => !hit.exact)) {
          batch = [];
          return;
        }
        page++;
        try {
          batch = (await deps.engine.search({ ...plan.request, page })).hits;
        } catch (error) {
          // Headers are gone: all that is left is to cut the download short, visibly.
          requestLogger(c).error({ err: error }, 'export failed mid-stream');
          controller.error(error);
        }
      },
    });
    return c.body(stream, 200);
  });
  return app;
}
