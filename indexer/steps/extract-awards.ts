/**
 * Honours awarded in an article: their names verbatim (after normalisation),
 * their types from the controlled vocabulary in config/data/awards.json and
 * the levels of the bodies that conferred them.
 *
 * Names come from quotes in an award context (荣获“全国文明单位”称号), from the
 * phrase after an award verb (被评为衡阳市卫生健康系统先进基层党支部), from
 * lists ending in 等荣誉, from the standard 两优一先 titles in a 表彰 sentence,
 * and from a title announcing results. Unquoted names lose the year and the
 * conferring body in front of them (北京市卫生局2010年度落实党建工作责任制优秀奖
 * → 落实党建工作责任制优秀奖); quoted ones are kept as written.
 *
 * A level comes from the name itself (全国…, 湖南省…, 全市…) or else from the
 * nearest cue before it in the sentence (省卫生健康委 … 先进集体, 院“先进党支部”).
 */
import { loadAwardVocabulary } from '../../config/data.js';
import type { AwardLevel } from '../../engine/document.js';
import { findPlaceMentions, type PlaceMention } from './extract-place.js';

export interface AwardExtraction {
  awardNames: string[];
  awardTypes: string[];
  awardLevels: AwardLevel[];
}

export interface AwardInput {
  title: string;
  body: string;
  /** The article's province (decides whether 全区 is a region or a district). */
  province?: string | null;
  /** Hospital names as written: the place in a hospital's name is not a level cue. */
  hospitalNames?: readonly string[];
  /** The article's 市 is a county-level city (金坛市), so 全市 honours are county level. */
  countyLevelCity?: boolean;
}

const vocab = loadAwardVocabulary();
const byLength = (a: string, b: string): number => b.length - a.length;
const alternation = (words: readonly string[]): string => [...words].sort(byLength).join('|');

const suffixAtEnd = new RegExp(`(?:${alternation(vocab.suffixes)})$`, 'u');
const qualifiedAtEnd = new RegExp(`(?:${alternation(vocab.qualifiedSuffixes)})$`, 'u');
const qualifier = new RegExp(alternation(vocab.qualifiers), 'u');
const honourPrefix = new RegExp(`^(?:${alternation(vocab.honourPrefixes)})`, 'u');
const follower = new RegExp(`^(?:${alternation(vocab.followers)})`, 'u');
const awardVerb = new RegExp(alternation(vocab.awardVerbs), 'gu');
const awardContext = new RegExp(alternation([...vocab.awardContext, ...vocab.awardVerbs.filter((v) => v.length >= 2)]), 'u');
const titleContext = new RegExp(alternation(vocab.titleAwardContext), 'u');
const standardHonour = new RegExp(alternation(vocab.standardHonours), 'gu');
// The conferring body in front of an unquoted honour, but not a 系统 scope that is part of it (衡阳市卫生健康系统…).
const bodyPrefix = new RegExp(`^[\\u4e00-\\u9fff]{0,10}?(?:${alternation(vocab.conferringBodies)})(?!系统)`, 'u');
const typePatterns = vocab.types.map((t) => ({ type: t.type, patterns: t.patterns }));
const democraticParty = new RegExp(alternation(vocab.democraticParties), 'u');
const countedHonour = new RegExp(
  `(?:${alternation([...vocab.suffixes, ...vocab.qualifiedSuffixes])})(?=\\s*(?:\\d+|[一二两三四五六七八九十]+)\\s*[个名家项])`,
  'gu',
);

const quoted = /[“"「『]([^“”"「」『』\n]{2,30})[”"」』]|‘([^‘’“”\n]{2,30})’/gu;
const docTitle = /《[^《》\n]{1,80}》/gu;
const sentenceBreak = /[。！？!?；;\n]/u;
const pieceBreak = /[、]|(?:以及|和|及|与)(?=[\u4e00-\u9fff“"])/u;
const leadingYear = /^(?:(?:19|20)\d{2}(?:\s*[-—–~至]\s*(?:19|20)?\d{2,4})?\s*年?度?|第[一二三四五六七八九十百\d]+[届批次期]|首批|首届|本届|年度)/u;
const innerYear = /(?:19|20)\d{2}(?:\s*[-—–~至]\s*(?:19|20)?\d{2,4})?年度?/u;
const trailingNoise = /(?:等荣誉称号|等荣誉|等称号|等奖项|荣誉称号|光荣称号|称号|荣誉|等)$/u;
const spanEnd = /[，,。；;！？!?\n“”"「」(（：:|的]/u;
const countAfter = /^\s*(?:\d+|[一二两三四五六七八九十]+)\s*[个名家项]/u;
const awardVerbJustBefore = new RegExp(`(?:${alternation(vocab.awardVerbs)})\\s?$`, 'u');
const grantingDocTitle = /表彰|表扬|授予|命名|评选|通报/u;
const fixedLevels = new Map(Object.entries(vocab.fixedLevels));
const strongQualifier = new RegExp(alternation(vocab.strongQualifiers), 'u');
const leadingVerbs = /^.*(?:评选出|评出|选出|评选|命名|授予|表彰|获得|获评|荣获|当选|入选)/u;

function isHonour(name: string): boolean {
  if (name.length < 3 || name.length > 30) return false;
  if (suffixAtEnd.test(name)) return true;
  return qualifiedAtEnd.test(name) && qualifier.test(name);
}

/** Strip what precedes an unquoted honour: years, editions, the conferring body. */
function trimUnquoted(raw: string): string {
  let name = raw.trim().replace(trailingNoise, '');
  const verb = leadingVerbs.exec(name);
  if (verb && name.length - verb[0].length >= 4) name = name.slice(verb[0].length);
  name = name.replace(/^(?:了|为|予|给|是|的|共)/u, '');
  for (let i = 0; i < 3; i++) {
    const before = name;
    name = name.replace(leadingYear, '');
    const body = bodyPrefix.exec(name);
    if (body && name.length - body[0].length >= 4) name = name.slice(body[0].length);
    const year = innerYear.exec(name);
    if (year && year.index > 0 && name.length - (year.index + year[0].length) >= 4) name = name.slice(year.index + year[0].length);
    if (name === before) break;
  }
  return name.trim();
}

interface Found {
  name: string;
  start: number;
  end: number;
}

interface Sentence {
  start: number;
  end: number;
}

function sentenceOf(text: string, index: number): Sentence {
  let start = index;
  while (start > 0 && !sentenceBreak.test(text[start - 1] as string)) start--;
  let end = index;
  while (end < text.length && !sentenceBreak.test(text[end] as string)) end++;
  return { start, end };
}

function insideAny(spans: readonly { start: number; end: number }[], start: number, end: number): boolean {
  return spans.some((s) => start >= s.start && end <= s.end);
}

function findNames(text: string, titleLength: number): Found[] {
  const found: Found[] = [];
  const docTitles = [...text.matchAll(docTitle)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const standardSet = new Set(vocab.standardHonours);
  const push = (f: Found): void => {
    if (democraticParty.test(f.name)) return;
    if (!found.some((g) => g.start === f.start && g.name === f.name)) found.push(f);
  };

  // Quoted honours: shaped like one (…标杆党支部, 优秀…), followed by 称号, or
  // right after an award verb or another honour (被评为“文明家庭”“文明职工”).
  let previousEnd = -10;
  for (const m of text.matchAll(quoted)) {
    const name = (m[1] ?? m[2] ?? '').trim();
    const start = m.index;
    const end = start + m[0].length;
    const docTitle = docTitles.find((d) => start >= d.start && end <= d.end);
    const followed = follower.test(text.slice(end, end + 6));
    const chained = start - previousEnd <= 1 || /^[、和及与]$/u.test(text.slice(previousEnd, start));
    const afterVerb = awardVerbJustBefore.test(text.slice(Math.max(0, start - 5), start));
    const sentence = sentenceOf(text, start);
    const inContext = awardContext.test(text.slice(sentence.start, sentence.end));
    let ok: boolean;
    if (docTitle) {
      // Inside 《关于表彰…的决定》 only honours, and only in a document that grants them.
      ok = (isHonour(name) || honourPrefix.test(name) || standardSet.has(name)) && grantingDocTitle.test(text.slice(docTitle.start, docTitle.end));
    } else {
      const shaped = isHonour(name) || (honourPrefix.test(name) && name.length >= 3);
      ok = followed || (shaped && (inContext || afterVerb || chained || strongQualifier.test(name)));
    }
    if (!ok || name.length < 2) continue;
    previousEnd = end;
    push({ name, start: start + 1, end: end - 1 });
  }
  const quotedSpans = found.map((f) => ({ start: f.start - 1, end: f.end + 1 }));

  // The phrase after an award verb, split into its list items.
  for (const m of text.matchAll(awardVerb)) {
    const from = m.index + m[0].length;
    let to = from;
    while (to < text.length && to - from < 60 && !spanEnd.test(text[to] as string)) to++;
    const span = text.slice(from, to);
    // A later verb in the same span governs what follows it (获卫生局党委授予先进基层党组织称号).
    const inner = [...span.matchAll(awardVerb)].pop();
    const tail = inner && inner.index > 0 ? span.slice(inner.index + inner[0].length) : span;
    const tailStart = to - tail.length;
    let offset = tailStart;
    for (const piece of tail.split(pieceBreak)) {
      const name = trimUnquoted(piece);
      const pieceStart = offset;
      offset += piece.length + 1;
      if (!isHonour(name) || insideAny(quotedSpans, pieceStart, pieceStart + piece.length)) continue;
      push({ name, start: pieceStart + piece.lastIndexOf(name), end: pieceStart + piece.length });
    }
  }

  // Lists closed by 等荣誉 / 等称号: 和2018-2019年度四川省青年文明号等荣誉.
  for (const m of text.matchAll(/等(?:荣誉称号|荣誉|称号|奖项|表彰)/gu)) {
    let from = m.index;
    while (from > 0 && m.index - from < 40 && !/[，,。；;！？!?\n“”"(（：:]/u.test(text[from - 1] as string)) from--;
    let offset = from;
    for (const piece of text.slice(from, m.index).split(pieceBreak)) {
      const name = trimUnquoted(piece);
      const pieceStart = offset;
      offset += piece.length + 1;
      if (!isHonour(name) || insideAny(quotedSpans, pieceStart, pieceStart + piece.length)) continue;
      push({ name, start: pieceStart + piece.lastIndexOf(name), end: pieceStart + piece.length });
    }
  }

  // Counted honours: 成功创建自治区卫生健康委五星级公立医院党支部1个、四星级公立医院党支部2个.
  for (const suffixMatch of text.matchAll(countedHonour)) {
    const end = suffixMatch.index + suffixMatch[0].length;
    if (!countAfter.test(text.slice(end, end + 6))) continue;
    let from = end;
    while (from > 0 && end - from < 30 && !/[，,。；;！？!?\n“”"(（：:、的]/u.test(text[from - 1] as string) && !/\d/u.test(text[from - 1] as string)) from--;
    const name = trimUnquoted(text.slice(from, end));
    if (!isHonour(name) || found.some((f) => end > f.start && end <= f.end + 1)) continue;
    push({ name, start: end - name.length, end });
  }

  // Standard 两优一先 titles listed in a 表彰 sentence.
  for (const m of text.matchAll(standardHonour)) {
    const start = m.index;
    const end = start + m[0].length;
    if (found.some((f) => start >= f.start - 1 && end <= f.end + 1)) continue;
    if (democraticParty.test(text.slice(Math.max(0, start - 12), start))) continue;
    const sentence = sentenceOf(text, start);
    if (!awardContext.test(text.slice(sentence.start, sentence.end))) continue;
    push({ name: m[0], start, end });
  }

  // A title announcing results: 关于2024公立医院党建业务融合典型案例评审结果的通知.
  const title = text.slice(0, titleLength);
  if (titleContext.test(title)) {
    for (const suffix of vocab.suffixes) {
      const at = title.indexOf(suffix);
      if (at < 0 || found.some((f) => f.start < titleLength && at >= f.start && at < f.end)) continue;
      let from = at;
      while (from > 0 && /[\u4e00-\u9fff]/u.test(title[from - 1] as string) && !/[的为获评于在关暨会和与及]/u.test(title[from - 1] as string)) from--;
      const name = trimUnquoted(title.slice(from, at + suffix.length));
      if (isHonour(name) && name.length >= 6) push({ name, start: at + suffix.length - name.length, end: at + suffix.length });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

// --- Levels ----------------------------------------------------------------------

const levelWords: { level: AwardLevel; word: string }[] = [];
for (const level of ['national', 'provincial', 'municipal', 'county', 'internal'] as const) {
  for (const word of vocab.levelCues[level]) levelWords.push({ level, word });
}
levelWords.sort((a, b) => b.word.length - a.word.length);
const levelWordPattern = new RegExp(levelWords.map((w) => w.word).join('|'), 'gu');
const levelOfWord = new Map(levelWords.map((w) => [w.word, w.level]));
const notNational = /中国共产党|中共|中国特色/u;
const university = /[\u4e00-\u9fff]{2,8}?(?:医科大学|中医药大学|医学院|大学)/gu;
const autonomousRegions = new Set(['广西', '宁夏', '新疆', '西藏', '内蒙古']);
// What may precede a one-character cue (获评院“先进党支部”, 获市…): not 医 of 医院.
const weakCueBefore = /^$|[评获授经由被为、，,。：:\s“"]$/u;
// A cue followed by a receiving verb names the recipient, not the conferrer (我院获评…, 医院党委被授予…).
const recipientAfter = /^[^，。；,;]{0,6}?(?:再获|喜获|荣获|获评|获得|获授|获|被评|被授予|被命名|入选|当选|成功创建)/u;
// A cue right after a conferring verb is its object, the recipient (授予我院党委…, 表彰我院为…).
const conferredTo = /(?:授予|表彰|命名|评为|确定为?|推荐|表扬|认定)了?$/u;
const municipalWords = new Set(vocab.levelCues.municipal);

interface Cue {
  level: AwardLevel;
  start: number;
  end: number;
}

interface CueOptions {
  province: string | null | undefined;
  /** The article's 市 is a county-level city (金坛市): 全市 honours are county level. */
  countyLevelCity: boolean;
}

function placeLevel(m: PlaceMention): AwardLevel | null {
  const unit = m.units[0];
  if (!unit) return null;
  if (unit.level === 'province') return 'provincial';
  // A municipality is province level (北京市卫生局 → provincial).
  if (unit.level === 'city') return unit.city === unit.province ? 'provincial' : 'municipal';
  return 'county';
}

function collectCues(text: string, options: CueOptions, masks: readonly { start: number; end: number }[]): Cue[] {
  const cues: Cue[] = [];
  const masked = [...masks];
  // 对X…予以表彰 and 四川省广元市妇幼保健院报送的… name recipients, not conferrers.
  const isRecipient = (end: number, start = end): boolean =>
    recipientAfter.test(text.slice(end, end + 10)) ||
    /对$/u.test(text.slice(Math.max(0, start - 1), start)) ||
    // …but a scope word there is the honour's scope (评为全市“先进基层党组织”).
    (conferredTo.test(text.slice(Math.max(0, start - 6), start)) && text[start] !== '全') ||
    masks.some((s) => s.start === end);
  for (const m of text.matchAll(university)) {
    masked.push({ start: m.index, end: m.index + m[0].length });
    if (!isRecipient(m.index + m[0].length, m.index)) cues.push({ level: 'internal', start: m.index, end: m.index + m[0].length });
  }
  const isMasked = (i: number): boolean => masked.some((s) => i >= s.start && i < s.end);
  const placeSpans: { start: number; end: number }[] = [];
  for (const m of findPlaceMentions(text)) {
    // A bare two-character county name is as likely part of a person's name (朱新民).
    if (isMasked(m.start) || !m.explicit) continue;
    placeSpans.push({ start: m.start, end: m.end });
    const level = placeLevel(m);
    if (level && !isRecipient(m.end, m.start)) cues.push({ level, start: m.start, end: m.end });
  }
  const overlapsPlace = (start: number, end: number): boolean => placeSpans.some((p) => start < p.end && end > p.start);
  for (const m of text.matchAll(levelWordPattern)) {
    const start = m.index;
    const end = start + m[0].length;
    if (isMasked(start) || overlapsPlace(start, end) || isRecipient(end, start)) continue;
    if (m[0].length === 1 && !weakCueBefore.test(text.slice(Math.max(0, start - 1), start))) continue;
    if (m[0] === '中央' && notNational.test(text.slice(Math.max(0, start - 4), end + 4))) continue;
    let level = levelOfWord.get(m[0]) as AwardLevel;
    if (level === 'municipal' && options.countyLevelCity && municipalWords.has(m[0])) level = 'county';
    cues.push({ level, start, end });
  }
  for (const m of text.matchAll(/自治区|全区/gu)) {
    const end = m.index + m[0].length;
    if (isMasked(m.index) || overlapsPlace(m.index, end) || isRecipient(end, m.index)) continue;
    const regional = m[0] === '自治区' || (options.province !== null && options.province !== undefined && autonomousRegions.has(options.province));
    cues.push({ level: regional ? 'provincial' : 'county', start: m.index, end });
  }
  return cues.sort((a, b) => a.end - b.end);
}

/** The level a name states itself: 全国…, 湖南省…, 衡阳市…, 全市…, 院… at its start. */
function levelFromName(name: string, options: CueOptions): AwardLevel | null {
  const fixed = fixedLevels.get(name);
  if (fixed) return fixed;
  const offset = /^(?:(?:19|20)\d{2}\s*年?度?)?/u.exec(name)?.[0].length ?? 0;
  const cue = collectCues(name, options, []).find((c) => c.start === offset);
  return cue?.level ?? null;
}

function levelFromContext(f: Found, cues: Cue[], sentence: Sentence): AwardLevel | null {
  let best: Cue | null = null;
  for (const c of cues) {
    if (c.end > f.start) break;
    if (c.end < sentence.start && f.start - c.end > 150) continue;
    best = c;
  }
  return best?.level ?? null;
}

function spansOf(text: string, names: readonly string[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const name of names) {
    if (name.length < 3) continue;
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) spans.push({ start: at, end: at + name.length });
  }
  return spans;
}

export function extractAwards(input: AwardInput): AwardExtraction {
  const text = `${input.title}\n${input.body}`;
  const found = findNames(text, input.title.length);
  const names: string[] = [];
  for (const f of found) if (!names.includes(f.name)) names.push(f.name);

  const types: string[] = [];
  for (const name of names) {
    for (const t of typePatterns) if (!types.includes(t.type) && t.patterns.some((p) => name.includes(p))) types.push(t.type);
  }

  const levels = new Set<AwardLevel>();
  for (const own of levelsByName(text, input, found, names).values()) for (const l of own) levels.add(l);
  const order: AwardLevel[] = ['national', 'provincial', 'municipal', 'county', 'internal'];
  return { awardNames: names, awardTypes: types, awardLevels: order.filter((l) => levels.has(l)) };
}

function levelsByName(text: string, input: AwardInput, found: Found[], names: string[]): Map<string, Set<AwardLevel>> {
  const out = new Map<string, Set<AwardLevel>>();
  if (found.length === 0) return out;
  const options: CueOptions = { province: input.province, countyLevelCity: input.countyLevelCity ?? false };
  const cues = collectCues(text, options, spansOf(text, input.hospitalNames ?? []));
  // Without any cue near a name, the first conferring body the article names decides.
  const documentCue = cues.find((c) => c.start > input.title.length);
  for (const name of names) {
    const own = new Set<AwardLevel>();
    for (const f of found) {
      if (f.name !== name) continue;
      const level = levelFromName(f.name, options) ?? levelFromContext(f, cues, sentenceOf(text, f.start));
      if (level) own.add(level);
    }
    if (own.size === 0 && documentCue) own.add(documentCue.level);
    out.set(name, own);
  }
  return out;
}
