/**
 * `npx tsx bench/profile-summary.ts bench/out/profiles/<file>.cpuprofile [--top 25]`
 *
 * Summarises a V8 CPU profile (node --cpu-prof, or `npm run bench -- --cpu-prof index|query|server`):
 * the functions with the most self time, and self time per source file, so a
 * missed target is explained by where the time goes rather than by a guess.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  location: string;
  ms: number;
  share: number;
}

function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const clean = url.replace(/^file:\/\//u, '');
  const at = clean.indexOf('node_modules/');
  if (at >= 0) return clean.slice(at);
  const repo = clean.lastIndexOf('/work/main/');
  return repo >= 0 ? clean.slice(repo + '/work/main/'.length) : clean;
}

/** Self time per function and per file, from the sample stream (exact, not hitCount estimates). */
export function summariseProfile(profile: CpuProfile): { totalMs: number; functions: SelfTime[]; files: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, { name: string; location: string; us: number }>();
  const file = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const location = `${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
    const name = functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const e = fn.get(key) ?? { name, location, us: 0 };
    e.us += us;
    fn.set(key, e);
    const f = url ? shortUrl(url) : name;
    file.set(f, (file.get(f) ?? 0) + us);
  }
  const toRow = (name: string, location: string, us: number): SelfTime => ({ name, location, ms: us / 1000, share: us / Math.max(1, totalUs) });
  return {
    totalMs: totalUs / 1000,
    functions: [...fn.values()].sort((a, b) => b.us - a.us).map((e) => toRow(e.name, e.location, e.us)),
    files: [...file.entries()].sort((a, b) => b[1] - a[1]).map(([f, us]) => toRow(f, '', us)),
  };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const top = Number(values.top);
  for (const path of positionals) {
    const summary = summariseProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
    console.log(`${path}: ${(summary.totalMs / 1000).toFixed(1)} s sampled`);
    console.log('  self time by function:');
    for (const r of summary.functions.slice(0, top)) {
      console.log(`    ${(r.share * 100).toFixed(1).padStart(5)}%  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}  ${r.location}`);
    }
    console.log('  self time by file:');
    for (const r of summary.files.slice(0, Math.min(top, 15))) {
      console.log(`    ${(r.share * 100).toFixed(1).padStart(5)}%  ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${r.name}`);
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
