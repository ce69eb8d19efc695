import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeText, parseArticleObject, readArticleBuffer, readCorpus } from '../../indexer/read-corpus.js';
import { countRejections, describeRejection, isRejection, type Rejection } from '../../indexer/rejections.js';
import type { RawArticle } from '../../indexer/types.js';

const article = '近年来，蒙阴县人民医院党委坚持党建引领，以优质高效的党建工作推动临床医疗技术和服务能力的提升。';
const traditional = '近年來，醫院黨委堅持黨建引領，推動黨建與業務深度融合，打造“一支部一品牌”。';

let root: string;
let results: Array<RawArticle | Rejection>;

async function put(relPath: string, content: string | Uint8Array): Promise<void> {
  const path = join(root, relPath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}

function byPath(sourcePath: string): RawArticle | Rejection | undefined {
  return results.find((r) => r.sourcePath === sourcePath);
}

function articleAt(sourcePath: string): RawArticle {
  const found = byPath(sourcePath);
  if (found === undefined || isRejection(found)) throw new Error(`${sourcePath}: expected an article, got ${JSON.stringify(found)}`);
  return found;
}

function rejectionAt(sourcePath: string): Rejection {
  const found = byPath(sourcePath);
  if (found === undefined || !isRejection(found)) throw new Error(`${sourcePath}: expected a rejection, got ${JSON.stringify(found)}`);
  return found;
}

async function collect(dir: string, options = {}): Promise<Array<RawArticle | Rejection>> {
  const out: Array<RawArticle | Rejection> = [];
  for await (const item of readCorpus(dir, options)) out.push(item);
  return out;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'read-corpus-'));
  await put('a-plain.txt', `\ufeff蒙阴县人民医院党委获评示范点\n${article}`);
  await put('b-notes.md', `# 党建品牌创建经验\n\n${article}`);
  await put('c-page.html', `<html><body><h1>党建工作纪实</h1><p>${article}</p></body></html>`);
  await put('d-one.json', JSON.stringify({ id: 'd1', url: 'https://example.org/d1', title: '示范点', text: article, publishedAt: '2022-08-22', hospital: '蒙阴县人民医院', province: '山东', labels: { ignored: true } }));
  await put('e-broken.json', '{"title": "未闭合", "text": "缺少右括号"');
  await put('f-no-text.json', JSON.stringify({ title: '只有标题' }));
  await put('g-array.json', JSON.stringify([{ text: article }]));
  await put('g-html.json', JSON.stringify({ html: `<p>${article}</p>`, title: null, source: null }));
  await put(
    'h-lines.jsonl',
    [
      JSON.stringify({ id: 'h1', text: article }),
      '{"id": "h2", "text": 这不是JSON}',
      '',
      JSON.stringify({ id: 3, title: null, text: traditional, publishedAt: null }),
      JSON.stringify({ id: 'h5', url: 'https://example.org/h5' }),
      JSON.stringify({ id: 'h6', text: '   ' }),
      JSON.stringify({ id: 'h7', text: article, title: 12 }),
      JSON.stringify({ id: 'h8', text: article, title: { zh: '对象' } }),
      '',
    ].join('\n'),
  );
  await put('i-empty.txt', '');
  await put('i-blank.txt', ' \n\t\n ');
  await put('i-blank.jsonl', '\n\n');
  await put('j-binary.txt', Buffer.from([0x89, 0x00, 0x01, 0x02, 0x41, 0x00, 0x00, 0x10, 0x7f]));
  await put('j-image.html', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really html')]));
  await put('k-gbk.txt', iconv.encode(`蒙阴县人民医院党委被命名为全市公立医院党建工作示范点\n${article}`, 'gbk'));
  await put('k-gb18030.html', iconv.encode(`<html><head><meta charset="gb18030"></head><body><p>${article}</p></body></html>`, 'gb18030'));
  await put('k-big5.txt', iconv.encode(traditional, 'big5'));
  await put('k-utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(article, 'utf16-le')]));
  await put('k-latin1.txt', iconv.encode('Le café de l’hôpital a été rénové; ça coûte très cher à Genève.', 'windows-1252'));
  // A UTF-8 file truncated in the middle of a character: one bad byte, not GBK.
  const utf8 = Buffer.from(article.repeat(3));
  await put('k-truncated.txt', utf8.subarray(0, utf8.length - 1));
  await put('l-nested/2024/07/deep.txt', article);
  await put('.hidden.txt', article);
  await put('.git/HEAD.txt', article);
  await put('m-photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
  await put('m-report.docx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
  await put('m-no-extension', article);
  await put('m-readme.cfg', 'key = value\nother = 1\n');
  await put('n-big.txt', article.repeat(200));
  await symlink(join(root, 'l-nested'), join(root, 'o-loop-link')).catch(() => undefined);
  await symlink(join(root, 'does-not-exist.txt'), join(root, 'o-broken-link.txt')).catch(() => undefined);
  results = await collect(root, { maxBytes: 8 * 1024 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readCorpus over a mixed directory', () => {
  it('reads every supported format', () => {
    expect(articleAt('a-plain.txt')).toMatchObject({ kind: 'article', format: 'txt', text: `蒙阴县人民医院党委获评示范点\n${article}` });
    expect(articleAt('b-notes.md')).toMatchObject({ format: 'md', text: `# 党建品牌创建经验\n\n${article}` });
    expect(articleAt('c-page.html').format).toBe('html');
    expect(articleAt('c-page.html').html).toContain('<h1>党建工作纪实</h1>');
    expect(articleAt('c-page.html').text).toBeUndefined();
    const json = articleAt('d-one.json');
    expect(json.inputBytes).toBeGreaterThan(Buffer.byteLength(article));
    expect(json).toEqual({
      kind: 'article',
      sourcePath: 'd-one.json',
      format: 'json',
      inputBytes: json.inputBytes,
      id: 'd1',
      url: 'https://example.org/d1',
      title: '示范点',
      text: article,
      publishedAt: '2022-08-22',
      hospital: '蒙阴县人民医院',
      province: '山东',
    });
    expect(articleAt('g-html.json')).toMatchObject({ format: 'json', html: `<p>${article}</p>` });
    expect(articleAt('g-html.json')).not.toHaveProperty('title');
    expect(articleAt('l-nested/2024/07/deep.txt').text).toBe(article);
  });

  it('reads JSONL line by line, numbering lines from 1 and rejecting only the bad ones', () => {
    expect(articleAt('h-lines.jsonl#1')).toMatchObject({ format: 'jsonl', id: 'h1', text: article });
    expect(rejectionAt('h-lines.jsonl#2').reason).toBe('bad-json');
    expect(byPath('h-lines.jsonl#3')).toBeUndefined();
    expect(articleAt('h-lines.jsonl#4')).toMatchObject({ id: '3', text: traditional });
    expect(articleAt('h-lines.jsonl#4')).not.toHaveProperty('title');
    expect(rejectionAt('h-lines.jsonl#5').reason).toBe('invalid-article');
    expect(rejectionAt('h-lines.jsonl#5').detail).toContain('text');
    expect(rejectionAt('h-lines.jsonl#6').reason).toBe('empty');
    expect(articleAt('h-lines.jsonl#7').title).toBe('12');
    expect(rejectionAt('h-lines.jsonl#8').reason).toBe('invalid-article');
    expect(rejectionAt('h-lines.jsonl#8').detail).toContain('title');
    expect(articleAt('h-lines.jsonl#1').inputBytes).toBe(Buffer.byteLength(JSON.stringify({ id: 'h1', text: article })));
  });

  it.each([
    ['e-broken.json', 'bad-json'],
    ['f-no-text.json', 'invalid-article'],
    ['g-array.json', 'invalid-article'],
    ['i-empty.txt', 'empty'],
    ['i-blank.txt', 'empty'],
    ['i-blank.jsonl', 'empty'],
    ['j-binary.txt', 'binary'],
    ['j-image.html', 'binary'],
    ['k-latin1.txt', 'bad-encoding'],
    ['m-report.docx', 'unsupported-format'],
    ['m-no-extension', 'unsupported-format'],
    ['n-big.txt', 'too-large'],
    ['o-broken-link.txt', 'unreadable'],
  ] as const)('rejects %s as %s, with its file name', (sourcePath, reason) => {
    const rejection = rejectionAt(sourcePath);
    expect(rejection).toMatchObject({ kind: 'rejection', sourcePath, reason });
    expect(rejection.detail).not.toBe('');
    expect(describeRejection(rejection)).toContain(sourcePath);
  });

  it('decodes GBK, GB18030, Big5 and UTF-16 instead of producing mojibake', () => {
    expect(articleAt('k-gbk.txt').text).toBe(`蒙阴县人民医院党委被命名为全市公立医院党建工作示范点\n${article}`);
    expect(articleAt('k-gb18030.html').html).toContain(article);
    expect(articleAt('k-big5.txt').text).toBe(traditional);
    expect(articleAt('k-utf16.txt').text).toBe(article);
  });

  it('reads UTF-8 with one broken byte as UTF-8, not as GB18030 mojibake', () => {
    const text = articleAt('k-truncated.txt').text!;
    expect(text.startsWith(article)).toBe(true);
    expect(text).not.toContain('\ufffd');
  });

  it('ignores dotfiles, images and files that do not look like articles', () => {
    const paths = results.map((r) => r.sourcePath);
    expect(paths.some((p) => p.includes('hidden') || p.startsWith('.git'))).toBe(false);
    expect(paths).not.toContain('m-photo.png');
    expect(paths).not.toContain('m-readme.cfg');
  });

  it('does not follow a symlink back into a directory it has already read', () => {
    expect(results.filter((r) => r.sourcePath.endsWith('deep.txt')).map((r) => r.sourcePath)).toEqual(['l-nested/2024/07/deep.txt']);
  });

  it('yields in a stable, sorted order', async () => {
    const again = await collect(root, { maxBytes: 8 * 1024 });
    expect(again.map((r) => r.sourcePath)).toEqual(results.map((r) => r.sourcePath));
    const files = results.map((r) => r.sourcePath.split('#')[0]!);
    expect(files).toEqual([...files].sort());
  });

  it('counts rejections per reason for the run summary', () => {
    const counts = countRejections(results.filter(isRejection));
    expect(counts.get('invalid-article')).toBe(4);
    expect(counts.get('empty')).toBe(4);
    expect(counts.get('bad-json')).toBe(2);
    const order = [...counts.values()];
    expect(order).toEqual([...order].sort((a, b) => b - a));
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable file and carries on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'read-corpus-perm-'));
    try {
      await writeFile(join(dir, 'a-locked.txt'), article);
      await writeFile(join(dir, 'b-open.txt'), article);
      await chmod(join(dir, 'a-locked.txt'), 0o000);
      const items = await collect(dir);
      expect(items.map((i) => [i.sourcePath, isRejection(i) ? i.reason : 'article'])).toEqual([
        ['a-locked.txt', 'unreadable'],
        ['b-open.txt', 'article'],
      ]);
    } finally {
      await chmod(join(dir, 'a-locked.txt'), 0o600);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a single file given instead of a directory', async () => {
    const items = await collect(join(root, 'h-lines.jsonl'));
    expect(items[0]).toMatchObject({ sourcePath: 'h-lines.jsonl#1', id: 'h1' });
  });

  it('throws for a corpus directory that does not exist (a usage error, not a data problem)', async () => {
    await expect(collect(join(root, 'no-such-dir'))).rejects.toThrow();
  });
});

describe('decodeText', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(article)]), article, 'utf-8'],
    ['GBK', iconv.encode(article, 'gbk'), article, 'gb18030'],
    ['GB18030 with a character outside GBK', iconv.encode('党建𠀀品牌，医院党委', 'gb18030'), '党建𠀀品牌，医院党委', 'gb18030'],
    ['a short GBK line', iconv.encode('党委', 'gbk'), '党委', 'gb18030'],
    ['Big5', iconv.encode(traditional, 'big5'), traditional, 'big5'],
  ])('%s', (_name, bytes, text, encoding) => {
    expect(decodeText(bytes)).toEqual({ ok: true, text, encoding });
  });

  it.each([
    ['nothing', Buffer.alloc(0), 'empty'],
    ['NUL bytes', Buffer.from('党建\u0000\u0000品牌'), 'binary'],
    ['mostly control characters', Buffer.from([1, 2, 3, 4, 5, 6, 65, 66, 7, 8]), 'binary'],
    ['a PDF', Buffer.from('%PDF-1.7\n党建'), 'binary'],
    ['Latin-1', iconv.encode('résumé café crème brûlée à la française, déjà vu', 'latin1'), 'bad-encoding'],
  ])('rejects %s', (_name, bytes, reason) => {
    expect(decodeText(bytes)).toMatchObject({ ok: false, reason });
  });
});

describe('articles posted to the API', () => {
  it('turns a JSON body into a RawArticle of format api', () => {
    const body = Buffer.from(JSON.stringify({ title: '我院召开专题会议', text: article, source: '党办', extra: 'ignored' }));
    expect(readArticleBuffer(body, 'api/new.json', 'api')).toEqual({
      kind: 'article',
      sourcePath: 'api/new.json',
      format: 'api',
      inputBytes: body.length,
      title: '我院召开专题会议',
      text: article,
      source: '党办',
    });
  });

  it.each([
    [{ title: '缺正文' }, 'invalid-article'],
    [{ text: '' }, 'empty'],
    [{ text: '  \n ' }, 'empty'],
    [{ text: article, url: ['不是字符串'] }, 'invalid-article'],
    ['只是一个字符串', 'invalid-article'],
    [null, 'invalid-article'],
  ])('rejects %j as %s', (value, reason) => {
    expect(parseArticleObject(value, 'api/x.json', 'api', 10)).toMatchObject({ kind: 'rejection', reason });
  });

  it('reports malformed JSON as bad-json', () => {
    expect(readArticleBuffer(Buffer.from('{"text": '), 'api/x.json', 'api')).toMatchObject({ reason: 'bad-json' });
  });
});
