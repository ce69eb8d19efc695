import { describe, expect, it } from 'vitest';
import { decodeEntities, parseSnippet } from '../../widget/src/snippet.js';

describe('parseSnippet', () => {
  it.each([
    {
      snippet: '荆州一医党委坚持以<mark>党建</mark>引领医院高质量发展',
      parts: [
        { text: '荆州一医党委坚持以', marked: false },
        { text: '党建', marked: true },
        { text: '引领医院高质量发展', marked: false },
      ],
    },
    {
      snippet: '<mark>先锋党支部</mark>入选浙江省卫生健康系统<mark>先锋党支部</mark>',
      parts: [
        { text: '先锋党支部', marked: true },
        { text: '入选浙江省卫生健康系统', marked: false },
        { text: '先锋党支部', marked: true },
      ],
    },
    {
      // The API escapes article text: these are characters to show, not markup.
      snippet: '讲师演示了 &lt;script&gt;alert(1)&lt;/script&gt; 这类<mark>网络安全</mark>风险',
      parts: [
        { text: '讲师演示了 <script>alert(1)</script> 这类', marked: false },
        { text: '网络安全', marked: true },
        { text: '风险', marked: false },
      ],
    },
    {
      // Defence in depth: a snippet that arrives unescaped still yields text only.
      snippet: '<img src=x onerror=alert(1)>蒙阴县人民医院<mark>党委</mark>',
      parts: [
        { text: '<img src=x onerror=alert(1)>蒙阴县人民医院', marked: false },
        { text: '党委', marked: true },
      ],
    },
    {
      snippet: '“党建<mark>融+</mark>”品牌 &amp; “双带头人”',
      parts: [
        { text: '“党建', marked: false },
        { text: '融+', marked: true },
        { text: '”品牌 & “双带头人”', marked: false },
      ],
    },
    {
      // <mark> with attributes is not the API's markup: it stays visible text.
      snippet: '<mark onclick="x()">党旗</mark>飘扬',
      parts: [{ text: '<mark onclick="x()">党旗飘扬', marked: false }],
    },
  ])('$snippet', ({ snippet, parts }) => {
    expect(parseSnippet(snippet)).toEqual(parts);
  });

  it('ignores an unbalanced closing tag instead of marking the rest', () => {
    expect(parseSnippet('党史</mark>学习<mark>教育')).toEqual([
      { text: '党史学习', marked: false },
      { text: '教育', marked: true },
    ]);
  });

  it('yields nothing for an empty snippet', () => {
    expect(parseSnippet('')).toEqual([]);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['&lt;b&gt;党建&lt;/b&gt;', '<b>党建</b>'],
    ['医院&#39;s 党委', "医院's 党委"],
    ['&quot;院科两优&quot;', '"院科两优"'],
    ['&#x515A;&#24314;', '党建'],
    ['&amp;lt;', '&lt;'],
    ['&unknown; 保持原样', '&unknown; 保持原样'],
    ['&#xD800; 代理项', '&#xD800; 代理项'],
  ])('%s → %s', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });
});
