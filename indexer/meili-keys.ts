/**
 * `npm run meili:create-key [-- --index articles] [--dry-run]`
 * (in the container: `node dist/indexer/meili-keys.js`)
 *
 * Admin command: with MEILI_URL and MEILI_MASTER_KEY, creates (or finds) the
 * API key the service and the indexer run with, limited to the actions the
 * Meilisearch adapter performs on its own indexes, and prints it on stdout
 * (alone, so `MEILI_API_KEY=$(npm run -s meili:create-key)` works). Progress
 * goes to stderr. The master key is only ever read here: it is not part of
 * the service's environment (config/env.ts).
 *
 * Idempotent: the key's uid is derived from its specification, and
 * Meilisearch derives a key's value from its uid and the master key, so
 * running this again prints the same key instead of piling up new ones.
 * Changing the specification (new actions) yields a new uid, hence a new key;
 * the old one is listed so it can be deleted once the service has switched.
 */
import { parseArgs } from 'node:util';
import { Meilisearch, MeilisearchApiError, type Key } from 'meilisearch';
import { envSchema, loadMeiliAdminEnv } from '../config/env.js';
import { buildServiceKeySpec, isServiceKeyName, keyMatchesSpec, type ServiceKeySpec } from '../engine/meilisearch/service-key.js';

function describeApiError(error: unknown): string | null {
  if (!(error instanceof MeilisearchApiError)) return null;
  return `HTTP ${error.response.status}${error.cause?.code ? ` ${error.cause.code}` : ''}`;
}

async function findOrCreateKey(client: Meilisearch, spec: ServiceKeySpec): Promise<{ key: Key; created: boolean }> {
  try {
    const existing = await client.getKey(spec.uid);
    if (!keyMatchesSpec(existing, spec)) {
      throw new Error(`key ${spec.uid} exists with other permissions (${existing.actions.join(', ')} on ${existing.indexes.join(', ')}); delete it and run this again`);
    }
    return { key: existing, created: false };
  } catch (error) {
    if (!(error instanceof MeilisearchApiError) || error.response.status !== 404) throw error;
  }
  return { key: await client.createKey(spec), created: true };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      index: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  if (values['dry-run']) {
    const spec = buildServiceKeySpec(values.index ?? envSchema.shape.MEILI_INDEX.parse(undefined));
    process.stdout.write(`${JSON.stringify(spec, null, 2)}\n`);
    return;
  }
  const env = loadMeiliAdminEnv();
  const spec = buildServiceKeySpec(values.index ?? env.MEILI_INDEX);
  const client = new Meilisearch({ host: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY, timeout: 15_000 });

  let result: { key: Key; created: boolean };
  try {
    result = await findOrCreateKey(client, spec);
  } catch (error) {
    const status = describeApiError(error);
    if (status !== null && /^HTTP 40[13]/u.test(status)) {
      throw new Error(`Meilisearch at ${env.MEILI_URL} rejected MEILI_MASTER_KEY (${status}): use the master key the server was started with`, { cause: error });
    }
    throw error;
  }
  const { key, created } = result;
  process.stderr.write(
    `${created ? 'created' : 'found existing'} key "${spec.name}" (uid ${key.uid})\n` +
      `  actions: ${key.actions.join(', ')}\n  indexes: ${key.indexes.join(', ')}\n` +
      'Set MEILI_API_KEY to the value below for the service and the indexer (never the master key).\n',
  );

  // Keys from an older specification of this command, to delete after switching.
  const { results } = await client.getKeys({ limit: 1000 });
  const stale = results.filter((k) => k.uid !== spec.uid && isServiceKeyName(k.name));
  for (const k of stale) {
    process.stderr.write(`  older service key still exists: uid ${k.uid} "${k.name ?? ''}" (delete it once nothing uses it)\n`);
  }
  process.stdout.write(`${key.key}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`meili:create-key failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
