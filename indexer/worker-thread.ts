/** Starting one of the indexer's worker threads from its module next to this one (see engine/worker-thread.ts). */
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { startModuleWorker } from '../engine/worker-thread.js';

/** `name` without extension, e.g. `build-worker`, resolved beside this module. */
export function startIndexerWorker(name: string, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  return startModuleWorker(import.meta.url, name, options);
}
