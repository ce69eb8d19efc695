/** What the admin API accepts as an article: UTF-8 JSON, real text, possible dates. */
import { gzipSync } from 'node:zlib';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { createApp } from '../../service/app.js';
import { adminToken, type ErrorBody } from './helpers.js';

let root: string;
let engine: SqliteEngine;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'input-rules-'));
  await mkdir(join(root, 'corpus'));
  engine = new SqliteEngine({ dataDir: join(root, 'data') });
  await engine.init();
  app = createApp({ engine, corpusDir: join(root, 'corpus'), logger: pino({ level: 'silent' }), adminToken });
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

function post(body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    app.request('/v1/articles', {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json', ...headers },
      body,
    }),
  );
}

const article = { title: '医院党委开展主题党日活动', text: '医院党委组织全体党员开展主题党日活动，重温入党誓词，学习党的理论知识。' };

describe('body encoding', () => {
  it.each([['gbk'], ['GB2312'], ['"big5"']])('415 for JSON declared as charset=%s', async (charset) => {
    const res = await post(new Uint8Array(iconv.encode(JSON.stringify(article), 'gbk')), {
      'Content-Type': `application/json; charset=${charset}`,
    });
    expect(res.status).toBe(415);
    const body = (await res.json()) as ErrorBody;
    expect(body.error).toMatchObject({ code: 'unsupported_media_type', field: 'Content-Type' });
  });

  it('415 for a gzip body, not "Malformed JSON"', async () => {
    const res = await post(new Uint8Array(gzipSync(JSON.stringify(article))), { 'Content-Encoding': 'gzip' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'unsupported_media_type', field: 'Content-Encoding' });
  });

  it.each([['application/json; charset=utf-8'], ['application/json; charset=UTF8'], ['application/json']])('accepts %s', async (type) => {
    const res = await post(JSON.stringify({ ...article, url: `https://h.example/${encodeURIComponent(type)}` }), { 'Content-Type': type });
    expect([200, 201]).toContain(res.status);
  });
});

describe('too little text', () => {
  it.each([
    ['a NUL character', { text: '\u0000' }, 'text'],
    ['one letter', { text: 'x' }, 'text'],
    ['one full stop', { text: '。' }, 'text'],
    ['50 emoji', { text: '😀'.repeat(50) }, 'text'],
    ['markup only', { html: '<p><br></p><div>&nbsp;</div>' }, 'html'],
    ['a title made only of markup', { title: '<b></b><i>&nbsp;</i>', text: article.text }, 'title'],
    ['a title made only of punctuation', { title: '——！！', text: article.text }, 'title'],
  ])('400 too_little_text for %s', async (_, body, field) => {
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'too_little_text', field });
  });

  it('accepts a short but real article', async () => {
    const res = await post(JSON.stringify({ text: '医院党支部召开组织生活会。', url: 'https://h.example/short' }));
    expect(res.status).toBe(201);
  });

  it('the minimum is configurable', async () => {
    const strict = createApp({ engine, corpusDir: join(root, 'corpus'), logger: pino({ level: 'silent' }), adminToken, minArticleChars: 100 });
    const res = await strict.request('/v1/articles', {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(article),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.code).toBe('too_little_text');
  });
});

describe('publication dates', () => {
  const nextYear = new Date().getUTCFullYear() + 1;
  it.each([['0000-01-01'], ['1948-12-31'], ['9999-12-31'], [`${nextYear + 1}-01-01`]])('400 naming publishedAt for %s', async (publishedAt) => {
    const res = await post(JSON.stringify({ ...article, publishedAt }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.field ?? body.error.details?.[0]?.path).toBe('publishedAt');
  });

  it.each([['1949-10-01'], [`${nextYear}-01-01`]])('accepts %s', async (publishedAt) => {
    const res = await post(JSON.stringify({ ...article, publishedAt, url: `https://h.example/${publishedAt}` }));
    expect([200, 201]).toContain(res.status);
  });
});
