/** The per-address rate limit behind reverse proxies: the address is the one the trusted proxy appended. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.js';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { createApp, forwardedClient } from '../../service/app.js';

describe('forwardedClient', () => {
  it.each([
    ['203.0.113.7', 1, '203.0.113.7'],
    ['1.2.3.4, 203.0.113.7', 1, '203.0.113.7'],
    ['1.2.3.4,203.0.113.7 , ', 1, '203.0.113.7'],
    ['1.2.3.4, 198.51.100.1, 10.0.0.2', 2, '198.51.100.1'],
    ['198.51.100.1', 3, '198.51.100.1'],
    ['1.2.3.4', 0, undefined],
    ['', 1, undefined],
  ])('%j with %d proxies → %s', (header, hops, expected) => {
    expect(forwardedClient(header, hops)).toBe(expected);
  });
});

describe('TRUST_PROXY', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['2', 2],
  ])('reads %s', (value, expected) => {
    expect(loadEnv({ TRUST_PROXY: value }).TRUST_PROXY).toBe(expected);
  });

  it('refuses a value that is neither a flag nor a count', () => {
    expect(() => loadEnv({ TRUST_PROXY: 'first' })).toThrow(/TRUST_PROXY/u);
  });
});

describe('rate limit behind a proxy', () => {
  let dir: string;
  let engine: SqliteEngine;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'client-address-'));
    engine = new SqliteEngine({ dataDir: dir });
    await engine.init();
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  function app(trustProxy: boolean | number) {
    return createApp({
      engine,
      corpusDir: dir,
      logger: pino({ level: 'silent' }),
      trustProxy,
      rateLimit: { perIp: { perMinute: 1, burst: 3 }, perSiteKey: { perMinute: 0, burst: 1 } },
    });
  }

  it('limits a client that spoofs the first X-Forwarded-For entry (one proxy)', async () => {
    const a = app(true);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await a.request('/v1/nothing-here', { headers: { 'X-Forwarded-For': `10.9.${i}.1, 203.0.113.7` } });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses.slice(3).every((s) => s === 429)).toBe(true);
    // Another client behind the same proxy has its own bucket.
    expect((await a.request('/v1/nothing-here', { headers: { 'X-Forwarded-For': '198.51.100.9' } })).status).toBe(404);
  });

  it('with two proxies, takes the second entry from the end', async () => {
    const a = app(2);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await a.request('/v1/nothing-here', {
        headers: { 'X-Forwarded-For': `10.9.${i}.1, 203.0.113.8, 10.0.0.${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429, 429]);
  });
});
