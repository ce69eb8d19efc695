/**
 * Publication date and year.
 *
 * `publishedAt` is set only when the page shows a full publication date: a
 * labelled one (发布时间：2024-06-28 08:57:04), a date line under the title
 * (2024-03-13 09:50:21 中山一院), a newspaper credit (《人民日报》(2020年02月26日
 * 02版)), the signature date closing a notice, a dated URL (/2024/0628/…), and
 * as a last resort the date of the neighbouring article in the footer
 * (上一篇 2023年9月14日). Dates of events in the body are not publication
 * dates, nor is an e-paper reader's "today" (2026-01-15 星期四).
 *
 * `year` is the publication year (`yearSource: published`), else the year of
 * the main event (`inferred`): a date opening the article, an anniversary
 * (建党98周年 → 2019, 新中国成立70周年 → 2019, 建院60周年 with the founding year
 * in the text), an upcoming congress or plenum (迎接党的十九大 → 2017), the
 * year of an event or honour (召开2023年度党建工作会议, 获评2024年…), and as a
 * last resort a dated campaign.
 */
import { loadMetadataLabels, loadPartyCalendar } from '../../config/data.js';
import type { YearSource } from '../../engine/document.js';

export interface DateExtraction {
  publishedAt: string | null;
  year: number | null;
  yearSource: YearSource | null;
}

export interface DateInput {
  title: string;
  body: string;
  fullText: string;
  url: string | null;
}

const labels = loadMetadataLabels();
const calendar = loadPartyCalendar();

const datePart = String.raw`((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*[日号])?`;
const fullDate = new RegExp(`(?<!\\d)${datePart}(?!\\d)`, 'gu');
// Separators lost in scraping: 20211229日.
const garbledDate = /(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})日/gu;
const sortedDateLabels = [...labels.dateLabels].sort((a, b) => b.length - a.length);
const labelledDate = new RegExp(`(?:${sortedDateLabels.join('|')})\\s*[:：]?\\s*${datePart}(?!\\d)`, 'gu');
const newspaperCredit = new RegExp(`《\\s*[^》]{2,12}\\s*》\\s*[(（]\\s*${datePart}`, 'u');
const weekday = /^[\s\n]{0,3}(?:星期|周|礼拜)[一二三四五六日天]/u;
const readerChrome = /(?:今天是|今日|当前日期|现在时间)[:：\s]*$/u;
const timeOfDay = /\d{1,2}:\d{2}/u;
const creditWords = /来源|作者|编辑|发布|阅读|浏览|点击|责任|记者|通讯员/u;
const neighbourLine = /^(?:上一篇|下一篇|上一条|下一条|上篇|下篇)/u;

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function toIso(y: string, m: string, d: string): string | null {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1949 || year > 2100) return null;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** `2024/7/2`, `2024年07月02日 09:45`, `2024-07-02T…` → `2024-07-02`; null when not a full date. */
export function parseDate(value: string): string | null {
  fullDate.lastIndex = 0;
  const m = fullDate.exec(value);
  fullDate.lastIndex = 0;
  if (!m) return null;
  return toIso(m[1] as string, m[2] as string, m[3] as string);
}

function isChrome(text: string, start: number, end: number): boolean {
  return weekday.test(text.slice(end, end + 8)) || readerChrome.test(text.slice(Math.max(0, start - 8), start));
}

function firstLabelledDate(text: string): string | null {
  for (const m of text.matchAll(labelledDate)) {
    if (isChrome(text, m.index, m.index + m[0].length)) continue;
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (neighbourLine.test(text.slice(lineStart, m.index))) continue;
    const iso = toIso(m[1] as string, m[2] as string, m[3] as string);
    if (iso) return iso;
  }
  return null;
}

/** A short line near the top that carries a date: under the title, with a time, a source or an author. */
function dateLineNearTop(lines: string[]): string | null {
  let seen = 0;
  for (const line of lines) {
    if (line === '') continue;
    if (++seen > 14) break;
    if (line.length > 70 || neighbourLine.test(line)) continue;
    for (const m of line.matchAll(fullDate)) {
      if (isChrome(line, m.index, m.index + m[0].length) || weekday.test(lines[lines.indexOf(line) + 1] ?? '')) continue;
      const after = line.slice(m.index + m[0].length);
      // A date opening the line is a dateline when nothing narrative follows it
      // (2021-07-01 / 2024-03-13 09:50:21 中山一院), not 2018年1月25日上午，我院… nor a bare
      // number that may be a view counter (2024-10-16 501).
      const leading =
        (m.index <= 1 || /^[\s(（[【]*$/u.test(line.slice(0, m.index))) && /^(?:$|\s*[)）]|\s+(?!\d+$)\S)/u.test(after);
      if (leading || timeOfDay.test(after.slice(0, 10)) || creditWords.test(line)) {
        const iso = toIso(m[1] as string, m[2] as string, m[3] as string);
        if (iso) return iso;
      }
    }
  }
  return null;
}

/** The date closing a notice: a line that is only a date among the last lines. */
function signatureDate(lines: string[]): string | null {
  const tail = lines.filter((l) => l !== '').slice(-4);
  for (const line of tail.reverse()) {
    if (neighbourLine.test(line)) continue;
    const m = new RegExp(`^${datePart}(?:\\s|$|附件)`, 'u').exec(line);
    if (m && line.length <= 24) {
      const iso = toIso(m[1] as string, m[2] as string, m[3] as string);
      if (iso) return iso;
    }
  }
  return null;
}

function neighbourDate(lines: string[]): string | null {
  for (const line of lines) {
    if (!neighbourLine.test(line)) continue;
    const iso = parseDate(line);
    if (iso) return iso;
  }
  return null;
}

const urlFullDate = /\/((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?=[/_.-]|$)/u;
const urlYear = /\/((?:19|20)\d{2})(?:[-/_]|$)/u;

function urlPath(url: string | null): string {
  if (url === null) return '';
  const m = /^[a-z]+:\/\/[^/]+(\/[^?#]*)/iu.exec(url);
  return m ? (m[1] as string) : '';
}

export function extractPublishedAt(input: DateInput): string | null {
  const text = input.fullText;
  const lines = text.split('\n').map((l) => l.trim());
  const labelled = firstLabelledDate(text);
  if (labelled) return labelled;
  const credit = newspaperCredit.exec(text);
  if (credit) {
    const iso = toIso(credit[1] as string, credit[2] as string, credit[3] as string);
    if (iso) return iso;
  }
  const top = dateLineNearTop(lines);
  if (top) return top;
  const signed = signatureDate(lines);
  if (signed) return signed;
  const fromUrl = urlFullDate.exec(urlPath(input.url));
  if (fromUrl) {
    const iso = toIso(fromUrl[1] as string, fromUrl[2] as string, fromUrl[3] as string);
    if (iso) return iso;
  }
  return neighbourDate(lines);
}

// --- Year of the main event --------------------------------------------------------

const numerals: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 九十八 → 98, 一百零三 → 103, 百 → 100, 103 → 103. */
export function parseChineseNumber(text: string): number | null {
  if (/^\d+$/u.test(text)) return Number(text);
  let total = 0;
  let current = 0;
  for (const ch of text) {
    if (ch in numerals) current = numerals[ch] as number;
    else if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else return null;
  }
  return total + current;
}

const anniversary = /(?:建党|中国共产党成立|党的|中国共产党诞辰)\s*([0-9]{2,3}|[一二三四五六七八九十百零两]{1,6})\s*(?:周年|岁生日|华诞|岁)/gu;
const centenary = /建党百年|党的百年华诞|中国共产党百年华诞|建党一百年/u;
const congressNames = Object.keys(calendar.congresses).sort((a, b) => b.length - a.length);
const plenumNames = Object.keys(calendar.plenums).sort((a, b) => b.length - a.length);
const congressPattern = new RegExp(`(?:党的)?(${[...plenumNames, ...congressNames].join('|')})`, 'gu');
const upcomingBefore = new RegExp(`(?:${calendar.upcomingCues.join('|')})[^，。,;；]{0,6}$`, 'u');
const upcomingAfter = new RegExp(`^[^，。,;；]{0,4}(?:${calendar.upcomingCues.join('|')})`, 'u');
const campaigns = calendar.campaigns.map((c) => ({ pattern: new RegExp(c.pattern, 'u'), year: c.year }));
const openingYear = /(?<!\d)((?:19|20)\d{2})年(?=[,，、是初底末]|以来|开局|伊始|之初|上半年|下半年|年会|工作会议|度?工作总结)/gu;
// 2022年11月，浙江省卫健委印发… opening the article dates its event.
const openingMonth = /^[^。！？!?\n]{0,3}((?:19|20)\d{2})年\d{1,2}月/u;

const count = '([0-9]{1,3}|[一二三四五六七八九十百零两]{1,6})';
const eventAnniversaries = calendar.anniversaries.map((a) => ({
  pattern: new RegExp(`(?:${a.pattern})\\s*${count}\\s*(?:周年|华诞)`, 'gu'),
  year: a.year,
}));
// The hospital's own: 始建于1958年 … 建院65周年.
const foundedIn = /(?:始建于|创建于|创办于|始创于|成立于|建于|组建于|诞生于)\s*((?:18|19|20)\d{2})年/u;
const ownAnniversary = new RegExp(`(?:建院|成立|建科|院庆|创建|创院|办院|建所)\\s*${count}\\s*周年`, 'gu');

function anniversaryYear(text: string): number | null {
  if (centenary.test(text)) return calendar.partyFoundingYear + 100;
  for (const m of text.matchAll(anniversary)) {
    const n = parseChineseNumber(m[1] as string);
    if (n !== null && n >= 50 && n <= 130) return calendar.partyFoundingYear + n;
  }
  for (const a of eventAnniversaries) {
    for (const m of text.matchAll(a.pattern)) {
      const n = parseChineseNumber(m[1] as string);
      if (n !== null && n >= 1 && a.year + n <= 2100) return a.year + n;
    }
  }
  const founded = foundedIn.exec(text);
  if (founded) {
    for (const m of text.matchAll(ownAnniversary)) {
      const n = parseChineseNumber(m[1] as string);
      if (n !== null && n >= 1 && n <= 200) return Number(founded[1]) + n;
    }
  }
  return null;
}

// The year an event or honour is for: 召开2023年度党建工作会议, 获评2024年…,
// 2019年度先进基层党组织. A year before the verb (2004年荣膺…) is history, not this.
const honourVerbYear = /(?:获评|荣获|获得|获授|被评为|被授予|评为|授予|入选|荣膺|表彰|召开|举行|举办|开展|启动|印发|公布|发布|揭晓)[“"‘]?\s*((?:19|20)\d{2})\s*年/gu;
const yearOfRecord = /(?<!\d)((?:19|20)\d{2})\s*年度/gu;

function eventYear(text: string): number | null {
  let best: number | null = null;
  for (const pattern of [honourVerbYear, yearOfRecord]) {
    for (const m of text.matchAll(pattern)) best = Math.max(best ?? 0, Number(m[1]));
  }
  return best;
}

function congressYear(text: string): number | null {
  for (const m of text.matchAll(congressPattern)) {
    const name = m[1] as string;
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 10);
    if (upcomingBefore.test(before) || upcomingAfter.test(after)) {
      return calendar.plenums[name] ?? calendar.congresses[name] ?? null;
    }
  }
  return null;
}

/** The date of the event an article opens with: 2021年11月10日下午, or 2022年11月 starting it. */
function openingEventDate(body: string): number | null {
  const head = body.slice(0, 150);
  let best: number | null = null;
  for (const m of head.matchAll(fullDate)) {
    if (isChrome(head, m.index, m.index + m[0].length)) continue;
    if (toIso(m[1] as string, m[2] as string, m[3] as string)) best = Math.max(best ?? 0, Number(m[1]));
  }
  for (const m of head.matchAll(garbledDate)) {
    if (toIso(m[1] as string, m[2] as string, m[3] as string)) best = Math.max(best ?? 0, Number(m[1]));
  }
  const month = openingMonth.exec(body);
  if (month) best = Math.max(best ?? 0, Number(month[1]));
  return best;
}

/** A year the opening speaks of: 2008年，…, 2024年开局之时, 2017年年会. */
function openingYearOnly(body: string): number | null {
  let best: number | null = null;
  for (const m of body.slice(0, 150).matchAll(openingYear)) best = Math.max(best ?? 0, Number(m[1]));
  return best;
}

export function extractYear(input: DateInput, publishedAt: string | null): { year: number | null; yearSource: YearSource | null } {
  if (publishedAt) return { year: Number(publishedAt.slice(0, 4)), yearSource: 'published' };
  const path = urlPath(input.url);
  const fromUrl = urlYear.exec(path) ?? urlFullDate.exec(path);
  if (fromUrl) return { year: Number(fromUrl[1]), yearSource: 'published' };
  const inferred = inferYear(input);
  return { year: inferred, yearSource: inferred === null ? null : 'inferred' };
}

function inferYear(input: DateInput): number | null {
  const text = `${input.title}\n${input.body}`;
  // A title repeated as the first line is not the opening; a title taken from the
  // opening sentence (clean.ts, for pages without one) is part of it.
  const body = input.title !== '' && input.body.startsWith(`${input.title}\n`) ? input.body.slice(input.title.length + 1) : input.body;
  // Most specific first: a dated opening event, then Party anniversaries and
  // congresses (建党98周年 is a year even when 2018年度 awards are handed out), then
  // a year the opening speaks of, then the campaigns an article takes part in.
  const opening = openingEventDate(body);
  if (opening) return opening;
  const anniversaryBased = anniversaryYear(text);
  if (anniversaryBased) return anniversaryBased;
  const congress = congressYear(text);
  if (congress) return congress;
  const event = eventYear(text);
  if (event) return event;
  const openingYearBased = openingYearOnly(body);
  if (openingYearBased) return openingYearBased;
  for (const c of campaigns) if (c.pattern.test(text)) return c.year;
  return null;
}

export function extractDates(input: DateInput, givenPublishedAt?: string): DateExtraction {
  const given = givenPublishedAt ? parseDate(givenPublishedAt) : null;
  const publishedAt = given ?? extractPublishedAt(input);
  return { publishedAt, ...extractYear(input, publishedAt) };
}
