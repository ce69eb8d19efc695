/**
 * indexCorpus's `maxWriteMs`: on the thread that also serves requests, write
 * transactions shrink to what fits in the bound (what the last one took per
 * document), rather than one transaction of up to 1,000 documents holding
 * every request for seconds; without it, `batchSize` holds.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineDocument } from '../../engine/document.js';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { indexCorpus } from '../../indexer/pipeline.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const perDocumentMs = 4;

let root: string;
let corpusDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'write-slices-'));
  corpusDir = join(root, 'corpus');
  await mkdir(corpusDir);
  await copyFile(join(repoRoot, 'tests/fixtures/corpus-dev/articles.jsonl'), join(corpusDir, 'dev.jsonl'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** An engine whose writes cost `perDocumentMs` per document of synchronous work, as a real transaction does; records each batch. */
async function slowWritingEngine(name: string): Promise<{ engine: SqliteEngine; batches: number[] }> {
  const engine = new SqliteEngine({ dataDir: join(root, name) });
  await engine.init();
  const batches: number[] = [];
  const upsert = engine.upsert.bind(engine);
  engine.upsert = async (documents: EngineDocument[]) => {
    const t = performance.now();
    while (performance.now() - t < perDocumentMs * documents.length) {
      // Holding the thread, as SQLite does inside a transaction.
    }
    await upsert(documents);
    batches.push(documents.length);
  };
  return { engine, batches };
}

describe('indexCorpus write transactions', () => {
  it('stay near maxWriteMs, and every article is still indexed', async () => {
    const { engine, batches } = await slowWritingEngine('sliced');
    try {
      const summary = await indexCorpus({ engine, corpusDir, maxWriteMs: 25 });
      expect(summary.indexed).toBeGreaterThan(100);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(summary.indexed);
      expect(batches.length).toBeGreaterThan(10);
      // 25 ms at ≥ 4 ms a document: a handful per transaction, never the whole corpus.
      expect(Math.max(...batches)).toBeLessThanOrEqual(8);
      expect((await engine.stats()).documents).toBe(summary.indexed);
    } finally {
      await engine.close();
    }
  }, 240_000);

  it('are batchSize documents without it', async () => {
    const { engine, batches } = await slowWritingEngine('whole');
    try {
      const summary = await indexCorpus({ engine, corpusDir });
      expect(batches).toEqual([summary.indexed]);
    } finally {
      await engine.close();
    }
  }, 240_000);
});
