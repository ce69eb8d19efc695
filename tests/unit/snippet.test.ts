import { describe, expect, it } from 'vitest';
import { escapeHtml, highlight, renderSnippet } from '../../engine/analysis/snippet.js';

const stripMarks = (html: string): string => html.replace(/<\/?mark>/gu, '');
const marked = (html: string): string[] => [...html.matchAll(/<mark>(.*?)<\/mark>/gu)].map((m) => m[1] ?? '');

// A body long enough to need cropping: the match sits in the middle.
const longBody = [
  '为深入贯彻落实新时代党的建设总要求，医院党委坚持以高质量党建引领医院高质量发展。',
  '全院各党支部围绕中心工作，扎实开展主题党日活动，推动党建与业务深度融合。',
  '近日，医院儿科党支部获评“浙江省卫生健康系统先锋党支部”，这是对支部多年来坚持“双带头人”培育工程的肯定。',
  '下一步，支部将继续发挥战斗堡垒作用，带领党员在急难险重任务中冲锋在前，为群众提供更加优质的医疗服务。',
  '医院将以此为契机，持续擦亮党建品牌，不断提升患者就医获得感。',
].join('');

describe('highlight', () => {
  it.each([
    ['荆州市第一人民医院召开党建工作会议', ['荆州市第一人民医院', '医院', '荆州'], ['荆州市第一人民医院']],
    ['荆州一医党委书记讲党课', ['荆州一医', '党课'], ['荆州一医', '党课']],
    ['打造“超越自我”党建特色品牌', ['党建特色品牌', '党建品牌', '党建'], ['党建特色品牌']],
    ['党建引领 党建赋能', ['党建'], ['党建', '党建']],
    ['医院开展MDT多学科诊疗', ['mdt'], ['MDT']],
  ])('%s → marks %j', (text, terms, expected) => {
    const html = highlight(text, terms);
    expect(marked(html)).toEqual(expected);
    expect(stripMarks(html)).toBe(escapeHtml(text));
  });

  it('marks the longest term even when a shorter one starts earlier inside it', () => {
    expect(highlight('第一人民医院', ['人民', '第一人民医院'])).toBe('<mark>第一人民医院</mark>');
  });

  it('never nests or overlaps marks', () => {
    const html = highlight('先锋党支部先锋', ['先锋党支部', '党支部先锋', '先锋']);
    expect(html).toBe('<mark>先锋党支部</mark><mark>先锋</mark>');
    expect(html).not.toMatch(/<mark>[^<]*<mark>/u);
  });

  it('escapes markup in the article instead of rendering it', () => {
    const html = highlight('党建<script>alert(1)</script>"专栏" & \'宣传\'', ['党建', 'script']);
    expect(html).toBe(
      '<mark>党建</mark>&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;&quot;专栏&quot; &amp; &#39;宣传&#39;',
    );
  });

  it('does not let a term containing markup inject it', () => {
    expect(highlight('a<b>c', ['<b>'])).toBe('a<mark>&lt;b&gt;</mark>c');
  });

  it.each([[[]], [['']], [['   ']], [['不存在']]])('with terms %j leaves the text unmarked', (terms) => {
    expect(highlight('医院党委召开会议', terms)).toBe('医院党委召开会议');
  });
});

describe('renderSnippet', () => {
  it('returns a short text whole, marked', () => {
    expect(renderSnippet('医院召开党建工作会议。', ['党建'])).toBe('医院召开<mark>党建</mark>工作会议。');
  });

  it('crops a long body around the match, about 120 characters, with ellipses where cut', () => {
    const html = renderSnippet(longBody, ['先锋党支部']);
    const text = stripMarks(html);
    expect(marked(html)).toEqual(['先锋党支部']);
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    const visible = text.replace(/…/gu, '');
    expect(visible.length).toBeGreaterThanOrEqual(60);
    expect(visible.length).toBeLessThanOrEqual(130);
    expect(longBody).toContain(visible);
  });

  it('starts at the beginning of the sentence that holds the match', () => {
    const text = stripMarks(renderSnippet(longBody, ['先锋党支部']));
    expect(text.startsWith('…近日，医院儿科党支部')).toBe(true);
  });

  it('ends on a sentence end when one is near the length limit', () => {
    const text = stripMarks(renderSnippet(longBody, ['先锋党支部']));
    expect(text).toMatch(/[。！？；]…$/u);
  });

  it('prefers the densest cluster of different terms over a lone early match', () => {
    const html = renderSnippet(longBody, ['党建', '双带头人', '先锋党支部']);
    expect(marked(html)).toEqual(expect.arrayContaining(['先锋党支部', '双带头人']));
  });

  it('with no match returns the start of the text', () => {
    const text = stripMarks(renderSnippet(longBody, ['不存在的词']));
    expect(text.startsWith('为深入贯彻落实')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(text.length).toBeLessThanOrEqual(121);
  });

  it('with no terms returns the start of the text', () => {
    expect(stripMarks(renderSnippet(longBody, []))).toBe(stripMarks(renderSnippet(longBody, ['不存在的词'])));
  });

  it('escapes a script tag in the article and keeps marks around it', () => {
    const article = `${'医院党委高度重视宣传工作。'.repeat(6)}有人在评论区留下<script>alert(1)</script>，党建专栏已删除。${'支部持续开展学习。'.repeat(6)}`;
    const html = renderSnippet(article, ['党建']);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(marked(html)).toEqual(['党建']);
  });

  it('never cuts through a mark at the edge of the window', () => {
    const article = `${'甲'.repeat(200)}荆州市第一人民医院${'乙'.repeat(200)}`;
    const html = renderSnippet(article, ['荆州市第一人民医院'], { length: 20 });
    expect(marked(html)).toEqual(['荆州市第一人民医院']);
  });

  it('honours a custom length', () => {
    const text = stripMarks(renderSnippet(longBody, ['党建品牌'], { length: 40 })).replace(/…/gu, '');
    expect(text.length).toBeLessThanOrEqual(40);
    expect(text).toContain('党建品牌');
  });

  it('does not split a surrogate pair when cutting', () => {
    const article = `${'𠀀'.repeat(100)}党建${'𠀀'.repeat(100)}`;
    const text = stripMarks(renderSnippet(article, ['党建'], { length: 21 })).replace(/…/gu, '');
    expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u);
  });
});
