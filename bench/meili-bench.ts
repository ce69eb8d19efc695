/**
 * The Meilisearch side of `npm run bench -- --engine meilisearch`: a server to
 * index into (MEILI_URL as given, or a temporary one from the binary), a
 * limited service key for the API server of the HTTP phase, and the server's
 * own figures: its data directory on disk and its RSS, sampled while the
 * phases run.
 */
import { join } from 'node:path';
import { Meilisearch } from 'meilisearch';
import { buildServiceKeySpec } from '../engine/meilisearch/service-key.js';
import { connectMeilisearch, type MeilisearchTarget } from './eval-engine.js';
import { directoryBytes, readRssBytes } from './proc-stats.js';

export interface MeilisearchFigures {
  version: string;
  /** Bytes of the server's data directory (null for a server this run did not start). */
  dataBytes: number | null;
  /** Peak RSS of the Meilisearch process while the phases ran (null when not started here). */
  peakRssBytes: number | null;
}

export interface MeilisearchBench {
  /** Environment for the phases' children: MEILI_URL, MEILI_API_KEY, MEILI_INDEX. */
  env: Record<string, string>;
  finish(): Promise<MeilisearchFigures>;
}

export async function prepareMeilisearchBench(size: number): Promise<MeilisearchBench> {
  const target: MeilisearchTarget = await connectMeilisearch();
  const index = process.env['MEILI_INDEX'] ?? `bench_${size}`;
  let apiKey = target.apiKey;
  if (target.process !== null) {
    // The API server refuses the master key: it gets the limited key an operator would make.
    const admin = new Meilisearch({ host: target.url, apiKey: target.process.masterKey });
    apiKey = (await admin.createKey(buildServiceKeySpec(index))).key;
  }
  const pid = target.process?.child.pid;
  let peak = 0;
  const sampler = pid === undefined ? null : setInterval(() => (peak = Math.max(peak, readRssBytes(pid))), 250);
  return {
    env: { MEILI_URL: target.url, ...(apiKey ? { MEILI_API_KEY: apiKey } : {}), MEILI_INDEX: index },
    async finish() {
      if (sampler) clearInterval(sampler);
      const client = new Meilisearch({ host: target.url, ...(target.apiKey ? { apiKey: target.apiKey } : {}) });
      const version = (await client.getVersion()).pkgVersion;
      const figures = {
        version,
        dataBytes: target.process ? directoryBytes(join(target.process.dataDir, 'data.ms')) : null,
        peakRssBytes: pid === undefined ? null : peak,
      };
      await target.close();
      return figures;
    },
  };
}
