/**
 * `npm run build [-- --out-dir <dir>]`: compile the service, the indexer and
 * the engine to plain JavaScript (tsconfig.build.json) and copy beside the
 * output the files they read at run time, so `node <dir>/service/main.js`
 * works with no TypeScript tooling. The Dockerfile runs exactly this, and
 * tests/unit/build.test.ts runs it into a temporary directory.
 *
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Read at run time relative to the compiled module's own location:
 * config/data.ts resolves `data/` beside itself, and widget/build.ts bundles
 * `src/widget.ts` with esbuild on first request (esbuild reads TypeScript).
 */
const runtimeAssets = [
  ['config/data', 'config/data'],
  ['widget/src', 'widget/src'],
];

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(root, values['out-dir']);

// A stale module from a deleted source file must not survive into an image.
rmSync(outDir, { recursive: true, force: true });

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
    cwd: root,
    stdio: 'inherit',
  });
} catch {
  // tsc has printed the type errors; an image must not ship code that fails the type check.
  process.stderr.write('build: TypeScript reported errors (above); nothing was built\n');
  rmSync(outDir, { recursive: true, force: true });
  process.exit(1);
}

for (const [from, to] of runtimeAssets) {
  const source = join(root, from);
  if (!existsSync(source)) throw new Error(`build: runtime asset ${from} is missing`);
  cpSync(source, join(outDir, to), { recursive: true, filter: (path) => !path.endsWith('.test.ts') });
}
process.stdout.write(`built ${outDir}\n`);
