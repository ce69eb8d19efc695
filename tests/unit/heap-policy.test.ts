import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from '../../config/env.js';
import { heapPolicyFlags } from '../../service/heap-policy.js';

const fixture = fileURLToPath(new URL('../fixtures/heap-growth.ts', import.meta.url));
const policy = pathToFileURL(fileURLToPath(new URL('../../service/heap-policy.ts', import.meta.url))).href;

function peakHeapMb(percent: number): number {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fixture, policy], {
    env: { ...process.env, HEAP_GROWING_PERCENT: String(percent) },
    encoding: 'utf8',
  });
  return Number(out.trim());
}

describe('heap policy', () => {
  it('defaults to growing the heap by 30% and can be turned off', () => {
    expect(loadEnv({}).HEAP_GROWING_PERCENT).toBe(30);
    expect(heapPolicyFlags(loadEnv({}))).toEqual(['--heap-growing-percent=30']);
    expect(heapPolicyFlags(loadEnv({ HEAP_GROWING_PERCENT: '0' }))).toEqual([]);
  });

  it.each(['-1', '401', '1.5', 'lots'])('refuses HEAP_GROWING_PERCENT=%s, naming it', (value) => {
    expect(() => loadEnv({ HEAP_GROWING_PERCENT: value })).toThrow(EnvError);
    try {
      loadEnv({ HEAP_GROWING_PERCENT: value });
    } catch (error) {
      expect((error as EnvError).problems[0]).toMatch(/^HEAP_GROWING_PERCENT: /u);
    }
  });

  it('keeps a thread’s heap closer to what it holds than V8’s own factor does', () => {
    // Set at run time, the flag must still reach V8's collector; a Node that froze its flags would make both equal.
    const bounded = peakHeapMb(30);
    const unbounded = peakHeapMb(0);
    expect(bounded).toBeGreaterThan(60);
    expect(bounded).toBeLessThan(unbounded * 0.85);
  }, 60_000);
});
