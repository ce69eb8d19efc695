/**
 * `npx tsx bench/profile-summary.ts bench/out/profiles/<file>.cpuprofile [--top 25]`
 *
 * Summarises a V8 CPU profile (node --cpu-prof, or `npm run bench -- --cpu-prof index|query|server`):
 * the functions with the most self time, and self time per source file, so a
 * missed target is explained by where the time goes rather than by a guess.
 *
 * Positions are the TypeScript source lines: tsx runs our sources compiled
 * (whitespace-minified, so every function sits on line 1 of its output), and
 * the profile records positions in that output. Each file of this repository
 * named in the profile is compiled again by the same tsx loader, without being
 * run, and its source map translates the positions. Paths are shown relative
 * to this checkout, wherever it is.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, register } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number };
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
  const clean = url.startsWith('file://') ? fileURLToPath(url) : url;
  const at = clean.indexOf('node_modules/');
  if (at >= 0) return clean.slice(at);
  return clean.startsWith(`${repoRoot}/`) ? clean.slice(repoRoot.length + 1) : clean;
}

// A loader hook that hands back a module's compiled source as a string
// instead of running it (the `__source_probe` marker asks for that).
const probeHook = `export async function load(url, context, next) {
  if (!url.endsWith('__source_probe')) return next(url, context);
  const result = await next(url.replace(/[?&]__source_probe$/, ''), { ...context, format: 'module' });
  const source = typeof result.source === 'string' ? result.source : new TextDecoder().decode(result.source);
  return { format: 'module', shortCircuit: true, source: 'export default ' + JSON.stringify(source) };
}`;
let probeRegistered = false;

/** Source maps of this repository's TypeScript files named in the profile (null when unavailable). */
async function loadSourceMaps(urls: Iterable<string>): Promise<Map<string, SourceMap | null>> {
  const maps = new Map<string, SourceMap | null>();
  for (const url of urls) {
    if (maps.has(url) || !url.startsWith('file://') || !url.endsWith('.ts') || !fileURLToPath(url).startsWith(`${repoRoot}/`)) continue;
    try {
      if (!probeRegistered) register(`data:text/javascript,${encodeURIComponent(probeHook)}`);
      probeRegistered = true;
      const compiled = ((await import(`${url}?__source_probe`)) as { default: string }).default;
      const inline = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/u.exec(compiled);
      maps.set(url, inline ? new SourceMap(JSON.parse(Buffer.from(inline[1]!, 'base64').toString('utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null);
    } catch {
      maps.set(url, null);
    }
  }
  return maps;
}

/** 1-based source line of a profile position, through the file's source map when there is one. */
function sourceLine(maps: Map<string, SourceMap | null>, frame: ProfileNode['callFrame']): number {
  const map = maps.get(frame.url);
  if (map && frame.columnNumber !== undefined) {
    const entry = map.findEntry(frame.lineNumber, frame.columnNumber) as { originalLine?: number };
    if (typeof entry.originalLine === 'number') return entry.originalLine + 1;
  }
  return frame.lineNumber + 1;
}

/** Self time per function and per file, from the sample stream (exact, not hitCount estimates). */
export function summariseProfile(
  profile: CpuProfile,
  maps: Map<string, SourceMap | null> = new Map(),
): { totalMs: number; functions: SelfTime[]; files: SelfTime[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const fn = new Map<string, { name: string; location: string; us: number }>();
  const file = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url } = node.callFrame;
    const location = `${shortUrl(url)}${url ? `:${sourceLine(maps, node.callFrame)}` : ''}`;
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

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  const top = Number(values.top);
  for (const path of positionals) {
    const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
    const summary = summariseProfile(profile, await loadSourceMaps(profile.nodes.map((n) => n.callFrame.url)));
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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
