/**
 * A request refused before its body is read (413, or an early 400/401 on a
 * big body) must not break the client's keep-alive connection: the refusal
 * arrives, and the next request on the same agent succeeds.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
let agent: Agent;

beforeAll(async () => {
  server = await startTestServer({ ADMIN_TOKEN: adminToken });
}, 120_000);

afterAll(async () => {
  agent?.destroy();
  await server.stop();
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(path: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<Reply> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.end(body);
    else req.end();
  });
}

const big = (bytes: number): Buffer => Buffer.from(JSON.stringify({ text: '党'.repeat(Math.ceil(bytes / 3)) }));

describe('keep-alive after an early refusal', () => {
  it('fetch receives the 413 itself', async () => {
    for (let round = 0; round < 5; round++) {
      const res = await fetch(`${server.url}/v1/articles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: new Uint8Array(big(3_000_000)),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
  }, 60_000);

  it.each([
    ['413 for a body over the limit', '/v1/articles', { Authorization: `Bearer ${adminToken}` }, 3_000_000, 413],
    ['413 for a body too big to read (the reply closes the connection)', '/v1/articles', { Authorization: `Bearer ${adminToken}` }, 12_000_000, 413],
    ['401 without the admin token', '/v1/articles', {}, 400_000, 401],
    ['400 for an unknown query parameter', '/v1/articles?bogus=1', { Authorization: `Bearer ${adminToken}` }, 400_000, 400],
  ])('%s', async (_, path, auth, bytes, status) => {
    agent?.destroy();
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const body = big(bytes);
    for (let round = 0; round < 3; round++) {
      const refused = await send(path, 'POST', { ...auth, 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body);
      expect(refused.status).toBe(status);
      expect(JSON.parse(refused.body)).toHaveProperty('error.code');
      if (bytes > 10_000_000) expect(refused.headers['connection']).toBe('close');
      const next = await send('/healthz', 'GET', {});
      expect(next.status).toBe(200);
    }
  }, 60_000);
});
