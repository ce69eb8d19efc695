/**
 * Raw article → CleanedArticle: markup to text, the shared normaliser, then
 * boilerplate, repeated paragraphs and repeated title lines out of the body.
 *
 * `fullText` keeps the page chrome on purpose: dates, sources and bylines live
 * there and the extractors need them. Only `body` (what users read and what is
 * indexed as the article) is cleaned. The rules are data (config/data/noise.json);
 * this module only knows the page's geography: a header before the first
 * paragraph of prose, the body, and a footer.
 */
import { NodeType, parse, type HTMLElement, type Node } from 'node-html-parser';
import { loadNoiseRules, toUiKey, type LineZone, type NoiseRules } from '../../config/noise.js';
import { normaliseText, normaliseWithScript } from '../../engine/analysis/normalise.js';
import type { CleanedArticle, RawArticle } from '../types.js';

// ---------------------------------------------------------------------------
// HTML

const droppedTags = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'nav', 'aside', 'form', 'iframe',
  'svg', 'canvas', 'button', 'select', 'textarea', 'object', 'embed', 'video', 'audio', 'map',
]);
// Page-level header/footer is chrome; an article's own <header> holds its title and date.
const pageEdgeTags = new Set(['header', 'footer']);
const contentContainers = new Set(['article', 'main']);
const blockTags = new Set([
  'address', 'article', 'blockquote', 'body', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'figcaption',
  'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main',
  'menu', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'caption', 'ul',
]);
const cellTags = new Set(['td', 'th']);

const htmlOptions = {
  comment: false,
  // false = drop the element's content; pre keeps its line breaks.
  blockTextElements: { script: false, style: false, noscript: false, template: false, pre: true },
} as const;

export interface HtmlText {
  text: string;
  /** Text of the first <h1>, when there is one. */
  headline: string | undefined;
  /** <title>, which usually carries a site-name suffix. */
  pageTitle: string | undefined;
}

const htmlSpace = /[ \t\n\r\f\u00a0]+/gu;
const maxDepth = 400;

function isElement(node: Node): node is HTMLElement {
  return node.nodeType === NodeType.ELEMENT_NODE;
}

function appendNode(node: Node, out: string[], inContent: boolean, inPre: boolean, depth: number): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    out.push(inPre ? node.text : node.text.replace(htmlSpace, ' '));
    return;
  }
  if (!isElement(node)) return;
  const tag = (node.rawTagName ?? '').toLowerCase();
  if (droppedTags.has(tag)) return;
  if (pageEdgeTags.has(tag) && !inContent) return;
  if (tag === 'br') {
    out.push('\n');
    return;
  }
  if (depth > maxDepth) {
    // Pathologically nested markup: flatten instead of recursing further.
    out.push('\n', node.text.replace(htmlSpace, ' '), '\n');
    return;
  }
  const block = blockTags.has(tag);
  if (block) out.push('\n');
  else if (cellTags.has(tag)) out.push(' ');
  const childContent = inContent || contentContainers.has(tag);
  const childPre = inPre || tag === 'pre';
  for (const child of node.childNodes) appendNode(child, out, childContent, childPre, depth + 1);
  if (block) out.push('\n');
  else if (cellTags.has(tag)) out.push(' ');
}

/** HTML → plain text with one line per block element and `<br>`; scripts, styles, navigation and forms dropped. */
export function htmlToText(html: string): HtmlText {
  const root = parse(html, htmlOptions);
  const out: string[] = [];
  appendNode(root, out, false, false, 0);
  const text = out
    .join('')
    .split('\n')
    .map((line) => line.replace(/ {2,}/gu, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  const h1 = root.querySelector('h1')?.text.replace(htmlSpace, ' ').trim();
  const title = root.querySelector('title')?.text.replace(htmlSpace, ' ').trim();
  return { text, headline: h1 || undefined, pageTitle: title || undefined };
}

// ---------------------------------------------------------------------------
// Markup left in plain text

const strayElementsWithContent = /<(script|style|image)\b[^>]*>[\s\S]*?<\/\1\s*>/giu;
const htmlComment = /<!--[\s\S]*?-->/gu;
const blockTagNames =
  'p|div|br|hr|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|center|dl|dt|dd|figure|figcaption|header|footer|nav|main|aside|pre|caption|tbody|thead|tfoot';
const inlineTagNames =
  'span|strong|b|i|em|u|a|img|image|font|sup|sub|small|big|label|iframe|video|audio|source|code|o:p|st1:\\w+|strike|s|del|ins|mark|col|colgroup|title|meta|link|input|button|form|select|option|textarea|picture|svg|path|abbr|cite|q|wbr|nobr|tt|var|kbd|samp|td|th|script|style';
// Attributes must look like HTML attributes, so `a<b 且 c>d` is left alone.
const attributes = `(?:\\s+[a-z_:][-\\w:.]*(?:\\s*=\\s*(?:"[^"]*"|'[^']*'|[^\\s"'<>=\`]+))?)*\\s*\\/?`;
const strayBlockTag = new RegExp(`<\\/?(?:${blockTagNames})${attributes}>`, 'giu');
const strayInlineTag = new RegExp(`<\\/?(?:${inlineTagNames})${attributes}>`, 'giu');
// A closing tag whose `<` was lost to an encoding accident upstream: 陈聪?/strong>
const brokenClosingTag = new RegExp(`[?？]\\/(?:${blockTagNames}|${inlineTagNames})\\s*>`, 'giu');
const markdownImage = /!\[[^\]\n]*\]\([^)\n]*\)/gu;
const looksLikeHtmlDocument = /^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/iu;

const namedEntities: Readonly<Record<string, string>> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’',
  mdash: '—', ndash: '–', hellip: '…', middot: '·', bull: '•', emsp: ' ', ensp: ' ', thinsp: ' ', copy: '©',
  reg: '®', times: '×', deg: '°', yen: '¥', laquo: '«', raquo: '»',
};
const entity = /&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/giu;

function decodeEntities(text: string): string {
  return text.replace(entity, (match, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : match;
    }
    return namedEntities[name.toLowerCase()] ?? match;
  });
}

/**
 * Tags and entities scraped into plain text (`</strong>`, `<p>`, `<image>…</image>`, `&nbsp;`).
 * Only known HTML tag names are touched, so `年龄<18岁` or `a<b` stay as written.
 */
export function stripStrayMarkup(text: string): string {
  let out = text;
  if (out.includes('>')) {
    out = out
      .replace(htmlComment, '')
      .replace(strayElementsWithContent, '')
      .replace(strayBlockTag, '\n')
      .replace(strayInlineTag, '')
      .replace(brokenClosingTag, '');
  }
  if (out.includes('![')) out = out.replace(markdownImage, '');
  if (out.includes('&')) out = decodeEntities(out);
  return out;
}

// [ \t] rather than \s: with the m flag \s would run across line ends.
const markdownLineRules: ReadonlyArray<[RegExp, string]> = [
  [/^[ \t]{0,3}(?:```|~~~).*$/gmu, ''],
  [/^[ \t]{0,3}#{1,6}[ \t]+/gmu, ''],
  [/[ \t]+#+[ \t]*$/gmu, ''],
  [/^[ \t]{0,3}>[ \t]?/gmu, ''],
  [/^[ \t]*[-*+][ \t]+/gmu, ''],
  [/^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$/gmu, ''],
  [/^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$/gmu, ''],
  [/\[([^\]\n]+)\]\([^)\n]*\)/gu, '$1'],
  [/(\*\*|__)(?=\S)([^\n]*?\S)\1/gu, '$2'],
  [/(?<![*\w])\*(?=\S)([^*\n]*?\S)\*(?!\*)/gu, '$1'],
];

/** Markdown to plain text: headings, emphasis, links, lists and table pipes removed. */
export function stripMarkdown(text: string): string {
  let out = text;
  for (const [pattern, replacement] of markdownLineRules) out = out.replace(pattern, replacement);
  // Table rows become cells separated by spaces (pipe-only lines would read as menus).
  return out.replace(/^[ \t]*\|(.*)\|[ \t]*$/gmu, (_m, cells: string) => cells.split('|').map((c) => c.trim()).join(' '));
}

// ---------------------------------------------------------------------------
// Boilerplate

const leadingMarks = /^(?:[•·●◆◇■□▪▶►◎※★☆]+\s*|[-*]\s+)+/u;
const sentenceEnd = /[。！？]/u;
const anyPunctuation = /[，。、；：:,;!！?？]/u;
const cjkChar = /[\u3400-\u9fff]/gu;
const whitespace = /\s+/gu;
const trailingSentencePunct = /[。！？!?；;，,、：:]+$/u;

interface LineInfo {
  text: string;
  /** Line without leading bullets: what the rules are tested against. */
  bare: string;
  /** Name of the rule that marked the line as boilerplate, or null for content. */
  noise: string | null;
}

function compactKey(text: string): string {
  return text.replace(whitespace, '');
}

function titleKey(text: string): string {
  return compactKey(text).replace(trailingSentencePunct, '');
}

function countCjk(text: string): number {
  return text.match(cjkChar)?.length ?? 0;
}

/** A paragraph of prose: the header (breadcrumbs, title, date line) ends at the first one. */
function isProse(line: string): boolean {
  if (line.length >= 20 && sentenceEnd.test(line)) return true;
  return line.length >= 150;
}

function inZone(where: LineZone, index: number, headerEnd: number, footerStart: number): boolean {
  switch (where) {
    case 'anywhere':
      return true;
    case 'header':
      return index < headerEnd;
    case 'footer':
      return index >= footerStart;
    case 'edges':
      return index < headerEnd || index >= footerStart;
  }
}

function classifyLine(bare: string, index: number, headerEnd: number, footerStart: number, rules: NoiseRules): string | null {
  if (bare === '') return 'marker';
  if (bare.length <= 20 && rules.uiPhrases.has(toUiKey(bare))) return 'ui-phrase';
  if (bare.length <= rules.metaLineMaxLength && rules.metaLine.test(bare)) return 'meta-line';
  for (const rule of rules.lineRules) {
    if (bare.length > rule.maxLength || !inZone(rule.where, index, headerEnd, footerStart)) continue;
    if (rule.regex.test(bare)) return rule.name;
  }
  return null;
}

function applyInlineRules(line: string, rules: NoiseRules): string {
  let out = line;
  for (const rule of rules.inlineRules) {
    rule.regex.lastIndex = 0;
    if (rule.regex.test(out)) {
      rule.regex.lastIndex = 0;
      out = out.replace(rule.regex, ' ');
    }
  }
  return out === line ? line : out.replace(/ {2,}/gu, ' ').trim();
}

function isMenuItem(line: LineInfo, maxLength: number): boolean {
  return line.noise === null && line.bare.length <= maxLength && !anyPunctuation.test(line.bare);
}

/** Marks runs of very short lines at the top (navigation menus) and bottom (tag lists). */
function markMenus(lines: LineInfo[], headerEnd: number, rules: NoiseRules): void {
  const { maxItemLength, minLeadingRun, minTrailingRun } = rules.menu;
  // Short boilerplate lines (column names, UI words) are menu items too: they
  // count towards a run; longer boilerplate between items does not break it.
  let run: number[] = [];
  let runLength = 0;
  const closeRun = (): void => {
    if (runLength >= minLeadingRun) for (const i of run) lines[i]!.noise = 'menu';
    run = [];
    runLength = 0;
  };
  for (let i = 0; i < headerEnd; i++) {
    const line = lines[i]!;
    if (line.noise !== null) {
      if (line.bare.length <= maxItemLength) runLength++;
    } else if (isMenuItem(line, maxItemLength)) {
      run.push(i);
      runLength++;
    } else {
      closeRun();
    }
  }
  closeRun();

  const tail: number[] = [];
  for (let i = lines.length - 1; i >= headerEnd; i--) {
    const line = lines[i]!;
    if (line.noise !== null) continue;
    if (!isMenuItem(line, maxItemLength)) break;
    tail.push(i);
  }
  if (tail.length >= minTrailingRun) for (const i of tail) lines[i]!.noise = 'tag-list';
}

/** `相关推荐` + a list of headlines up to the end: the whole tail goes; a marker followed by prose goes alone. */
function markTrailingLists(lines: LineInfo[], rules: NoiseRules): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.bare.length > 40) continue;
    const marker = rules.trailingListMarkers.find((m) => m.regex.test(line.bare));
    if (!marker) continue;
    let isList = true;
    for (let j = i + 1; j < lines.length && isList; j++) {
      const next = lines[j]!;
      if (next.noise === null && (next.bare.length > marker.maxItemLength || isProse(next.bare))) isList = false;
    }
    line.noise = marker.name;
    if (isList) {
      for (let j = i + 1; j < lines.length; j++) lines[j]!.noise ??= marker.name;
      return;
    }
  }
}

const sectionNumber = /^(?:[一二三四五六七八九十]+|\d+)[、.．]/u;
// 孟凡蒙 贾思远 聂雨晴: an author list, not a headline.
const nameList = /^[\u4e00-\u9fff·]{2,4}(?:\s+[\u4e00-\u9fff·]{2,4}){2,}$/u;
const subtitleStart = /^(?:——|—|--|－－)/u;
const bracketed = /^(?:[(（][^()（）]*[)）]|【[^【】]*】)$/u;

function isHeadlineLike(line: string, rules: NoiseRules): boolean {
  const { minLength, maxLength } = rules.title;
  if (line.length < minLength || line.length > maxLength) return false;
  if (countCjk(line) < 4) return false;
  if (/[。；，、：:,;]$/u.test(line)) return false;
  return !subtitleStart.test(line) && !bracketed.test(line) && !sectionNumber.test(line) && !nameList.test(line);
}

const metadataRules = new Set(['meta-line', 'date-time-stamp', 'date-only', 'byline']);

/**
 * The headline among the header lines: the last headline-like line before the
 * first metadata line (来源/发布时间 sit right under the title), otherwise the
 * longest headline-like line (site names and column names above it are short).
 */
function pickTitle(lines: LineInfo[], headerEnd: number, rules: NoiseRules): string {
  let lastCandidate: string | undefined;
  let longest: string | undefined;
  for (let i = 0; i < headerEnd; i++) {
    const line = lines[i]!;
    if (line.noise !== null && metadataRules.has(line.noise)) {
      if (lastCandidate !== undefined) return lastCandidate;
      continue;
    }
    if (line.noise !== null || !isHeadlineLike(line.bare, rules)) continue;
    lastCandidate = line.bare;
    if (longest === undefined || line.bare.length > longest.length) longest = line.bare;
  }
  return longest ?? '';
}

const minRepeatedParagraph = 10;

export interface BodyResult {
  title: string;
  body: string;
}

/**
 * Boilerplate, repeated paragraphs and title lines out of normalised text.
 * `givenTitle` (already normalised) wins over a title found in the text.
 */
export function extractBody(fullText: string, givenTitle = '', rules: NoiseRules = loadNoiseRules()): BodyResult {
  const lines: LineInfo[] = [];
  for (const raw of fullText.split('\n')) {
    const text = applyInlineRules(raw.trim(), rules);
    if (text === '') continue;
    lines.push({ text, bare: text.replace(leadingMarks, '').trim(), noise: null });
  }
  let headerEnd = lines.findIndex((line) => isProse(line.bare));
  if (headerEnd === -1) headerEnd = lines.length;
  // The footer is whatever follows the last paragraph of prose.
  let footerStart = lines.length;
  for (let i = lines.length - 1; i >= headerEnd; i--) {
    if (isProse(lines[i]!.bare)) {
      footerStart = i + 1;
      break;
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    line.noise = classifyLine(line.bare, i, headerEnd, footerStart, rules);
  }
  markTrailingLists(lines, rules);
  markMenus(lines, headerEnd, rules);

  const title = givenTitle !== '' ? givenTitle : pickTitle(lines, headerEnd, rules);
  const skipKey = title === '' ? undefined : titleKey(title);
  // Above the title there is only page chrome (site banners, slogans, menus).
  if (skipKey !== undefined) {
    const titleLine = lines.findIndex((line, i) => i < headerEnd && titleKey(line.text) === skipKey);
    for (let i = 0; i < titleLine; i++) lines[i]!.noise ??= 'above-title';
  }
  const seen = new Set<string>();
  const body: string[] = [];
  let previousKey = '';
  for (const line of lines) {
    if (line.noise !== null) continue;
    const key = compactKey(line.text);
    // A repeated paragraph goes wherever it is; a short line (a heading or a
    // brand name answering 一、品牌名称) only when it repeats the line before it.
    if (key === previousKey || (key.length >= minRepeatedParagraph && seen.has(key))) continue;
    seen.add(key);
    previousKey = key;
    if (skipKey !== undefined && titleKey(line.text) === skipKey) continue;
    body.push(line.text);
  }
  // "标题 正文……" on one line: the body must not start with the title.
  if (title !== '' && body[0]?.startsWith(`${title} `)) body[0] = body[0].slice(title.length).trim();
  return { title: title !== '' ? title : titleFromOpening(body, rules), body: body.join('\n') };
}

// 6月27日, 日前, 近日, 2021年11月10日下午: when the event happened, not what it was.
const openingTime =
  /^(?:本报讯(?:[(（][^()（）]{0,20}[)）])?\s*)?(?:(?:(?:(?:19|20)\d{2}年)?(?:\d{1,2}月)?\d{1,2}日(?:上午|下午|晚上?|晚间)?|日前|近日|近期|近来|今年以来|近年来)[,，、]\s*)?/u;
const clauseEnd = /[,，;；:：]/u;
/** A derived title is a headline, not a paragraph. */
const derivedTitleLength = 40;

/**
 * A page with no headline at all (a body straight from a feed): its opening
 * sentence, without the time it opens with, cut at a clause boundary to a
 * headline's length. Results otherwise show no title at all.
 */
function titleFromOpening(body: readonly string[], rules: NoiseRules): string {
  const first = body.find((line) => countCjk(line) >= 8 && !nameList.test(line) && !bracketed.test(line));
  if (first === undefined) return '';
  const sentence = (first.split(/[。！？!?]/u)[0] ?? '').replace(openingTime, '').trim();
  const minLength = rules.title.minLength;
  const maxLength = Math.min(rules.title.maxLength, derivedTitleLength);
  if (sentence.length <= maxLength) return sentence.length >= minLength ? sentence.replace(/[,，;；:：、]+$/u, '') : '';
  // The longest run of whole clauses that fits, else the first clause cut.
  let cut = -1;
  for (let i = 0; i < maxLength; i++) if (clauseEnd.test(sentence[i] as string) && i >= minLength) cut = i;
  return cut > 0 ? sentence.slice(0, cut) : `${sentence.slice(0, maxLength - 1)}…`;
}

// ---------------------------------------------------------------------------
// The step

function normaliseTitle(title: string | undefined): string {
  if (title === undefined) return '';
  return normaliseText(stripStrayMarkup(title)).replace(whitespace, ' ').trim();
}

/** The first part of "标题 - 网站名" / "标题_医院官网", kept only when the page text contains it. */
function titleFromPageTitle(pageTitle: string | undefined, text: string): string {
  if (pageTitle === undefined) return '';
  const first = pageTitle.split(/\s[-–—|]\s|_|\|/u)[0]?.trim() ?? '';
  return first !== '' && text.includes(first) ? first : '';
}

export function cleanArticle(raw: RawArticle): CleanedArticle {
  const rules = loadNoiseRules();
  let source: string;
  let htmlTitle = '';
  const html = raw.text === undefined || raw.text.trim() === '' ? raw.html : undefined;
  if (html !== undefined || (raw.text !== undefined && looksLikeHtmlDocument.test(raw.text))) {
    const page = htmlToText(html ?? raw.text ?? '');
    source = page.text;
    const headline = normaliseTitle(page.headline);
    htmlTitle = isHeadlineLike(headline, rules) ? headline : normaliseTitle(titleFromPageTitle(page.pageTitle, page.text));
  } else {
    source = stripStrayMarkup(raw.text ?? '');
    if (raw.format === 'md') source = stripMarkdown(source);
  }
  const { text: fullText, originalScript } = normaliseWithScript(source);
  const givenTitle = normaliseTitle(raw.title);
  const { title, body } = extractBody(fullText, givenTitle !== '' ? givenTitle : htmlTitle, rules);
  return { title, body, fullText, originalScript };
}
