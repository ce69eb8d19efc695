/**
 * GET /articles/:id — one article as a server-rendered page: readable without
 * JavaScript, shareable, and the target of every result link in the box and
 * on /search. `?q=` highlights the query's words in the title and text;
 * `?key=` confines it to a site key's hospital like the API (another
 * hospital's article is a 404 for that key).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { html, raw } from 'hono/html';
import { analyseQuery } from '../../engine/analysis/query.js';
import { escapeHtml, highlight } from '../../engine/analysis/snippet.js';
import type { EngineDocument } from '../../engine/document.js';
import type { RelatedHit } from '../../engine/port.js';
import type { AppEnv } from '../context.js';
import type { ApiOperation } from '../openapi.js';
import { isInScope } from '../query/present.js';
import { buildRelatedRequest } from '../query/search-request.js';
import type { SiteScope } from '../query/filters.js';
import { applyPageHeaders, renderLayout } from '../pages/layout.js';
import { articleIdParamsSchema, limits, siteKeyParamSchema } from '../schemas.js';
import type { RouteDeps } from './deps.js';

/** Not strict: a shared link may carry tracking parameters, which a page should survive. */
const articlePageQuerySchema = z.object({
  // Not refused when longer: a page link should open, so the page highlights the first queryChars characters.
  q: z.string().optional().describe(`Words to highlight in the title and text (the first ${limits.queryChars} characters).`),
  key: siteKeyParamSchema,
});

export const articlePageOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/articles/:id',
    operationId: 'articlePage',
    tag: 'pages',
    summary: 'One article as a page: metadata, the full text with `q` highlighted, reposts and related articles',
    params: articleIdParamsSchema,
    query: articlePageQuerySchema,
    siteKey: true,
    responses: {
      200: { description: 'HTML page.', contentType: 'text/html; charset=utf-8' },
      404: { description: 'No such article (or outside the site key’s hospital).', contentType: 'text/html; charset=utf-8' },
    },
    errors: ['validation_failed', 'invalid_site_key', 'rate_limited'],
  },
];

const levelNames: Record<string, string> = { national: '国家级', provincial: '省级', municipal: '市级', county: '县级', internal: '院内' };
const relatedLimit = 6;

/** Crawled URLs: only http(s) may become a link. */
function safeHref(url: string | null): string | null {
  return url && /^https?:\/\//iu.test(url) ? url : null;
}

/** The text for a title slot: the indexer derives one for untitled pages, the summary covers anything older. */
export function displayTitle(doc: Pick<EngineDocument, 'title' | 'summary' | 'body'>): string {
  if (doc.title.trim() !== '') return doc.title;
  const text = (doc.summary || doc.body).trim();
  return text.length > 30 ? `${text.slice(0, 30)}…` : text || '未命名文章';
}

/** Links inside the page keep the reader's site key and query. */
function articleHref(id: string, q: string, scope: SiteScope | null): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (scope) params.set('key', scope.key);
  const search = params.toString();
  return `/articles/${encodeURIComponent(id)}${search ? `?${search}` : ''}`;
}

function searchHref(field: string, value: string): string {
  return `/search?${new URLSearchParams({ [field]: value }).toString()}`;
}

function describeDate(doc: EngineDocument): string | null {
  if (doc.publishedAt) return `${doc.publishedAt}（发布日期）`;
  if (doc.year !== null) return doc.yearSource === 'inferred' ? `${doc.year}年（据正文推断）` : `${doc.year}年`;
  return null;
}

function describePlace(doc: EngineDocument): string | null {
  const parts = [doc.province, doc.city !== doc.province ? doc.city : null, doc.county].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join(' · ') : null;
}

function metaRow(label: string, value: unknown) {
  return value === null || value === '' ? '' : html`<dt>${label}</dt><dd>${value}</dd>`;
}

function renderArticle(doc: EngineDocument, q: string, scope: SiteScope | null, reposts: EngineDocument[], related: RelatedHit[]) {
  const terms = q ? analyseQuery(q).highlightTerms : [];
  const mark = (text: string) => raw(terms.length > 0 ? highlight(text, terms) : escapeHtml(text));
  const title = displayTitle(doc);
  const original = safeHref(doc.url);
  const hospitals = [...new Set([doc.hospital, ...doc.hospitals].filter((h): h is string => !!h))];
  const honours = doc.awardNames.length > 0 ? doc.awardNames.join('、') : doc.awardTypes.join('、');
  const levels = doc.awardLevels.map((level) => levelNames[level] ?? level).join('、');
  const paragraphs = doc.body.split('\n').filter((p) => p.trim() !== '');
  return html`<article>
<h1>${mark(title)}</h1>
<dl class="meta">
${metaRow('日期', describeDate(doc))}
${metaRow('来源', doc.source)}
${hospitals.length > 0 ? html`<dt>医院</dt><dd>${hospitals.map((h, i) => html`${i > 0 ? '、' : ''}<a href="${searchHref('hospital', h)}">${h}</a>`)}</dd>` : ''}
${metaRow('地区', describePlace(doc))}
${metaRow('荣誉', honours)}
${metaRow('荣誉级别', levels)}
${metaRow('荣誉类型', doc.awardNames.length > 0 ? doc.awardTypes.join('、') : '')}
${metaRow('党支部', doc.partyBranches.join('、'))}
</dl>
${original ? html`<p><a href="${original}" rel="noopener noreferrer">查看原文</a> <span class="muted">${original}</span></p>` : ''}
<div class="text">${paragraphs.map((p) => html`<p>${mark(p)}</p>`)}</div>
</article>
${
  reposts.length > 0
    ? html`<section aria-labelledby="reposts"><h2 id="reposts">也发布于</h2><ul class="plain">${reposts.map((r) => {
        const href = safeHref(r.url);
        const label = [r.source, r.publishedAt].filter(Boolean).join(' · ') || displayTitle(r);
        return html`<li>${href ? html`<a href="${href}" rel="noopener noreferrer">${label}</a>` : label}</li>`;
      })}</ul></section>`
    : ''
}
${
  related.length > 0
    ? html`<section aria-labelledby="related"><h2 id="related">相关文章</h2><ul class="plain">${related.map(
        (r) =>
          html`<li><a href="${articleHref(r.document.id, '', scope)}">${displayTitle(r.document)}</a>${r.document.hospital ? html` <span class="muted">${r.document.hospital}</span>` : ''}${
            r.sharedKeywords.length > 0 ? html`<br><span class="muted">共同关键词：${r.sharedKeywords.join('、')}</span>` : ''
          }</li>`,
      )}</ul></section>`
    : ''
}`;
}

function notFound(c: Context<AppEnv>) {
  c.status(404);
  return c.html(
    renderLayout(
      '找不到文章 - 党建文章检索',
      'article',
      html`<section><h1>找不到这篇文章</h1><p>文章可能已被删除，或不在本站的检索范围内。</p><p><a href="/search">去检索页查找</a></p></section>`,
    ),
  );
}

export function createArticlePageRoutes(deps: RouteDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/articles/:id', deps.publicGuard, async (c) => {
    applyPageHeaders(c);
    const id = c.req.param('id');
    const q = (c.req.query('q') ?? '').trim().slice(0, limits.queryChars);
    const scope = c.get('siteScope');
    const doc = id.length <= 200 ? await deps.engine.get(id, { engineFields: false }) : null;
    if (!doc || (scope && !isInScope(doc, scope.hospital))) return notFound(c);
    const [repostIds, related] = await Promise.all([
      deps.engine.duplicatesOf(id),
      deps.engine.related(buildRelatedRequest(id, relatedLimit, scope)),
    ]);
    const reposts = (await Promise.all(repostIds.map((repost) => deps.engine.get(repost, { engineFields: false })))).filter(
      (r): r is EngineDocument => r !== null && (!scope || isInScope(r, scope.hospital)),
    );
    return c.html(renderLayout(`${displayTitle(doc)} - 党建文章检索`, 'article', renderArticle(doc, q, scope, reposts, related)));
  });
  return app;
}
