/**
 * The corpus ledger (indexer/corpus-ledger.ts): a sync on an unchanged
 * corpus does not read its files again, yet reports and keeps exactly what
 * reading them would have.
 */
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { indexCorpus, type IndexSummary } from '../../indexer/pipeline.js';

const texts = [
  '医院党委开展主题党日活动，全体党员重温入党誓词，学习党的创新理论。',
  '儿科党支部获评市级先进基层党组织，支部书记介绍“党建+业务”融合经验。',
  '医院召开清廉医院建设推进会，纪委书记部署廉洁风险防控工作。',
  '抗疫一线党员突击队连续奋战，守护群众生命健康。',
  '护理党支部打造“红色护航”党建品牌，开展志愿服务。',
];

let root: string;
let corpus: string;
let ledgerPath: string;
let engine: SqliteEngine;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'corpus-ledger-'));
  corpus = join(root, 'corpus');
  ledgerPath = join(root, 'data', 'corpus-ledger.json');
  await mkdir(corpus);
  const lines = [0, 1, 2].map((i) => JSON.stringify({ id: `line-${i}`, title: `第${i}篇`, text: texts[i] }));
  // The third line is not JSON: a rejection that every run must report again.
  await writeFile(join(corpus, 'a.jsonl'), `${lines[0]}\n${lines[1]}\n{not json\n${lines[2]}\n`);
  await writeFile(join(corpus, 'b.json'), JSON.stringify({ id: 'b', title: '护理', text: texts[4] }));
  await writeFile(join(corpus, 'c.txt'), `抗疫突击队\n\n${texts[3]}`);
  engine = new SqliteEngine({ dataDir: join(root, 'data') });
  await engine.init();
});

afterEach(async () => {
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

const sync = (): Promise<IndexSummary> => indexCorpus({ engine, corpusDir: corpus, ledgerPath });

const counts = (s: IndexSummary): Record<string, number> => ({
  articles: s.articles,
  indexed: s.indexed,
  unchanged: s.unchanged,
  deleted: s.deleted,
  rejections: s.rejections.length,
  skippedFiles: s.skippedFiles,
});

describe('corpus ledger', () => {
  it('skips unchanged files and reports what reading them would have', async () => {
    expect(counts(await sync())).toEqual({ articles: 5, indexed: 5, unchanged: 0, deleted: 0, rejections: 1, skippedFiles: 0 });
    const ids = [...(await engine.contentHashes()).keys()].sort();
    const again = await sync();
    expect(counts(again)).toEqual({ articles: 5, indexed: 0, unchanged: 5, deleted: 0, rejections: 1, skippedFiles: 3 });
    expect(again.rejections[0]?.sourcePath).toBe('a.jsonl#3');
    expect([...(await engine.contentHashes()).keys()].sort()).toEqual(ids);
    const ledger = JSON.parse(await readFile(ledgerPath, 'utf8')) as { files: Record<string, { articles: unknown[] }> };
    expect(ledger.files['a.jsonl']?.articles).toHaveLength(3);
  });

  it('leaves the ledger file alone when nothing changed, and rewrites it when a file goes', async () => {
    await sync();
    const written = await stat(ledgerPath);
    // Back-dated, so a rewrite within the same clock tick still shows.
    const past = new Date(written.mtimeMs - 60_000);
    await utimes(ledgerPath, past, past);
    await sync();
    expect((await stat(ledgerPath)).mtimeMs).toBeCloseTo(past.getTime(), -1);
    await rm(join(corpus, 'b.json'));
    expect((await sync()).deleted).toBe(1);
    expect((await stat(ledgerPath)).mtimeMs).toBeGreaterThan(past.getTime() + 30_000);
    expect((JSON.parse(await readFile(ledgerPath, 'utf8')) as { files: object }).files).not.toHaveProperty('b.json');
  });

  it('reads a file again once it changed, and only that one', async () => {
    await sync();
    await writeFile(join(corpus, 'b.json'), JSON.stringify({ id: 'b', title: '护理（更新）', text: `${texts[4]}新增内容。` }));
    expect(counts(await sync())).toEqual({ articles: 5, indexed: 1, unchanged: 4, deleted: 0, rejections: 1, skippedFiles: 2 });
    expect((await engine.get('b'))?.title).toBe('护理（更新）');
  });

  it('reads a file rewritten in place at the same size once its modification time moved', async () => {
    await sync();
    const path = join(corpus, 'b.json');
    const before = await stat(path);
    await writeFile(path, JSON.stringify({ id: 'b', title: '护理', text: (texts[4] ?? '').replace('志愿', '公益') }));
    expect((await stat(path)).size).toBe(before.size);
    await utimes(path, before.atime, new Date(before.mtimeMs + 5_000));
    const summary = await sync();
    expect(summary.skippedFiles).toBe(2);
    expect(summary.indexed).toBe(1);
    expect((await engine.get('b'))?.body).toContain('公益');
  });

  it('puts back an article deleted from the index while its file stayed the same', async () => {
    await sync();
    await engine.delete(['line-1']);
    const summary = await sync();
    expect(summary.skippedFiles).toBe(2);
    expect(summary.indexed).toBe(1);
    expect(await engine.get('line-1')).not.toBeNull();
  });

  it('deletes the articles of a file gone from the corpus', async () => {
    await sync();
    const before = (await engine.contentHashes()).size;
    await rm(join(corpus, 'c.txt'));
    const summary = await sync();
    expect(summary.deleted).toBe(1);
    expect(summary.skippedFiles).toBe(2);
    expect((await engine.contentHashes()).size).toBe(before - 1);
  });

  it('reads everything when the ledger was written by another pipeline version, or is damaged', async () => {
    await sync();
    const ledger = JSON.parse(await readFile(ledgerPath, 'utf8')) as Record<string, unknown>;
    await writeFile(ledgerPath, JSON.stringify({ ...ledger, pipeline: 'an older pipeline' }));
    expect((await sync()).skippedFiles).toBe(0);
    await writeFile(ledgerPath, '{"version": 1, "files": ');
    expect((await sync()).skippedFiles).toBe(0);
    expect((await sync()).skippedFiles).toBe(3);
  });

  it('reads everything with force, and without a ledger path', async () => {
    await sync();
    const forced = await indexCorpus({ engine, corpusDir: corpus, ledgerPath, force: true });
    expect(forced.skippedFiles).toBe(0);
    expect(forced.indexed).toBe(5);
    expect((await indexCorpus({ engine, corpusDir: corpus })).skippedFiles).toBe(0);
  });
});
