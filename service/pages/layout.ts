/**
 * The frame shared by the service's own HTML pages: header, navigation,
 * styles (light and dark, following the visitor's system setting) and the
 * security headers. Every interpolated value goes through hono/html's escaping.
 */
import type { Context } from 'hono';
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

/**
 * The pages run no inline script and talk only to their own origin, so a
 * strict policy costs nothing and contains any escaping mistake.
 */
const pageSecurityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cache-Control': 'no-cache',
};

export function applyPageHeaders(c: Context): void {
  for (const [name, value] of Object.entries(pageSecurityHeaders)) c.header(name, value);
}

const pageStyle = `
:root{color-scheme:light dark;--fg:#1f2328;--bg:#f6f7f9;--card:#fff;--bd:#e2e5e9;--mu:#5b6470;--code:#f1f3f5;--hd:#b4232a;--ln:#0b5cad;--mk:#ffe58a}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#0f1216;--card:#15181d;--bd:#3a414b;--mu:#a4adb8;--code:#232931;--hd:#7d1419;--ln:#8cc4ff;--mk:#7a5c00}}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.7;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 28px;background:var(--hd);color:#fff;padding:14px 20px}
header a{color:#fff;text-decoration:none;margin-right:16px;display:inline-block;min-height:32px;line-height:32px}
header a[aria-current]{text-decoration:underline;text-underline-offset:4px}
main{max-width:1100px;margin:0 auto;padding:20px}
section,article{background:var(--card);border:1px solid var(--bd);border-radius:10px;padding:20px;margin:0 0 20px}
a{color:var(--ln)}
h1{font-size:1.5em;margin:0 0 8px}
h2{font-size:1.15em;margin:0 0 10px}
code,pre{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;font-size:.9em;background:var(--code);border-radius:4px}
code{padding:1px 4px}
pre{padding:12px;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--bd);vertical-align:top;overflow-wrap:anywhere}
mark{background:var(--mk);color:inherit;padding:0 1px;border-radius:2px}
.muted{color:var(--mu)}
dl.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;margin:12px 0}
dl.meta dt{color:var(--mu)}
dl.meta dd{margin:0;overflow-wrap:anywhere}
.text p{margin:0 0 1em}
ul.plain{padding-left:1.2em}
ul.plain li{margin:0 0 8px}
@media (max-width:600px){main{padding:12px}section,article{padding:14px}dl.meta{grid-template-columns:minmax(0,1fr)}dl.meta dd{margin-bottom:6px}}
`;

export type PageName = 'demo' | 'search' | 'article' | 'admin';

export function renderLayout(title: string, current: PageName, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${raw(pageStyle)}</style>
</head>
<body>
<header><strong>党建文章检索</strong><nav aria-label="网站导航"><a href="/"${current === 'demo' ? html` aria-current="page"` : ''}>演示</a><a href="/search"${current === 'search' ? html` aria-current="page"` : ''}>编辑检索</a><a href="/docs">API 文档</a></nav></header>
<main>
${body}
</main>
</body>
</html>`;
}
