/**
 * Hospitals an article is about: canonical full names from the table in
 * config/data/hospitals.json, plus names recognised by their shape when the
 * table does not know them (place + type: 六盘水市人民医院; university +
 * affiliation: 福建医科大学附属第二医院; relative forms resolved with the
 * article's own place: 市人民医院 in a text about 金坛市).
 *
 * The hospital the article is about is the one it mentions most, weighted by
 * the title, by position and by its Party organisation acting (中共…医院委员会);
 * employers of visitors (…医院院长张某一行来我院), partners (我院与某医院) and
 * aid destinations count less, and a hospital in the province the text talks
 * about wins a tie against a cooperation partner elsewhere.
 */
import { loadHospitalPatterns, loadHospitals, type HospitalEntry } from '../../config/data.js';
import { findPlaceMentions, lookupPlace, PlaceScanner, placeOfPrefix, regionAtStart, type HospitalPlace, type PlaceMention, type PlaceUnit } from './extract-place.js';
import { PhraseMatcher } from './phrase-matcher.js';

export interface HospitalMention {
  /** Canonical full name. */
  name: string;
  /** As written in the text. */
  written: string;
  start: number;
  end: number;
  place: HospitalPlace | null;
}

export interface HospitalExtraction {
  hospital: string | null;
  hospitals: string[];
  hospitalAliases: string[];
  /** Other hospitals about as prominent as the main one (a list of winners): the article has no single city. */
  peers: string[];
  /** Where the main hospital is, when known. */
  place: HospitalPlace | null;
  /** Every accepted mention (also used to strip hospital names off branch names). */
  mentions: HospitalMention[];
  /** The text searched: the input without lines repeating the title. */
  text: string;
  /** Place names in `${title}\n${text}`, for the place step to reuse. */
  places: PlaceMention[];
}

type TableKind = 'name' | 'alias' | 'context';

interface TableHit {
  entry: HospitalEntry;
  kind: TableKind;
}

const patterns = loadHospitalPatterns();
const table = loadHospitals();

const tableMatcher = new PhraseMatcher<TableHit>();
const byKey = new Map<string, HospitalEntry>();

const abbreviationPattern = new RegExp(Object.keys(patterns.abbreviations).join('|'), 'gu');
/** Comparison key: 中医医院 and 中医院, 妇保院 and 妇幼保健院 meet. */
function keyOf(name: string): string {
  return name.replace(abbreviationPattern, (m) => patterns.abbreviations[m] ?? m);
}

for (const entry of table) {
  tableMatcher.add(entry.name, { entry, kind: 'name' });
  byKey.set(keyOf(entry.name), entry);
  for (const alias of entry.aliases) {
    tableMatcher.add(alias, { entry, kind: 'alias' });
    if (!byKey.has(keyOf(alias))) byKey.set(keyOf(alias), entry);
  }
  for (const alias of entry.contextAliases) tableMatcher.add(alias, { entry, kind: 'context' });
}

function placeOfEntry(entry: HospitalEntry): HospitalPlace {
  return { province: entry.province, city: entry.city, county: entry.county };
}

/** A hospital name (canonical or alias, as given by an API client) → its table entry or itself. */
export function canonicaliseHospital(name: string): { name: string; place: HospitalPlace | null } {
  const trimmed = name.trim();
  const hits = tableMatcher.get(trimmed)?.filter((h) => h.kind !== 'context') ?? [];
  const entry = hits[0]?.entry ?? byKey.get(keyOf(trimmed));
  if (entry) return { name: entry.name, place: placeOfEntry(entry) };
  const generic = parseGenericName(trimmed, 0, trimmed.length - suffixAt(trimmed));
  return { name: generic?.official ?? trimmed, place: generic?.place ?? placeOfPrefix(trimmed) };
}

function suffixAt(name: string): number {
  for (const s of patterns.suffixes) if (name.endsWith(s)) return s.length;
  return 0;
}

// --- Generic recognition -------------------------------------------------------

const suffixPattern = new RegExp(
  [...patterns.suffixes].sort((a, b) => b.length - a.length).join('|'),
  'gu',
);
// Characters that cannot be inside a hospital name: punctuation and function
// words or verbs that end the noun phrase to the left of 医院.
const stopChars = new Set(
  [...'的了在与及或并为是到赴对向由将把被从于之也都而等让给跟经据以如请获评授派往去至又还即就已我该本其这那各每共率带携约近今昨称任兼'],
);
const runChar = /[\u3400-\u9fff0-9]/u;
// 全市医院, 县区人民医院, 城市医院: a marker glued to these is not a relative hospital name.
const nonRelativeBefore = new Set([...'全城省市县区乡镇村州地各本']);
const genericWordPattern = new RegExp(patterns.genericWords.join('|'), 'u');
const universityPattern = /^([\u4e00-\u9fff]{2,12}?(?:医科大学|中医药大学|医药大学|医学院|大学))/u;
const affiliationPattern = /^(?:(?:医学院|医学部)?附属)?(?:第[一二三四五六七八九十\d]{1,3}(?:附属|临床)?)?([\u4e00-\u9fff]{0,6})$/u;
const suffixAnchored = new RegExp(`^(?:${[...patterns.suffixes].sort((a, b) => b.length - a.length).join('|')})`, 'u');
const enterprisePattern = new RegExp(`([\\u4e00-\\u9fff]{2}(?:${patterns.enterpriseMarkers.join('|')}))$`, 'u');
const townPattern = /([\u4e00-\u9fff]{1,5}?(?:镇|乡|街道))(中心)?$/u;
// Between a place and 卫生院 / 社区卫生服务中心: a town or street (孔村镇中心, 湖南路街道).
const townMiddle = /^[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)(?:中心)?$/u;
const multiCharGeneric = patterns.genericWords.filter((w) => w.length >= 2);
const campaignWords = new Set(patterns.campaignWords);
/** 乡镇, 城镇, 各街道: kinds of place, not a town's name. */
function isTownName(town: string): boolean {
  const stem = town.replace(/(?:镇|乡|街道)$/u, '');
  return stem.length >= 1 && !multiCharGeneric.some((w) => town.includes(w)) && !/^[乡镇村城各全本该]$/u.test(stem);
}
const townSuffixes = new Set(['卫生院', '社区卫生服务中心']);
const universityShortForm = /医大([一二三四五六七八九])院/gu;
// A hospital group: 宁波市第一医院集团, 江苏省人民医院医疗集团.
const groupAfter = /^(?:医疗)?集团/u;

interface GenericParse {
  /** The name with official place names (六盘水市人民医院, 新疆维吾尔自治区人民医院) and abbreviations expanded. */
  official: string;
  /** The name as the text wrote it, minus a leading province before a city (四川省广元市… → 广元市…). */
  written: string;
  start: number;
  place: HospitalPlace | null;
  relative: null | { marker: '省' | '市' | '县' | '区'; rest: string };
}

// What may stand between a bare county name and the suffix: a type, not a brand
// (姜堰中医院 yes; 南溪山医院 is not a hospital of 南溪区).
const typeMiddle = /^(?:第[一二三四五六七八九十\d]{1,3})?(?:人民|中医|中西医结合|中心|妇幼|妇女儿童|儿童|肿瘤|精神病|精神卫生|传染病|胸科|口腔|眼科|骨科|康复|中|第[一二三四五六七八九十\d]{1,3}人民)?$/u;
const ordinalDigits = /^第\d{1,3}/u;

function expandAbbreviations(name: string): string {
  return name.replace(abbreviationPattern, (m) => (m === '妇保院' ? (patterns.abbreviations[m] ?? m) : m));
}

function middleIsValid(middle: string): boolean {
  if (middle.length > 8) return false;
  // 平安医院, 全省清廉医院: a campaign, not a hospital.
  if (campaignWords.has(middle)) return false;
  if (middle !== '' && genericWordPattern.test(middle)) return false;
  if (/\d/u.test(middle) && !ordinalDigits.test(middle.slice(middle.indexOf('第')))) return false;
  return true;
}

function rank(u: PlaceUnit): number {
  return u.level === 'province' ? 0 : u.level === 'city' ? 1 : 2;
}

/** Consecutive place names from `start` up to `end`, each inside the previous one (广西壮族自治区 then not 南溪, a county in Sichuan). */
function placeChain(scanner: PlaceScanner, start: number, end: number): PlaceMention[] {
  const chain: PlaceMention[] = [];
  let pos = start;
  while (pos < end) {
    const m = scanner.at(pos);
    if (!m || m.end > end) break;
    const prev = chain[chain.length - 1];
    if (prev) {
      const inside = m.units.some((u) => prev.units.some((p) => u.province === p.province && (p.level === 'province' || u.city === p.city)));
      if (!inside) break;
    }
    chain.push(m);
    pos = m.end;
  }
  return chain;
}

function officialPrefix(links: PlaceMention[]): string {
  if (links.length !== 1) return links.map((m) => m.text).join('');
  const m = links[0] as PlaceMention;
  const unit = [...m.units].sort((a, b) => rank(a) - rank(b))[0] as PlaceUnit;
  // Short and variant forms become the official name (六盘水 → 六盘水市, 新疆自治区 →
  // 新疆维吾尔自治区) unless a county was written with another suffix (金坛市, now 金坛区).
  if (unit.level !== 'county' || m.text === unit.short) return unit.name;
  return m.text;
}

/**
 * Parse the run of name characters `text[runStart, suffixStart)` followed by a
 * hospital suffix into a hospital name, trying the leftmost start that gives
 * a well-formed name.
 */
function parseGenericName(text: string, runStart: number, suffixStart: number, scanner = new PlaceScanner(text)): GenericParse | null {
  const suffixMatch = suffixAnchored.exec(text.slice(suffixStart, suffixStart + 10));
  if (!suffixMatch) return null;
  const suffix = suffixMatch[0];
  const run = text.slice(runStart, suffixStart);

  for (let s = 0; s < run.length; s++) {
    const rest = run.slice(s);
    // University hospitals: 福建医科大学附属第二医院, 北京大学第三医院, 中山大学孙逸仙纪念医院.
    const uni = universityPattern.exec(rest);
    if (uni && (s === 0 || scanner.at(runStart + s) !== null)) {
      const affiliation = rest.slice((uni[1] as string).length);
      const aff = affiliationPattern.exec(affiliation);
      const brand = aff?.[1] ?? '';
      if (aff && !genericWordPattern.test(brand) && !/[和与及]/u.test(brand) && !(affiliation === '' && suffix === '医院')) {
        const name = `${rest}${suffix}`;
        // 南京医科大学附属苏州市立医院 is in 苏州: a place written in full in the brand wins over the university's city.
        const brandPlace = findPlaceMentions(brand).some((m) => m.explicit) ? placeOfPrefix(brand) : null;
        return { official: name, written: name, start: runStart + s, place: brandPlace ?? placeOfPrefix(uni[1] as string), relative: null };
      }
    }
    if (suffix === '临床医学院') continue;
    // Place + type: 蒙阴县人民医院, 泰州市姜堰中医院, 广西壮族自治区南溪山医院.
    const chain = placeChain(scanner, runStart + s, suffixStart);
    if (chain.length > 0) {
      const last = chain[chain.length - 1] as PlaceMention;
      const middle = text.slice(last.end, suffixStart);
      const lastUnit = last.units[0] as PlaceUnit;
      const withSuffix = last.explicit && last.text !== lastUnit.short;
      // A bare 医院 needs a city or county written with its suffix (赤峰市医院) or a
      // municipality (天津医院); 中山医院 and 贵州省医院党建工作指导委员会 are not names.
      const bareOk = middle !== '' || suffix !== '医院' || (withSuffix && lastUnit.level !== 'province') || (chain.length === 1 && lastUnit.level === 'province' && last.text === lastUnit.short);
      const isTown = townSuffixes.has(suffix) && townMiddle.test(middle) && isTownName(middle.replace(/中心$/u, ''));
      const countyOk = last.explicit || typeMiddle.test(middle) || isTown;
      if ((middleIsValid(middle) || isTown) && bareOk && countyOk) {
        // 四川省广元市妇幼保健院 is 广元市妇幼保健院: a province before a city adds nothing.
        let links = chain;
        while (links.length > 1 && (links[0] as PlaceMention).units.every((u) => u.level === 'province')) links = links.slice(1);
        const place = placeOfPrefix(chain.map((m) => m.text).join(''));
        const writtenPrefix = links.map((m) => m.text).join('');
        return {
          official: expandAbbreviations(`${officialPrefix(links)}${middle}${suffix}`),
          written: `${writtenPrefix}${middle}${suffix}`,
          start: runStart + s,
          place,
          relative: null,
        };
      }
    }
    // A regional name and no place: 浙东医院, 鲁西医院, 粤北人民医院.
    const region = chain.length === 0 ? regionAtStart(rest) : null;
    if (region?.province && suffix !== '临床医学院') {
      const middle = rest.slice(region.name.length);
      if (middleIsValid(middle) && typeMiddle.test(middle) && !campaignWords.has(rest)) {
        const name = `${rest}${suffix}`;
        return { official: name, written: name, start: runStart + s, place: { province: region.province, city: null, county: null }, relative: null };
      }
    }
    // Relative forms: 市人民医院, 县中医院, 省妇幼保健院, 区人民医院, 市五院.
    if (s === 0 || !nonRelativeBefore.has(run[s - 1] as string)) {
      const rel = /^([省市县区])([\u4e00-\u9fff0-9]{0,8})$/u.exec(rest);
      if (rel && middleIsValid(rel[2] as string) && !(rel[2] === '' && suffix === '医院')) {
        const name = `${rest}${suffix}`;
        return {
          official: name,
          written: name,
          start: runStart + s,
          place: null,
          relative: { marker: rel[1] as '省' | '市' | '县' | '区', rest: `${rel[2] as string}${suffix}` },
        };
      }
    }
  }
  // Enterprise hospitals: 湖光农场医院, 某某油田医院.
  const ent = enterprisePattern.exec(run);
  if (ent && suffix !== '临床医学院') {
    const name = `${ent[1] as string}${suffix}`;
    return { official: name, written: name, start: suffixStart - (ent[1] as string).length, place: null, relative: null };
  }
  // Township health centres and community health service centres: 鸡场坪镇卫生院,
  // 孔村镇中心卫生院, 湖南路街道社区卫生服务中心; and 方山卫生院 when 方山镇 is named.
  if (townSuffixes.has(suffix)) {
    const town = townPattern.exec(run);
    if (town && (town[1] as string).length >= 2 && isTownName(town[1] as string)) {
      const written = `${town[1] as string}${town[2] ?? ''}`;
      const name = `${written}${suffix}`;
      return { official: name, written: name, start: suffixStart - written.length, place: null, relative: null };
    }
  }
  if (suffix === '卫生院') {
    const stem = /([\u4e00-\u9fff]{2,3})$/u.exec(run)?.[1];
    if (stem && !genericWordPattern.test(stem) && new RegExp(`${stem}[镇乡]`, 'u').test(text)) {
      const name = `${stem}${suffix}`;
      return { official: name, written: name, start: suffixStart - stem.length, place: null, relative: null };
    }
  }
  return null;
}

/**
 * A university and 附属 right before a table hospital (…医科大学附属 + 苏州市立医院):
 * the full name, parsed like any university hospital.
 */
function universityAffiliated(text: string, runStart: number, hitStart: number, hitEnd: number, scanner: PlaceScanner): GenericParse | null {
  if (runStart >= hitStart || !/附属(?:第[一二三四五六七八九十\d]{1,3})?$/u.test(text.slice(Math.max(runStart, hitStart - 8), hitStart))) return null;
  const suffix = suffixAt(text.slice(hitStart, hitEnd));
  if (suffix === 0) return null;
  const parse = parseGenericName(text, runStart, hitEnd - suffix, scanner);
  return parse && parse.start < hitStart && universityPattern.test(parse.official) ? parse : null;
}

// --- Extraction ------------------------------------------------------------------

interface RawMention {
  name: string;
  written: string;
  start: number;
  end: number;
  place: HospitalPlace | null;
  entry: HospitalEntry | null;
  kind: TableKind | 'generic' | 'relative' | 'brand' | 'declared';
}

const roleAfter = new RegExp(`^(?:${patterns.roleTitles.join('|')})`, 'u');
const visitorCue = /莅临|蒞臨|来我院|来院|到我院|一行|出席|参加|参会|与会/u;
const hostCue = /陪同/u;

function sentenceAround(text: string, index: number): string {
  let start = index;
  while (start > 0 && !/[。！？!?\n]/u.test(text[start - 1] as string)) start--;
  let end = index;
  while (end < text.length && !/[。！？!?\n]/u.test(text[end] as string)) end++;
  return text.slice(start, end);
}

const partnerBefore = /(?:与|和|同|携手|联合|赴|走进|到|来到)$/u;
const travelBefore = /(?:援|驰援|支援|赴|前往|奔赴|来到|到达|走进|到|参观|观摩|帮扶|对口|与|同|联合|携手)$/u;
const aliasDeclaration = new RegExp(
  `^[(（]?(?:${patterns.aliasDeclarations.join('|')})[:：]?[“"‘]([^”"’]{2,12})[”"’]`,
  'u',
);

function lookupTable(name: string): HospitalEntry | null {
  const hits = tableMatcher.get(name)?.filter((h) => h.kind !== 'context');
  return hits?.[0]?.entry ?? byKey.get(keyOf(name)) ?? null;
}

function isInside(spans: readonly { start: number; end: number }[], index: number): boolean {
  for (const s of spans) if (index >= s.start && index < s.end) return true;
  return false;
}

/**
 * Resolve 市人民医院 with the article's own place: the most mentioned unit
 * written with the same marker (金坛市, 沙坪坝区), or for 省 the most
 * mentioned province.
 */
function resolveRelative(marker: '省' | '市' | '县' | '区', rest: string, places: PlaceMention[]): { name: string; place: HospitalPlace | null } | null {
  const counts = new Map<string, { count: number; prefix: string }>();
  for (const m of places) {
    for (const u of m.units) {
      let prefix: string | null = null;
      if (marker === '省' && u.level === 'province' && u.name.endsWith('省')) prefix = u.name.slice(0, -1);
      if (marker === '市' && u.level === 'city' && u.name.endsWith('市')) prefix = u.short;
      if (marker === '市' && u.level === 'county' && m.text.endsWith('市')) prefix = m.text.slice(0, -1);
      if ((marker === '县' || marker === '区') && u.level === 'county' && m.text.endsWith(marker)) prefix = m.text.slice(0, -1);
      if (prefix === null) continue;
      const c = counts.get(prefix) ?? { count: 0, prefix };
      c.count++;
      counts.set(prefix, c);
      break;
    }
  }
  const best = [...counts.values()].sort((a, b) => b.count - a.count)[0];
  if (!best) return null;
  const name = `${best.prefix}${marker}${rest}`;
  const entry = lookupTable(name);
  if (entry) return { name: entry.name, place: placeOfEntry(entry) };
  return { name: name.replace(/妇保院$/u, '妇幼保健院'), place: placeOfPrefix(`${best.prefix}${marker}`) };
}

export function extractHospitals(input: { title: string; text: string }): HospitalExtraction {
  const title = input.title;
  // The title repeated as a line of the page would count twice.
  const text = title === '' ? input.text : input.text.split('\n').filter((line) => line.trim() !== title).join('\n');
  const haystack = `${title}\n${text}`;
  const scanner = new PlaceScanner(haystack);
  const places = scanner.mentions();

  const runStartBefore = (index: number, spans: readonly { start: number; end: number }[]): number => {
    let runStart = index;
    while (runStart > 0 && index - runStart < 24) {
      const ch = haystack[runStart - 1] as string;
      if (!runChar.test(ch) || stopChars.has(ch) || isInside(spans, runStart - 1)) break;
      runStart--;
    }
    return runStart;
  };

  // 1. Table names and aliases; context aliases wait for their context.
  const tableHits = tableMatcher.findAll(haystack);
  const accepted: RawMention[] = [];
  const pendingContext: { start: number; end: number; written: string; hits: TableHit[] }[] = [];
  for (const m of tableHits) {
    const direct = m.values.filter((h) => h.kind !== 'context');
    const first = direct[0];
    if (first) {
      const group = groupAfter.exec(haystack.slice(m.end, m.end + 4));
      if (group) {
        const name = `${first.entry.name}${group[0]}`;
        accepted.push({ name, written: `${m.phrase}${group[0]}`, start: m.start, end: m.end + group[0].length, place: placeOfEntry(first.entry), entry: null, kind: 'generic' });
        continue;
      }
      // 南京医科大学附属苏州市立医院 is that hospital's full name, not 苏州市立医院 in a sentence.
      const affiliated = universityAffiliated(haystack, runStartBefore(m.start, accepted), m.start, m.end, scanner);
      if (affiliated) {
        const entry = lookupTable(affiliated.official);
        accepted.push({ name: entry?.name ?? affiliated.official, written: haystack.slice(affiliated.start, m.end), start: affiliated.start, end: m.end, place: entry ? placeOfEntry(entry) : placeOfEntry(first.entry), entry: entry ?? first.entry, kind: 'generic' });
        continue;
      }
      accepted.push({ name: first.entry.name, written: m.phrase, start: m.start, end: m.end, place: placeOfEntry(first.entry), entry: first.entry, kind: first.kind });
    } else {
      pendingContext.push({ start: m.start, end: m.end, written: m.phrase, hits: m.values });
    }
  }

  // 2. Names recognised by shape, outside the table matches.
  const relatives: { parse: GenericParse; end: number }[] = [];
  const unknownByOfficial = new Map<string, { mention: RawMention; written: string }[]>();
  for (const sm of haystack.matchAll(suffixPattern)) {
    const suffixStart = sm.index;
    if (isInside(accepted, suffixStart)) continue;
    const runStart = runStartBefore(suffixStart, accepted);
    const parse = parseGenericName(haystack, runStart, suffixStart, scanner);
    if (!parse) continue;
    let end = suffixStart + sm[0].length;
    const group = groupAfter.exec(haystack.slice(end, end + 4));
    if (group && !parse.relative) {
      parse.official += group[0];
      parse.written += group[0];
      end += group[0].length;
    }
    if (parse.relative) {
      relatives.push({ parse, end });
      continue;
    }
    const entry = lookupTable(parse.official) ?? lookupTable(parse.written);
    const mention: RawMention = {
      name: entry?.name ?? parse.official,
      written: haystack.slice(parse.start, end),
      start: parse.start,
      end,
      place: entry ? placeOfEntry(entry) : parse.place,
      entry,
      kind: 'generic',
    };
    accepted.push(mention);
    if (!entry) {
      const group = unknownByOfficial.get(parse.official) ?? [];
      group.push({ mention, written: parse.written });
      unknownByOfficial.set(parse.official, group);
    }
  }
  // A name the table does not know keeps the form the text uses (北京天坛医院,
  // 三亚中心医院), upgraded to the official place name only when the text
  // writes that form too (六盘水市人民医院 beside 六盘水人民医院).
  for (const [official, group] of unknownByOfficial) {
    if (group.some((g) => g.written === official)) continue;
    const name = expandAbbreviations((group[0] as { written: string }).written);
    for (const g of group) g.mention.name = name;
  }

  // The short name of a university-affiliated hospital found in full (苏州市立医院
  // beside 南京医科大学附属苏州市立医院) is that hospital.
  for (const full of new Set(accepted.map((m) => m.name))) {
    const uni = universityPattern.exec(full);
    if (!uni) continue;
    const tail = full.slice((uni[1] as string).length).replace(/^(?:(?:医学院|医学部)?附属)/u, '');
    if (tail.length < 4) continue;
    for (const m of accepted) if (m.name === tail || m.written === tail) m.name = full;
  }

  for (const { parse, end } of relatives) {
    if (!parse.relative) continue;
    const resolved = resolveRelative(parse.relative.marker, parse.relative.rest, places);
    if (!resolved) continue;
    accepted.push({
      name: resolved.name,
      written: haystack.slice(parse.start, end),
      start: parse.start,
      end,
      place: resolved.place,
      entry: lookupTable(resolved.name),
      kind: 'relative',
    });
  }

  // 2b. A medical university's numbered hospital by its short form, after a
  // place: 河北医大二院 → 河北医科大学第二医院.
  for (const m of haystack.matchAll(universityShortForm)) {
    const place = [3, 2].map((n) => haystack.slice(Math.max(0, m.index - n), m.index)).find((p) => p.length >= 2 && lookupPlace(p).some((u) => u.level !== 'county'));
    if (place === undefined || isInside(accepted, m.index - place.length)) continue;
    const official = `${place}医科大学第${m[1] as string}医院`;
    const entry = lookupTable(official);
    const start = m.index - place.length;
    const end = m.index + m[0].length;
    accepted.push({ name: entry?.name ?? official, written: haystack.slice(start, end), start, end, place: entry ? placeOfEntry(entry) : placeOfPrefix(place), entry, kind: 'generic' });
  }

  // 3. Context aliases count when their hospital or its city is named.
  const found = new Set(accepted.map((m) => m.name));
  for (const p of pendingContext) {
    const hit = p.hits.find((h) => found.has(h.entry.name) || (h.entry.city !== null && haystack.includes(h.entry.city)));
    if (!hit) continue;
    accepted.push({ name: hit.entry.name, written: p.written, start: p.start, end: p.end, place: placeOfEntry(hit.entry), entry: hit.entry, kind: 'context' });
  }

  // 4. Aliases the text declares: 中山大学孙逸仙纪念医院(简称“中大附一院”).
  const declared = new Map<string, RawMention>();
  for (const m of accepted) {
    const decl = aliasDeclaration.exec(haystack.slice(m.end, m.end + 24));
    if (decl) declared.set(decl[1] as string, m);
  }
  for (const [alias, owner] of declared) {
    let from = 0;
    for (;;) {
      const at = haystack.indexOf(alias, from);
      if (at < 0) break;
      from = at + alias.length;
      if (isInside(accepted, at)) continue;
      accepted.push({ ...owner, written: alias, start: at, end: at + alias.length, kind: 'declared' });
    }
  }

  // 5. Brand-only short forms of a hospital already found: 湖光医院 for 湖光农场医院.
  const names = [...new Set(accepted.map((m) => m.name))];
  for (const sm of haystack.matchAll(/([\u4e00-\u9fff]{2,4})医院/gu)) {
    const suffixAt = sm.index + (sm[1] as string).length;
    if (isInside(accepted, suffixAt)) continue;
    // The shortest brand right before 医院 that names a hospital already found (给初春的湖光医院 → 湖光).
    for (let len = 2; len <= (sm[1] as string).length; len++) {
      const brand = haystack.slice(suffixAt - len, suffixAt);
      if (genericWordPattern.test(brand)) break;
      const owner = names.find((n) => n !== `${brand}医院` && n.endsWith('医院') && n.includes(brand) && n.indexOf(brand) + brand.length < n.length - 2);
      if (!owner) continue;
      const ref = accepted.find((m) => m.name === owner) as RawMention;
      accepted.push({ ...ref, written: `${brand}医院`, start: suffixAt - len, end: suffixAt + 2, kind: 'brand' });
      break;
    }
  }

  accepted.sort((a, b) => a.start - b.start);
  return { ...selectHospitals(accepted, title.length, haystack, places), text, places };
}

function selectHospitals(
  mentions: RawMention[],
  titleLength: number,
  haystack: string,
  places: PlaceMention[],
): Omit<HospitalExtraction, 'text' | 'places'> {
  const firstPerson = /我院|本院/u.test(haystack);
  // count: mentions not discounted as a trip, a partner or a visitor's employer.
  const score = new Map<string, { score: number; evidence: number; count: number; first: number; inTitle: boolean; place: HospitalPlace | null }>();
  const length = Math.max(haystack.length, 1);
  for (const m of mentions) {
    let w = 1;
    const inTitle = m.start < titleLength;
    const before = haystack.slice(Math.max(0, m.start - 4), m.start);
    // 我院与某医院… in a title: the other hospital is a partner, not the subject.
    if (inTitle && !(partnerBefore.test(before) && /我院|本院/u.test(haystack.slice(0, titleLength)))) w += 2;
    const after = haystack.slice(m.end, m.end + 6);
    if (travelBefore.test(before)) w *= 0.5;
    // The employer of a visitor or guest (…医院院长张某一行来我院, …医院党委书记张某出席)
    // in a text about 我院; a host's staff (…陪同) are not penalised.
    if (firstPerson && !inTitle && roleAfter.test(after)) {
      const sentence = sentenceAround(haystack, m.start);
      if (visitorCue.test(sentence) && !hostCue.test(sentence)) w *= 0.4;
    }
    const s = score.get(m.name) ?? { score: 0, evidence: 0, count: 0, first: m.start, inTitle: false, place: m.place };
    s.score += w;
    if (w >= 1) s.count++;
    s.inTitle ||= inTitle;
    s.place ??= m.place;
    score.set(m.name, s);
  }
  // The province the text itself talks about (outside hospital names): its own
  // hospital is there, a partner named for a cooperation usually is not.
  const ownProvince = dominantProvince(places, mentions, haystack);
  for (const [name, s] of score) {
    // Where the text starts is usually what it is about.
    if (s.first / length < 0.15) s.score += 0.5;
    // The hospital whose Party organisation acts (中共…医院委员会, …医院党委) is the subject.
    if (mentions.some((m) => m.name === name && partyOrganAround(haystack, m))) s.score += 0.5;
    // Evidence decides whether there is a main hospital at all; the province only breaks ties.
    s.evidence = s.score;
    if (ownProvince !== null && s.place?.province === ownProvince) s.score += 1;
  }
  const ranked = [...score.entries()].sort((a, b) => b[1].score - a[1].score || a[1].first - b[1].first);
  const top = ranked[0];
  const minimum = 1;
  if (!top || top[1].evidence < minimum) {
    return { hospital: null, hospitals: [], peers: [], hospitalAliases: [], place: null, mentions: toMentions(mentions) };
  }
  const hospitals = ranked
    .filter(([, s], i) => i === 0 || s.inTitle || s.score >= Math.max(2, top[1].score * 0.5))
    .map(([name]) => name);
  // Hospitals about as prominent as the main one: a list of peers (award winners).
  const peers = ranked
    .slice(1)
    .filter(([, s]) => s.count >= 2 && s.evidence >= Math.max(1.5, top[1].evidence * 0.75))
    .map(([name]) => name);
  const chosen = new Set(hospitals);
  const aliases = new Set<string>();
  for (const m of mentions) {
    if (chosen.has(m.name) && m.written !== m.name && !chosen.has(m.written)) aliases.add(m.written);
  }
  return {
    hospital: top[0],
    hospitals,
    peers,
    hospitalAliases: [...aliases],
    place: top[1].place,
    mentions: toMentions(mentions),
  };
}

const partyOrganBefore = /中共$/u;
// …医院党委召开… is the organisation acting; …医院党委书记张某 is a person's title.
const partyOrganAfter = /^[\u4e00-\u9fff]{0,8}?(?:党委|委员会|党总支|支部委员会)(?!副?书记|委员|常委|办公室主任)/u;

function partyOrganAround(text: string, m: RawMention): boolean {
  return partyOrganBefore.test(text.slice(Math.max(0, m.start - 2), m.start)) || partyOrganAfter.test(text.slice(m.end, m.end + 12));
}

function dominantProvince(places: PlaceMention[], mentions: RawMention[], text: string): string | null {
  const counts = new Map<string, number>();
  for (const p of places) {
    // 驰援湖北, 奔赴武汉: where the staff went, not where the hospital is.
    if (isInside(mentions, p.start) || travelBefore.test(text.slice(Math.max(0, p.start - 4), p.start))) continue;
    const unit = p.units[0];
    if (!unit || p.units.some((u) => u.province !== unit.province)) continue;
    counts.set(unit.province, (counts.get(unit.province) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const first = ranked[0];
  if (!first || first[1] < 2 || (ranked[1] && ranked[1][1] * 2 > first[1])) return null;
  return first[0];
}

function toMentions(mentions: RawMention[]): HospitalMention[] {
  return mentions.map((m) => ({ name: m.name, written: m.written, start: m.start, end: m.end, place: m.place }));
}
