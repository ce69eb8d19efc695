/**
 * Shared set-up for the browser tests: the REAL service (service/main.ts in a
 * child process, on a free port, over a temp copy of corpus/ plus fixture
 * articles), a second origin playing the hospital website, and Debian's
 * Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const artifactsDir = join(repoRoot, 'tests', 'artifacts');
const chromiumPath = '/usr/bin/chromium';

const isCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
/** Run when Chromium is installed, and always under CI (where a missing browser must fail, not skip). */
export const browserAvailable = existsSync(chromiumPath) || isCi;
export const skipReason = browserAvailable
  ? ''
  : ` (SKIPPED: ${chromiumPath} not found; install it with "apt-get install chromium"; under CI=true these tests always run)`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A stand-in hospital website: serves the given pages on its own origin. */
export async function startHostSite(): Promise<{ origin: string; pages: Map<string, string>; close: () => Promise<void> }> {
  const pages = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    const body = pages.get(new URL(request.url ?? '/', 'http://x').pathname);
    response.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    pages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RunningService {
  origin: string;
  close: () => Promise<void>;
  output: () => string;
}

/**
 * Start `service/main.ts` as `npm start` would, on a temp corpus made of the
 * seed articles plus `extraArticles`, and wait until /readyz says the index is loaded.
 */
export async function startService(options: {
  extraArticles: string[];
  siteKeys: { key: string; hospital: string; name?: string }[];
  corsOrigins: string[];
  /** Extra environment for the service (ADMIN_TOKEN, EXPORT_MAX_ROWS…). */
  env?: Record<string, string>;
}): Promise<RunningService> {
  const workDir = await mkdtemp(join(tmpdir(), 'dj-browser-'));
  const corpusDir = join(workDir, 'corpus');
  const dataDir = join(workDir, 'data');
  await mkdir(corpusDir, { recursive: true });
  for (const name of await readdir(join(repoRoot, 'corpus'))) {
    if (name.endsWith('.txt')) await copyFile(join(repoRoot, 'corpus', name), join(corpusDir, name));
  }
  for (const file of options.extraArticles) await copyFile(file, join(corpusDir, basename(file)));
  const siteKeysFile = join(workDir, 'site-keys.json');
  await writeFile(siteKeysFile, JSON.stringify(options.siteKeys));

  const port = await findFreePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'service/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      CORPUS_DIR: corpusDir,
      DATA_DIR: dataDir,
      ENGINE: 'sqlite',
      SITE_KEYS_FILE: siteKeysFile,
      CORS_ORIGINS: options.corsOrigins.join(','),
      LOG_LEVEL: 'warn',
      // A test session types a lot from one address; the limiter has its own API tests.
      RATE_LIMIT_IP_BURST: '100000',
      RATE_LIMIT_KEY_BURST: '100000',
      ADMIN_TOKEN: '',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const origin = `http://127.0.0.1:${port}`;
  const close = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 110_000;
  for (;;) {
    if (child.exitCode !== null) {
      await close();
      throw new Error(`service/main.ts exited with ${child.exitCode} before becoming ready:\n${output}`);
    }
    try {
      const response = await fetch(`${origin}/readyz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`service/main.ts did not become ready within 110 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { origin, close, output: () => output };
}

/** Run `action` and wait until the search it triggers has been rendered. */
export async function waitForSearch(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/search'),
    action(),
  ]);
  await page.locator('.dj:not([aria-busy])').first().waitFor({ state: 'attached' });
}

/** "共找到 12 篇文章" → 12 */
export async function readTotal(page: Page): Promise<number> {
  const text = await page.locator('[role=status]').first().innerText();
  const match = /共找到 (\d+) 篇/.exec(text);
  if (!match) throw new Error(`no result count in status: ${text}`);
  return Number(match[1]);
}
