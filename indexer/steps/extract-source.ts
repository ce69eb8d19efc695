/**
 * Source (the outlet or department the page credits, verbatim: 中国网, 党办,
 * 湖北省肿瘤医院 监审科) and authors (记者, 通讯员, 作者, 供稿, 摄影 …).
 *
 * Order of evidence: a labelled source (来源：…, 稿源, 当前报刊), a newspaper
 * credit (《人民日报》(2020年02月26日 02版)), an organisation on the date line
 * under the title (2024-03-13 09:50:21 中山一院), an outlet dateline
 * (佛山日报讯, 全程导医网讯, 鄂州日报全媒体记者…), the issuer signing a notice.
 * A trailing credit of a department and a person ((市肿瘤医院办公室)) is not a
 * source by the label convention.
 */
import { loadMetadataLabels } from '../../config/data.js';

export interface SourceExtraction {
  source: string | null;
  authors: string[];
}

const labels = loadMetadataLabels();
const byLength = (a: string, b: string): number => b.length - a.length;

const sourceLabel = new RegExp(`(?:${[...labels.sourceLabels].sort(byLength).join('|')})\\s*[:：]\\s*`, 'gu');
const stopLabel = new RegExp(`\\s*(?:${[...labels.stopLabels].sort(byLength).join('|')})\\s*[:：]`, 'u');
const placeholders = new Set(labels.sourcePlaceholders);
const placeholderOutlet = new RegExp(`^(?:${labels.placeholderOutlets.join('|')})`, 'u');
const outletSuffix = new RegExp(`(?:${[...labels.outletSuffixes].sort(byLength).join('|')})$`, 'u');
const organisationSuffix = new RegExp(`(?:${[...labels.organisationSuffixes].sort(byLength).join('|')})$`, 'u');
const dateTime = /^[(（]?\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}[日号]?\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*/u;
const newspaperCredit = /《\s*([^》]{2,12}?)\s*》\s*[(（]\s*(?:19|20)\d{2}\s*[-/.年]/u;
const dateline = /^[(（【]?([\u4e00-\u9fff]{2,12}?)(?:\/[\u4e00-\u9fff]{2,12})?(?:\s*\d{1,2}月\d{1,2}日)?(?:讯|电)(?:[:：(（\s]|$)/u;
const outletCredit = /^[(（]?([\u4e00-\u9fff]{2,12}?)(?:全媒体|融媒体)?(?:记者|通讯员)/u;
const dateOnlyLine = /^(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}[日号]?(?:\s|$|附件)/u;

const roleWords = [...labels.authorRoles].sort(byLength);
// One-character roles (文, 图) are everyday characters: they count only with a colon (文：向茂林).
const longRoles = roleWords.filter((r) => r.length > 1);
const shortRoles = roleWords.filter((r) => r.length === 1);
const authorRole = new RegExp(`(?:^|[\\s(（:：,，、□])(?:(${longRoles.join('|')})\\s*[:：]?|(${shortRoles.join('|')})\\s*[:：])\\s*`, 'gu');
const photoCredit = /([\u4e00-\u9fff]{2,3})\s?\/?\s?摄(?=$|[\s)）。])/gmu;
const nameToken = /^[\u4e00-\u9fff]{2,4}$/u;

/** A credit token that is an organisation (党办, 监审科, 东南网) rather than a person's name. */
function isOrganisation(token: string): boolean {
  return organisationSuffix.test(token) || outletSuffix.test(token) || token.length >= 5 || /[“"(（]/u.test(token);
}

function cleanSourceValue(raw: string): string | null {
  let value = raw.split('\n')[0] ?? '';
  const stop = stopLabel.exec(value);
  if (stop) value = value.slice(0, stop.index);
  value = value.replace(/[|｜].*$/u, '').replace(/\s{2,}.*$/u, '').trim();
  value = value.replace(/[,，。;；、]+$/u, '').trim();
  if (value === '') return null;
  // Keep organisation tokens; a person's name ends the source (党办室 赵雯 张宇 → 党办室).
  const tokens = value.split(/\s+/u);
  const kept: string[] = [];
  for (const t of tokens) {
    if (kept.length > 0 && !isOrganisation(t)) break;
    kept.push(t);
  }
  const result = kept.join(' ');
  if (placeholders.has(result) || result.length < 2 || /^\d/u.test(result)) return null;
  return result;
}

function labelledSource(text: string): string | null {
  for (const m of text.matchAll(sourceLabel)) {
    const value = cleanSourceValue(text.slice(m.index + m[0].length, m.index + m[0].length + 60));
    if (value) return value;
  }
  return null;
}

function dateLineOrganisation(lines: string[]): string | null {
  for (const line of lines.slice(0, 14)) {
    const m = dateTime.exec(line);
    if (!m || m[0].length === line.length) continue;
    const rest = line.slice(m[0].length).trim();
    const token = rest.split(/\s+/u)[0] ?? '';
    if (token.length >= 2 && nameToken.test(token) && isOrganisation(token) && !placeholders.has(token)) return token;
  }
  return null;
}

function outletLead(lines: string[]): string | null {
  for (const line of lines) {
    const m = dateline.exec(line) ?? outletCredit.exec(line);
    if (!m) continue;
    const outlet = m[1] as string;
    if (placeholderOutlet.test(outlet) || !outletSuffix.test(outlet)) continue;
    return outlet;
  }
  return null;
}

/** 中共金坛市卫生局委员会 金坛市卫生局 / 2014年3月5日: the issuer of a notice, above its date. */
function issuerSignature(lines: string[]): string | null {
  const nonEmpty = lines.filter((l) => l !== '');
  for (let i = nonEmpty.length - 1; i >= Math.max(1, nonEmpty.length - 4); i--) {
    if (!dateOnlyLine.test(nonEmpty[i] as string)) continue;
    const issuer = (nonEmpty[i - 1] as string).split(/\s+/u)[0] ?? '';
    if (issuer.length >= 4 && issuer.length <= 20 && nameToken.test(issuer.slice(0, 4)) && /(?:委员会|局|委|院|办公室|中心|部)$/u.test(issuer)) return issuer;
  }
  return null;
}

export function extractSourceName(fullText: string): string | null {
  const lines = fullText.split('\n').map((l) => l.trim());
  return (
    labelledSource(fullText) ??
    newspaperCredit.exec(fullText)?.[1]?.trim() ??
    dateLineOrganisation(lines) ??
    outletLead(lines) ??
    issuerSignature(lines)
  );
}

export function extractAuthors(fullText: string): string[] {
  const authors: string[] = [];
  const add = (name: string): void => {
    if (nameToken.test(name) && !isOrganisation(name) && !placeholders.has(name) && !roleWords.includes(name) && !authors.includes(name)) {
      authors.push(name);
    }
  };
  for (const m of fullText.matchAll(authorRole)) {
    // Names follow the role, separated by spaces or 、 (记者 匡奕君 卢成海 特约记者 杜川).
    const tail = fullText.slice(m.index + m[0].length, m.index + m[0].length + 40).split('\n')[0] ?? '';
    for (const token of tail.split(/[\s、,，;；]+/u)) {
      const name = token.replace(/[)）].*$/u, '');
      if (name === '' || new RegExp(`^(?:${roleWords.join('|')})`, 'u').test(name) || !nameToken.test(name)) break;
      add(name);
      if (token !== name) break;
    }
  }
  for (const m of fullText.matchAll(photoCredit)) add(m[1] as string);
  return authors;
}

export function extractSource(input: { fullText: string }): SourceExtraction {
  return { source: extractSourceName(input.fullText), authors: extractAuthors(input.fullText) };
}
