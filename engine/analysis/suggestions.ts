/**
 * What a document contributes to as-you-type suggestions, and the pinyin keys
 * that let `dangjian` or `djpp` complete to 党建品牌.
 *
 * Hospital names and terms are aggregated across documents (their weight is
 * the number of documents that have them); titles belong to one document.
 */
import { pinyin } from 'pinyin-pro';
import { loadDictionaryWords, loadHospitals, loadStopwords } from '../../config/data.js';
import { normaliseText } from './normalise.js';
import type { EngineDocument } from '../document.js';

export interface AggregateEntry {
  kind: 'hospital' | 'term';
  text: string;
  /** Canonical hospital name (hospital entries only). */
  canonical: string | null;
}

export interface PinyinKeys {
  full: string;
  initials: string;
}

// Pinyin is only ever matched as a prefix, so long titles need no more than their start.
const pinyinSourceLength = 24;

const pinyinCache = new Map<string, PinyinKeys>();
const pinyinCacheLimit = 50_000;

function keepAlphanumeric(parts: string[]): string {
  return parts
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/gu, '');
}

/** Toneless full pinyin and initials, letters and digits only (非汉字 kept as written, lower-cased). */
export function computePinyinKeys(text: string): PinyinKeys {
  const source = text.slice(0, pinyinSourceLength);
  const cached = pinyinCache.get(source);
  if (cached) return cached;
  const full = keepAlphanumeric(pinyin(source, { toneType: 'none', type: 'array', nonZh: 'consecutive' }));
  const initials = keepAlphanumeric(
    pinyin(source, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }),
  );
  const keys = { full, initials };
  if (pinyinCache.size >= pinyinCacheLimit) pinyinCache.clear();
  pinyinCache.set(source, keys);
  return keys;
}

export interface SuggestInput {
  /** Normalised text for matching Chinese (and Latin) entries by prefix. */
  text: string;
  /** Letters-only key for matching pinyin, when the input could be pinyin. */
  pinyin: string | null;
}

/** The typed prefix, normalised like queries (Traditional → Simplified, full-width → half-width). */
export function parseSuggestInput(raw: string): SuggestInput | null {
  const text = normaliseText(raw).trim();
  if (text === '') return null;
  const lower = text.toLowerCase();
  // Pinyin is typed as letters, optionally with spaces or syllable apostrophes (xi'an).
  const pinyinKey = /^[a-z][a-z' ]*$/u.test(lower) ? lower.replace(/[' ]/gu, '') : null;
  return { text: lower, pinyin: pinyinKey };
}

let dictionaryWords: Set<string> | undefined;
function getDictionaryWords(): Set<string> {
  if (!dictionaryWords) {
    const stopwords = loadStopwords();
    dictionaryWords = new Set(
      loadDictionaryWords()
        .map((w) => normaliseText(w).toLowerCase())
        .filter((w) => w.length >= 2 && !stopwords.has(w)),
    );
  }
  return dictionaryWords;
}

interface HospitalNames {
  canonicalOf: Map<string, string>;
  aliasesOf: Map<string, string[]>;
}

let hospitalNames: HospitalNames | undefined;
function getHospitalNames(): HospitalNames {
  if (!hospitalNames) {
    const canonicalOf = new Map<string, string>();
    const aliasesOf = new Map<string, string[]>();
    for (const h of loadHospitals()) {
      const name = normaliseText(h.name);
      const aliases = h.aliases.map((a) => normaliseText(a));
      aliasesOf.set(name, aliases);
      canonicalOf.set(name, name);
      for (const alias of aliases) canonicalOf.set(alias, name);
    }
    hospitalNames = { canonicalOf, aliasesOf };
  }
  return hospitalNames;
}

/**
 * The domain-dictionary words among a document's title and body tokens, each
 * once: the part of its term suggestions that only its tokens tell. An
 * engine that does not keep the tokens keeps these, so that removing the
 * document takes back exactly what writing it added, whatever the dictionary
 * has become since.
 */
export function dictionaryTermsOf(document: Pick<EngineDocument, 'titleTokens' | 'bodyTokens'>): string[] {
  const dictionary = getDictionaryWords();
  const out = new Set<string>();
  for (const field of [document.titleTokens, document.bodyTokens]) {
    for (const token of field.split(' ')) if (dictionary.has(token)) out.add(token);
  }
  return [...out];
}

/**
 * Hospital names (canonical, the aliases the text used, and the configured
 * aliases of its hospitals) and terms (its keywords and the domain-dictionary
 * words it contains, `dictionaryTerms` when given), each once.
 */
export function aggregateEntriesOf(
  document: EngineDocument,
  dictionaryTerms: readonly string[] = dictionaryTermsOf(document),
): AggregateEntry[] {
  const out = new Map<string, AggregateEntry>();
  const add = (entry: AggregateEntry): void => {
    if (entry.text.length < 2) return;
    const key = `${entry.kind}\u0000${entry.text}`;
    if (!out.has(key)) out.set(key, entry);
  };
  const names = getHospitalNames();
  const hospitals = [...new Set([document.hospital, ...document.hospitals].filter((h): h is string => !!h))];
  for (const hospital of hospitals) {
    add({ kind: 'hospital', text: hospital, canonical: hospital });
    for (const alias of names.aliasesOf.get(hospital) ?? []) add({ kind: 'hospital', text: alias, canonical: hospital });
  }
  for (const alias of document.hospitalAliases) {
    add({ kind: 'hospital', text: alias, canonical: names.canonicalOf.get(alias) ?? document.hospital });
  }

  const stopwords = loadStopwords();
  for (const keyword of document.keywords) {
    const text = keyword.toLowerCase();
    if (!stopwords.has(text) && !/^[0-9.%]+$/u.test(text)) add({ kind: 'term', text, canonical: null });
  }
  for (const term of dictionaryTerms) add({ kind: 'term', text: term, canonical: null });
  return [...out.values()];
}
