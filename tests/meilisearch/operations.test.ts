/**
 * Operations against a real Meilisearch, tried as an operator would: a rebuild
 * while searches run, a Meilisearch restart under the running API, a wrong key
 * and a missing index at start, and the README's backup steps (dump and
 * snapshot restored into a new server).
 *
 * Each test starts its own Meilisearch from the binary in MEILI_BIN (set by
 * `npm run test:meilisearch`), so stopping or restoring one never disturbs the
 * conformance run. Without it the file is reported as skipped.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine/create-engine.js';
import { buildServiceKeySpec } from '../../engine/meilisearch/service-key.js';
import type { SearchEngine } from '../../engine/port.js';
import { startMeilisearch, type MeilisearchProcess } from '../../scripts/meilisearch-process.js';
import { adminToken, getJson, startTestServer, waitFor, type ErrorBody, type TestServer } from '../api/helpers.js';
import { makeSearchRequest } from '../engine/fixtures.js';

const binary = process.env['MEILI_BIN'];
const enabled = binary !== undefined && process.env['MEILI_URL'] !== undefined;

interface SearchBody {
  total: number;
  hits: { id: string }[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function meili(options: Partial<Parameters<typeof startMeilisearch>[0]> = {}): Promise<MeilisearchProcess> {
  const server = await startMeilisearch({ binary: binary ?? '', ...options });
  cleanups.push(() => server.dispose());
  return server;
}

/**
 * The limited key `npm run meili:create-key` would make for this index; a
 * server restored from a dump or snapshot already has it (same uid).
 */
async function serviceKey(server: MeilisearchProcess, index: string): Promise<string> {
  const client = new Meilisearch({ host: server.url, apiKey: server.masterKey });
  const spec = buildServiceKeySpec(index);
  try {
    return (await client.getKey(spec.uid)).key;
  } catch {
    return (await client.createKey(spec)).key;
  }
}

async function api(server: MeilisearchProcess, index: string, vars: Record<string, string> = {}, waitReady = true): Promise<TestServer> {
  const s = await startTestServer(
    {
      ENGINE: 'meilisearch',
      MEILI_URL: server.url,
      MEILI_API_KEY: await serviceKey(server, index),
      MEILI_INDEX: index,
      ADMIN_TOKEN: adminToken,
      ...vars,
    },
    { waitReady },
  );
  cleanups.push(() => s.stop());
  return s;
}

async function idsFor(url: string, q: string): Promise<string[]> {
  const res = await getJson<SearchBody>(`${url}/v1/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return res.body.hits.map((h) => h.id);
}

const queries = ['党建', '党支部', '医院', '清廉医院', '疫情防控'];

async function answersOf(engine: SearchEngine): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const q of queries) out[q] = (await engine.search(makeSearchRequest(q))).hits.map((h) => h.document.id);
  return out;
}

describe.skipIf(!enabled)('Meilisearch operations', () => {
  it('a rebuild swaps the index while searches run, and no search fails', async () => {
    const server = await meili();
    // The searches below come from one address as fast as they are answered: no per-address limit.
    const s = await api(server, 'ops_rebuild', { RATE_LIMIT_IP_PER_MINUTE: '0' });
    const before = await idsFor(s.url, '党建');
    expect(before.length).toBeGreaterThan(0);
    let searching = true;
    const statuses: number[] = [];
    const searches = (async () => {
      while (searching) statuses.push((await fetch(`${s.url}/v1/search?q=${encodeURIComponent('党建')}`)).status);
    })();
    const rebuild = await fetch(`${s.url}/v1/reindex`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` } });
    searching = false;
    await searches;
    expect(rebuild.status).toBe(200);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((code) => code !== 200)).toEqual([]);
    expect(await idsFor(s.url, '党建')).toEqual(before);
  });

  it('a Meilisearch restart under the API answers 503 engine_unavailable, then recovers without restarting the API', async () => {
    const first = await meili();
    const s = await api(first, 'ops_restart');
    const before = await idsFor(s.url, '党建');
    await first.stop();
    const down = await getJson<ErrorBody>(`${s.url}/v1/search?q=${encodeURIComponent('党建')}`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('engine_unavailable');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    // Same data directory, port and master key: the keys the service holds are still valid.
    await meili({ dataDir: first.dataDir, port: first.port, masterKey: first.masterKey });
    await waitFor('search to recover', async () => {
      const res = await fetch(`${s.url}/v1/search?q=${encodeURIComponent('党建')}`);
      return res.status === 200 ? true : undefined;
    });
    expect(await idsFor(s.url, '党建')).toEqual(before);
  });

  it('a wrong key at start is refused with a message naming MEILI_API_KEY and how to make the right one', async () => {
    const server = await meili();
    const s = await api(server, 'ops_key', { MEILI_API_KEY: 'not-a-key-of-this-server' }, false);
    await expect(s.ready).rejects.toThrow(/rejected MEILI_API_KEY.*meili:create-key/su);
    // The master key is refused too: the service runs only with a limited key.
    const master = await api(server, 'ops_key2', { MEILI_API_KEY: server.masterKey }, false);
    await expect(master.ready).rejects.toThrow(/master key or an admin key/u);
  });

  it('a missing index at start is created, said so in the log, and filled from the corpus', async () => {
    const server = await meili();
    const s = await api(server, 'ops_fresh');
    expect(s.logs().some((line) => line.includes('index \\"ops_fresh\\" does not exist on Meilisearch yet'))).toBe(true);
    expect((await idsFor(s.url, '党建')).length).toBeGreaterThan(0);
  });

  it('a dump and a snapshot, restored into new servers, serve the same answers', async () => {
    const server = await meili();
    const index = 'ops_backup';
    const config = { engine: 'meilisearch' as const, url: server.url, apiKey: await serviceKey(server, index), index };
    const s = await api(server, index);
    await s.stop();
    cleanups.pop();
    const engine = await createEngine(config);
    const expected = await answersOf(engine);
    await engine.close();
    expect(expected['党建']?.length).toBeGreaterThan(0);

    const admin = new Meilisearch({ host: server.url, apiKey: server.masterKey });
    await admin.createDump().waitTask({ timeout: 120_000 });
    await admin.createSnapshot().waitTask({ timeout: 120_000 });
    const dumps = readdirSync(join(server.dataDir, 'dumps')).filter((f) => f.endsWith('.dump'));
    const snapshots = readdirSync(join(server.dataDir, 'snapshots')).filter((f) => f.endsWith('.snapshot'));
    expect(dumps).toHaveLength(1);
    expect(snapshots).toHaveLength(1);

    const fromDump = await meili({ masterKey: server.masterKey, args: ['--import-dump', join(server.dataDir, 'dumps', dumps[0] ?? '')] });
    const fromSnapshot = await meili({ masterKey: server.masterKey, args: ['--import-snapshot', join(server.dataDir, 'snapshots', snapshots[0] ?? '')] });
    for (const restored of [fromDump, fromSnapshot]) {
      expect(existsSync(join(restored.dataDir, 'data.ms'))).toBe(true);
      // Keys travel with the dump and the snapshot: the service's key still works.
      const again = await createEngine({ ...config, url: restored.url });
      await waitFor('restored index to answer', async () => ((await again.stats()).documents > 0 ? true : undefined));
      expect(await answersOf(again)).toEqual(expected);
      await again.close();
    }
  });
});
