/**
 * Frequent words served from bitsets (engine/sqlite/term-sets.ts) must
 * answer exactly as FTS5 does, through writes, deletes, a reopen and on read
 * workers. An engine that holds every word it lists is compared, query by
 * query, with one that holds none, both given the same writes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SearchResult } from '../../engine/port.js';
import type { MemoryIndex } from '../../engine/sqlite/memory-index.js';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { fixtureDocuments, makeDocument, makeSearchRequest } from './fixtures.js';

const tmpDirs: string[] = [];
afterAll(() => {
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
});
function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-term-sets-'));
  tmpDirs.push(dir);
  return dir;
}

async function open(dataDir: string, options: { termSetMinRows?: number; readWorkers?: number } = {}): Promise<SqliteEngine> {
  const engine = new SqliteEngine({ dataDir, ...options });
  await engine.init();
  const until = Date.now() + 30_000;
  while ((options.readWorkers ?? 0) > 0 && engine.readWorkersReady < (options.readWorkers ?? 0)) {
    if (Date.now() > until) throw new Error('read workers did not start');
    await new Promise((done) => setTimeout(done, 20));
  }
  return engine;
}

function heldOn(engine: SqliteEngine): number {
  return (engine as unknown as { index: { memory: MemoryIndex } }).index.memory.heldTermSets;
}

// Single words, prefixes (no trailing space: the last word is being typed),
// expanded concepts (several one-word alternatives) and several clauses.
// 入党 expands to alternatives of one word and of two (入党 宣誓) that the
// one-word 入党 covers; 不忘初心牢记使命 to one of two words that nothing covers.
const queries = ['党建 ', '党建', '党支部 ', '支部', '医院 ', '医', '先锋 ', '党建品牌 医院 ', '获评 党支部 ', '抗疫 党员 ', '党', '清廉医院 ', '入党 ', '入党', '宣誓 入党', '不忘初心牢记使命 '];

function summary(result: SearchResult): unknown {
  return {
    // Scores too: a bonus computed from a bitset must be the one FTS5's rows give.
    ids: result.hits.map((hit) => [hit.document.id, hit.exact, hit.duplicates, hit.score]),
    total: result.total,
    partialTotal: result.partialTotal,
    facets: result.facets,
  };
}

async function answers(engine: SqliteEngine): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const raw of queries) {
    out.set(raw, summary(await engine.search(makeSearchRequest(raw, { facets: true, pageSize: 50 }))));
  }
  // Within a site's scope, a term is suggested when the scope's articles hold it: tested on a held word's bitset.
  for (const hospital of ['蒙阴县人民医院', '潍坊市妇幼保健院', '温州医科大学附属第二医院']) {
    for (const prefix of ['党', '支部', '医', '先锋', '清廉']) {
      out.set(`suggest ${hospital} ${prefix}`, await engine.suggest({ prefix, limit: 10, filters: { hospital: [hospital] } }));
    }
  }
  // Related articles pick their keywords by document frequency, which a held word's bitset counts.
  for (const document of [...fixtureDocuments, ...later]) {
    if ((await engine.get(document.id)) === null) continue;
    const related = await engine.related({ id: document.id, limit: 5, filters: {} });
    out.set(`related ${document.id}`, related.map((hit) => [hit.document.id, hit.score, hit.sharedKeywords]));
  }
  return out;
}

const later = [
  makeDocument({ id: 'ts-marks', title: '党建工作会议', body: '党\u0301建与党建品牌：医院党支部的先锋作用。' }),
  makeDocument({ id: 'ts-latin', title: '党建abc 活动', body: '党建ABC 品牌，医院支部。' }),
  makeDocument({ id: 'ts-new', title: '清廉医院建设推进会', body: '医院党委召开清廉医院建设推进会，各党支部书记参加。' }),
  makeDocument({ id: 'ts-oath', title: '新党员入党宣誓', body: '七一前夕，医院组织预备党员面向党旗宣誓，入党积极分子观摩。' }),
  makeDocument({ id: 'ts-growth', title: '党支部发展党员工作', body: '支部严格发展党员程序，做好入党介绍人培训。' }),
  makeDocument({ id: 'ts-mission', title: '主题教育总结', body: '医院党委开展“不忘初心、牢记使命”主题教育，党支部逐一检视。' }),
  // The one-word form, so that the clause lists it from its bitset and the two-word form from FTS5.
  makeDocument({ id: 'ts-mission-word', title: '不忘初心牢记使命主题教育', body: '医院开展不忘初心牢记使命主题教育。' }),
];

async function writeLater(engine: SqliteEngine): Promise<void> {
  await engine.upsert(later);
  // A rewrite that drops words, and a delete.
  const first = fixtureDocuments[0];
  if (first) await engine.upsert([makeDocument({ id: first.id, title: '通知', body: '关于调整门诊时间的通知。' })]);
  const second = fixtureDocuments[1];
  if (second) await engine.delete([second.id]);
}

describe('sqlite: frequent words from bitsets answer as FTS5 does', () => {
  it('through writes, deletes and a reopen', async () => {
    const plainDir = makeDataDir();
    const heldDir = makeDataDir();
    const plain = await open(plainDir);
    let held = await open(heldDir, { termSetMinRows: 1 });
    try {
      await plain.upsert(fixtureDocuments);
      await held.upsert(fixtureDocuments);
      expect(await answers(held)).toEqual(await answers(plain));
      expect(heldOn(held)).toBeGreaterThan(5);

      await writeLater(plain);
      await writeLater(held);
      expect(heldOn(held)).toBeGreaterThan(5);
      expect(await answers(held)).toEqual(await answers(plain));

      // Reopened from the columns saved beside the index, bitsets included.
      await held.close();
      held = await open(heldDir, { termSetMinRows: 1 });
      expect(heldOn(held)).toBeGreaterThan(5);
      const extra = makeDocument({ id: 'ts-after', title: '支部先锋', body: '党建引领，医院支部争当先锋。' });
      await plain.upsert([extra]);
      await held.upsert([extra]);
      expect(await answers(held)).toEqual(await answers(plain));
      // The new document is found through a held word, not only through FTS5.
      const found = await held.search(makeSearchRequest('先锋 ', { pageSize: 50 }));
      expect(found.hits.map((hit) => hit.document.id)).toContain('ts-after');
    } finally {
      await plain.close();
      await held.close();
    }
  });

  it('holds the frequent keywords of a rebuilt index before any query, kept exact through writes and a reopen', async () => {
    const plain = await open(makeDataDir());
    const heldDir = makeDataDir();
    let held = await open(heldDir, { termSetMinRows: 2 });
    try {
      await plain.replaceAll(fixtureDocuments);
      await held.replaceAll(fixtureDocuments);
      // Listed while the new generation opened, not by a query.
      const warmed = heldOn(held);
      expect(warmed).toBeGreaterThan(5);
      expect(await answers(held)).toEqual(await answers(plain));
      await writeLater(plain);
      await writeLater(held);
      expect(await answers(held)).toEqual(await answers(plain));
      await held.close();
      held = await open(heldDir, { termSetMinRows: 2 });
      expect(heldOn(held)).toBeGreaterThanOrEqual(warmed);
      expect(await answers(held)).toEqual(await answers(plain));
    } finally {
      await plain.close();
      await held.close();
    }
  });

  it('holds the frequent keywords of an index filled by writes once it is reopened', async () => {
    // What the indexer does with a new index: it opens empty, then writes every document.
    const plain = await open(makeDataDir());
    const heldDir = makeDataDir();
    let held = await open(heldDir, { termSetMinRows: 2 });
    try {
      await plain.upsert(fixtureDocuments);
      await held.upsert(fixtureDocuments);
      await held.close();
      held = await open(heldDir, { termSetMinRows: 2 });
      expect(heldOn(held)).toBeGreaterThan(5);
      expect(await answers(held)).toEqual(await answers(plain));
    } finally {
      await plain.close();
      await held.close();
    }
  });

  it('on read workers that learn of writes from notices', async () => {
    const plain = await open(makeDataDir());
    const pooled = await open(makeDataDir(), { termSetMinRows: 1, readWorkers: 1 });
    try {
      await plain.upsert(fixtureDocuments);
      await pooled.upsert(fixtureDocuments);
      expect(await answers(pooled)).toEqual(await answers(plain));
      await writeLater(plain);
      await writeLater(pooled);
      expect(await answers(pooled)).toEqual(await answers(plain));
      const marks = await pooled.search(makeSearchRequest('清廉医院 ', { pageSize: 50 }));
      expect(marks.hits.map((hit) => hit.document.id)).toContain('ts-new');
    } finally {
      await plain.close();
      await pooled.close();
    }
  });
});

