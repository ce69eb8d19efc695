/**
 * The Meilisearch key the service runs with (engine/meilisearch/service-key.ts):
 * what it may do, where, and that it covers every call the adapter makes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMeiliAdminEnv } from '../../config/env.js';
import { buildServiceKeySpec, keyMatchesSpec, serviceKeyActions } from '../../engine/meilisearch/service-key.js';

/** Meilisearch's own rule for key index patterns: exact uid, `*`, or a prefix ending in `*`. */
function keyAllowsIndex(patterns: string[], uid: string): boolean {
  return patterns.some((p) => p === '*' || p === uid || (p.endsWith('*') && uid.startsWith(p.slice(0, -1))));
}

/**
 * meilisearch-js methods → the key action the server checks. A client call
 * missing here fails the coverage test below: add its action, do not guess.
 */
const actionOfClientMethod: Record<string, string | null> = {
  health: null,
  index: null,
  createIndex: 'indexes.create',
  deleteIndex: 'indexes.delete',
  getIndex: 'indexes.get',
  getRawIndex: 'indexes.get',
  getRawIndexes: 'indexes.get',
  swapIndexes: 'indexes.swap',
  getStats: 'stats.get',
  getVersion: 'version',
  multiSearch: 'search',
  search: 'search',
  searchForFacetValues: 'search',
  'tasks.waitForTask': 'tasks.get',
  'tasks.getTask': 'tasks.get',
  'tasks.getTasks': 'tasks.get',
  addDocuments: 'documents.add',
  addDocumentsInBatches: 'documents.add',
  updateDocuments: 'documents.add',
  getDocument: 'documents.get',
  getDocuments: 'documents.get',
  deleteDocument: 'documents.delete',
  deleteDocuments: 'documents.delete',
  deleteAllDocuments: 'documents.delete',
  updateSettings: 'settings.update',
  resetSettings: 'settings.update',
  getSettings: 'settings.get',
};

/** Methods the adapter calls on the client or on an Index object. */
function clientCallsIn(source: string): Set<string> {
  const calls = new Set<string>();
  for (const m of source.matchAll(/#client\.((?:tasks\.)?[A-Za-z]+)\(/gu)) calls.add(m[1] ?? '');
  const indexMethods = Object.keys(actionOfClientMethod).filter((name) => !name.includes('.'));
  for (const m of source.matchAll(/\)\s*\.([A-Za-z]+)(?:<[^>()]*>)?\(/gu)) {
    if (indexMethods.includes(m[1] ?? '')) calls.add(m[1] ?? '');
  }
  return calls;
}

describe('buildServiceKeySpec', () => {
  it.each([
    ['articles', ['articles', 'articles_suggest', 'articles_new', 'articles_suggest_new'], ['movies', 'article', 'articlesx', 'other_articles']],
    ['dangjian-prod', ['dangjian-prod', 'dangjian-prod_suggest', 'dangjian-prod_new'], ['articles', 'dangjian-prod2', 'dangjian-dev']],
  ])('a key for %s reaches its own indexes and no others', (index, allowed, denied) => {
    const spec = buildServiceKeySpec(index);
    for (const uid of allowed) expect(keyAllowsIndex(spec.indexes, uid), uid).toBe(true);
    for (const uid of denied) expect(keyAllowsIndex(spec.indexes, uid), uid).toBe(false);
  });

  it('grants no administrative action: no key management, dumps, snapshots, task deletion or wildcards', () => {
    const { actions } = buildServiceKeySpec('articles');
    expect(actions).toContain('search');
    expect(actions).toContain('indexes.swap');
    for (const action of actions) {
      expect(action).not.toMatch(/^(keys|dumps|snapshots|experimental|network|metrics)\.|\*|^tasks\.(cancel|delete)$/u);
    }
  });

  it('never expires and is named so operators recognise it', () => {
    const spec = buildServiceKeySpec('articles');
    expect(spec.expiresAt).toBeNull();
    expect(spec.name).toBe('dangjian-search service (articles)');
  });

  it('has a stable UUID v4 uid: running the command twice finds the same key', () => {
    const a = buildServiceKeySpec('articles');
    expect(a.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u);
    expect(buildServiceKeySpec('articles').uid).toBe(a.uid);
    expect(buildServiceKeySpec('articles2').uid).not.toBe(a.uid);
  });

  it.each(['', 'art*', 'art icles', '文章', 'a/b'])('rejects the index uid %j', (uid) => {
    expect(() => buildServiceKeySpec(uid)).toThrow(/is invalid/u);
  });

  it('recognises an existing key with the same permissions in any order, and not a narrower one', () => {
    const spec = buildServiceKeySpec('articles');
    expect(keyMatchesSpec({ actions: [...spec.actions].reverse(), indexes: [...spec.indexes].reverse() }, spec)).toBe(true);
    expect(keyMatchesSpec({ actions: spec.actions.slice(1), indexes: spec.indexes }, spec)).toBe(false);
    expect(keyMatchesSpec({ actions: spec.actions, indexes: ['articles'] }, spec)).toBe(false);
  });
});

describe('the key covers what the Meilisearch adapter does', () => {
  const source = readFileSync(new URL('../../engine/meilisearch/meilisearch-engine.ts', import.meta.url), 'utf8');
  const calls = clientCallsIn(source);

  it('finds the adapter calls it checks (guards the scan itself)', () => {
    for (const call of ['multiSearch', 'addDocuments', 'tasks.waitForTask', 'swapIndexes']) expect(calls).toContain(call);
  });

  it('grants an action for every client call in meilisearch-engine.ts', () => {
    const unknown = [...calls].filter((c) => !(c in actionOfClientMethod));
    expect(unknown, 'client methods with no known key action: map them in this test and grant the action').toEqual([]);
    const granted = new Set<string>(serviceKeyActions);
    const missing = [...calls].map((c) => actionOfClientMethod[c]).filter((a): a is string => a != null && !granted.has(a));
    expect(missing, 'the service key lacks these actions: Meilisearch would answer 403').toEqual([]);
  });

  it('grants nothing the service never does (least privilege)', () => {
    const needed = new Set([...calls].map((c) => actionOfClientMethod[c]));
    needed.add('version'); // wait.ts reads the server version at start-up
    expect(serviceKeyActions.filter((a) => !needed.has(a))).toEqual([]);
  });
});

describe('loadMeiliAdminEnv', () => {
  it.each([
    ['a short master key', { MEILI_MASTER_KEY: 'short' }],
    ['no master key', {}],
    ['an empty master key', { MEILI_MASTER_KEY: '  ' }],
  ])('needs the URL and a master key, and lists both problems at once (%s)', (_label, source) => {
    expect(() => loadMeiliAdminEnv(source)).toThrow(/MEILI_URL[\s\S]*MEILI_MASTER_KEY: must be the Meilisearch master key/u);
  });

  it('defaults the index like the service does', () => {
    const env = loadMeiliAdminEnv({ MEILI_URL: 'http://meilisearch:7700', MEILI_MASTER_KEY: 'a-master-key-of-32-characters-xx' });
    expect(env.MEILI_INDEX).toBe('articles');
  });
});
