/**
 * Starting one of the indexer's worker threads from its module next to this
 * one, whether the code runs compiled (.js) or from TypeScript sources.
 *
 * Compiled JavaScript starts the worker file itself. TypeScript sources (run
 * by tsx or vitest) need tsx's loader inside the worker, and Node 20 does not
 * carry a parent's loader hooks into a worker's entry module: a small
 * bootstrap registers tsx there first, then imports the worker module.
 */
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, workerData, type WorkerOptions } from 'node:worker_threads';
import { getAnalysisOverrides, setAnalysisOverrides, type AnalysisOverrides } from '../config/data.js';

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
  options = { ...options, workerData: withOverrides };
  const ext = extname(fileURLToPath(import.meta.url));
  const url = new URL(`./${name}${ext === '.ts' ? '.ts' : '.js'}`, import.meta.url);
  if (ext !== '.ts') return new Worker(url, options);
  // tsx's ESM API (`--import tsx` registers its hooks on the main thread only).
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/u, '.mjs');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
