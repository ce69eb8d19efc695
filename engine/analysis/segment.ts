/**
 * Word segmentation shared by documents and queries (jieba, through
 * @node-rs/jieba, with the domain dictionary from config/data).
 *
 * Text is split into runs first: CJK runs go to jieba with HMM off (so the
 * same string always segments the same way in a document and in a query),
 * while Latin letters and digits are kept as whole lower-cased tokens, because
 * jieba with HMM off splits `2022` into `2/0/2/2`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { getAnalysisOverrides, loadDomainWords, loadJiebaStopWords } from '../../config/data.js';

// User words get an explicit frequency: at jieba's default a domain word
// loses to two frequent single characters (党建 stays 党/建).
const domainWordFrequency = 3000;

/**
 * The package's own tables: its dictionary is cppjieba's (what nodejieba
 * loaded) plus words with Latin letters, which never reach jieba here (only
 * runs of ideographs do), and its IDF table is cppjieba's plus single
 * characters, which are never keywords.
 */
const jiebaFile = (name: string): string => createRequire(import.meta.url).resolve(`@node-rs/jieba/${name}`);

let jieba: Jieba | null = null;
const segmenterName = 'jieba-rs';

/** The user dictionary: the domain words, with the run-time dictionary's own frequency and tag where it gives them. */
function userDictionary(): string {
  const own = new Map(getAnalysisOverrides().dictionary.map((e) => [e.word, e]));
  const lines = loadDomainWords().map((w) => {
    const entry = own.get(w);
    return `${w.replace(/\s+/gu, '')} ${entry?.frequency ?? domainWordFrequency} ${entry?.tag ?? 'n'}`;
  });
  return lines.join('\n') + '\n';
}

function segmenter(): Jieba {
  if (jieba !== null) return jieba;
  const loaded = Jieba.withDict(readFileSync(jiebaFile('dict.txt')));
  loaded.loadDict(Buffer.from(userDictionary(), 'utf8'));
  jieba = loaded;
  return loaded;
}

/** Loads jieba's dictionaries on this thread now (0.2–0.4 s), rather than in the first request that segments text. */
export function loadSegmenter(): void {
  segmenter();
}

/**
 * Loads the dictionary again after the run-time words changed
 * (setAnalysisOverrides): a new segmenter, so words taken out are gone too.
 */
export function reloadSegmenter(): void {
  jieba = null;
  subWordCache.clear();
  segmenter();
}

/** Identifies the dictionary in force: a change means documents must be re-segmented. */
export function dictionaryVersion(): string {
  // The segmenter is part of it: jieba-rs cuts a few strings differently from cppjieba (课前 against 课/前).
  return createHash('sha1').update(`${segmenterName}\n`).update(loadDomainWords().join('\n')).digest('hex').slice(0, 12);
}

// CJK ideographs (incl. extension A and compatibility), Latin/digit runs
// (with `+` kept inside for 党建+业务 style compounds handled by jieba), or
// anything else (punctuation, spaces), which separates tokens.
const runPattern = /([\u3400-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+(?:[.%][0-9]+)?%?)|[^\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+/gu;

/**
 * One jieba pass over a text: its coarse words (HMM off), in text order, with
 * the offset in `text` where each starts. Index tokens, sub-words and TF-IDF
 * keywords are all derived from this one cut, because the cut is the costly
 * part (a native call per run).
 */
export interface Segmentation {
  words: string[];
  starts: number[];
}

export function segmentText(text: string): Segmentation {
  // The ideograph runs go to jieba in ONE call, joined by spaces: jieba cuts
  // each run between non-ideographs on its own, so the words are those of a
  // call per run, without a native call (and its string conversions) per run.
  const hanParts: string[] = [];
  const hanStarts: number[] = [];
  const latinWords: string[] = [];
  const latinStarts: number[] = [];
  for (const match of text.matchAll(runPattern)) {
    const [, han, latin] = match;
    if (han !== undefined) {
      hanParts.push(han);
      hanStarts.push(match.index);
    } else if (latin !== undefined) {
      latinWords.push(latin.toLowerCase());
      latinStarts.push(match.index);
    }
  }
  const words: string[] = [];
  const starts: number[] = [];
  let latin = 0;
  if (hanParts.length > 0) {
    let run = 0;
    let runEnd = hanParts[0]!.length;
    let at = 0;
    for (const word of segmenter().cut(hanParts.join(' '), false)) {
      const from = at;
      at += word.length;
      if (from >= runEnd) {
        // The space between two runs.
        run++;
        runEnd = at + hanParts[run]!.length;
        continue;
      }
      const start = hanStarts[run]! + (from - (runEnd - hanParts[run]!.length));
      while (latin < latinWords.length && latinStarts[latin]! < start) {
        words.push(latinWords[latin]!);
        starts.push(latinStarts[latin]!);
        latin++;
      }
      words.push(word);
      starts.push(start);
    }
  }
  for (; latin < latinWords.length; latin++) {
    words.push(latinWords[latin]!);
    starts.push(latinStarts[latin]!);
  }
  return { words, starts };
}

/** Coarse segmentation: one token per word. Used for queries and keywords. */
export function segmentWords(text: string): string[] {
  return segmentText(text).words;
}

/**
 * Search segmentation: each word preceded by every dictionary word inside it
 * (广元市妇幼保健院 → 广元 广元市 妇幼 妇幼保健 妇幼保健院 保健 保健院 …), so a
 * query for a shorter word or a kind of hospital finds the longer compound.
 * jieba's own cutForSearch only adds 2- and 3-character sub-words, which
 * misses 妇幼保健院 and 肿瘤医院 inside full hospital names. Used for indexed
 * document text.
 */
export function segmentForIndex(text: string): string[] {
  return indexTokensOf(segmentText(text));
}

/** The index tokens (segmentForIndex) of an already segmented text. */
export function indexTokensOf(segmentation: Segmentation): string[] {
  const out: string[] = [];
  for (const word of segmentation.words) {
    if (word.length >= 3) for (const part of subWordsOf(word)) out.push(part);
    out.push(word);
  }
  return out;
}

// The vocabulary repeats across articles, and each native call costs more
// than the lookup, so the sub-words of a word are computed once. Bounded:
// cleared when full rather than growing with an unbounded corpus.
const subWordCache = new Map<string, readonly string[]>();
const subWordCacheLimit = 200_000;

function subWordsOf(word: string): readonly string[] {
  let parts = subWordCache.get(word);
  if (parts === undefined) {
    parts = segmenter().cutAll(word).filter((part) => part.length >= 2 && part !== word);
    if (subWordCache.size >= subWordCacheLimit) subWordCache.clear();
    subWordCache.set(word, parts);
  }
  return parts;
}

/** FTS5 and Meilisearch both split on spaces: tokens joined by one space are the indexed form. */
export function joinTokens(tokens: readonly string[]): string {
  return tokens.join(' ');
}

// ---------------------------------------------------------------------------
// TF-IDF keywords over words already cut, with jieba's own IDF table and stop
// words (what jieba's keyword extractor uses), so a keyword costs no second cut.

interface IdfTable {
  idf: Map<string, number>;
  /** jieba's weight for a word missing from the table: the mean IDF. */
  average: number;
  stop: ReadonlySet<string>;
}

let idfTable: IdfTable | undefined;

function loadIdfTable(): IdfTable {
  if (idfTable) return idfTable;
  const idf = new Map<string, number>();
  let sum = 0;
  let lines = 0;
  for (const line of readFileSync(jiebaFile('idf.txt'), 'utf8').split('\n')) {
    const at = line.indexOf(' ');
    // Single characters are never keywords; leaving them out keeps the mean IDF that of jieba's own table.
    if (at < 2) continue;
    lines++;
    const value = Number(line.slice(at + 1));
    if (!Number.isFinite(value)) continue;
    idf.set(line.slice(0, at), value);
    sum += value;
  }
  const stop = loadJiebaStopWords();
  idfTable = { idf, average: lines > 0 ? sum / lines : 1, stop };
  return idfTable;
}

/** Whether a word is only digits, `.` and `%` (a number or a share, never a keyword). */
function isNumeric(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === 46 || c === 37)) return false;
  }
  return true;
}

/**
 * The `limit` words of highest TF × IDF among `words` (words of two or more
 * characters, no numbers, no stop words), lower-cased. Ties go to the word
 * seen first, so the result is stable from run to run.
 *
 * Every article's words pass through here, so the big tables (jieba's IDF
 * table has ~250k words) are read once per distinct word, not per occurrence.
 */
export function rankKeywords(words: readonly string[], limit: number): string[] {
  const { idf, average, stop } = loadIdfTable();
  const counts = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.length >= 2) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const scoredWords: string[] = [];
  const weights: number[] = [];
  for (const [word, count] of counts) {
    if (stop.has(word) || isNumeric(word)) continue;
    scoredWords.push(word);
    weights.push(count * (idf.get(word) ?? average));
  }
  // Sorting positions by weight, then by first appearance, keeps the order of a stable sort.
  const order = Array.from(scoredWords.keys()).sort((a, b) => weights[b]! - weights[a]! || a - b);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const at of order) {
    const lower = scoredWords[at]!.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    out.push(lower);
    if (out.length >= limit) break;
  }
  return out;
}

/** TF-IDF keywords of a text, restricted to words of two or more characters. */
export function extractKeywords(text: string, limit: number): string[] {
  return rankKeywords(segmentText(text).words, limit);
}
