/** Starting one of the indexer's worker threads from its module next to this one (see engine/worker-thread.ts). */
import { workerData, type Worker, type WorkerOptions } from 'node:worker_threads';
import { getAnalysisOverrides, setAnalysisOverrides, type AnalysisOverrides } from '../config/data.js';
import { startModuleWorker } from '../engine/worker-thread.js';

// A worker's modules are its own instances: the run-time synonyms and
// dictionary words travel with its start-up data, so it segments as this thread does.
const overridesKey = 'analysisOverrides';

/** In a worker thread: take the run-time synonyms and dictionary words the parent had when it started us. */
export function adoptAnalysisOverrides(): void {
  const given = (workerData as Record<string, unknown> | null)?.[overridesKey] as AnalysisOverrides | undefined;
  if (given) setAnalysisOverrides(given);
}

/** `name` without extension, e.g. `build-worker`, resolved beside this module. */
export function startIndexerWorker(name: string, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  const data: unknown = options.workerData;
  const withOverrides = { ...(typeof data === 'object' && data !== null ? data : {}), [overridesKey]: getAnalysisOverrides() };
  return startModuleWorker(import.meta.url, name, { ...options, workerData: withOverrides });
}
