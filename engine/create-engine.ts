/**
 * The composition root for engines: the only module that names a concrete
 * adapter. Each adapter is imported on demand, so running the embedded engine
 * loads nothing of the Meilisearch client and vice versa.
 *
 * The returned engine is not initialised: callers `await engine.init()`.
 */
import type { SearchEngine } from './port.js';

export type EngineConfig =
  | {
      engine: 'sqlite';
      /** DATA_DIR: where the index files live. */
      dataDir: string;
      fileName?: string;
      /** Worker threads for reads (engine/sqlite/read-pool.ts); 0 or absent reads on the calling thread. */
      readWorkers?: number;
      /** Answers remembered until the next write; 0 turns the answer cache off (benchmarks). */
      resultCacheSize?: number;
    }
  | {
      engine: 'meilisearch';
      url: string;
      apiKey?: string | undefined;
      /** Index uid. */
      index: string;
    };

const configs = new WeakMap<SearchEngine, EngineConfig>();

/**
 * The configuration an engine was created with, so work that must not run on
 * the serving thread (a full rebuild) can open its own connection to the
 * same index in a worker thread. Undefined for engines not made here.
 */
export function engineConfigOf(engine: SearchEngine): EngineConfig | undefined {
  const config = configs.get(engine);
  // Work off the serving thread only writes: it has no use for read workers of its own.
  if (config?.engine === 'sqlite' && config.readWorkers !== undefined) {
    const rest = { ...config };
    delete rest.readWorkers;
    return rest;
  }
  return config;
}

export async function createEngine(config: EngineConfig): Promise<SearchEngine> {
  const engine = await instantiate(config);
  configs.set(engine, config);
  return engine;
}

async function instantiate(config: EngineConfig): Promise<SearchEngine> {
  switch (config.engine) {
    case 'sqlite': {
      const { SqliteEngine } = await import('./sqlite/sqlite-engine.js');
      const options: { dataDir: string; fileName?: string; readWorkers?: number; resultCacheSize?: number } = { dataDir: config.dataDir };
      if (config.fileName !== undefined) options.fileName = config.fileName;
      if (config.readWorkers !== undefined) options.readWorkers = config.readWorkers;
      if (config.resultCacheSize !== undefined) options.resultCacheSize = config.resultCacheSize;
      return new SqliteEngine(options);
    }
    case 'meilisearch': {
      const { MeilisearchEngine } = await import('./meilisearch/meilisearch-engine.js');
      return new MeilisearchEngine({ url: config.url, apiKey: config.apiKey, index: config.index });
    }
  }
}

/**
 * After IndexCorruptError from `init()`: moves the damaged index aside so the
 * next `init()` starts an empty one, to be refilled from the corpus. Returns
 * where it went; null when the engine keeps no local file (Meilisearch
 * manages its own storage) or there was nothing to move.
 */
export async function moveDamagedIndexAside(config: EngineConfig): Promise<string | null> {
  if (config.engine !== 'sqlite') return null;
  const { moveDamagedIndexAside: move } = await import('./sqlite/quarantine.js');
  return move(config.dataDir, config.fileName);
}
