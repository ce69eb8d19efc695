/**
 * How an answer is logged and counted: states the service is in on purpose
 * (starting, read-only, a search past its budget, a client's mistake) are
 * info or warn lines without a stack trace; a client that goes away before
 * the answer is 499 `client_closed` in the request log and in /metrics, not
 * a 500. Over real HTTP, since only a socket can close under a request.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { pino, type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchEngine } from '../../engine/port.js';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { createApp, type AppDeps } from '../../service/app.js';
import { Readiness } from '../../service/readiness.js';
import { adminToken, waitFor } from './helpers.js';

interface LogLine {
  level: number;
  msg: string;
  status?: number;
  route?: string;
  code?: string;
  err?: { stack?: string };
  stack?: string;
}

const levels = { debug: 20, info: 30, warn: 40, error: 50 } as const;

function captureLogs(level: 'info' | 'debug' = 'info'): { logger: Logger; lines: () => LogLine[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    logger: pino({ level }, stream),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogLine),
  };
}

let root: string;
let engine: SqliteEngine;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'request-outcomes-'));
  engine = new SqliteEngine({ dataDir: join(root, 'data') });
  await engine.init();
});
afterAll(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

interface Served {
  url: string;
  lines: () => LogLine[];
  metrics: () => Promise<string>;
  /** Resolves once every connection accepted so far has closed (the server has seen the client go). */
  connectionsClosed: () => Promise<void>;
  close(): Promise<void>;
}

async function serveApp(deps: Partial<AppDeps> = {}, logLevel: 'info' | 'debug' = 'info'): Promise<Served> {
  const { logger, lines } = captureLogs(logLevel);
  const app = createApp({ engine, corpusDir: join(root, 'corpus'), logger, adminToken, ...deps });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets: Promise<void>[] = [];
  server.on('connection', (socket: Socket) => sockets.push(new Promise((r) => socket.once('close', () => r()))));
  return {
    url,
    lines,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    connectionsClosed: async () => {
      await Promise.all(sockets);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

/** The request log line of `route` with `status`, once it is written. */
async function requestLine(served: Served, route: string, status: number): Promise<LogLine> {
  try {
    return await waitFor(
      `the request log line of ${route} ${status}`,
      () => Promise.resolve(served.lines().find((l) => l.msg === 'request' && l.route === route && l.status === status)),
      10_000,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; logged: ${JSON.stringify(served.lines())}`, { cause: error });
  }
}

function hasStack(line: LogLine): boolean {
  return line.stack !== undefined || line.err?.stack !== undefined;
}

describe('states answered on purpose', () => {
  it('logs a 503 from /readyz while starting at info level, without a stack trace', async () => {
    const readiness = new Readiness();
    readiness.waitFor('indexing the corpus');
    const served = await serveApp({ readiness });
    try {
      const res = await fetch(`${served.url}/readyz`);
      expect(res.status).toBe(503);
      const line = await requestLine(served, '/readyz', 503);
      expect(line.level).toBe(levels.info);
      // Nothing about it at error level, and no stack anywhere.
      expect(served.lines().filter((l) => l.level >= levels.error)).toEqual([]);
      expect(served.lines().some(hasStack)).toBe(false);
      // The data routes say the same while starting.
      expect((await fetch(`${served.url}/v1/search?q=x`)).status).toBe(503);
      await requestLine(served, '/v1/search', 503);
      expect(served.lines().filter((l) => l.level >= levels.error)).toEqual([]);
    } finally {
      await served.close();
    }
  });

  it('logs a health probe that succeeds at debug level only, and still counts it in /metrics', async () => {
    const served = await serveApp();
    try {
      expect((await fetch(`${served.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${served.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${served.url}/v1/search?q=党建`)).status).toBe(200);
      // The search's line is written after both probes answered: by then theirs would be there too.
      await requestLine(served, '/v1/search', 200);
      expect(served.lines().filter((l) => l.msg === 'request' && (l.route === '/healthz' || l.route === '/readyz'))).toEqual([]);
      const text = await served.metrics();
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/healthz",status="200"\} 1/u);
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/readyz",status="200"\} 1/u);
    } finally {
      await served.close();
    }
    const verbose = await serveApp({}, 'debug');
    try {
      const res = await fetch(`${verbose.url}/healthz`);
      expect((await requestLine(verbose, '/healthz', 200)).level).toBe(levels.debug);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/u);
    } finally {
      await verbose.close();
    }
  });

  it('logs writes refused by a read-only instance and client mistakes at warn or info, without a stack', async () => {
    const served = await serveApp({ readOnly: true });
    try {
      const res = await fetch(`${served.url}/v1/articles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(405);
      expect((await fetch(`${served.url}/v1/articles/no-such-id`)).status).toBe(404);
      expect((await fetch(`${served.url}/v1/search?limit=many`)).status).toBe(400);
      await requestLine(served, '/v1/search', 400);
      const lines = served.lines();
      expect(lines.filter((l) => l.msg === 'request').every((l) => l.level <= levels.warn)).toBe(true);
      expect(lines.some(hasStack)).toBe(false);
    } finally {
      await served.close();
    }
  });

  it('logs a search answered 503 timeout at warn level, without a stack', async () => {
    const stuck = Object.create(engine) as SearchEngine;
    stuck.search = () => new Promise(() => undefined);
    const served = await serveApp({ engine: stuck, searchTimeoutMs: 20 });
    try {
      const res = await fetch(`${served.url}/v1/search?q=x`);
      expect(res.status).toBe(503);
      const line = await requestLine(served, '/v1/search', 503);
      expect(line.level).toBe(levels.warn);
      expect(served.lines().filter((l) => l.level >= levels.error)).toEqual([]);
      expect(served.lines().some(hasStack)).toBe(false);
    } finally {
      await served.close();
    }
  });

  it('still logs an unexpected failure at error level with its stack', async () => {
    const broken = Object.create(engine) as SearchEngine;
    broken.search = () => Promise.reject(new Error('disk on fire'));
    const served = await serveApp({ engine: broken });
    try {
      expect((await fetch(`${served.url}/v1/search?q=x`)).status).toBe(500);
      const line = await requestLine(served, '/v1/search', 500);
      expect(line.level).toBe(levels.error);
      expect(served.lines().some((l) => l.level === levels.error && l.err?.stack?.includes('disk on fire') === true)).toBe(true);
    } finally {
      await served.close();
    }
  });
});

describe('a client that goes away before the answer', () => {
  /** Starts a request the engine holds until `release()`, and aborts it once the engine has it. */
  async function abortHeld(served: Served, path: string, held: Promise<void>): Promise<void> {
    const controller = new AbortController();
    const request = fetch(`${served.url}${path}`, { signal: controller.signal }).catch((err: unknown) => err);
    await held;
    controller.abort();
    expect(await request).toBeInstanceOf(Error);
  }

  function holding<K extends 'search' | 'suggest' | 'related'>(
    method: K,
  ): { engine: SearchEngine; held: Promise<void>; release: () => void } {
    let onHeld!: () => void;
    const held = new Promise<void>((r) => (onHeld = r));
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const wrapped = Object.create(engine) as SearchEngine;
    const original = engine[method].bind(engine) as (request: unknown) => Promise<unknown>;
    (wrapped as unknown as Record<string, (request: unknown) => Promise<unknown>>)[method] = async (request) => {
      onHeld();
      await released;
      return original(request);
    };
    return { engine: wrapped, held, release };
  }

  it('is 499 client_closed in the log and the metrics when a search is aborted', async () => {
    const { engine: held, held: arrived, release } = holding('search');
    const served = await serveApp({ engine: held, searchTimeoutMs: 60_000 });
    try {
      await abortHeld(served, '/v1/search?q=x', arrived);
      const line = await requestLine(served, '/v1/search', 499);
      expect(line.level).toBeLessThanOrEqual(levels.warn);
      expect(served.lines().some((l) => l.msg === 'request' && l.status === 500)).toBe(false);
      expect(served.lines().some(hasStack)).toBe(false);
      release();
      const text = await served.metrics();
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/search",status="499"\} 1/u);
      expect(text).not.toMatch(/route="\/v1\/search",status="500"/u);
    } finally {
      release();
      await served.close();
    }
  });

  it('is 499 also for a route that would have answered after the client left', async () => {
    const { engine: held, held: arrived, release } = holding('suggest');
    const served = await serveApp({ engine: held });
    try {
      await abortHeld(served, '/v1/suggest?q=%E5%85%9A', arrived);
      // The handler finishes once the engine answers, after the server has seen the client go.
      await served.connectionsClosed();
      release();
      const line = await requestLine(served, '/v1/suggest', 499);
      expect(line.level).toBeLessThanOrEqual(levels.warn);
      const text = await served.metrics();
      expect(text).toMatch(/http_requests_total\{method="GET",route="\/v1\/suggest",status="499"\} 1/u);
      expect(text).not.toMatch(/route="\/v1\/suggest",status="200"/u);
    } finally {
      release();
      await served.close();
    }
  });

  it('is 499, not 500, when the client leaves in the middle of sending a body', async () => {
    const served = await serveApp();
    try {
      const controller = new AbortController();
      let sent!: () => void;
      const firstChunkSent = new Promise<void>((r) => (sent = r));
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"title":"医院党委开展主题党日活动","text":"'));
          sent();
        },
      });
      const request = fetch(`${served.url}/v1/articles`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
        body,
        duplex: 'half',
        signal: controller.signal,
      } as RequestInit).catch((err: unknown) => err);
      await firstChunkSent;
      await new Promise((r) => setTimeout(r, 200));
      controller.abort();
      expect(await request).toBeInstanceOf(Error);
      const line = await requestLine(served, '/v1/articles', 499);
      expect(line.level).toBeLessThanOrEqual(levels.warn);
      expect(served.lines().some((l) => l.level >= levels.error)).toBe(false);
      expect(await served.metrics()).toMatch(/http_requests_total\{method="POST",route="\/v1\/articles",status="499"\} 1/u);
    } finally {
      await served.close();
    }
  });
});
