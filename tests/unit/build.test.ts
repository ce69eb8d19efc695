/**
 * The container, minus the container: builds dist/ with the build script the
 * Dockerfile runs, lays it out like the image's /app (package.json,
 * node_modules, dist), then runs the image's own CMD and HEALTHCHECK commands
 * (read from the Dockerfile, not copied) with the image's ENV. What Docker
 * adds on top (base image, user, volumes) is linted in deploy-files.test.ts.
 *
 * The one gap: node_modules here also holds dev dependencies, which the image
 * prunes; the import scan below fails any runtime import of one.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImageCommands } from './dockerfile.js';

const run = promisify(execFile);
const repo = new URL('../../', import.meta.url).pathname;
const image = readImageCommands(readFileSync(join(repo, 'Dockerfile'), 'utf8'));

let app: string;
let service: ChildProcess | undefined;
let baseUrl = '';
let output = '';
let exit: Promise<number | null>;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The image's ENV with the paths of this run, as `docker run -e` would override them. */
function containerEnv(overrides: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...image.env, LOG_LEVEL: 'warn', ...overrides };
}

function listJs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

async function waitForReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (service?.exitCode !== null) throw new Error(`service exited (${service?.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready after ${timeoutMs} ms (last: ${last}):\n${output}`);
}

beforeAll(async () => {
  app = mkdtempSync(join(tmpdir(), 'dangjian-image-'));
  await run(process.execPath, [join(repo, 'scripts/build.js'), '--out-dir', join(app, 'dist')], { cwd: repo });
  // The runtime stage: COPY package.json, node_modules and dist into /app.
  cpSync(join(repo, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(repo, 'node_modules'), join(app, 'node_modules'), 'dir');
  const corpus = join(app, 'corpus');
  cpSync(join(repo, 'corpus'), corpus, { recursive: true });
  mkdirSync(join(app, 'data'));

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const [command = '', ...args] = image.cmd;
  service = spawn(command, args, {
    cwd: app,
    env: containerEnv({ HOST: '127.0.0.1', PORT: String(port), CORPUS_DIR: corpus, DATA_DIR: join(app, 'data') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  service.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const child = service;
  exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await waitForReady(baseUrl, 60_000);
}, 120_000);

afterAll(() => {
  if (service && service.exitCode === null) service.kill('SIGKILL');
  if (app) rmSync(app, { recursive: true, force: true });
});

describe('the built service (the image CMD on the build output)', () => {
  it('emits only the runtime code and its data files', () => {
    expect(readdirSync(join(app, 'dist')).sort()).toEqual(['config', 'engine', 'indexer', 'service', 'widget']);
    for (const file of ['dictionary.txt', 'hospitals.json', 'synonyms.json', 'stopwords.txt']) {
      expect(readdirSync(join(app, 'dist/config/data'))).toContain(file);
    }
    expect(listJs(join(app, 'dist')).some((f) => f.endsWith('.test.js'))).toBe(false);
  });

  it('imports at run time only production dependencies (the image prunes dev dependencies)', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(pkg.dependencies), ...builtinModules]);
    const offending: string[] = [];
    const seen = new Set<string>();
    for (const file of listJs(join(app, 'dist'))) {
      const code = readFileSync(file, 'utf8');
      // Statement-level imports/re-exports (tsc keeps them at the start of a line) and dynamic import().
      const specifiers = [
        ...code.matchAll(/^\s*(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gmu),
        ...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gmu),
        ...code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/gu),
      ].filter((m) => !(m[1] ?? '.').startsWith('.'));
      for (const m of specifiers) {
        const specifier = (m[1] ?? '').replace(/^node:/u, '');
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? '');
        seen.add(name);
        if (!allowed.has(name)) offending.push(`${relative(app, file)}: ${specifier}`);
      }
    }
    // The scan itself must see the imports it polices.
    expect([...seen]).toEqual(expect.arrayContaining(['hono', '@node-rs/jieba', 'better-sqlite3', 'meilisearch', 'zod']));
    expect(offending).toEqual([]);
  });

  it.each([
    // Traditional input, OpenCC and the domain dictionary, all read from dist/ and node_modules at run time.
    ['黨建品牌', '乳此精彩'],
    ['双带头人', '荆州一医'],
  ])('answers a search for %s with the article titled …%s…', async (q, titlePart) => {
    const res = await fetch(`${baseUrl}/v1/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { hits: { title: string }[] };
    expect(body.hits.some((h) => h.title.includes(titlePart)), body.hits.map((h) => h.title).join(' | ')).toBe(true);
  });

  it('serves the embeddable widget bundled from the copied sources', async () => {
    const res = await fetch(`${baseUrl}/widget.js`);
    expect(res.status).toBe(200);
    expect((await res.text()).length).toBeGreaterThan(1000);
  });

  it("passes the image's HEALTHCHECK command", async () => {
    const [command = '', ...args] = image.healthcheck;
    const port = new URL(baseUrl).port;
    await expect(run(command, args, { cwd: app, env: containerEnv({ PORT: port }), timeout: 10_000 })).resolves.toBeDefined();
  });

  it("fails the image's HEALTHCHECK command when nothing answers", async () => {
    const [command = '', ...args] = image.healthcheck;
    await expect(run(command, args, { cwd: app, env: containerEnv({ PORT: String(await freePort()) }), timeout: 10_000 })).rejects.toMatchObject({ code: 1 });
  });

  it('runs the compose indexer job command on the built output', async () => {
    const data = join(app, 'indexer-data');
    const { stdout } = await run('node', ['dist/indexer/main.js'], {
      cwd: app,
      env: containerEnv({ CORPUS_DIR: join(app, 'corpus'), DATA_DIR: data }),
      timeout: 30_000,
    });
    expect(stdout).toMatch(/articles read:\s+5/u);
  }, 40_000);

  it('runs the key-creation admin command on the built output (dry run, no server needed)', async () => {
    const { stdout } = await run('node', ['dist/indexer/meili-keys.js', '--dry-run', '--index', 'articles'], { cwd: app, env: containerEnv({}) });
    expect(JSON.parse(stdout)).toMatchObject({ indexes: ['articles', 'articles_*'], expiresAt: null });
  });

  it('stops cleanly on SIGTERM, as `docker stop` sends it', async () => {
    service?.kill('SIGTERM');
    await expect(exit).resolves.toBe(0);
  }, 20_000);
});
