/**
 * The service's own pages and the embeddable script:
 *   GET /           demo page: the search box on the indexed corpus, and how to embed it
 *   GET /search     editors' full-page search (all facets, pagination, related articles);
 *                   state lives in the URL, so /search?q=…&year=2022 is a shareable link
 *   GET /widget.js  the search box (widget/), bundled in memory, gzip + ETag
 *   GET /widget-zh-hant.js  the Traditional-script converter zh-TW / zh-HK boxes load
 *
 * Both pages are thin server-rendered shells around widget.js: results come
 * from the same public API a hospital site uses, so what editors see is what
 * visitors get. Every interpolated value goes through hono/html's escaping.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { loadTraditionalBundle, loadWidgetBundle, type WidgetBundle } from '../../widget/build.js';
import type { Context } from 'hono';
import { applyPageHeaders, renderLayout } from '../pages/layout.js';

export const pagesRoutes = new Hono();

/** Script-tag attributes, shown on the demo page (README.md documents the same list). */
const widgetAttributes: { name: string; description: string; fallback: string }[] = [
  { name: 'data-target', description: '放置搜索框的元素（CSS 选择器）', fallback: '紧跟在 script 标签之后' },
  { name: 'data-site-key', description: '站点密钥：只搜索本院文章', fallback: '不限医院' },
  { name: 'data-api', description: '检索服务地址', fallback: 'widget.js 所在的域名' },
  { name: 'data-placeholder', description: '输入框提示文字', fallback: '搜索党建案例、医院…' },
  { name: 'data-page-size', description: '每页条数（1–50）', fallback: '10' },
  { name: 'data-theme', description: 'light、dark 或 auto（跟随系统）', fallback: 'light' },
  { name: 'data-facets', description: '筛选项，逗号分隔：province,city,hospital,year,awardType,awardLevel', fallback: 'year,awardType' },
  { name: 'data-search-page', description: '服务不可用时引导访客前往的搜索页', fallback: '检索服务的 /search' },
  { name: 'data-lang', description: 'zh-TW 或 zh-HK：以繁体字（台湾或香港字形）显示搜索框和结果', fallback: 'zh-CN（简体）' },
];

pagesRoutes.get('/', (c) => {
  applyPageHeaders(c);
  const origin = new URL(c.req.url).origin;
  const embedCode = `<div id="search"></div>\n<script src="${origin}/widget.js" data-target="#search" data-site-key="您的站点密钥" async></script>`;
  const themeCode = `#search {\n  --dj-accent: #0b5cad;       /* 主色 */\n  --dj-accent-dark: #8cc4ff;  /* 深色模式的主色（可省略：默认由主色调浅） */\n  --dj-radius: 4px;           /* 圆角 */\n  --dj-font: "Microsoft YaHei", sans-serif;\n}`;
  return c.html(
    renderLayout(
      '党建文章检索 · 演示',
      'demo',
      html`<section>
<h1>医院党建文章检索</h1>
<p>这是医院网站可以嵌入的搜索框，检索本服务收录的党建文章（演示数据为 <code>corpus/</code> 中的种子文章）。输入时会给出联想建议，回车查看结果，可以按年份和荣誉类型筛选，每条结果都能查看相关文章。</p>
<div id="search"></div>
<script src="/widget.js" data-target="#search" data-theme="auto" async></script>
</section>
<section>
<h2>可以试试</h2>
<ul>
<li><code>党建</code>、<code>党建品牌</code>、<code>先锋党支部</code>：普通关键词；</li>
<li><code>dangjian</code>、<code>djpp</code>：全拼和拼音首字母；</li>
<li><code>荆州一医</code>：医院简称，会匹配到全称；</li>
<li><code>衛健委</code>：繁体字与简体结果相同；</li>
<li><code>"党建品牌"</code>：加引号表示整个短语必须连续出现。</li>
</ul>
<p class="muted">编辑查找先例请用<a href="/search">编辑检索页</a>：可按省份、城市、医院、年份、荣誉类型和级别筛选，地址栏链接可直接分享。</p>
</section>
<section>
<h2>嵌入到医院网站</h2>
<p>在页面中粘贴以下两行即可，不需要任何框架或构建步骤：</p>
<pre><code>${embedCode}</code></pre>
<table>
<thead><tr><th>属性</th><th>作用</th><th>默认值</th></tr></thead>
<tbody>${widgetAttributes.map(
        (attribute) => html`<tr><td><code>${attribute.name}</code></td><td>${attribute.description}</td><td>${attribute.fallback}</td></tr>`,
      )}</tbody>
</table>
<p>站点密钥由检索服务管理员发放，每个密钥只能搜到所绑定医院的文章（由服务器强制限定）。搜索框的样式与页面隔离，可以用 CSS 变量调整外观：</p>
<pre><code>${themeCode}</code></pre>
</section>`,
    ),
  );
});

pagesRoutes.get('/search', (c) => {
  applyPageHeaders(c);
  const query = (c.req.query('q') ?? '').trim().slice(0, 200);
  return c.html(
    renderLayout(
      query ? `${query} - 党建文章检索` : '编辑检索 - 党建文章检索',
      'search',
      html`<section>
<h1>编辑检索</h1>
<p class="muted">查找先例案例：按省份、城市、医院、年份、荣誉类型和级别筛选，查看相关文章。当前页面的地址就是检索链接，可以直接分享。</p>
<div id="search"><noscript><p>此页面需要启用 JavaScript。${query ? html`当前检索词：${query}` : ''}</p></noscript></div>
<script src="/widget.js" data-target="#search" data-mode="page" data-page-size="20" data-theme="auto" async></script>
</section>`,
    ),
  );
});

/** Weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal once W/ is ignored. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === opaque;
  });
}

function acceptsGzip(acceptEncoding: string | undefined): boolean {
  return (acceptEncoding ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return (coding === 'gzip' || coding === '*') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function sendBundle(c: Context, bundle: WidgetBundle) {
  // Hospital pages embed a fixed URL, so caches revalidate every few minutes
  // (cheap with the ETag) and a new release reaches every site within that.
  c.header('Cache-Control', 'public, max-age=300, stale-while-revalidate=86400');
  // Weak: the gzip and identity encodings share one validator.
  c.header('ETag', `W/${bundle.etag}`);
  c.header('Vary', 'Accept-Encoding');
  c.header('X-Content-Type-Options', 'nosniff');
  // Loaded by <script> from other origins: never let a blanket CORP policy block it.
  c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  if (matchesEtag(c.req.header('If-None-Match'), bundle.etag)) return c.body(null, 304);
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  if (acceptsGzip(c.req.header('Accept-Encoding'))) {
    c.header('Content-Encoding', 'gzip');
    return c.body(bundle.gzipped);
  }
  return c.body(bundle.code);
}

pagesRoutes.get('/widget.js', async (c) => sendBundle(c, await loadWidgetBundle()));
pagesRoutes.get('/widget-zh-hant.js', async (c) => sendBundle(c, await loadTraditionalBundle()));
