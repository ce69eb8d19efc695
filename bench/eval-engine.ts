/**
 * The engine an evaluation or benchmark runs on: a temporary embedded index,
 * or Meilisearch. For Meilisearch, MEILI_URL (with MEILI_API_KEY, which may
 * create and delete `eval_*` indexes) names a running server; without it a
 * temporary server is started from the binary on PATH or in MEILI_BIN
 * (scripts/meilisearch-process.ts), and stopped afterwards.
 */
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { createEngine } from '../engine/create-engine.js';
import type { SearchEngine } from '../engine/port.js';
import { findMeilisearchBinary, noBinaryReason, startMeilisearch, type MeilisearchProcess } from '../scripts/meilisearch-process.js';

export type EngineKind = 'sqlite' | 'meilisearch';

export interface MeilisearchTarget {
  url: string;
  apiKey: string | undefined;
  /** The server process when this run started it. */
  process: MeilisearchProcess | null;
  close(): Promise<void>;
}

/** A server to run against: the one in MEILI_URL, or a temporary one. */
export async function connectMeilisearch(env: NodeJS.ProcessEnv = process.env): Promise<MeilisearchTarget> {
  const url = env['MEILI_URL'];
  if (url) return { url, apiKey: env['MEILI_API_KEY'], process: null, close: () => Promise.resolve() };
  const binary = findMeilisearchBinary(env);
  if (binary === null) throw new Error(`the Meilisearch engine needs MEILI_URL or a binary: ${noBinaryReason}`);
  const server = await startMeilisearch({ binary });
  return { url: server.url, apiKey: server.masterKey, process: server, close: () => server.dispose() };
}

export interface OpenedEngine {
  engine: SearchEngine;
  kind: EngineKind;
  /** Set for Meilisearch: where the index lives. */
  meili: MeilisearchTarget | null;
  /** Closes the engine and removes what the run created (indexes, servers). */
  close(): Promise<void>;
}

export async function openEngine(kind: EngineKind, workDir: string, label = 'eval'): Promise<OpenedEngine> {
  if (kind === 'sqlite') {
    const engine = await createEngine({ engine: 'sqlite', dataDir: join(workDir, 'data') });
    await engine.init();
    return { engine, kind, meili: null, close: () => engine.close() };
  }
  const meili = await connectMeilisearch();
  const index = `${label}_${process.pid}_${Date.now()}`;
  const engine = await createEngine({ engine: 'meilisearch', url: meili.url, apiKey: meili.apiKey, index });
  await engine.init();
  return {
    engine,
    kind,
    meili,
    async close() {
      await engine.close();
      const client = new Meilisearch({ host: meili.url, ...(meili.apiKey ? { apiKey: meili.apiKey } : {}) });
      const { results } = await client.getIndexes({ limit: 1000 });
      for (const { uid } of results.filter((i) => i.uid === index || i.uid.startsWith(`${index}_`))) {
        await client.deleteIndex(uid).waitTask({ timeout: 60_000 });
      }
      await meili.close();
    },
  };
}
