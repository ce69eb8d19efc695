/**
 * The server-rendered article page (GET /articles/:id) against the real
 * server over the seed corpus: metadata, highlighted text, reposts, related
 * articles, escaping, and the site key's scope.
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
  server = await startTestServer({ ADMIN_TOKEN: adminToken, SITE_KEYS_FILE: keysFile, RATE_LIMIT_IP_PER_MINUTE: '0', RATE_LIMIT_KEY_PER_MINUTE: '0' }, { dirs });
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
