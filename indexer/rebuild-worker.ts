/**
 * A full rebuild on a thread of its own (see rebuildIndex in pipeline.ts):
 * opens its own connection to the index from the engine's configuration,
 * builds the new generation (documents from the build pool, writes here) and
 * switches to it. The serving thread only follows the switch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type EngineConfig } from '../engine/create-engine.js';
import { BuildPool } from './build-pool.js';
import { rebuildIndex, type IndexSummary } from './pipeline.js';
import { adoptAnalysisOverrides, lowerThreadPriority } from './worker-thread.js';

adoptAnalysisOverrides();
lowerThreadPriority();

export interface RebuildWorkerInput {
  engineConfig: EngineConfig;
  corpusDir: string;
}

export type RebuildWorkerReply = { ok: true; summary: IndexSummary } | { ok: false; message: string; name: string };

const port = parentPort;
if (port === null) throw new Error('rebuild-worker.ts runs as a worker thread');

const input = workerData as RebuildWorkerInput;
const pool = new BuildPool({ lowPriority: true });
const engine = await createEngine(input.engineConfig);
let reply: RebuildWorkerReply;
try {
  await engine.init();
  reply = { ok: true, summary: await rebuildIndex({ engine, corpusDir: input.corpusDir, pool, inWorker: false }) };
} catch (error) {
  reply = error instanceof Error ? { ok: false, message: error.message, name: error.name } : { ok: false, message: String(error), name: 'Error' };
} finally {
  await engine.close();
  await pool.close();
}
port.postMessage(reply);
