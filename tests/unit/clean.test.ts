import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanArticle, htmlToText, stripMarkdown, stripStrayMarkup } from '../../indexer/steps/clean.js';
import type { CleanedArticle, RawArticle } from '../../indexer/types.js';

function cleanText(text: string, extra: Partial<RawArticle> = {}): CleanedArticle {
  return cleanArticle({ sourcePath: 'test.txt', format: 'txt', inputBytes: text.length, text, ...extra });
}

function cleanHtml(html: string): CleanedArticle {
  return cleanArticle({ sourcePath: 'test.html', format: 'html', inputBytes: html.length, html });
}

function readSeed(prefix: string): CleanedArticle {
  const dir = join(import.meta.dirname, '../../corpus');
  const name = ['000_1fa8a9b2f9a530c3.txt', '001_43e5422389ba98aa.txt', '002_94a6097dd52ce2f1.txt', '003_ae1c95c1e18dc3ef.txt', '004_3b0527f88f1cf3c1.txt'].find((f) =>
    f.startsWith(prefix),
  )!;
  return cleanText(readFileSync(join(dir, name), 'utf8'), { sourcePath: name });
}

// Markdown image syntax, assembled so that no tool along the way renders it.
const IMG = '!' + '[现场](https://example.org/a.jpg)';

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const title = '市人民医院党委荣获全省先进基层党组织称号';
const prose1 = '近日，省委组织部印发通报，市人民医院党委被授予“全省先进基层党组织”称号。这是医院党建工作取得的又一重要成果。';
const prose2 = '近年来，医院党委坚持把党的政治建设摆在首位，推动党建工作与业务工作深度融合，以高质量党建引领医院高质量发展。';
const derived1 = '省委组织部印发通报，市人民医院党委被授予“全省先进基层党组织”称号';

describe('HTML to text', () => {
  it.each([
    ['paragraphs', '<p>第一段，党委召开会议。</p><p>第二段，支部开展学习。</p>', ['第一段，党委召开会议。', '第二段，支部开展学习。']],
    ['<br> inside a block', '<div>党旗飘扬<br>乳此精彩</div>', ['党旗飘扬', '乳此精彩']],
    ['list items', '<ul><li>加强组织建设</li><li>开展党员培训</li></ul>', ['加强组织建设', '开展党员培训']],
    ['table rows and cells', '<table><tr><td>张三</td><td>优秀共产党员</td></tr><tr><td>李四</td><td>优秀党务工作者</td></tr></table>', ['张三 优秀共产党员', '李四 优秀党务工作者']],
    ['entities', '<p>&ldquo;党建+&rdquo;&nbsp;品牌&amp;特色&#x515A;</p>', ['“党建+” 品牌&特色党']],
    ['whitespace inside inline markup', '<p>党建\n   <strong>引领</strong>   发展</p>', ['党建 引领 发展']],
  ])('keeps %s', (_name, html, lines) => {
    expect(htmlToText(html).text.split('\n')).toEqual(lines);
  });

  it.each([
    ['script', '<script>var title = "广告脚本内容";</script>'],
    ['style', '<style>.nav { color: red; } /* 样式表内容 */</style>'],
    ['noscript', '<noscript>请开启脚本支持</noscript>'],
    ['nav', '<nav><a href="/">首页</a><a href="/news">新闻中心</a></nav>'],
    ['page header', '<header><div>某某市人民医院官方网站</div></header>'],
    ['page footer', '<footer>版权所有 某某市人民医院</footer>'],
    ['aside', '<aside>热门文章 推荐阅读</aside>'],
    ['form', '<form><label>搜索关键词</label><input></form>'],
    ['comment', '<!-- 统计代码 -->'],
  ])('drops %s', (_name, chrome) => {
    const text = htmlToText(`<html><body>${chrome}<p>${prose1}</p></body></html>`).text;
    expect(text).toBe(prose1);
  });

  it('keeps an article’s own header (title and date) inside <article>', () => {
    const page = htmlToText(`<article><header><h1>${title}</h1><p>发布时间：2024-07-02</p></header><p>${prose1}</p></article>`);
    expect(page.text.split('\n')).toEqual([title, '发布时间：2024-07-02', prose1]);
    expect(page.headline).toBe(title);
  });

  it('takes the title from <h1>, and drops it from the body', () => {
    const cleaned = cleanHtml(`<html><head><title>${title} - 某某医院</title></head><body><nav>首页</nav><h1>${title}</h1><p>${prose1}</p><p>${prose2}</p></body></html>`);
    expect(cleaned.title).toBe(title);
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
  });

  it('falls back on the <title> before its site suffix when there is no <h1>', () => {
    const cleaned = cleanHtml(`<html><head><title>${title}_某某医院官网</title></head><body><p>${title}</p><p>${prose1}</p></body></html>`);
    expect(cleaned.title).toBe(title);
    expect(cleaned.body).toBe(prose1);
  });

  it('reads a text field that holds a whole HTML page as HTML', () => {
    const cleaned = cleanText(`<!DOCTYPE html><html><body><script>track()</script><p>${prose1}</p></body></html>`);
    expect(cleaned.body).toBe(prose1);
  });
});

describe('markup left in plain text', () => {
  it.each([
    ['a closing tag', '兒童外科黨支部(黨支部書記:陳聰)</strong>', '兒童外科黨支部(黨支部書記:陳聰)'],
    ['a closing tag whose < was lost', '兒童外科黨支部(黨支部書記:陳聰?/strong>', '兒童外科黨支部(黨支部書記:陳聰'],
    ['paragraph tags', '<p>党委召开会议。</p><p>支部开展学习。</p>', '\n党委召开会议。\n\n支部开展学习。\n'],
    ['an image element with its content', '<image>' + IMG + '</image>2021年是关键一年。', '2021年是关键一年。'],
    ['a markdown image', '会议现场' + IMG, '会议现场'],
    ['span with attributes', '<span style="font-size:16px">党建引领</span>发展', '党建引领发展'],
    ['Word markup', '党建工作<o:p></o:p>要点', '党建工作要点'],
    ['entities', '&ldquo;两优一先&rdquo;&nbsp;表彰', '“两优一先” 表彰'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripStrayMarkup(input)).toBe(expected);
  });

  it.each([
    ['年龄<18岁的患儿>'],
    ['a<b 且 c>d'],
    ['《关于加强公立医院党的建设工作的意见》'],
    ['<<党建>>专栏'],
  ])('keeps %s (not an HTML tag)', (input) => {
    expect(stripStrayMarkup(input)).toBe(input);
  });

  it('turns Markdown into plain text', () => {
    expect(stripMarkdown('# 标题\n\n**加粗**正文，见[通知](https://example.org)。\n- 第一项\n| 姓名 | 荣誉 |\n|---|---|\n| 张三 | 优秀党员 |')).toBe(
      '标题\n\n加粗正文，见通知。\n第一项\n姓名 荣誉\n\n张三 优秀党员',
    );
  });
});

// Each row is one kind of boilerplate, placed where pages put it. The rule must
// remove it from `body` and keep it in `fullText` (extractors read dates,
// sources and bylines there).
describe('boilerplate removed from the body', () => {
  it.each([
    ['previous-article link', 'bottom', '上一篇：我院召开2023年度党建工作会议'],
    ['next-article link with a date', 'bottom', '下一篇 2024年5月8日 上午10:21'],
    ['related list', 'bottom', '相关阅读\n我院举办青年医师技能大赛\n市卫健委调研我院党建工作'],
    ['more-news list', 'bottom', '更多》图片新闻\n我院开展义诊活动\n护理部召开专题会议'],
    ['copyright statement paragraph', 'bottom', '免责声明：本站部分内容来源于网络，仅供学习交流，如有侵权请联系删除。'],
    ['repost notice', 'bottom', '本文系本网原创稿件，如需转载请注明出处。'],
    ['font-size controls', 'top', '字号：大 中 小'],
    ['font-size buttons', 'top', '放大 缩小 默认'],
    ['read counter without a number', 'top', '阅读:次'],
    ['view counter', 'top', '浏览次数：1024'],
    ['click counter', 'top', '点击：'],
    ['reads after a channel name', 'top', '健康资讯 12阅读'],
    ['supplier and editor line', 'top', '供稿：党委办公室 编辑：李明 审核：张伟'],
    ['editor line with spaced label', 'bottom', '编 辑：王芳'],
    ['source and date line', 'top', '(2024年07月02日) 来源：潍坊日报'],
    ['publication time line', 'top', '发布时间：2023-06-30 10:21 浏览次数：'],
    ['lone like counter', 'bottom', '(0)'],
    ['hospital address footer', 'bottom', '医院地址\n院本部：河南省郑州市金水区建设路88号\n东院区：河南省郑州市郑东新区龙湖大道6号'],
    ['address line', 'bottom', '地址：广东省广州市越秀区中山二路58号'],
    ['breadcrumb with label', 'top', '当前位置：首页 > 新闻中心 > 医院新闻'],
    ['breadcrumb from the home page', 'top', '首页 > 党建工作 > 正文'],
    ['breadcrumb with guillemets', 'top', '您现在的位置: 首页 » 党群园地 » 支部风采'],
    ['share widget', 'bottom', '分享到：'],
    ['scan-to-share', 'bottom', '扫一扫在手机打开当前页'],
    ['hotline', 'top', '24小时服务热线：0371-66666666'],
    ['ICP licence', 'bottom', '豫ICP备12345678号-1'],
    ['public security record', 'bottom', '京公网安备 11010202000001号'],
    ['copyright line', 'bottom', 'Copyright © 2008-2024 某某市人民医院 All Rights Reserved'],
    ['copyright owner', 'bottom', '版权所有：某某市中心医院'],
    ['site credits', 'bottom', '某某市卫生健康委员会 主办'],
    ['image file name', 'bottom', '640 (2).jpg'],
    ['numbered image file name', 'bottom', '1724898012563409.png'],
    ['WeChat image file name', 'bottom', '微信图片_20230101120000.jpg'],
    ['hex image code', 'bottom', '9F3B1'],
    ['table pipes', 'bottom', '| |||||'],
    ['column name above the title', 'top', '医院动态'],
    ['another column name', 'top', '新闻中心'],
    ['navigation menu', 'top', '走进医院\n医院党建\n就医指南\n科室导航'],
    ['tag list', 'bottom', '党建\n义诊\n志愿服务\n疫情防控\n医院'],
    ['date-time stamp with a site name', 'top', '2023-06-30 10:21:05 党委办公室'],
    ['weekday', 'top', '2024年5月8日 星期三'],
    ['reporter byline', 'bottom', '记者 张明 通讯员 刘洋 王磊'],
    ['newspaper byline', 'top', '□本报记者 李华'],
    ['signature in brackets', 'bottom', '(党委办公室 陈静)'],
    ['photo caption with marker', 'bottom', '▲ 院党委书记讲话'],
    ['SEO spam separated by pipes', 'top', '免费观看|高清在线|最新资源|热门推荐'],
    ['e-paper chrome', 'top', '版次：03 要闻'],
    ['attachment file', 'bottom', '附件1.doc'],
    ['welcome banner', 'top', '欢迎访问某某市中医医院'],
  ])('%s', (_kind, where, noise) => {
    const text = where === 'top' ? `${noise}\n${title}\n${prose1}\n${prose2}` : `${title}\n${prose1}\n${prose2}\n${noise}`;
    const cleaned = cleanText(text);
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
    expect(cleaned.title).toBe(title);
    for (const line of noise.split('\n')) expect(cleaned.fullText).toContain(line.replace(/\s+/gu, ' ').trim());
  });

  it('removes font-size buttons glued to a source line', () => {
    const cleaned = cleanText(`${title}\n${prose1} 放大 缩小 默认`);
    expect(cleaned.body).toBe(prose1);
  });

  it('keeps the prose after a related-articles heading when it is not a list', () => {
    const cleaned = cleanText(`${title}\n${prose1}\n相关阅读\n${prose2}`);
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
  });
});

// Lines that look like boilerplate to a careless rule but are article content.
describe('content that is NOT boilerplate', () => {
  it.each([
    ['a heading that starts with 记者', '记者节座谈会在院召开'],
    ['prose with a hotline number', '市民可拨打热线电话12345678反映就医问题。'],
    ['prose that starts with 分享', '分享会上，青年党员代表分享了援疆经历。'],
    ['a dated timeline entry mid-article', '2020年1月23日 武汉关闭离汉通道'],
    ['prose that starts with 首页', '首页改版后，医院官网新增党建专栏。'],
    ['prose that starts with 本文', '本文介绍了医院党建品牌创建的三点经验。'],
    ['prose that starts with 来源', '来源于群众、服务于群众是党建工作的出发点。'],
    ['prose about reading', '阅读是党员学习的重要方式。'],
    ['a short heading ending in 阅读', '加强阅读'],
    ['a section heading', '一、品牌名称'],
    ['a slogan with an exclamation mark', '党建引领聚合力，同心筑梦行致远！'],
    ['prose that starts with 医院地址', '医院地址迁至新院区后，门诊量增长了三成。'],
    ['prose that starts with 相关推荐', '相关推荐工作将于下月启动。'],
    ['prose mentioning copyright', '医院党委高度重视知识产权和版权保护工作。'],
    ['an attachment heading with its title', '附件：先进集体及先进个人名单'],
    ['a meeting time inside a notice', '会议时间：2024年3月8日上午9时'],
    ['a list of award winners', '获奖名单：张三 李四 王五 赵六 钱七 孙八'],
    ['a line with a 1 in brackets', '“党建+”模式(1)：支部建在科室上'],
    ['a department name', '党委办公室负责统筹协调'],
    ['a year in prose', '2023年，医院党委获评“全国先进基层党组织”。'],
    ['an address in prose', '活动在医院门诊楼三楼会议室举行，地址位于建设路88号。'],
    ['a hyphenated range', '2022-2023年度优秀共产党员名单公布'],
  ])('keeps %s', (_kind, line) => {
    const cleaned = cleanText(`${title}\n${prose1}\n${line}\n${prose2}`);
    expect(cleaned.body.split('\n')).toContain(line);
  });

  it('keeps a subtitle below the title', () => {
    const cleaned = cleanText(`${title}\n——某某市人民医院党建工作纪实\n${prose1}`);
    expect(cleaned.title).toBe(title);
    expect(cleaned.body).toBe(`——某某市人民医院党建工作纪实\n${prose1}`);
  });

  it('keeps a short line that is not a menu in the middle of the article', () => {
    const cleaned = cleanText(`${title}\n${prose1}\n使命在肩：\n援藏精神引领方向\n推动高原医疗发展\n${prose2}`);
    expect(cleaned.body.split('\n')).toEqual([prose1, '使命在肩：', '援藏精神引领方向', '推动高原医疗发展', prose2]);
  });
});

describe('repeated paragraphs and titles', () => {
  it('keeps the first of repeated paragraphs', () => {
    const cleaned = cleanText(`${title}\n${prose1}\n${prose2}\n${prose1}\n${prose2}`);
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
  });

  it('treats paragraphs that differ only in whitespace as repeats', () => {
    const spaced = prose1.replace('省委组织部', '省委 组织部');
    const cleaned = cleanText(`${title}\n${prose1}\n${prose2}\n${spaced}`);
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
  });

  it('drops a short line only when it repeats the line right before it', () => {
    const cleaned = cleanText(`${title}\n党员坚定防疫信心\n党员坚定防疫信心\n${prose1}\n一、品牌名称\n党旗飘扬\n二、案例背景\n党旗飘扬\n${prose2}`);
    expect(cleaned.body.split('\n')).toEqual(['党员坚定防疫信心', prose1, '一、品牌名称', '党旗飘扬', '二、案例背景', '党旗飘扬', prose2]);
  });

  it('removes every repetition of the title from the body', () => {
    const cleaned = cleanText(`${title}\n${prose1}\n${title}\n${prose2}\n${title}。`);
    expect(cleaned.title).toBe(title);
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
  });
});

describe('title', () => {
  it('prefers the given title, normalised to Simplified', () => {
    const cleaned = cleanText(`醫院黨委召開專題會議\n${prose1}`, { title: '  醫院黨委召開專題會議 ' });
    expect(cleaned.title).toBe('医院党委召开专题会议');
    expect(cleaned.body).toBe(prose1);
  });

  it.each([
    ['the first headline-like line', `${title}\n${prose1}`, title],
    ['the headline above the date line, not the site banner above it', `国家三级甲等中医医院\n${title}\n发布时间：2022-01-14\n${prose1}`, title],
    ['the headline, not a short site name', `佛山新闻在线\n${title}\n${prose1}`, title],
    ['not an author list: the opening sentence instead', `孟凡蒙 贾思远 聂雨晴 童卫东\n${prose1}`, derived1],
    ['not a bracketed line: the opening sentence instead', `(中共某某医院乳腺外科支部委员会)\n${prose1}`, derived1],
  ])('picks %s', (_case, text, expected) => {
    expect(cleanText(text).title).toBe(expected);
  });

  it.each([
    ['the opening sentence when the text starts with prose', `${prose1}\n${prose2}`, derived1],
    ['without the date it opens with', '6月27日,我院隆重召开庆祝中国共产党成立103周年暨“七一”表扬大会,以此庆祝党的103岁生日。', '我院隆重召开庆祝中国共产党成立103周年暨“七一”表扬大会'],
    ['without a newspaper credit and 近日', '本报讯(通讯员 白君)近日,延大附院纪委组织医院中心组成员赴延安监狱开展廉政警示教育活动。', '延大附院纪委组织医院中心组成员赴延安监狱开展廉政警示教育活动'],
    ['cut at a clause boundary to a headline’s length', '为持续加强党风廉政建设,配合医疗领域专项整治,推动清廉医院建设走深走实,提升干部职工的廉洁自律意识和拒腐防变能力,医院纪委组织警示教育。', '为持续加强党风廉政建设,配合医疗领域专项整治,推动清廉医院建设走深走实'],
    ['a Traditional opening, converted', '日前,江寧高新區召開大會,慶祝中國共產黨建黨98週年並進行總結表彰。', '江宁高新区召开大会,庆祝中国共产党建党98周年并进行总结表彰'],
  ])('derives a title from %s', (_case, text, expected) => {
    const cleaned = cleanText(text);
    expect(cleaned.title).toBe(expected);
    expect(cleaned.title.length).toBeLessThanOrEqual(40);
  });

  it('keeps the body whole when the title is derived from it', () => {
    expect(cleanText(`${prose1}\n${prose2}`).body).toBe(`${prose1}\n${prose2}`);
  });

  it('an HTML page without <h1> takes its <title> without the site name', () => {
    const cleaned = cleanHtml(`<html><head><title>医院党委召开专题会议 - 某某市人民医院</title></head><body><p>医院党委召开专题会议</p><p>${prose1}</p></body></html>`);
    expect(cleaned.title).toBe('医院党委召开专题会议');
  });

  it('drops page chrome above the title', () => {
    const cleaned = cleanText(`国家三级甲等中医医院\n国家级胸痛中心、国家级心衰中心\n${title}\n发布时间：2022-01-14\n${prose1}`);
    expect(cleaned.body).toBe(prose1);
  });

  it('does not start the body with the title when the title is glued to the first paragraph', () => {
    const cleaned = cleanText(`${title} ${prose1}\n${prose2}`, { title });
    expect(cleaned.body).toBe(`${prose1}\n${prose2}`);
  });
});

describe('seed articles', () => {
  it('000: pinyin gone, Simplified, stray tag gone, script recorded as traditional', () => {
    const seed = readSeed('000');
    expect(seed.originalScript).toBe('traditional');
    expect(seed.body).toContain('浙江省卫健委印发了《关于公布浙江省卫生健康系统');
    expect(seed.body).toContain('儿童外科党支部、行政后勤第四党支部2个党支部入选');
    expect(seed.body).not.toMatch(/[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]/u);
    expect(seed.body).not.toMatch(/[衛醫發黨優]/u);
    expect(seed.body).not.toContain('strong>');
    expect(seed.body).not.toMatch(/,,|，，/u);
  });

  it('001: title once, footer gone', () => {
    const seed = readSeed('001');
    expect(seed.title).toBe('党旗增辉一医为民——荆州一医强化党建品牌建设助推医院高质量发展纪实');
    expect(count(seed.fullText, seed.title)).toBe(6);
    expect(seed.body).not.toContain(seed.title);
    for (const footer of ['版权声明', '上一篇', '下一篇', '相关推荐', '(0)', '来源:荆州日报', '记者匡奕君']) {
      expect(seed.body).not.toContain(footer);
      expect(seed.fullText).toContain(footer);
    }
    expect(seed.body.split('\n').at(-1)).toMatch(/^以党建为引领.*作出新的贡献。$/u);
  });

  it('002: font-size controls and bylines gone, subtitle kept', () => {
    const seed = readSeed('002');
    expect(seed.title).toBe('以高质量党建推动妇幼健康工作高质量发展');
    expect(seed.body.split('\n')[0]).toBe('——潍坊市妇幼保健院党建工作纪实');
    expect(seed.body).not.toMatch(/放大\s*缩小\s*默认/u);
    expect(seed.fullText).toMatch(/放大\s*缩小\s*默认/u);
    expect(seed.body).not.toContain('来源:潍坊日报');
    expect(seed.body).not.toContain('刘晓杰');
    expect(seed.body).not.toContain('本稿图片均为资料图片');
  });

  it('003: column name and address footer gone', () => {
    const seed = readSeed('003');
    expect(seed.title).toBe('【党建园地】优秀党建品牌案例展示七《党旗飘扬,乳此精彩》(乳腺外科党支部)');
    expect(seed.body).not.toContain('新闻消息');
    expect(seed.body).not.toContain('医院地址');
    expect(seed.body).not.toContain('杏花岭区职工新村3号');
    expect(seed.body).toContain('一、品牌名称\n党旗飘扬,乳此精彩\n二、案例背景');
  });

  it('004: body not repeated, header chrome gone', () => {
    const seed = readSeed('004');
    expect(seed.title).toBe('喜讯!我院党委被命名为全市公立医院党建工作示范点');
    expect(count(seed.fullText, '近年来,院党委坚持党建引领')).toBe(2);
    expect(count(seed.body, '近年来,院党委坚持党建引领')).toBe(1);
    expect(count(seed.body, '根本固者,华实必茂')).toBe(1);
    expect(seed.body.split('\n')).toHaveLength(4);
    for (const chrome of ['医院动态', '供稿:', '发布时间:', '浏览次数']) expect(seed.body).not.toContain(chrome);
    expect(seed.fullText).toContain('发布时间:2022-08-22 10:14');
  });
});
