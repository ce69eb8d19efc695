/**
 * The Meilisearch API key the service and the indexer run with: exactly the
 * actions the adapter performs, on its own indexes only. Pure, so the
 * specification is unit-tested without a server; indexer/meili-keys.ts
 * (`npm run meili:create-key`) sends it to Meilisearch with the master key.
 */
import { createHash } from 'node:crypto';
import type { Key } from 'meilisearch';
import { envSchema } from '../../config/env.js';

/**
 * What meilisearch-engine.ts (and wait.ts) call, as
 * Meilisearch key actions. tests/unit/meili-keys.test.ts checks this against
 * the client calls in the adapter's source, so a new call cannot ship
 * without its permission.
 */
export const serviceKeyActions = [
  // search + multi-search (facets, clause counts, relaxed matching, suggest)
  'search',
  'documents.add',
  'documents.get',
  'documents.delete',
  // init() creates missing indexes; replaceAll() builds `<index>_new`, swaps, drops the old one
  'indexes.get',
  'indexes.create',
  'indexes.delete',
  'indexes.swap',
  // init() reads the settings in force and applies only what differs
  'settings.get',
  'settings.update',
  // every write waits for its task
  'tasks.get',
  'stats.get',
  // Not 'version': Meilisearch refuses that global action on an index-scoped
  // key, so wait.ts reads the version only when the key may (it is logged, not required).
] as const;

export type ServiceKeyAction = (typeof serviceKeyActions)[number];

/** Body of POST /keys. */
export interface ServiceKeySpec {
  uid: string;
  name: string;
  description: string;
  actions: ServiceKeyAction[];
  indexes: string[];
  expiresAt: null;
}

const keyNamePrefix = 'dangjian-search service';

/** Keys this command made, whatever their specification. */
export function isServiceKeyName(name: string | null | undefined): boolean {
  return (name ?? '').startsWith(keyNamePrefix);
}

/** A UUID v4-shaped id from a hash: Meilisearch takes key uids as UUIDs. */
function deriveUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 32).split('');
  hex[12] = '4';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/**
 * The service key for article index `indexUid`: the index itself plus every
 * index derived from it (`<index>_suggest`, and `<index>_new` /
 * `<index>_suggest_new` while a full reindex builds its replacement), and
 * nothing else on the server. Never expires: rotation is an operator
 * decision (create the next key, switch, delete the old one).
 */
export function buildServiceKeySpec(indexUid: string): ServiceKeySpec {
  const checked = envSchema.shape.MEILI_INDEX.safeParse(indexUid);
  if (!checked.success || indexUid.includes('*')) {
    throw new Error(`index uid ${JSON.stringify(indexUid)} is invalid: use letters, digits, - and _ only`);
  }
  const indexes = [indexUid, `${indexUid}_*`];
  const actions = [...serviceKeyActions];
  return {
    uid: deriveUuid(`${keyNamePrefix}\n${indexes.join(',')}\n${actions.join(',')}`),
    name: `${keyNamePrefix} (${indexUid})`,
    description: `Used by the dangjian-search service and indexer at run time. Limited to indexes ${indexes.join(', ')}. Created by npm run meili:create-key.`,
    actions,
    indexes,
    expiresAt: null,
  };
}

/** Same permissions, whatever order the server lists them in. */
export function keyMatchesSpec(key: Pick<Key, 'actions' | 'indexes'>, spec: ServiceKeySpec): boolean {
  const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);
  return same(key.actions, spec.actions) && same(key.indexes, spec.indexes);
}
