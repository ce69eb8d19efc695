/**
 * OpenCC's own conversion cases, read in place from the shared peer suites
 * (`../shared/peer-suites/opencc/testcases.json` beside the repository, or the
 * folder named by PEER_SUITES_DIR). A fresh clone has neither: the test is then
 * skipped with the reason printed.
 *
 * Each OpenCC configuration is run through `toSimplified` with the matching
 * Traditional standard (t2s → `t`, tw2s → `tw`, hk2s → `hk`), and through the
 * `auto` chain that documents and queries use, which folds every regional
 * variant at once and so cannot agree with all three where they disagree
 * (OpenCC's t2s and hk2s keep 慰藉著, tw2s reads it as 慰藉着).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toSimplified, type TraditionalVariant } from '../../engine/analysis/to-simplified.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A linked git worktree lives elsewhere; `../shared` is then beside its main checkout. */
function mainCheckout(): string | null {
  const dotGit = join(repo, '.git');
  // In a plain clone .git is a directory, and the clone is its own main checkout.
  if (!existsSync(dotGit) || statSync(dotGit).isDirectory()) return null;
  const m = /^gitdir:\s*(.+)$/mu.exec(readFileSync(dotGit, 'utf8').trim() + '\n');
  return m?.[1] ? resolve(m[1], '../../..') : null;
}

const candidates = [
  ...(process.env['PEER_SUITES_DIR'] ? [process.env['PEER_SUITES_DIR']] : []),
  join(repo, '../shared/peer-suites'),
  ...[mainCheckout()].filter((dir): dir is string => dir !== null).map((dir) => join(dir, '../shared/peer-suites')),
];
const suiteDir = candidates.find((dir) => existsSync(join(dir, 'opencc/testcases.json')));

interface PeerCase {
  id: string;
  input: string;
  expected: Record<string, string>;
}

// The file has trailing commas, which JSON.parse refuses.
function readCases(file: string): PeerCase[] {
  const text = readFileSync(file, 'utf8').replace(/,(\s*[}\]])/gu, '$1');
  return (JSON.parse(text) as { cases: PeerCase[] }).cases;
}

/** Identical outputs at least this share, per configuration (measured: every case). */
const floors: Record<string, { variant: TraditionalVariant; exact: number; auto: number }> = {
  t2s: { variant: 't', exact: 1, auto: 53 / 55 },
  tw2s: { variant: 'tw', exact: 1, auto: 31 / 32 },
  hk2s: { variant: 'hk', exact: 1, auto: 20 / 21 },
};

if (!suiteDir) {
  console.log(`OpenCC peer suite skipped: no opencc/testcases.json under ${candidates.join(' or ')} (set PEER_SUITES_DIR)`);
}

describe.skipIf(!suiteDir)('OpenCC test cases', () => {
  const cases = suiteDir ? readCases(join(suiteDir, 'opencc/testcases.json')) : [];

  it.each(Object.entries(floors))('%s', (config, floor) => {
    const mine = cases.filter((c) => c.expected[config] !== undefined);
    expect(mine.length).toBeGreaterThan(0);
    const misses: string[] = [];
    let exact = 0;
    let auto = 0;
    for (const c of mine) {
      const want = c.expected[config] as string;
      const got = toSimplified(c.input, floor.variant);
      if (got === want) exact++;
      else misses.push(`${c.id}: ${c.input} → ${got}, want ${want}`);
      const gotAuto = toSimplified(c.input);
      if (gotAuto === want) auto++;
      else misses.push(`${c.id} (auto): ${c.input} → ${gotAuto}, want ${want}`);
    }
    console.log(`OpenCC ${config}: ${exact}/${mine.length} identical as ${floor.variant}, ${auto}/${mine.length} as auto`);
    if (misses.length > 0) console.log(misses.join('\n'));
    expect(exact / mine.length).toBeGreaterThanOrEqual(floor.exact);
    expect(auto / mine.length).toBeGreaterThanOrEqual(floor.auto);
  });
});
