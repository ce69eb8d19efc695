/**
 * The indexer's progress: the total is counted before the run (one per
 * single-article file, one per JSONL line, one per rejected input) and the
 * reports go from 0 to that total.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { indexCorpus, rebuildIndex, type IndexProgress } from '../../indexer/pipeline.js';
import { countCorpusInputs, readCorpus } from '../../indexer/read-corpus.js';

const text = (n: number): string => `第${n}篇：医院党委开展主题党日活动，全体党员重温入党誓词，学习党的创新理论，推动党建与业务融合。`;
const jsonlLines = 23;

let root: string;

async function put(relPath: string, content: string | Uint8Array): Promise<void> {
  const path = join(root, relPath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

async function countRead(dir: string, options = {}): Promise<number> {
  let n = 0;
  for await (const item of readCorpus(dir, options)) {
    void item;
    n++;
  }
  return n;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'index-progress-'));
  await put('corpus/a.json', JSON.stringify({ title: '一', text: text(1) }));
  await put('corpus/b.md', `# 二\n\n${text(2)}`);
  await put('corpus/sub/c.html', `<html><body><h1>三</h1><p>${text(3)}</p></body></html>`);
  // Blank lines (also with a CR or spaces) are not articles; a last line without a newline is.
  const lines = Array.from({ length: jsonlLines }, (_, i) => JSON.stringify({ id: `l${i}`, title: `行${i}`, text: text(100 + i) }));
  await put('corpus/sub/many.jsonl', `${lines.slice(0, 10).join('\n')}\n\n  \r\n${lines.slice(10).join('\r\n')}`);
  // Inputs that only produce a rejection still count: one each.
  await put('corpus/broken.json', '{"title": "半截');
  await put('corpus/blank.jsonl', '\n\n   \n');
  await put('corpus/report.docx', 'PK\u0003\u0004 not really a document');
  // Skipped without a word, so not counted: an image, a dotfile.
  await put('corpus/logo.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  await put('corpus/.hidden.json', JSON.stringify({ text: text(9) }));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('countCorpusInputs', () => {
  it('counts one per file and one per JSONL line before anything is read', async () => {
    // a.json, b.md, c.html, 23 lines, broken.json, blank.jsonl (empty), report.docx.
    expect(await countCorpusInputs(join(root, 'corpus'))).toBe(3 + jsonlLines + 3);
  });

  it('agrees with what the corpus reader yields, also with oversized lines', async () => {
    const dir = join(root, 'corpus');
    expect(await countCorpusInputs(dir)).toBe(await countRead(dir));
    await put('big/huge.jsonl', `${'x'.repeat(300)}\n${JSON.stringify({ text: text(1) })}\n${' '.repeat(300)}\n`);
    const big = join(root, 'big');
    expect(await countRead(big, { maxBytes: 200 })).toBe(3);
    expect(await countCorpusInputs(big, { maxBytes: 200 })).toBe(3);
    await put('only-huge/huge.jsonl', `${'x'.repeat(300)}\n`);
    const onlyHuge = join(root, 'only-huge');
    expect(await countCorpusInputs(onlyHuge, { maxBytes: 200 })).toBe(await countRead(onlyHuge, { maxBytes: 200 }));
  });

  it('counts a single file given as the corpus', async () => {
    expect(await countCorpusInputs(join(root, 'corpus/sub/many.jsonl'))).toBe(jsonlLines);
  });
});

describe('progress reports', () => {
  const total = 3 + jsonlLines + 3;

  function expectZeroToTotal(reports: IndexProgress[]): void {
    expect(reports[0]).toEqual({ processed: 0, total, sourcePath: '' });
    expect(reports.every((r) => r.total === total)).toBe(true);
    expect(reports.map((r) => r.processed)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(reports.at(-1)?.processed).toBe(total);
  }

  it.each([
    ['indexCorpus', indexCorpus],
    ['rebuildIndex', rebuildIndex],
  ])('%s reports 0 to the total, known from the first report', async (_, run) => {
    const engine = new SqliteEngine({ dataDir: join(root, `data-${run.name}`) });
    try {
      await engine.init();
      const reports: IndexProgress[] = [];
      const summary = await run({ engine, corpusDir: join(root, 'corpus'), onProgress: (p) => reports.push({ ...p }) });
      expect(summary.articles).toBe(3 + jsonlLines);
      expectZeroToTotal(reports);
      expect(reports.map((r) => r.sourcePath)).toEqual(expect.arrayContaining(['a.json', 'sub/many.jsonl#1', 'broken.json', 'report.docx']));
    } finally {
      await engine.close();
    }
  }, 60_000);

  it('an unchanged second run still goes through every input', async () => {
    const engine = new SqliteEngine({ dataDir: join(root, 'data-again') });
    try {
      await engine.init();
      await indexCorpus({ engine, corpusDir: join(root, 'corpus') });
      const reports: IndexProgress[] = [];
      const summary = await indexCorpus({ engine, corpusDir: join(root, 'corpus'), onProgress: (p) => reports.push({ ...p }) });
      expect(summary.unchanged).toBe(3 + jsonlLines);
      expectZeroToTotal(reports);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
