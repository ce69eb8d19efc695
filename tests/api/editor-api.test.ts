/**
 * What editors use beyond search, against the real server over the seed
 * corpus: the server-rendered article page (GET /articles/:id), the export
 * (GET /v1/export), and search analytics.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, getJson, makeTempDirs, postJson, repoRoot, startTestServer, type TestServer } from './helpers.js';

interface Hit {
  id: string;
  title: string;
  hospital: string | null;
  url: string | null;
  duplicates: string[];
}

const siteKey = 'mengyin-page-2024';
const scopedHospital = '蒙阴县人民医院';
let server: TestServer;
let api: string;

beforeAll(async () => {
  const dirs = await makeTempDirs();
  const keysFile = join(dirs.root, 'site-keys.json');
  await writeFile(keysFile, JSON.stringify([{ key: siteKey, hospital: scopedHospital }]));
  server = await startTestServer({ ADMIN_TOKEN: adminToken, SITE_KEYS_FILE: keysFile, RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_KEY_PER_MINUTE: '0', EXPORT_MAX_ROWS: '3' }, { dirs });
  api = server.url;
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await server?.dirs.remove();
});

async function search(q: string, extra = ''): Promise<Hit[]> {
  const res = await getJson<{ hits: Hit[] }>(`${api}/v1/search?q=${encodeURIComponent(q)}${extra.includes('pageSize') ? '' : '&pageSize=50'}${extra}`);
  expect(res.status).toBe(200);
  return res.body.hits;
}

describe('GET /articles/:id', () => {
  it('renders the article with its metadata and the query words highlighted', async () => {
    const [hit] = await search('先锋党支部');
    expect(hit).toBeDefined();
    const res = await fetch(`${api}/articles/${encodeURIComponent(hit!.id)}?q=${encodeURIComponent('先锋党支部')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain('<mark>');
    expect(page).not.toContain('<script');
    expect(page).not.toContain('（无标题）');
    expect(page).toContain('<dt>日期</dt>');
    if (hit!.hospital) expect(page).toContain(`>${hit!.hospital}</a>`);
    const article = (await getJson<{ title: string; body: string; url: string | null }>(`${api}/v1/articles/${encodeURIComponent(hit!.id)}`)).body;
    const firstParagraph = article.body.split('\n')[0] ?? '';
    // The text is all there (marks aside).
    expect(page.replace(/<\/?mark>/g, '')).toContain(firstParagraph.slice(0, 20).replace(/&/g, '&amp;').replace(/</g, '&lt;'));
    if (article.url) expect(page).toContain('查看原文');
  });

  it('lists related articles with shared keywords, linking to their own pages', async () => {
    const [hit] = await search('党建品牌');
    const page = await (await fetch(`${api}/articles/${encodeURIComponent(hit!.id)}`)).text();
    expect(page).toContain('相关文章');
    expect(page).toContain('共同关键词');
    expect(page).toMatch(/href="\/articles\/[^"]+"/);
  });

  it('shows the reposts folded into an article as "also published by"', async () => {
    const seed = await readFile(join(repoRoot, 'corpus/002_94a6097dd52ce2f1.txt'), 'utf8');
    const original = (await search('潍坊市妇幼保健院')).find((h) => h.hospital === '潍坊市妇幼保健院')!;
    const repostText = seed
      .replace(/\(2024年07月02日\) 来源:潍坊日报\n放大 {3}缩小 {3}默认/u, '')
      .concat('\n\n来源：大众网·潍坊\n责任编辑：王宁\n【打印本页】【关闭窗口】');
    const repostUrl = 'https://weifang.dzwww.example/xinwen/2024/0703/456.html';
    const res = await postJson(`${api}/v1/articles`, { url: repostUrl, text: repostText });
    expect([200, 201]).toContain(res.status);
    const page = await (await fetch(`${api}/articles/${encodeURIComponent(original.id)}`)).text();
    expect(page).toContain('也发布于');
    expect(page).toContain(`href="${repostUrl}"`);
  });

  it('answers 404 for an unknown id and escapes the query it echoes', async () => {
    const missing = await fetch(`${api}/articles/no-such-article`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('找不到这篇文章');
    const [hit] = await search('党建');
    const hostile = '<img src=x onerror=alert(1)>党建';
    const page = await (await fetch(`${api}/articles/${encodeURIComponent(hit!.id)}?q=${encodeURIComponent(hostile)}`)).text();
    expect(page).not.toContain('<img src=x');
  });

  it('keeps a site key inside its hospital: another hospital’s article is a 404', async () => {
    const hits = await search('党建');
    const inside = hits.find((h) => h.hospital === scopedHospital);
    const outside = hits.find((h) => h.hospital !== null && h.hospital !== scopedHospital);
    expect(inside && outside).toBeTruthy();
    const ok = await fetch(`${api}/articles/${encodeURIComponent(inside!.id)}?key=${siteKey}`);
    expect(ok.status).toBe(200);
    const page = await ok.text();
    // Related links keep the key, and never lead out of the hospital.
    for (const match of page.matchAll(/href="(\/articles\/[^"]+)"/g)) expect(match[1]).toContain(`key=${siteKey}`);
    const refused = await fetch(`${api}/articles/${encodeURIComponent(outside!.id)}?key=${siteKey}`);
    expect(refused.status).toBe(404);
    const bad = await fetch(`${api}/articles/${encodeURIComponent(inside!.id)}?key=unknown-key-123`);
    expect(bad.status).toBe(401);
  });
});

/** A small RFC 4180 reader for the tests (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && ch === '"') quoted = false;
    else if (quoted) field += ch;
    else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

describe('GET /v1/export', () => {
  it('streams CSV with a BOM and the documented columns, capped by EXPORT_MAX_ROWS', async () => {
    const res = await fetch(`${api}/v1/export?q=${encodeURIComponent('党建')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="dangjian-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1));
    expect(rows[0]).toEqual(['title', 'date', 'hospital', 'province', 'city', 'honours', 'levels', 'url', 'article']);
    const total = Number(res.headers.get('x-export-total'));
    const search = await getJson<{ total: number }>(`${api}/v1/search?q=${encodeURIComponent('党建')}`);
    expect(total).toBe(search.body.total);
    expect(rows.length - 1).toBe(Math.min(total, 3));
    expect(res.headers.get('x-export-truncated')).toBe(String(total > 3));
    for (const row of rows.slice(1)) expect(row[8]).toMatch(new RegExp(`^${api}/articles/`));
  });

  it('exports JSON lines, and a site key exports only its hospital', async () => {
    const res = await fetch(`${api}/v1/export?format=jsonl&key=${siteKey}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await res.text()).trim().split('\n').map((line) => JSON.parse(line) as { hospital: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.hospital === scopedHospital)).toBe(true);
  });

  it('answers 400 naming the field for a bad format or year range, and 401 for an unknown key', async () => {
    const bad = await getJson<{ error: { field?: string } }>(`${api}/v1/export?format=xlsx`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('format');
    const range = await getJson<{ error: { field?: string } }>(`${api}/v1/export?yearFrom=2024&yearTo=2020`);
    expect(range.status).toBe(400);
    expect(range.body.error.field).toBe('yearFrom');
    expect((await fetch(`${api}/v1/export?key=not-a-key-123`)).status).toBe(401);
  });
});

describe('search analytics', () => {
  const auth = { Authorization: `Bearer ${adminToken}` };

  it('counts searches by normalised query and clicks sent as a simple text/plain request', async () => {
    const marker = `无人机急救${Date.now() % 1000}`;
    await fetch(`${api}/v1/search?q=${encodeURIComponent(`  ${marker}  `)}`);
    await fetch(`${api}/v1/search?q=${encodeURIComponent(marker)}`);
    // Paging through the same search, and the box's one-hit facet lookups, are not new searches.
    await fetch(`${api}/v1/search?q=${encodeURIComponent(marker)}&page=2`);
    await fetch(`${api}/v1/search?q=${encodeURIComponent(marker)}&pageSize=1`);
    await fetch(`${api}/v1/search?q=${encodeURIComponent('党建')}`);
    const click = await fetch(`${api}/v1/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({ type: 'click', query: '党建', id: 'x', position: 1 }),
    });
    expect(click.status).toBe(204);

    const res = await getJson<{
      searches: number;
      topQueries: { query: string; searches: number; clicks: number; clickThrough: number }[];
      noExactMatchQueries: { query: string; noExactMatch: number }[];
    }>(`${api}/v1/admin/analytics`, { headers: auth });
    expect(res.status).toBe(200);
    const markerRow = res.body.topQueries.find((q) => q.query === marker);
    expect(markerRow?.searches).toBe(2);
    expect(res.body.noExactMatchQueries.find((q) => q.query === marker)?.noExactMatch).toBe(2);
    const dangjian = res.body.topQueries.find((q) => q.query === '党建');
    expect(dangjian?.clicks).toBeGreaterThanOrEqual(1);
    expect(dangjian?.clickThrough).toBeGreaterThan(0);

    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(Number(/^search_zero_results_total (\d+)/mu.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
  });

  it('refuses bad events and bad ranges with 400 naming the field, other media types with 415, and needs the token', async () => {
    const post = (body: string, type = 'text/plain') => fetch(`${api}/v1/events`, { method: 'POST', headers: { 'Content-Type': type }, body });
    const notJson = await getJson<{ error: { field: string } }>(`${api}/v1/events`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'click' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.field).toBe('body');
    const badType = await post(JSON.stringify({ type: 'view', query: 'x' }));
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { error: { field: string } }).error.field).toBe('type');
    expect((await post('{}', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(JSON.stringify({ type: 'click', query: 'x'.repeat(5000) }))).status).toBe(413);
    const range = await getJson<{ error: { field: string } }>(`${api}/v1/admin/analytics?from=2024-05-02&to=2024-05-01`, { headers: auth });
    expect(range.status).toBe(400);
    expect(range.body.error.field).toBe('from');
    expect((await fetch(`${api}/v1/admin/analytics`)).status).toBe(401);
  });

  it('shows the report on /admin/analytics only for the admin token', async () => {
    const form = await fetch(`${api}/admin/analytics`);
    expect(form.status).toBe(200);
    const login = await form.text();
    expect(login).toContain('name="token"');
    expect(login).not.toContain('热门检索词');
    const wrong = await fetch(`${api}/admin/analytics`, { method: 'POST', body: new URLSearchParams({ token: 'wrong-token-000000' }) });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${api}/admin/analytics`, { method: 'POST', body: new URLSearchParams({ token: adminToken }) });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('热门检索词');
    const withHeader = await fetch(`${api}/admin/analytics`, { headers: auth });
    expect(await withHeader.text()).toContain('没有完全匹配的检索词');
  });
});
