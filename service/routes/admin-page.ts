/**
 * GET /admin: operators list and edit the synonyms and dictionary words added
 * at run time. The page itself holds nothing secret; every read and write
 * goes through the admin API with the token typed into it.
 */
import { Hono } from 'hono';
import type { ApiOperation } from '../openapi.js';
import { adminPageScript } from './admin-page-script.js';

const securityHeaders: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

export const adminPageOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/admin',
    operationId: 'adminPage',
    tag: 'pages',
    summary: 'Operators’ page: the synonyms and dictionary words added at run time (needs the admin token)',
    responses: { 200: { description: 'HTML page.', contentType: 'text/html; charset=utf-8' } },
  },
  {
    method: 'get',
    path: '/admin/admin.js',
    operationId: 'adminPageScript',
    tag: 'pages',
    summary: 'The script of the operators’ page',
    responses: { 200: { description: 'JavaScript.', contentType: 'text/javascript; charset=utf-8' } },
  },
];

const page = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>同义词与词典 · 管理</title>
<style>
:root{color-scheme:light dark;--fg:#1f2328;--bg:#f6f7f9;--card:#fff;--bd:#e2e5e9;--ib:#8c959f;--mu:#5b6470;--hd:#b4232a;--bad:#b4232a;--code:#f1f3f5}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--bg:#0f1216;--card:#15181d;--bd:#3a414b;--ib:#6e7781;--mu:#a4adb8;--hd:#7d1419;--bad:#ff8a80;--code:#232931}}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;line-height:1.6;color:var(--fg);background:var(--bg)}
header{background:var(--hd);color:#fff;padding:14px 20px}
header a{color:#fff;display:inline-block;min-height:32px;line-height:32px;margin-right:12px}
main{max-width:900px;margin:0 auto;padding:20px}
section{background:var(--card);border:1px solid var(--bd);border-radius:10px;padding:20px;margin:0 0 20px}
h1{font-size:1.4em;margin:0}
h2{font-size:1.1em;margin:0 0 8px}
code{font-family:ui-monospace,Consolas,monospace;background:var(--code);border-radius:4px;padding:1px 4px}
textarea,input{color:var(--fg);background:var(--card);border:1px solid var(--ib);border-radius:4px}
textarea{width:100%;min-height:12em;font:inherit;font-family:ui-monospace,Consolas,monospace;padding:8px}
input{font:inherit;padding:6px;min-width:min(22em,100%);min-height:36px}
button{font:inherit;padding:6px 14px;margin:8px 8px 0 0;min-height:36px;cursor:pointer}
.muted{color:var(--mu);font-size:.92em}
[data-state=error]{color:var(--bad)}
</style>
</head>
<body>
<header><h1>同义词与词典</h1><a href="/">首页</a> <a href="/search">检索</a></header>
<main>
<section>
<form id="login">
<label>管理令牌（ADMIN_TOKEN） <input id="token" type="password" autocomplete="off"></label>
<button type="submit" id="load">载入</button>
</form>
<p id="login-status" role="status" class="muted"></p>
</section>
<div id="editor" hidden>
<section>
<h2>同义词</h2>
<p class="muted">每行一组可互换的写法，用逗号分隔，如 <code>无人机, 飞行器</code>；单向扩展写作 <code>党建 =&gt; 党委, 党支部</code>（搜前者也找到后者，反之不然）。随程序发布的 <span id="shipped-synonyms"></span> 条始终生效，这里只列运行时添加的。</p>
<textarea id="synonyms" aria-label="同义词"></textarea>
<button type="button" id="save-synonyms">保存同义词</button><button type="button" id="export-synonyms">导出 synonyms.json</button>
<p id="synonyms-status" role="status" class="muted"></p>
</section>
<section>
<h2>词典</h2>
<p class="muted">分词时保持完整的词，每行 <code>词 [词频] [词性]</code>，如 <code>无人机急救 20000 nz</code>。随程序发布的 <span id="shipped-dictionary"></span> 个词始终生效。</p>
<textarea id="dictionary" aria-label="词典"></textarea>
<button type="button" id="save-dictionary">保存词典</button><button type="button" id="export-dictionary">导出 dictionary.txt</button>
<p id="dictionary-status" role="status" class="muted"></p>
</section>
</div>
</main>
<script src="/admin/admin.js"></script>
</body>
</html>
`;

export const adminPageRoutes = new Hono();

adminPageRoutes.get('/admin', (c) => {
  for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  return c.html(page);
});

adminPageRoutes.get('/admin/admin.js', (c) => {
  for (const [name, value] of Object.entries(securityHeaders)) c.header(name, value);
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  return c.body(adminPageScript);
});
