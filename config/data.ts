/**
 * Domain knowledge kept as data: loaded once, validated with zod, so a typo in
 * a JSON file fails loudly at start-up instead of silently matching nothing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');

const hospitalSchema = z.object({
  name: z.string().min(2),
  aliases: z.array(z.string().min(2)).default([]),
  /** Aliases too ambiguous to count unless the city/canonical name is also in the text. */
  contextAliases: z.array(z.string().min(2)).default([]),
  province: z.string().min(2),
  city: z.string().nullable().default(null),
  county: z.string().nullable().default(null),
});
export type HospitalEntry = z.infer<typeof hospitalSchema>;

const hospitalsFileSchema = z.object({ hospitals: z.array(hospitalSchema) });
const synonymsFileSchema = z.object({
  groups: z.array(z.array(z.string().min(1)).min(2)),
  /** One-way: a query for `term` also finds the narrower or related forms, not the reverse. */
  oneWay: z.array(z.object({ term: z.string().min(1), alsoMatches: z.array(z.string().min(1)).min(1) })).default([]),
});
export type OneWaySynonym = z.infer<typeof synonymsFileSchema>['oneWay'][number];

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(dataDir, file), 'utf8'));
}

function readWordList(file: string): string[] {
  return readFileSync(join(dataDir, file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function parse<T>(file: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(readJson(file));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`config/data/${file} is invalid: ${problems}`);
  }
  return result.data;
}

let hospitals: HospitalEntry[] | undefined;
let leftOut: ReadonlySet<string> | undefined;

/**
 * Generalisation runs (`npm run eval`'s leave-out): every hospital whose name
 * or alias is in `names` is dropped from the table, and those names from the
 * place supplement, as if config/data had never heard of them. Must run
 * before anything loads the table (the extractors load it on import).
 */
export function leaveOutHospitals(names: Iterable<string>): void {
  if (hospitals || places) throw new Error('leaveOutHospitals() must run before the hospital table and place supplement are loaded');
  leftOut = new Set(names);
}

export function loadHospitals(): HospitalEntry[] {
  if (hospitals) return hospitals;
  const all = parse('hospitals.json', hospitalsFileSchema).hospitals;
  const out = leftOut;
  hospitals = out ? all.filter((h) => ![h.name, ...h.aliases, ...h.contextAliases].some((n) => out.has(n))) : all;
  return hospitals;
}

let synonyms: string[][] | undefined;
/** The shipped groups, then the run-time ones (setAnalysisOverrides). */
export function loadSynonymGroups(): string[][] {
  synonyms ??= parse('synonyms.json', synonymsFileSchema).groups;
  return overrides.synonyms.groups.length > 0 ? [...synonyms, ...overrides.synonyms.groups] : synonyms;
}

let oneWay: OneWaySynonym[] | undefined;
export function loadOneWaySynonyms(): OneWaySynonym[] {
  oneWay ??= parse('synonyms.json', synonymsFileSchema).oneWay;
  return overrides.synonyms.oneWay.length > 0 ? [...oneWay, ...overrides.synonyms.oneWay] : oneWay;
}

let dictionary: string[] | undefined;
/** Words (first column of dictionary.txt), then the run-time ones. */
export function loadDictionaryWords(): string[] {
  dictionary ??= readWordList('dictionary.txt').map((line) => line.split(/\s+/u)[0] ?? line);
  return overrides.dictionary.length > 0 ? [...dictionary, ...overrides.dictionary.map((e) => e.word)] : dictionary;
}

/** The shipped synonyms and dictionary alone, without run-time additions. */
export function loadShippedAnalysisData(): { synonyms: SynonymsFile; dictionary: string[] } {
  const file = parse('synonyms.json', synonymsFileSchema);
  dictionary ??= readWordList('dictionary.txt').map((line) => line.split(/\s+/u)[0] ?? line);
  return { synonyms: { groups: file.groups, oneWay: file.oneWay }, dictionary };
}

// --- Run-time additions (DATA_DIR/analysis, edited through the admin API) ---
// Kept apart from the shipped files, which stay the defaults; the loaders above
// return the shipped entries followed by these.

export { synonymsFileSchema };
export type SynonymsFile = z.infer<typeof synonymsFileSchema>;

/** A jieba user word: frequency (how strongly it stays whole) and part of speech are optional. */
export const dictionaryEntrySchema = z.strictObject({
  word: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[^\s#]+$/u, 'must be one word without spaces or #'),
  frequency: z.number().int().min(1).max(10_000_000).optional(),
  tag: z
    .string()
    .regex(/^[A-Za-z]{1,8}$/u, 'must be a part-of-speech tag such as n, nz, v')
    .optional(),
});
export type DictionaryEntry = z.infer<typeof dictionaryEntrySchema>;

export interface AnalysisOverrides {
  synonyms: SynonymsFile;
  dictionary: DictionaryEntry[];
}

export const emptyAnalysisOverrides: AnalysisOverrides = { synonyms: { groups: [], oneWay: [] }, dictionary: [] };

let overrides: AnalysisOverrides = emptyAnalysisOverrides;

/** Replace the run-time additions; callers then reload what derives from them (segmenter, expansions). */
export function setAnalysisOverrides(next: AnalysisOverrides): void {
  overrides = next;
}

export function getAnalysisOverrides(): AnalysisOverrides {
  return overrides;
}

/** dictionary.txt lines: `word [frequency] [tag]`, `#` comments. */
export function parseDictionaryText(text: string): DictionaryEntry[] {
  const out: DictionaryEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const [word = '', second, third] = line.split(/\s+/u);
    const entry: DictionaryEntry = { word };
    if (second !== undefined && /^\d+$/u.test(second)) {
      entry.frequency = Number(second);
      if (third !== undefined) entry.tag = third;
    } else if (second !== undefined) {
      entry.tag = second;
    }
    out.push(entry);
  }
  return out;
}

export function formatDictionaryText(entries: readonly DictionaryEntry[]): string {
  const header = '# Domain words for jieba, one per line: word [frequency] [tag].\n';
  return header + entries.map((e) => [e.word, e.frequency, e.tag].filter((v) => v !== undefined).join(' ')).join('\n') + (entries.length > 0 ? '\n' : '');
}

let stopwords: Set<string> | undefined;
export function loadStopwords(): Set<string> {
  stopwords ??= new Set(readWordList('stopwords.txt'));
  return stopwords;
}

/** Every word jieba must keep whole: dictionary, hospital names and aliases, synonym forms. */
export function loadDomainWords(): string[] {
  const words = new Set(loadDictionaryWords());
  for (const h of loadHospitals()) {
    words.add(h.name);
    for (const a of h.aliases) words.add(a);
    for (const a of h.contextAliases) words.add(a);
  }
  for (const group of loadSynonymGroups()) for (const w of group) if (!/[\s、,，]/u.test(w)) words.add(w);
  for (const w of loadAwardWords()) words.add(w);
  for (const w of loadConceptWords()) words.add(w);
  return [...words];
}

// --- Extraction vocabularies (indexer/steps/extract-*.ts) ---

const awardLevelCueSchema = z.object({
  national: z.array(z.string().min(1)),
  provincial: z.array(z.string().min(1)),
  municipal: z.array(z.string().min(1)),
  county: z.array(z.string().min(1)),
  internal: z.array(z.string().min(1)),
});

const awardsFileSchema = z.object({
  types: z.array(z.object({ type: z.string().min(2), patterns: z.array(z.string().min(2)).min(1) })).min(1),
  suffixes: z.array(z.string().min(2)),
  qualifiedSuffixes: z.array(z.string().min(2)),
  qualifiers: z.array(z.string().min(2)),
  honourPrefixes: z.array(z.string().min(2)),
  followers: z.array(z.string().min(2)),
  standardHonours: z.array(z.string().min(2)),
  awardVerbs: z.array(z.string().min(1)),
  awardContext: z.array(z.string().min(2)),
  titleAwardContext: z.array(z.string().min(2)),
  conferringBodies: z.array(z.string().min(2)),
  /** Words that make a quoted phrase an honour even without an award verb nearby (“全国党建工作样板党支部”). */
  strongQualifiers: z.array(z.string().min(2)),
  /** China's democratic parties: their honours and branches are not CPC ones. */
  democraticParties: z.array(z.string().min(2)),
  /** Honours whose level is fixed whoever hands them out (光荣在党50年 is awarded by the Party Centre). */
  fixedLevels: z.record(z.string().min(2), z.enum(['national', 'provincial', 'municipal', 'county', 'internal'])),
  levelCues: awardLevelCueSchema,
});
export type AwardVocabulary = z.infer<typeof awardsFileSchema>;

let awards: AwardVocabulary | undefined;
export function loadAwardVocabulary(): AwardVocabulary {
  awards ??= parse('awards.json', awardsFileSchema);
  return awards;
}

const placesFileSchema = z.object({
  ethnicGroups: z.array(z.string().min(1)),
  ambiguousShortNames: z.array(z.string().min(2)),
  notPlaces: z.array(z.string().min(2)),
  renamed: z.array(z.object({ from: z.string().min(2), to: z.string().min(2) })),
});
export type PlaceSupplement = z.infer<typeof placesFileSchema>;

let places: PlaceSupplement | undefined;
export function loadPlaceSupplement(): PlaceSupplement {
  if (places) return places;
  const loaded = parse('places.json', placesFileSchema);
  const out = leftOut;
  places = out ? { ...loaded, notPlaces: loaded.notPlaces.filter((p) => !out.has(p)) } : loaded;
  return places;
}

const calendarFileSchema = z.object({
  partyFoundingYear: z.number().int(),
  congresses: z.record(z.string(), z.number().int()),
  plenums: z.record(z.string(), z.number().int()),
  upcomingCues: z.array(z.string().min(2)),
  /** Well-known founding events: an anniversary of one dates the article (新中国成立70周年 → 2019). */
  anniversaries: z.array(z.object({ pattern: z.string().min(2), year: z.number().int() })).default([]),
  campaigns: z.array(z.object({ pattern: z.string().min(2), year: z.number().int() })),
});
export type PartyCalendar = z.infer<typeof calendarFileSchema>;

let calendar: PartyCalendar | undefined;
export function loadPartyCalendar(): PartyCalendar {
  calendar ??= parse('calendar.json', calendarFileSchema);
  return calendar;
}

const weightsSchema = z.record(z.string().min(1), z.number().positive());
const topicFileSchema = z.object({
  partyTerms: weightsSchema,
  hospitalTerms: weightsSchema,
  spamMarkers: z.array(z.string().min(2)),
  offTopicMarkers: z.array(z.string().min(2)),
  contentFarmMarkers: z.array(z.string().min(2)),
});
export type TopicVocabulary = z.infer<typeof topicFileSchema>;

let topic: TopicVocabulary | undefined;
export function loadTopicVocabulary(): TopicVocabulary {
  topic ??= parse('topic.json', topicFileSchema);
  return topic;
}

const metadataLabelsFileSchema = z.object({
  dateLabels: z.array(z.string().min(2)),
  sourceLabels: z.array(z.string().min(2)),
  sourcePlaceholders: z.array(z.string().min(2)),
  stopLabels: z.array(z.string().min(1)),
  authorRoles: z.array(z.string().min(1)),
  outletSuffixes: z.array(z.string().min(1)),
  organisationSuffixes: z.array(z.string().min(1)),
  placeholderOutlets: z.array(z.string().min(2)),
});
export type MetadataLabels = z.infer<typeof metadataLabelsFileSchema>;

let metadataLabels: MetadataLabels | undefined;
export function loadMetadataLabels(): MetadataLabels {
  metadataLabels ??= parse('metadata-labels.json', metadataLabelsFileSchema);
  return metadataLabels;
}

let jiebaStopWords: ReadonlySet<string> | undefined;

/** jieba's stop words, which TF-IDF keywords leave out (jieba-stop-words.txt). */
export function loadJiebaStopWords(): ReadonlySet<string> {
  jiebaStopWords ??= new Set(readWordList('jieba-stop-words.txt'));
  return jiebaStopWords;
}

let keywordStopwords: Set<string> | undefined;
/** Words never used as related-article keywords (too common in this corpus). */
export function loadKeywordStopwords(): Set<string> {
  keywordStopwords ??= new Set(readWordList('keyword-stopwords.txt'));
  return keywordStopwords;
}

/** Award type names and patterns, so jieba keeps honours such as 先锋党支部 whole. */
export function loadAwardWords(): string[] {
  const words = new Set<string>();
  const vocab = loadAwardVocabulary();
  for (const t of vocab.types) {
    for (const part of t.type.split('/')) words.add(part);
    for (const p of t.patterns) words.add(p);
  }
  for (const s of vocab.suffixes) words.add(s);
  for (const s of vocab.standardHonours) words.add(s);
  return [...words].filter((w) => w.length >= 2 && !/\d/u.test(w));
}

const hospitalPatternsFileSchema = z.object({
  suffixes: z.array(z.string().min(2)).min(1),
  genericWords: z.array(z.string().min(1)),
  enterpriseMarkers: z.array(z.string().min(2)),
  abbreviations: z.record(z.string().min(2), z.string().min(2)),
  roleTitles: z.array(z.string().min(2)),
  aliasDeclarations: z.array(z.string().min(2)),
  campaignWords: z.array(z.string().min(2)).default([]),
});
export type HospitalPatterns = z.infer<typeof hospitalPatternsFileSchema>;

let hospitalPatterns: HospitalPatterns | undefined;
export function loadHospitalPatterns(): HospitalPatterns {
  hospitalPatterns ??= parse('hospital-patterns.json', hospitalPatternsFileSchema);
  return hospitalPatterns;
}

let traditionalExt: Array<[string, string]> | undefined;
/**
 * OpenCC's TSCharactersExt: Traditional characters whose Simplified form lies
 * outside the Basic Multilingual Plane. Tab-separated `Traditional<TAB>Simplified`.
 */
export function loadTraditionalExtCharacters(): Array<[string, string]> {
  if (traditionalExt) return traditionalExt;
  const file = 'opencc-ts-characters-ext.txt';
  const pairs: Array<[string, string]> = [];
  readFileSync(join(dataDir, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const [from, to, ...rest] = line.split('\t');
      if (from === undefined || to === undefined || rest.length > 0 || [...from].length !== 1 || to.split(' ')[0] === '') {
        throw new Error(`config/data/${file}:${i + 1}: expected "Traditional<TAB>Simplified", got ${JSON.stringify(line)}`);
      }
      pairs.push([from, to.split(' ')[0] as string]);
    });
  traditionalExt = pairs;
  return pairs;
}

const regionsFileSchema = z.object({
  abbreviations: z.record(z.string().length(1), z.string().min(2)),
  directions: z.array(z.string().min(1)).min(1),
  withoutDirections: z.array(z.string().length(1)).default([]),
  /** null: a region across provinces (川渝, 江南), named so it is never read as one. */
  regions: z.record(z.string().min(2), z.string().min(2).nullable()),
});

let regionalNames: Map<string, string | null> | undefined;
/**
 * Regional and famous names → short province name (null for cross-province
 * regions): every abbreviation × direction (浙东, 鲁西南) and the named
 * regions, named regions winning.
 */
export function loadRegionalNames(): Map<string, string | null> {
  if (regionalNames) return regionalNames;
  const file = parse('regions.json', regionsFileSchema);
  const names = new Map<string, string | null>();
  for (const [abbreviation, province] of Object.entries(file.abbreviations)) {
    if (file.withoutDirections.includes(abbreviation)) continue;
    for (const direction of file.directions) names.set(`${abbreviation}${direction}`, province);
  }
  for (const [name, province] of Object.entries(file.regions)) names.set(name, province);
  regionalNames = names;
  return names;
}

// --- Concepts and hospital kinds (engine/analysis/concepts.ts, hospital-kind.ts) ---

const conceptsFileSchema = z.object({
  graded: z.array(
    z.object({ marker: z.string().min(1), grades: z.array(z.string().min(1)).min(2), nouns: z.array(z.string().min(1)).min(1) }),
  ),
  collectives: z.array(z.object({ term: z.string().min(2), members: z.array(z.string().min(2)).min(1) })),
  activityFamilies: z.array(
    z.object({ words: z.array(z.string().min(2)).min(2), compounds: z.array(z.string().min(2)).default([]) }),
  ),
});
export type ConceptVocabulary = z.infer<typeof conceptsFileSchema>;

let concepts: ConceptVocabulary | undefined;
export function loadConcepts(): ConceptVocabulary {
  concepts ??= parse('concepts.json', conceptsFileSchema);
  return concepts;
}

const hospitalKindsFileSchema = z.object({
  kinds: z
    .array(z.object({ kind: z.string().min(1), marks: z.array(z.string().min(2)), names: z.array(z.string().min(2)) }))
    .min(1)
    .refine((kinds) => new Set(kinds.map((k) => k.kind)).size === kinds.length, 'kinds must be unique'),
  /** A name with none of the kinds' marks is a general hospital only if it has one of these. */
  generalMarks: z.array(z.string().min(2)).min(1),
});
export type HospitalKindVocabulary = z.infer<typeof hospitalKindsFileSchema>;

let hospitalKinds: HospitalKindVocabulary | undefined;
export function loadHospitalKinds(): HospitalKindVocabulary {
  hospitalKinds ??= parse('hospital-kinds.json', hospitalKindsFileSchema);
  return hospitalKinds;
}

/** Every form concepts.json and hospital-kinds.json name, graded honours spelled out (三星级党支部). */
export function loadConceptWords(): string[] {
  const words = new Set<string>();
  const c = loadConcepts();
  for (const { marker, grades, nouns } of c.graded) {
    for (const noun of nouns) for (const prefix of [marker, ...grades]) words.add(`${prefix}${noun}`);
  }
  for (const { term, members } of c.collectives) for (const w of [term, ...members]) words.add(w);
  for (const { words: family, compounds } of c.activityFamilies) for (const w of [...family, ...compounds]) words.add(w);
  for (const { names } of loadHospitalKinds().kinds) for (const w of names) words.add(w);
  return [...words];
}
