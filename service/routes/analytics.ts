/**
 * Search analytics routes:
 *   POST /v1/events              a visitor opened a result (the box sends it with sendBeacon)
 *   GET  /v1/admin/analytics     top queries, queries without an exact match, click-through
 *   GET|POST /admin/analytics    the same as a page; the token comes from the header or a form
 * Searches themselves are counted by the search route.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import type { AppEnv } from '../context.js';
import { ApiError } from '../errors.js';
import { limitBody } from '../middleware/body-guards.js';
import { isSameToken } from '../middleware/admin-auth.js';
import { validate } from '../middleware/validate.js';
import type { ApiOperation } from '../openapi.js';
import { applyPageHeaders, renderLayout } from '../pages/layout.js';
import { analyticsQuerySchema, analyticsResponseSchema, eventBodySchema } from '../schemas.js';
import { dayOf, type AnalyticsReport } from '../analytics/store.js';
import type { RouteDeps } from './deps.js';

export const analyticsOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/events',
    operationId: 'recordEvent',
    tag: 'search',
    summary: 'Count a click on a result (no personal data is kept)',
    description:
      'The body is the JSON event. `Content-Type: text/plain` is accepted as well as `application/json`, so a browser can send it as a CORS simple request (no preflight), for example with `navigator.sendBeacon`. Only per-day counts by normalised query are kept: no address, no user id.',
    body: eventBodySchema,
    siteKey: true,
    responses: { 204: { description: 'Counted.' } },
    errors: ['validation_failed', 'invalid_site_key', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'not_ready'],
  },
  {
    method: 'get',
    path: '/v1/admin/analytics',
    operationId: 'searchAnalytics',
    tag: 'admin',
    summary: 'Search analytics per query over a range of days',
    query: analyticsQuerySchema,
    admin: true,
    responses: { 200: { description: 'Top queries, queries without an exact match, click-through.', schema: analyticsResponseSchema } },
    errors: ['validation_failed', 'unauthorized', 'admin_disabled', 'rate_limited', 'not_ready'],
  },
  {
    method: 'get',
    path: '/admin/analytics',
    operationId: 'analyticsPage',
    tag: 'pages',
    summary: 'Search analytics page (Authorization header, or the token typed into its form)',
    security: [{}, { adminToken: [] }],
    responses: {
      200: { description: 'HTML page: the report with a valid token, the token form without one.', contentType: 'text/html; charset=utf-8' },
      401: { description: 'Wrong token: the form again.', contentType: 'text/html; charset=utf-8' },
      403: { description: 'Admin routes are disabled (ADMIN_TOKEN unset).', contentType: 'text/html; charset=utf-8' },
    },
  },
  {
    method: 'post',
    path: '/admin/analytics',
    operationId: 'analyticsPageLogin',
    tag: 'pages',
    summary: 'Search analytics page for the admin token sent from its form',
    responses: {
      200: { description: 'HTML page.', contentType: 'text/html; charset=utf-8' },
      401: { description: 'Wrong token: the form again.', contentType: 'text/html; charset=utf-8' },
      403: { description: 'Admin routes are disabled (ADMIN_TOKEN unset).', contentType: 'text/html; charset=utf-8' },
    },
    errors: ['payload_too_large'],
  },
];

const maxEventBytes = 4096;
const defaultDays = 30;

function resolveRange(from: string | undefined, to: string | undefined): { from: string; to: string } {
  const end = to ?? dayOf(Date.now());
  const start = from ?? dayOf(Date.parse(`${end}T00:00:00Z`) - (defaultDays - 1) * 86_400_000);
  return { from: start, to: end };
}

function parseEvent(text: string): ReturnType<typeof eventBodySchema.parse> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError('validation_failed', 'The body is not JSON.', { field: 'body' });
  }
  const result = eventBodySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || 'body';
    throw new ApiError('validation_failed', `Invalid field "${field}": ${issue?.message ?? 'invalid'}.`, { field });
  }
  return result.data;
}

function renderReport(report: AnalyticsReport) {
  const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
  const table = (rows: AnalyticsReport['topQueries'], empty: string) =>
    rows.length === 0
      ? html`<p class="muted">${empty}</p>`
      : html`<table><thead><tr><th>检索词</th><th>检索次数</th><th>无完全匹配</th><th>点击</th><th>点击率</th><th>最近结果数</th></tr></thead><tbody>${rows.map(
          (r) =>
            html`<tr><td><a href="/search?q=${encodeURIComponent(r.query)}">${r.query}</a></td><td>${r.searches}</td><td>${r.noExactMatch}</td><td>${r.clicks}</td><td>${percent(r.clickThrough)}</td><td>${r.lastTotal}</td></tr>`,
        )}</tbody></table>`;
  return html`<section>
<h1>检索统计</h1>
<p class="muted">${report.from} 至 ${report.to}（UTC）：检索 ${report.searches} 次，${report.distinctQueries} 个不同检索词，点击结果 ${report.clicks} 次。只按天统计检索词，不记录 IP 或用户身份。</p>
</section>
<section aria-labelledby="top"><h2 id="top">热门检索词</h2>${table(report.topQueries, '这段时间没有检索。')}</section>
<section aria-labelledby="zero"><h2 id="zero">没有完全匹配的检索词</h2><p class="muted">这些检索没有找到同时包含全部关键词的文章：可能需要补充同义词、别名或文章。</p>${table(report.noExactMatchQueries, '每个检索词都有完全匹配的文章。')}</section>`;
}

function renderLogin(message: string | null) {
  return html`<section>
<h1>检索统计</h1>
<p>请输入管理员令牌（ADMIN_TOKEN）。</p>
${message ? html`<p role="alert">${message}</p>` : ''}
<form method="post" action="/admin/analytics">
<p><label for="token">管理员令牌</label><br><input id="token" name="token" type="password" autocomplete="current-password" required style="min-height:36px;width:min(100%,360px)"></p>
<p><label for="from">起始日期</label> <input id="from" name="from" type="date" style="min-height:36px"> <label for="to">截止日期</label> <input id="to" name="to" type="date" style="min-height:36px"></p>
<p><button type="submit" style="min-height:36px;padding:0 16px">查看</button></p>
</form>
</section>`;
}

export function createAnalyticsRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const analytics = deps.analytics;

  app.post('/v1/events', deps.publicGuard, limitBody(maxEventBytes), async (c) => {
    const type = c.req.header('Content-Type') ?? '';
    if (!/^(text\/plain|application\/json)\s*(;|$)/iu.test(type)) {
      throw new ApiError('unsupported_media_type', 'Send the event as JSON, with Content-Type text/plain or application/json.', { field: 'Content-Type' });
    }
    const event = parseEvent(await c.req.text());
    analytics?.recordClick(event.query);
    return c.body(null, 204);
  });

  app.get('/v1/admin/analytics', deps.adminGuard, validate('query', analyticsQuerySchema), (c) => {
    const { from, to, limit } = c.req.valid('query');
    const range = resolveRange(from, to);
    if (!analytics) throw new ApiError('not_found', 'Search analytics are not enabled.');
    return c.json(analytics.store.report(range.from, range.to, limit), 200);
  });

  const page = (c: Context<AppEnv>, body: Parameters<typeof renderLayout>[2], status: 200 | 401 | 403 = 200) => {
    applyPageHeaders(c);
    c.header('Cache-Control', 'no-store');
    c.status(status);
    return c.html(renderLayout('检索统计 - 党建文章检索', 'admin', body));
  };
  const day = (value: unknown): string | undefined =>
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/u.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined;
  const reportPage = (c: Context<AppEnv>, from: string | undefined, to: string | undefined) => {
    if (!analytics) return page(c, html`<section><h1>检索统计</h1><p>未启用检索统计。</p></section>`);
    let range = resolveRange(from, to);
    if (range.from > range.to) range = { from: range.to, to: range.from };
    return page(c, renderReport(analytics.store.report(range.from, range.to)));
  };

  app.get('/admin/analytics', (c) => {
    if (deps.adminToken === undefined) return page(c, html`<section><h1>检索统计</h1><p>管理功能未启用：请设置 ADMIN_TOKEN。</p></section>`, 403);
    const given = /^Bearer[ ]+(\S+)\s*$/iu.exec(c.req.header('Authorization') ?? '')?.[1];
    if (given !== undefined && isSameToken(given, deps.adminToken)) return reportPage(c, day(c.req.query('from')), day(c.req.query('to')));
    return page(c, renderLogin(given === undefined ? null : '令牌不正确。'), given === undefined ? 200 : 401);
  });

  app.post('/admin/analytics', limitBody(maxEventBytes), async (c) => {
    if (deps.adminToken === undefined) return page(c, html`<section><h1>检索统计</h1><p>管理功能未启用：请设置 ADMIN_TOKEN。</p></section>`, 403);
    const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
    const token = typeof form['token'] === 'string' ? form['token'] : '';
    if (!isSameToken(token, deps.adminToken)) return page(c, renderLogin('令牌不正确。'), 401);
    return reportPage(c, day(form['from']), day(form['to']));
  });
  return app;
}
