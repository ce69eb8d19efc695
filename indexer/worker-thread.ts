/** Starting one of the indexer's worker threads from its module next to this one (see engine/worker-thread.ts). */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
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

/** How much lower than the process's main thread a bulk indexing thread runs (nice steps). */
const indexingNiceness = 10;

/**
 * In a thread of bulk indexing (a rebuild and its build workers): lowers
 * this thread's scheduling priority, so that on a machine with fewer free
 * cores than busy threads the serving thread (HTTP, searches on the read
 * workers) is given the CPU first and the rebuild takes longer instead of
 * making searches wait.
 * Linux schedules threads, not processes: `/proc/thread-self` names this
 * thread, and its priority alone changes.
 * Elsewhere, or when the priority cannot be changed, nothing happens.
 */
export function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return;
    // Relative to the main thread (its id is the process id), not to whichever thread started this one.
    setPriority(tid, Math.max(getPriority(tid), Math.min(19, getPriority(process.pid) + indexingNiceness)));
  } catch {
    // Not Linux, or not allowed: the thread keeps its priority.
  }
}
