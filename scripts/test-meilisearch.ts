/**
 * `npm run test:meilisearch`: the Meilisearch half of the suite against a real
 * server. With a `meilisearch` executable on PATH (or MEILI_BIN), it starts one
 * on 127.0.0.1 with a fresh data directory and a random master key, creates
 * the limited key `npm run meili:create-key` makes for the service, runs the
 * conformance suite and the operations tests with that key, and stops the
 * server. Without an executable it prints why it skips and exits 0.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findMeilisearchBinary, noBinaryReason, startMeilisearch } from './meilisearch-process.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Test indexes are named `<prefix>_…`, inside what the limited key may touch. */
const indexPrefix = 'conformance';

async function main(): Promise<number> {
  const binary = findMeilisearchBinary();
  if (binary === null) {
    process.stdout.write(`Meilisearch tests skipped: ${noBinaryReason}.\n`);
    return 0;
  }
  const server = await startMeilisearch({ binary });
  try {
    const version = (await (await fetch(`${server.url}/version`, { headers: { Authorization: `Bearer ${server.masterKey}` } })).json()) as { pkgVersion: string };
    process.stdout.write(`Meilisearch ${version.pkgVersion} (${binary}) on ${server.url}\n`);
    const tsx = join(repo, 'node_modules/.bin/tsx');
    const created = spawnSync(tsx, ['indexer/meili-keys.ts', '--index', indexPrefix], {
      cwd: repo,
      env: { ...process.env, MEILI_URL: server.url, MEILI_MASTER_KEY: server.masterKey },
      encoding: 'utf8',
    });
    process.stderr.write(created.stderr);
    const apiKey = created.stdout.trim();
    if (created.status !== 0 || !apiKey) throw new Error('meili:create-key failed');
    const vitest = join(repo, 'node_modules/.bin/vitest');
    const run = spawnSync(vitest, ['run', 'tests/engine/meilisearch.test.ts', 'tests/meilisearch/'], {
      cwd: repo,
      stdio: 'inherit',
      env: {
        ...process.env,
        MEILI_URL: server.url,
        MEILI_API_KEY: apiKey,
        MEILI_INDEX_PREFIX: indexPrefix,
        MEILI_BIN: binary,
      },
    });
    return run.status ?? 1;
  } finally {
    await server.dispose();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`test:meilisearch failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
