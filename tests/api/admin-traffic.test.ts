/**
 * Admin traffic is not visitor traffic: with the visitors' default limits
 * (burst 40), a bulk load with the admin token is not throttled, while
 * requests with a wrong token are still counted against the address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeArticle } from './articles.js';
import { adminToken, postJson, startTestServer, type ErrorBody, type TestServer } from './helpers.js';

describe('admin requests and the per-address limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The defaults: burst 40, 120 a minute per address.
    server = await startTestServer({ ADMIN_TOKEN: adminToken });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('86 posts in a row with the admin token all succeed', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 86; i++) statuses.push((await postJson(`${server.url}/v1/articles`, makeArticle(i))).status);
    expect(statuses.filter((s) => s !== 201 && s !== 200)).toEqual([]);
  }, 300_000);

  it('requests with a wrong token are counted and get 429 after the burst', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 45; i++) {
      last = await postJson(`${server.url}/v1/articles`, makeArticle(1000 + i), 'not-the-admin-token-0000');
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 40).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(((await last!.json()) as ErrorBody).error.code).toBe('rate_limited');
  });
});

describe('the admin limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: adminToken, RATE_LIMIT_ADMIN_PER_MINUTE: '3', RATE_LIMIT_IP_BURST: '100' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('has its own bucket: the admin is refused after its burst while visitors still pass', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetch(`${server.url}/v1/articles/none`, { method: 'DELETE', headers: auth })).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
    expect((await fetch(`${server.url}/v1/suggest?q=${encodeURIComponent('党')}`)).status).toBe(200);
  });
});
