/**
 * `npm run index` end to end: a real corpus directory with good and bad files,
 * indexed into a temporary data directory by the CLI as a user runs it.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { engineDocumentSchema } from '../../engine/document.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'index-cli-'));
const corpus = join(work, 'corpus');
const dataDir = join(work, 'data');
const out = join(work, 'docs.jsonl');

async function index(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(join(root, 'node_modules/.bin/tsx'), [join(root, 'indexer/main.ts'), corpus, ...args], {
    cwd: work,
    env: { ...process.env, DATA_DIR: dataDir, ENGINE: 'sqlite', CORPUS_DIR: corpus },
    timeout: 120_000,
  });
}

beforeAll(() => {
  cpSync(join(root, 'corpus'), corpus, { recursive: true });
  writeFileSync(join(corpus, 'broken.json'), '{"title": "半截');
  writeFileSync(join(corpus, 'empty.txt'), '');
  writeFileSync(
    join(corpus, 'gbk.txt'),
    iconv.encode('泰州市人民医院临时党支部\n泰州市人民医院成立临时党支部，党员冲锋在抗击疫情一线，守护人民群众生命健康。', 'gbk'),
  );
  writeFileSync(
    join(corpus, 'more.jsonl'),
    [
      JSON.stringify({ url: 'https://news.example/a.html', title: '一篇文章', text: '衡水市人民医院党委荣获先进基层党组织称号。' }),
      'not json',
      '',
    ].join('\n'),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run index', () => {
  let first: { stdout: string; stderr: string };

  beforeAll(async () => {
    first = await index('--out', out);
  }, 180_000);

  it('indexes every usable article and reports skipped files with their reasons', () => {
    expect(first.stdout).toMatch(/articles read:\s+7/u);
    expect(first.stdout).toMatch(/skipped files:\s+3/u);
    expect(first.stdout).toContain('broken.json');
    expect(first.stdout).toContain('empty.txt');
    expect(first.stdout).toContain('more.jsonl#2');
    expect(first.stdout).toMatch(/field fill rates/u);
    expect(first.stdout).toMatch(/MB\/s/u);
  });

  it('decodes GBK input instead of producing mojibake', () => {
    const docs = readFileSync(out, 'utf8').trim().split('\n').map((l) => engineDocumentSchema.parse(JSON.parse(l)));
    const gbk = docs.find((d) => d.sourcePath === 'gbk.txt');
    expect(gbk?.hospital).toBe('泰州市人民医院');
    expect(gbk?.body).toContain('临时党支部');
  });

  it('--out writes one valid engine document per article', () => {
    const docs = readFileSync(out, 'utf8').trim().split('\n').map((l) => engineDocumentSchema.parse(JSON.parse(l)));
    expect(docs).toHaveLength(7);
    expect(new Set(docs.map((d) => d.id)).size).toBe(7);
  });

  it('does no work on an unchanged corpus, and picks up a change', async () => {
    const again = await index();
    expect(again.stdout).toMatch(/indexed:\s+0 \(unchanged: 7, removed: 0\)/u);
    rmSync(join(corpus, 'gbk.txt'));
    const afterDelete = await index();
    expect(afterDelete.stdout).toMatch(/indexed:\s+0 \(unchanged: 6, removed: 1\)/u);
  }, 180_000);
});
