/**
 * Starting a worker thread from a module, whether the code runs compiled
 * (.js) or from TypeScript sources.
 *
 * Compiled JavaScript starts the worker file itself. TypeScript sources (run
 * by tsx or vitest) need tsx's loader inside the worker, and Node 20 does not
 * carry a parent's loader hooks into a worker's entry module: a small
 * bootstrap registers tsx there first, then imports the worker module.
 */
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Starts `./<name>.ts` or `./<name>.js` beside `base` (an import.meta.url), whichever matches `base`'s own extension. */
export function startModuleWorker(base: string, name: string, options: Pick<WorkerOptions, 'workerData'> = {}): Worker {
  const ext = extname(fileURLToPath(base));
  const url = new URL(`./${name}${ext === '.ts' ? '.ts' : '.js'}`, base);
  if (ext !== '.ts') return new Worker(url, options);
  // tsx's ESM API (`--import tsx` registers its hooks on the main thread only).
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/u, '.mjs');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}
