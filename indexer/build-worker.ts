/**
 * A worker thread of the build pool (build-pool.ts): runs raw articles
 * through the pipeline (clean, normalise, extract, segment, fingerprint) and
 * posts the documents back. It never touches an engine: the one writer stays
 * on the thread that owns the index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildDocument, type StageTimings } from './build-document.js';
import type { BuildReply, BuildRequest, BuildWorkerData } from './build-pool.js';
import { adoptAnalysisOverrides, lowerThreadPriority } from './worker-thread.js';

adoptAnalysisOverrides();
if ((workerData as Partial<BuildWorkerData> | null)?.lowPriority === true) lowerThreadPriority();

const port = parentPort;
if (port === null) throw new Error('build-worker.ts runs as a worker thread of the build pool');

port.on('message', (request: BuildRequest) => {
  const timings: StageTimings = { clean: 0, extract: 0, segment: 0 };
  let reply: BuildReply;
  try {
    reply = { id: request.id, ok: true, result: buildDocument(request.raw, timings), timings };
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
