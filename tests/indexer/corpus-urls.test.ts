/** Corpus input follows the API's URL rule: only http(s) URLs become an article's link. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../engine/sqlite/sqlite-engine.js';
import { isArticleUrl } from '../../indexer/build-document.js';
import { indexCorpus } from '../../indexer/pipeline.js';

describe('isArticleUrl', () => {
  it.each([
    ['https://www.hospital.cn/news/1.html', true],
    ['http://hospital.cn', true],
    ['javascript:alert(1)', false],
    ['JavaScript:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:msgbox', false],
    ['//hospital.cn/x', false],
    ['news/1.html', false],
  ])('%s → %s', (url, ok) => {
    expect(isArticleUrl(url)).toBe(ok);
  });
});

describe('a corpus file with a script URL', () => {
  it('is indexed without its URL, with a warning naming the file', async () => {
    const root = await mkdtemp(join(tmpdir(), 'corpus-urls-'));
    const engine = new SqliteEngine({ dataDir: join(root, 'data') });
    try {
      await mkdir(join(root, 'corpus'));
      const text = '医院党委开展主题党日活动，全体党员重温入党誓词，学习党的创新理论。';
      await writeFile(join(root, 'corpus', 'a.json'), JSON.stringify({ title: '主题党日', text, url: 'javascript:alert(document.cookie)' }));
      await writeFile(join(root, 'corpus', 'b.json'), JSON.stringify({ title: '数据链接', text: `${text}第二篇。`, url: 'data:text/html,<b>x</b>' }));
      await engine.init();
      const summary = await indexCorpus({ engine, corpusDir: join(root, 'corpus') });
      expect(summary.indexed).toBe(2);
      expect(summary.warnings.map((w) => w.sourcePath).sort()).toEqual(['a.json', 'b.json']);
      expect(summary.warnings[0]?.detail).toMatch(/only http\(s\) URLs/u);
      const stored = await engine.contentHashes();
      for (const id of stored.keys()) expect((await engine.get(id))?.url).toBeNull();
    } finally {
      await engine.close();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});
