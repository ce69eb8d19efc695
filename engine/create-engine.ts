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
    }
  | {
      engine: 'meilisearch';
      url: string;
      apiKey?: string | undefined;
      /** Index uid. */
      index: string;
    };

export async function createEngine(config: EngineConfig): Promise<SearchEngine> {
  switch (config.engine) {
    case 'sqlite': {
      const { SqliteEngine } = await import('./sqlite/sqlite-engine.js');
      const options: { dataDir: string; fileName?: string } = { dataDir: config.dataDir };
      if (config.fileName !== undefined) options.fileName = config.fileName;
      return new SqliteEngine(options);
    }
    case 'meilisearch': {
      const { MeilisearchEngine } = await import('./meilisearch/meilisearch-engine.js');
      return new MeilisearchEngine({ url: config.url, apiKey: config.apiKey, index: config.index });
    }
  }
}
