/**
 * The Meilisearch start-up gate against a stand-in HTTP server on 127.0.0.1
 * that answers like Meilisearch does for /health, /indexes/:uid, /keys and
 * /version (status codes and error codes as documented), since no real server
 * is available here. The conformance suite covers the real thing when MEILI_URL is set.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  computeBackoffDelays,
  isVersionAtLeast,
  MeilisearchKeyError,
  MeilisearchUnreachableError,
  MeilisearchVersionError,
  parseVersion,
  waitForMeilisearch,
  type WaitLogger,
} from '../../engine/meilisearch/wait.js';

interface FakeKey {
  actions: string[];
  indexes: string[];
}

interface FakeMeili {
  /** Number of /health requests answered 503 before the server is "available"; Infinity: never. */
  unhealthyFor?: number;
  masterKey: string | null;
  keys?: Record<string, FakeKey>;
  existingIndexes?: string[];
  version?: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

function matchesIndex(patterns: string[], uid: string): boolean {
  return patterns.some((p) => p === '*' || p === uid || (p.endsWith('*') && uid.startsWith(p.slice(0, -1))));
}

async function startFakeMeili(fake: FakeMeili): Promise<{ url: string; healthCalls: () => number }> {
  let healthCalls = 0;
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/health') {
      healthCalls += 1;
      if (healthCalls <= (fake.unhealthyFor ?? 0)) {
        send(503, { message: 'starting', code: 'internal', type: 'internal', link: '' });
        return;
      }
      send(200, { status: 'available' });
      return;
    }
    let action: string;
    let indexUid: string | null = null;
    const indexMatch = /^\/indexes\/([^/]+)$/u.exec(path);
    if (indexMatch) {
      action = 'indexes.get';
      indexUid = decodeURIComponent(indexMatch[1] ?? '');
    } else if (path === '/keys') action = 'keys.get';
    else if (path === '/version') action = 'version';
    else {
      send(404, { message: 'not found', code: 'not_found', type: 'invalid_request', link: '' });
      return;
    }

    if (fake.masterKey !== null) {
      const auth = req.headers.authorization;
      if (auth === undefined) {
        send(401, { message: 'The Authorization header is missing.', code: 'missing_authorization_header', type: 'auth', link: '' });
        return;
      }
      const token = auth.replace(/^Bearer /u, '');
      const key = fake.keys?.[token];
      const allowed =
        token === fake.masterKey ||
        (key !== undefined &&
          (key.actions.includes(action) || key.actions.includes('*')) &&
          (indexUid === null || matchesIndex(key.indexes, indexUid)));
      if (!allowed) {
        send(403, { message: 'The provided API key is invalid.', code: 'invalid_api_key', type: 'auth', link: '' });
        return;
      }
    }
    if (action === 'indexes.get') {
      if (fake.existingIndexes?.includes(indexUid ?? '')) send(200, { uid: indexUid, primaryKey: 'id' });
      else send(404, { message: `Index \`${indexUid}\` not found.`, code: 'index_not_found', type: 'invalid_request', link: '' });
    } else if (action === 'keys.get') send(200, { results: [], offset: 0, limit: 1, total: 0 });
    else send(200, { pkgVersion: fake.version ?? '1.48.3', commitSha: 'x', commitDate: 'x' });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, healthCalls: () => healthCalls };
}

/** A port nothing listens on: bind, read the port, close. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

function recordingLogger(): WaitLogger & { lines: { level: string; message: string; fields: object }[] } {
  const lines: { level: string; message: string; fields: object }[] = [];
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', message, fields }),
    warn: (fields, message) => lines.push({ level: 'warn', message, fields }),
  };
}

/** Skips the real wait and records how long the gate asked to wait. */
function recordSleep(slept: number[]): (ms: number) => Promise<void> {
  return (ms) => {
    slept.push(ms);
    return Promise.resolve();
  };
}

const master = 'master-key-for-tests-0123456789';
const serviceKey = 'service-key-limited-to-articles';
const serviceActions = ['search', 'documents.add', 'documents.get', 'indexes.get', 'tasks.get', 'version'];
const limitedKeys: Record<string, FakeKey> = {
  [serviceKey]: { actions: serviceActions, indexes: ['articles', 'articles_*'] },
  'admin-key-all-actions': { actions: ['*'], indexes: ['*'] },
  'key-for-another-index': { actions: serviceActions, indexes: ['movies'] },
};

describe('computeBackoffDelays', () => {
  it.each([
    [5, 500, 8000, [500, 1000, 2000, 4000]],
    [7, 500, 3000, [500, 1000, 2000, 3000, 3000, 3000]],
    [1, 500, 8000, []],
  ])('%i attempts from %i ms capped at %i ms → %j', (attempts, initial, max, expected) => {
    expect(computeBackoffDelays(attempts, initial, max)).toEqual(expected);
  });
});

describe('version checks', () => {
  it.each([
    ['1.48.3', true],
    ['v1.10.0', true],
    ['1.9.2', false],
    ['0.30.5', false],
    ['2.0.0', true],
  ])('%s is at least 1.10: %s', (version, ok) => {
    const parsed = parseVersion(version);
    expect(parsed).not.toBeNull();
    expect(isVersionAtLeast(parsed ?? [], [1, 10, 0])).toBe(ok);
  });

  it('does not guess at versions it cannot parse', () => {
    expect(parseVersion('nightly')).toBeNull();
  });
});

describe('waitForMeilisearch', () => {
  it('retries while Meilisearch is starting, with growing delays and a log line per attempt, then succeeds', async () => {
    const fake = await startFakeMeili({ unhealthyFor: 3, masterKey: master, keys: limitedKeys, existingIndexes: ['articles'] });
    const slept: number[] = [];
    const logger = recordingLogger();
    const result = await waitForMeilisearch({
      url: fake.url,
      apiKey: serviceKey,
      indexUid: 'articles',
      logger,
      sleep: recordSleep(slept),
    });
    expect(result).toEqual({ version: '1.48.3', protection: 'api-key', indexFound: true, attempts: 4 });
    expect(slept).toEqual([500, 1000, 2000]);
    const waiting = logger.lines.filter((l) => l.message.startsWith('waiting for Meilisearch'));
    expect(waiting.map((l) => l.message)).toEqual([
      'waiting for Meilisearch (attempt 1/12: HTTP 503 internal); retrying in 500 ms',
      'waiting for Meilisearch (attempt 2/12: HTTP 503 internal); retrying in 1000 ms',
      'waiting for Meilisearch (attempt 3/12: HTTP 503 internal); retrying in 2000 ms',
    ]);
    expect(logger.lines.at(-1)?.message).toBe('Meilisearch is reachable and accepts the service key');
  });

  it('accepts the limited key before the index exists (the service creates it)', async () => {
    const fake = await startFakeMeili({ masterKey: master, keys: limitedKeys, existingIndexes: [] });
    const logger = recordingLogger();
    const result = await waitForMeilisearch({ url: fake.url, apiKey: serviceKey, indexUid: 'articles', logger, sleep: recordSleep([]) });
    expect(result.protection).toBe('api-key');
    expect(result.indexFound).toBe(false);
    // The operator sees why a first start takes a while (and that the index name is the one they meant).
    expect(logger.lines.at(-1)?.message).toBe('index "articles" does not exist on Meilisearch yet: creating it and indexing the corpus');
  });

  it('gives up after the bounded number of attempts, naming the URL and the last failure', async () => {
    const url = await closedPortUrl();
    const slept: number[] = [];
    const attempt = waitForMeilisearch({
      url,
      apiKey: serviceKey,
      indexUid: 'articles',
      attempts: 4,
      sleep: recordSleep(slept),
    });
    await expect(attempt).rejects.toBeInstanceOf(MeilisearchUnreachableError);
    await expect(attempt).rejects.toThrow(new RegExp(`Meilisearch at ${url} is not reachable after 4 attempts .*ECONNREFUSED.*MEILI_URL`, 'u'));
    expect(slept).toEqual([500, 1000, 2000]);
  });

  it.each([
    ['a wrong key', 'not-a-key-at-all', /rejected MEILI_API_KEY \(HTTP 403\)/u],
    ['a key for another index', 'key-for-another-index', /not allowed on index "articles"/u],
    ['no key at all', undefined, /requires an API key .* MEILI_API_KEY is not set/u],
    ['the master key', master, /master key or an admin key/u],
    ['an admin key', 'admin-key-all-actions', /master key or an admin key/u],
  ])('refuses to start with %s, at once and with the fix in the message', async (_label, apiKey, message) => {
    const fake = await startFakeMeili({ masterKey: master, keys: limitedKeys, existingIndexes: ['articles'] });
    const slept: number[] = [];
    const attempt = waitForMeilisearch({ url: fake.url, apiKey, indexUid: 'articles', sleep: recordSleep(slept) });
    await expect(attempt).rejects.toBeInstanceOf(MeilisearchKeyError);
    await expect(attempt).rejects.toThrow(message);
    await expect(attempt).rejects.toThrow(/npm run meili:create-key/u);
    expect(slept).toEqual([]);
  });

  it('warns loudly but starts against an instance without a master key (local development)', async () => {
    const fake = await startFakeMeili({ masterKey: null });
    const logger = recordingLogger();
    const result = await waitForMeilisearch({ url: fake.url, apiKey: undefined, indexUid: 'articles', logger, sleep: recordSleep([]) });
    expect(result.protection).toBe('unprotected');
    expect(logger.lines.some((l) => l.level === 'warn' && l.message.includes('WITHOUT a master key'))).toBe(true);
  });

  it('refuses a Meilisearch too old for the settings the adapter applies', async () => {
    const fake = await startFakeMeili({ masterKey: master, keys: limitedKeys, version: '1.9.0' });
    const attempt = waitForMeilisearch({ url: fake.url, apiKey: serviceKey, indexUid: 'articles', sleep: recordSleep([]) });
    await expect(attempt).rejects.toBeInstanceOf(MeilisearchVersionError);
    await expect(attempt).rejects.toThrow(/v1\.9\.0; this service needs v1\.10\.0 or later/u);
  });

  it('stops waiting when start-up is aborted (SIGTERM)', async () => {
    const url = await closedPortUrl();
    const controller = new AbortController();
    const attempt = waitForMeilisearch({ url, apiKey: serviceKey, indexUid: 'articles', initialDelayMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expect(attempt).rejects.toThrow('shutting down');
  });
});
