/**
 * /openapi.json and /docs: the document validates, declares the site key and
 * the tokens as security schemes, and lists the 4xx answers each operation
 * really gives (checked by provoking them); /docs loads only scripts of its
 * own origin, and its script route serves Scalar's bundle from the package.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { compileErrors, validate as validateOpenApi } from '@readme/openapi-parser';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { createApp, type AppDeps } from '../../service/app.js';
import { parseSiteKeys } from '../../service/middleware/site-key.js';
import { docsScriptPath } from '../../service/routes/docs.js';

interface Operation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; example?: unknown }>;
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string }; examples?: Record<string, { value: { error: { code: string } } }> }> }>;
  security?: Array<Record<string, string[]>>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, Record<string, string>> };
}

const adminToken = 'admin-token-0123456789abcdef';
const metricsToken = 'metrics-token-0123456789abcdef';
const siteKeys = parseSiteKeys([{ key: 'mengyin-site-2024', hospital: '蒙阴县人民医院' }]);

/**
 * Routes with nothing to get wrong: no parameters, body or credentials, and
 * outside /v1 (no rate limit, no readiness gate). Each answers 200 (or 304,
 * or /readyz's 503) to any request for it, so they list no 4xx.
 */
const inputless = [
  'get /healthz',
  'get /readyz',
  'get /openapi.json',
  'get /docs',
  `get ${docsScriptPath}`,
  'get /',
  'get /search',
  'get /widget.js',
  'get /widget-zh-hant.js',
  'get /admin',
  'get /admin/admin.js',
];

let root: string;
let engine: SqliteEngine;
let document: Document;
const operations: Array<{ key: string; method: string; path: string; op: Operation }> = [];

function app(overrides: Partial<AppDeps> = {}) {
  return createApp({ engine, corpusDir: join(root, 'corpus'), logger: pino({ level: 'silent' }), siteKeys, adminToken, metricsToken, ...overrides });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'openapi-docs-'));
  engine = new SqliteEngine({ dataDir: join(root, 'data') });
  await engine.init();
  const res = await app().request('/openapi.json');
  expect(res.status).toBe(200);
  document = (await res.json()) as Document;
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(methods)) operations.push({ key: `${method} ${path}`, method, path, op });
  }
});

afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const fourxx = (op: Operation): string[] => Object.keys(op.responses).filter((s) => s.startsWith('4'));
const withStatus = (status: string) => operations.filter(({ op }) => op.responses[status] !== undefined);
const urlOf = (path: string, query = ''): string => `${path.replace(/\{[^}]+\}/gu, 'no-such-article')}${query}`;

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validateOpenApi(structuredClone(document) as never);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
  });

  it('declares the site key (header and parameter) and the admin and metrics tokens as security schemes', () => {
    expect(document.components.securitySchemes).toMatchObject({
      siteKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Site-Key' },
      siteKeyQuery: { type: 'apiKey', in: 'query', name: 'key' },
      adminToken: { type: 'http', scheme: 'bearer' },
      metricsToken: { type: 'http', scheme: 'bearer' },
    });
  });

  it('site-key routes take the key optionally, admin routes require the token', () => {
    const siteKeyRoutes = operations.filter(({ op }) => op.security?.some((r) => 'siteKeyHeader' in r));
    expect(siteKeyRoutes.map((o) => o.key)).toEqual(expect.arrayContaining(['get /v1/search', 'get /v1/suggest', 'get /v1/articles/{id}', 'get /v1/facets']));
    for (const { op } of siteKeyRoutes) {
      expect(op.security).toEqual([{}, { siteKeyHeader: [] }, { siteKeyQuery: [] }]);
      // The key is the security scheme's; a second `key` parameter would be sent twice by a form.
      expect(op.parameters?.some((p) => p.name === 'key' || p.name === 'X-Site-Key') ?? false).toBe(false);
    }
    const writes = ['post /v1/articles', 'delete /v1/articles/{id}', 'post /v1/reindex'];
    const adminRoutes = operations.filter(({ key, path }) => path.startsWith('/v1/admin/') || writes.includes(key));
    expect(adminRoutes.length).toBeGreaterThan(writes.length);
    for (const { key, op } of adminRoutes) expect(op.security, key).toEqual([{ adminToken: [] }]);
  });

  it('every operation lists its 4xx answers; only input-less routes have none', () => {
    const without = operations.filter(({ op }) => fourxx(op).length === 0).map((o) => o.key);
    expect(without.sort()).toEqual([...inputless].sort());
    for (const key of inputless) {
      const { op, path } = operations.find((o) => o.key === key)!;
      expect(op.parameters ?? [], key).toEqual([]);
      expect(op.requestBody, key).toBeUndefined();
      expect(op.security, key).toBeUndefined();
      expect(path.startsWith('/v1/'), key).toBe(false);
    }
  });

  it('JSON error answers use the Error schema with an example per error code', () => {
    for (const { key, op } of operations) {
      for (const status of fourxx(op)) {
        const json = op.responses[status]?.content?.['application/json'];
        if (!json) continue;
        expect(json.schema?.$ref, `${key} ${status}`).toBe('#/components/schemas/Error');
        for (const [code, example] of Object.entries(json.examples ?? {})) expect(example.value.error.code).toBe(code);
      }
    }
    expect(document.paths['/v1/search']!['get']!.responses['400']?.content?.['application/json']?.examples).toHaveProperty('validation_failed');
  });

  it('describes request bodies as they may be sent: a field with a default is optional', () => {
    const body = document.paths['/v1/admin/synonyms']!['put']!.requestBody?.content['application/json'] as { schema?: { required?: string[] } } | undefined;
    expect(body?.schema?.required).toEqual(['groups']);
  });

  it('has request examples for the search and the article body', () => {
    const search = document.paths['/v1/search']!['get']!;
    expect(typeof search.parameters?.find((p) => p.name === 'q')?.example).toBe('string');
    const example = document.paths['/v1/articles']!['post']!.requestBody?.content['application/json']?.example as { text?: unknown } | undefined;
    expect(typeof example?.text).toBe('string');
  });
});

describe('the documented 4xx answers are real', () => {
  it('400 with the error body naming the field', async () => {
    const listed = withStatus('400');
    expect(listed.length).toBeGreaterThan(10);
    for (const { key, method, path, op } of listed) {
      // A site key given twice is refused before anything else; elsewhere an unknown parameter is.
      const siteKey = op.security?.some((r) => 'siteKeyQuery' in r) === true;
      const query = siteKey ? '?key=mengyin-site-2024&key=other-site-2024' : '?noSuchParameter=1';
      const res = await app().request(urlOf(path, query), {
        method: method.toUpperCase(),
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        ...(method === 'get' || method === 'delete' ? {} : { body: '{}' }),
      });
      expect(res.status, key).toBe(400);
      const body = (await res.json()) as { error: { code: string; field?: string } };
      expect(body.error.code, key).toBe('validation_failed');
      expect(body.error.field, key).toBe(siteKey ? 'key' : 'noSuchParameter');
    }
  });

  it('401 for an unknown site key, a missing admin token, a missing metrics token', async () => {
    const listed = withStatus('401');
    expect(listed.map((o) => o.key)).toEqual(expect.arrayContaining(['get /v1/search', 'post /v1/articles', 'get /metrics', 'get /admin/analytics']));
    for (const { key, method, path, op } of listed) {
      const siteKey = op.security?.some((r) => 'siteKeyQuery' in r) === true;
      const headers: Record<string, string> = siteKey ? { 'X-Site-Key': 'no-such-site-key' } : { Authorization: 'Bearer not-the-token-at-all' };
      const init: RequestInit = { method: method.toUpperCase(), headers };
      if (path === '/admin/analytics' && method === 'post') {
        init.body = new URLSearchParams({ token: 'not-the-token-at-all' });
      }
      const res = await app().request(urlOf(path), init);
      expect(res.status, key).toBe(401);
    }
  });

  it('403 on admin routes while ADMIN_TOKEN is unset', async () => {
    for (const { key, method, path } of withStatus('403')) {
      const res = await app({ adminToken: undefined }).request(urlOf(path), { method: method.toUpperCase(), headers: { Authorization: `Bearer ${adminToken}` } });
      expect(res.status, key).toBe(403);
    }
  });

  it('404 for an id that does not exist', async () => {
    for (const { key, method, path } of withStatus('404').filter((o) => o.method === 'get' || o.method === 'delete')) {
      const res = await app().request(urlOf(path), { method: method.toUpperCase(), headers: { Authorization: `Bearer ${adminToken}` } });
      expect(res.status, key).toBe(404);
    }
  });

  it('405 read_only for every write on a READ_ONLY instance', async () => {
    const listed = withStatus('405');
    expect(listed.map((o) => o.key)).toEqual(expect.arrayContaining(['post /v1/articles', 'delete /v1/articles/{id}', 'post /v1/reindex']));
    for (const { key, method, path } of listed) {
      const res = await app({ readOnly: true }).request(urlOf(path), { method: method.toUpperCase(), headers: { Authorization: `Bearer ${adminToken}` } });
      expect(res.status, key).toBe(405);
      expect(((await res.json()) as { error: { code: string } }).error.code, key).toBe('read_only');
    }
    // Only writes are refused: no GET lists 405.
    expect(listed.every((o) => o.method !== 'get')).toBe(true);
  });

  it('415 for a body that is not JSON', async () => {
    const contentType = 'text/xml';
    const listed = withStatus('415');
    expect(listed.map((o) => o.key)).toEqual(expect.arrayContaining(['post /v1/articles', 'post /v1/events', 'put /v1/admin/synonyms']));
    for (const { key, method, path } of listed) {
      const res = await app().request(urlOf(path), {
        method: method.toUpperCase(),
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': contentType },
        body: '{}',
      });
      expect(res.status, key).toBe(415);
    }
  });

  it('413 for a body over the limit', async () => {
    // 3 MB: over the 2 MB of a single body (a batch's larger limit lowered here).
    const body = JSON.stringify({ text: '党'.repeat(1024 * 1024) });
    for (const { key, method, path } of withStatus('413')) {
      const res = await app({ ingestLimits: { maxItems: 10, maxBytes: 1024 * 1024 } }).request(urlOf(path), {
        method: method.toUpperCase(),
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status, key).toBe(413);
    }
  });
});

describe('/docs', () => {
  it('loads scripts from its own origin only, and names no other host', async () => {
    const res = await app().request('/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>/giu)].map((m) => m[1] ?? '');
    const sources = scripts.flatMap((attributes) => [.../\bsrc="([^"]*)"/iu.exec(attributes)?.slice(1) ?? []]);
    expect(sources).toEqual([expect.stringMatching(new RegExp(`^${docsScriptPath}\\?v=`, 'u'))]);
    // Every other script element is a data block (the reference's settings), never run.
    expect(scripts.filter((attributes) => !/\bsrc=/iu.test(attributes)).every((attributes) => /type="application\/json"/iu.test(attributes))).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//iu);
    const configuration = /data-configuration="([^"]*)"/u.exec(html)?.[1] ?? '';
    expect(configuration.replaceAll('&quot;', '"')).toContain('"withDefaultFonts":false');
    expect(configuration).not.toMatch(/https?:/u);
  });

  it('keeps its policy: scripts and requests to this origin only, no framing', async () => {
    const res = await app().request('/docs');
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:|\*/u);
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('without JavaScript still shows the reference, rendered on the server', async () => {
    const html = await (await app().request('/docs')).text();
    const fallback = /<noscript>([\s\S]*)<\/noscript>/u.exec(html)?.[1] ?? '';
    for (const text of ['/v1/search', '/v1/articles/{id}/related', 'pageSize', 'X-Site-Key', 'ADMIN_TOKEN']) expect(fallback).toContain(text);
  });

  it('serves the Scalar bundle from the package: JavaScript, gzip, ETag, 304', async () => {
    const plain = await app().request(docsScriptPath);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('Content-Type')).toMatch(/^text\/javascript/u);
    const code = await plain.text();
    expect(code.length).toBeGreaterThan(1_000_000);
    expect(code).toContain('createApiReference');

    const zipped = await app().request(docsScriptPath, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(zipped.headers.get('Content-Encoding')).toBe('gzip');
    const bytes = Buffer.from(await zipped.arrayBuffer());
    expect(bytes.length).toBeLessThan(code.length / 2);
    expect(gunzipSync(bytes).toString('utf8')).toBe(code);

    const etag = plain.headers.get('ETag');
    expect(etag).toMatch(/^W\/"/u);
    const again = await app().request(docsScriptPath, { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
    expect(plain.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});
