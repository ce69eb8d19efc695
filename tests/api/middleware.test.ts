/**
 * Middleware and error mapping in isolation, on small Hono apps. The
 * acceptance behaviour (the same rules through the real server) is in
 * server.test.ts.
 */
import { Writable } from 'node:stream';
import { Hono } from 'hono';
import { pino, type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EngineQueryError, EngineUnavailableError } from '../../engine/errors.js';
import { InvalidArticleError } from '../../indexer/ingest.js';
import type { AppEnv } from '../../service/context.js';
import { ApiError, createErrorHandler, toApiError } from '../../service/errors.js';
import { isSameToken, requireAdmin } from '../../service/middleware/admin-auth.js';
import { TokenBuckets } from '../../service/middleware/rate-limit.js';
import { SiteKeysFileError, parseSiteKeys } from '../../service/middleware/site-key.js';
import { validate } from '../../service/middleware/validate.js';
import { requestId } from 'hono/request-id';
import { WriteQueue } from '../../service/write-queue.js';

function captureLogs(): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines: () => chunks.join('').split('\n').filter(Boolean) };
}

describe('TokenBuckets', () => {
  it('allows a burst, then refuses with the seconds until the next token', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 60, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => buckets.take('203.0.113.9').ok)).toEqual([true, true, true]);
    expect(buckets.take('203.0.113.9')).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Another client has its own bucket.
    expect(buckets.take('198.51.100.7').ok).toBe(true);
    now += 1000;
    expect(buckets.take('203.0.113.9').ok).toBe(true);
    expect(buckets.take('203.0.113.9').ok).toBe(false);
  });

  it('reports a longer wait for a slow refill rate', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 2, burst: 1 }, () => now);
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 30 });
    now += 29_000;
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('is off when the rate is 0', () => {
    const buckets = new TokenBuckets({ perMinute: 0, burst: 1 });
    for (let i = 0; i < 100; i++) expect(buckets.take('a').ok).toBe(true);
  });

  it('stays bounded under many distinct clients', () => {
    let now = 0;
    const buckets = new TokenBuckets({ perMinute: 60, burst: 5 }, () => now, 100);
    for (let i = 0; i < 1000; i++) {
      now += 1;
      buckets.take(`client-${i}`);
    }
    expect(buckets.size).toBeLessThanOrEqual(100);
  });
});

describe('admin token', () => {
  it('compares tokens of any length without throwing', () => {
    expect(isSameToken('correct-horse-battery-staple', 'correct-horse-battery-staple')).toBe(true);
    expect(isSameToken('correct-horse-battery-stapl', 'correct-horse-battery-staple')).toBe(false);
    expect(isSameToken('', 'correct-horse-battery-staple')).toBe(false);
    expect(isSameToken('x'.repeat(10_000), 'correct-horse-battery-staple')).toBe(false);
  });

  const token = 'admin-token-for-tests-0123456789';
  function adminApp(configured: string | undefined): Hono {
    const { logger } = captureLogs();
    const app = new Hono();
    app.post('/admin', requireAdmin(configured), (c) => c.json({ ok: true }));
    app.onError(createErrorHandler(logger));
    return app;
  }

  it.each([
    ['no header', undefined, 401],
    ['another scheme', `Basic ${token}`, 401],
    ['wrong token', 'Bearer not-the-admin-token-at-all', 401],
    ['right token', `Bearer ${token}`, 200],
    ['right token, lower-case scheme', `bearer ${token}`, 200],
  ])('%s → %i', async (_name, header, status) => {
    const res = await adminApp(token).request('/admin', { method: 'POST', headers: header ? { Authorization: header } : {} });
    expect(res.status).toBe(status);
    if (status === 401) {
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/u);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it('answers 403 saying how to enable admin routes when ADMIN_TOKEN is unset', async () => {
    const res = await adminApp(undefined).request('/admin', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('admin_disabled');
    expect(body.error.message).toContain('ADMIN_TOKEN');
  });
});

describe('validation errors', () => {
  const schema = z.strictObject({ pageSize: z.string().regex(/^\d+$/u).optional(), q: z.string().max(3).optional() });
  function validatingApp(): Hono {
    const { logger } = captureLogs();
    const app = new Hono();
    app.get('/v', validate('query', schema), (c) => c.json(c.req.valid('query')));
    app.onError(createErrorHandler(logger));
    return app;
  }

  it.each([
    ['/v?pageSize=ten', 'pageSize', 'Invalid query parameter "pageSize"'],
    ['/v?q=toolong', 'q', 'Invalid query parameter "q"'],
    ['/v?provice=浙江', 'provice', 'Unknown query parameter "provice"'],
  ])('%s → 400 naming %s', async (path, field, message) => {
    const res = await validatingApp().request(path);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; field: string; message: string; details: unknown[] } };
    expect(body.error).toMatchObject({ code: 'validation_failed', field });
    expect(body.error.message).toContain(message);
    expect(body.error.details.length).toBeGreaterThan(0);
  });
});

describe('error mapping (one onError)', () => {
  it.each<[string, unknown, number, string]>([
    ['ApiError keeps its code', new ApiError('not_found', 'No such article.'), 404, 'not_found'],
    ['invalid article → 400 with the field', new InvalidArticleError('one of `text` or `html` is required', 'text'), 400, 'validation_failed'],
    ['engine unavailable → 503', new EngineUnavailableError('connect ECONNREFUSED 127.0.0.1:7700'), 503, 'engine_unavailable'],
    ['engine query failure → 500', new EngineQueryError('fts5: syntax error near "AND"'), 500, 'engine_error'],
    ['anything else → 500', new TypeError("Cannot read properties of undefined (reading 'title')"), 500, 'internal_error'],
  ])('%s', (_name, err, status, code) => {
    const mapped = toApiError(err);
    expect(mapped.status).toBe(status);
    expect(mapped.code).toBe(code);
    if (err instanceof InvalidArticleError) expect(mapped.field).toBe('text');
  });

  it('hides internals from the client and logs them under the request id', async () => {
    const { logger, lines } = captureLogs();
    const app = new Hono<AppEnv>();
    app.use('*', requestId());
    app.get('/boom', () => {
      throw new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/data/index.sqlite');
    });
    app.onError(createErrorHandler(logger));
    const res = await app.request('/boom', { headers: { 'X-Request-Id': 'req-test-1234' } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('SQLITE_CORRUPT');
    expect(text).not.toContain('/srv/data');
    expect(text).not.toMatch(/at .*\.ts:\d+/u);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal_error', message: expect.stringContaining('X-Request-Id') as unknown },
    });
    const logged = lines().map((l) => JSON.parse(l) as { requestId?: string; err?: { message?: string; stack?: string } });
    const entry = logged.find((l) => l.requestId === 'req-test-1234');
    expect(entry?.err?.message).toContain('SQLITE_CORRUPT');
    expect(entry?.err?.stack).toBeDefined();
  });

  it('the engine-unavailable answer says when to retry', () => {
    expect(toApiError(new EngineUnavailableError('down')).headers['Retry-After']).toBe('5');
  });
});

describe('site keys file', () => {
  it('binds keys to canonical hospital names (aliases and Traditional script resolved)', () => {
    const keys = parseSiteKeys([
      { key: 'jz-first-2024', hospital: '荆州一医', name: '荆州市第一人民医院官网' },
      { key: 'sx-tumour-2024', hospital: '山西省腫瘤醫院' },
    ]);
    expect(keys.get('jz-first-2024')).toEqual({ key: 'jz-first-2024', hospital: '荆州市第一人民医院', name: '荆州市第一人民医院官网' });
    expect(keys.get('sx-tumour-2024')?.hospital).toBe('山西省肿瘤医院');
  });

  it('accepts {keys: [...]} too', () => {
    expect(parseSiteKeys({ keys: [{ key: 'wf-maternal-01', hospital: '潍坊妇幼' }] }).size).toBe(1);
  });

  it.each([
    ['a short key', [{ key: 'abc', hospital: '荆州一医' }]],
    ['a key with spaces', [{ key: 'has space 123', hospital: '荆州一医' }]],
    ['a missing hospital', [{ key: 'jz-first-2024' }]],
    ['an unknown field', [{ key: 'jz-first-2024', hospital: '荆州一医', hospitals: ['x'] }]],
    ['a duplicated key', [{ key: 'jz-first-2024', hospital: '荆州一医' }, { key: 'jz-first-2024', hospital: '潍坊妇幼' }]],
    ['not a list', 'jz-first-2024'],
  ])('refuses %s', (_name, data) => {
    expect(() => parseSiteKeys(data)).toThrow(SiteKeysFileError);
  });
});

describe('WriteQueue', () => {
  it('runs admin writes one at a time, in order, and a failure does not block the next', async () => {
    const queue = new WriteQueue();
    const events: string[] = [];
    const slow = (name: string, ms: number, fail = false) => async (): Promise<string> => {
      events.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`end ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const results = await Promise.allSettled([
      queue.run(slow('rebuild', 30)),
      queue.run(slow('ingest', 1, true)),
      queue.run(slow('delete', 1)),
    ]);
    expect(events).toEqual(['start rebuild', 'end rebuild', 'start ingest', 'end ingest', 'start delete', 'end delete']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});
