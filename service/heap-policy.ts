/**
 * The process's garbage-collection policy, applied by `npm start` before the
 * engine opens. V8 reads its heap-growing factor at every full collection and
 * its flags are process-wide, so the read workers started afterwards follow
 * it too.
 *
 * Measured at 100k articles (README, "Performance"): with V8's own factor the
 * peak RSS under the HTTP mix was 770–950 MB, mostly garbage that two heaps
 * (the serving thread's and the read worker's) let pile up before collecting;
 * growing by 30% it was 680 MB at the same throughput.
 */
import { setFlagsFromString } from 'node:v8';
import type { Env } from '../config/env.js';

/** The V8 flags `env` asks for (none when it keeps V8's defaults). */
export function heapPolicyFlags(env: Pick<Env, 'HEAP_GROWING_PERCENT'>): string[] {
  return env.HEAP_GROWING_PERCENT > 0 ? [`--heap-growing-percent=${env.HEAP_GROWING_PERCENT}`] : [];
}

export function applyHeapPolicy(env: Pick<Env, 'HEAP_GROWING_PERCENT'>): void {
  for (const flag of heapPolicyFlags(env)) setFlagsFromString(flag);
}
