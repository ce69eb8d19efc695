/** nosniff on everything we send, no framing of /docs and only its own scripts, and /metrics behind METRICS_TOKEN when one is set. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.js';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { createApp } from '../../service/app.js';

let root: string;
let engine: SqliteEngine;
const metricsToken = 'metrics-token-0123456789abcdef';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'security-headers-'));
  engine = new SqliteEngine({ dataDir: join(root, 'data') });
  await engine.init();
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const app = (token?: string) => createApp({ engine, corpusDir: root, logger: pino({ level: 'silent' }), metricsToken: token });

describe('security headers', () => {
  it.each([['/v1/search?q=%E5%85%9A'], ['/v1/no-such-route'], ['/openapi.json'], ['/docs'], ['/healthz'], ['/metrics']])(
    '%s sends X-Content-Type-Options: nosniff',
    async (path) => {
      const res = await app().request(path);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    },
  );

  it('/docs may not be framed and runs only scripts of its own origin', async () => {
    const res = await app().request('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self';");
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });
});

describe('METRICS_TOKEN', () => {
  it('unset, /metrics is open', async () => {
    expect((await app().request('/metrics')).status).toBe(200);
  });

  it.each([
    ['no header', {}],
    ['a wrong token', { Authorization: 'Bearer not-the-metrics-token' }],
    ['another scheme', { Authorization: `Basic ${metricsToken}` }],
  ])('set, /metrics answers 401 for %s', async (_, headers) => {
    const res = await app(metricsToken).request('/metrics', { headers });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    expect(res.headers.get('WWW-Authenticate')).toContain('Bearer');
  });

  it('set, /metrics answers the scrape with the token', async () => {
    const res = await app(metricsToken).request('/metrics', { headers: { Authorization: `Bearer ${metricsToken}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('http_requests_total');
  });

  it('refuses a short token', () => {
    expect(() => loadEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/u);
  });
});
