import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { pagesRoutes } from '../../service/routes/pages.js';

describe('GET /widget.js', () => {
  it('serves JavaScript with caching headers and a validator', async () => {
    const response = await pagesRoutes.request('/widget.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    expect(response.headers.get('etag')).toMatch(/^W\/"[\w-]+"$/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const code = await response.text();
    expect(code).toContain('DangjianSearch');
  });

  it('answers 304 to a browser that already has this version', async () => {
    const first = await pagesRoutes.request('/widget.js');
    const etag = first.headers.get('etag') ?? '';
    for (const ifNoneMatch of [etag, etag.replace(/^W\//, ''), `"stale", ${etag}`, '*']) {
      const again = await pagesRoutes.request('/widget.js', { headers: { 'If-None-Match': ifNoneMatch } });
      expect(again.status, ifNoneMatch).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe('');
    }
    const stale = await pagesRoutes.request('/widget.js', { headers: { 'If-None-Match': '"an-older-release"' } });
    expect(stale.status).toBe(200);
  });

  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0, deflate', false],
    ['identity', false],
  ])('Accept-Encoding: %s → gzip %s, same script either way', async (acceptEncoding, gzipped) => {
    const plain = await (await pagesRoutes.request('/widget.js')).text();
    const response = await pagesRoutes.request('/widget.js', { headers: { 'Accept-Encoding': acceptEncoding } });
    expect(response.headers.get('vary')).toBe('Accept-Encoding');
    expect(response.headers.get('content-encoding')).toBe(gzipped ? 'gzip' : null);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect((gzipped ? gunzipSync(bytes) : bytes).toString('utf8')).toBe(plain);
    if (gzipped) expect(bytes.byteLength).toBeLessThan(15 * 1024);
  });
});

describe('GET /widget-zh-hant.js', () => {
  it('serves the Traditional converter with the same caching, apart from widget.js', async () => {
    const response = await pagesRoutes.request('/widget-zh-hant.js', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const etag = response.headers.get('etag') ?? '';
    expect(etag).not.toBe((await pagesRoutes.request('/widget.js')).headers.get('etag'));
    const code = gunzipSync(Buffer.from(await response.arrayBuffer())).toString('utf8');
    // It registers on the widget's one global and brings OpenCC's phrase table (医院 → 醫院 is in it as characters).
    expect(code).toContain('createConverter');
    expect(code).toContain('DangjianSearch');
    expect((await pagesRoutes.request('/widget-zh-hant.js', { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});

describe('GET / (demo page)', () => {
  it('is a Chinese page embedding the widget, with embed instructions for this origin', async () => {
    const response = await pagesRoutes.request('http://search.example.cn/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await response.text();
    expect(page).toContain('<html lang="zh-CN">');
    // The box follows the visitor's light or dark setting, like the page around it.
    expect(page).toContain('<script src="/widget.js" data-target="#search" data-theme="auto" async></script>');
    // The snippet to copy is shown as text, pointing at the service's own origin.
    expect(page).toContain('&lt;script src=&quot;http://search.example.cn/widget.js&quot; data-target=&quot;#search&quot;');
    for (const attribute of ['data-target', 'data-site-key', 'data-api', 'data-placeholder', 'data-page-size', 'data-theme']) {
      expect(page).toContain(`<code>${attribute}</code>`);
    }
  });
});

describe('GET /search (editors’ page)', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ['先锋党支部 & 示范点', '先锋党支部 &amp; 示范点'],
  ])('escapes q=%s wherever it is echoed', async (q, escaped) => {
    const response = await pagesRoutes.request(`/search?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(`<title>${escaped} - 党建文章检索</title>`);
    expect(page).not.toContain(q);
    // The only scripts are the widget's own tag.
    expect(page.match(/<script/g)).toHaveLength(1);
  });

  it('mounts the widget in full-page mode', async () => {
    const page = await (await pagesRoutes.request('/search')).text();
    expect(page).toContain('data-mode="page"');
    expect(page).toContain('<title>编辑检索 - 党建文章检索</title>');
  });
});
