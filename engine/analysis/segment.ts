/**
 * Word segmentation shared by documents and queries (nodejieba + the domain
 * dictionary from config/data).
 *
 * Text is split into runs first: CJK runs go to jieba with HMM off (so the
 * same string always segments the same way in a document and in a query),
 * while Latin letters and digits are kept as whole lower-cased tokens, because
 * jieba with HMM off splits `2022` into `2/0/2/2`.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import nodejieba from 'nodejieba';
import { getAnalysisOverrides, loadDomainWords } from '../../config/data.js';

// jieba's insertWord gives user words a weight too low to beat two frequent
// single characters (党建 stays 党/建), so the domain words are written to a
// user dictionary file with an explicit frequency instead.
const domainWordFrequency = 3000;

let loaded = false;

/**
 * Replaces `path` in one step: build workers load jieba at the same moment and
 * write the same files, and one reading a file another has just truncated
 * would lose the domain words, or (an empty IDF table) abort the process.
 */
function writeAtomically(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.${threadId}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

function ensureLoaded(): void {
  if (loaded) return;
  // Run-time dictionary words may carry their own frequency and part of speech.
  const own = new Map(getAnalysisOverrides().dictionary.map((e) => [e.word, e]));
  const lines = loadDomainWords().map((w) => {
    const entry = own.get(w);
    return `${w.replace(/\s+/gu, '')} ${entry?.frequency ?? domainWordFrequency} ${entry?.tag ?? 'n'}`;
  });
  const content = lines.join('\n') + '\n';
  const dir = join(tmpdir(), 'dangjian-search');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `user-dict-${createHash('sha1').update(content).digest('hex').slice(0, 12)}.txt`);
  writeAtomically(file, content);
  // jieba's native keyword extractor is never called (keywords come from the same cut, in JS,
  // with the IDF table read by loadIdfTable when first needed), so it gets a one-line table:
  // loading the shipped 6 MB one cost 0.2–0.5 s and 19 MB in every thread that loads jieba.
  const unusedIdf = join(dir, 'idf-unused.txt');
  writeAtomically(unusedIdf, '党建 1.0\n');
  nodejieba.load({ userDict: file, idfDict: unusedIdf });
  loaded = true;
}

/** Loads jieba's dictionaries on this thread now (seconds), rather than in the first request that segments text. */
export function loadSegmenter(): void {
  ensureLoaded();
}

/**
 * Loads the dictionary again after the run-time words changed
 * (setAnalysisOverrides): nodejieba's load() replaces the whole segmenter, so
 * words taken out are gone too.
 */
export function reloadSegmenter(): void {
  loaded = false;
  subWordCache.clear();
  ensureLoaded();
}

/** Identifies the dictionary in force: a change means documents must be re-segmented. */
export function dictionaryVersion(): string {
  return createHash('sha1').update(loadDomainWords().join('\n')).digest('hex').slice(0, 12);
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
  ensureLoaded();
  const words: string[] = [];
  const starts: number[] = [];
  for (const match of text.matchAll(runPattern)) {
    const [, han, latin] = match;
    if (han !== undefined) {
      // With HMM off the words of a run concatenate back to the run, so offsets add up.
      let at = match.index;
      for (const word of nodejieba.cut(han, false)) {
        if (word.trim() !== '') {
          words.push(word);
          starts.push(at);
        }
        at += word.length;
      }
    } else if (latin !== undefined) {
      words.push(latin.toLowerCase());
      starts.push(match.index);
    }
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
    parts = nodejieba.cutAll(word).filter((part) => part.length >= 2 && part !== word);
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
// words (what nodejieba.extract uses), so a keyword costs no second cut.

interface IdfTable {
  idf: Map<string, number>;
  /** jieba's weight for a word missing from the table: the mean IDF. */
  average: number;
  stop: Set<string>;
}

let idfTable: IdfTable | undefined;

// The package exports the paths of the tables it ships; its typings do not declare them.
const jiebaTables = nodejieba as unknown as { DEFAULT_IDF_DICT: string; DEFAULT_STOP_WORD_DICT: string };

function loadIdfTable(): IdfTable {
  if (idfTable) return idfTable;
  const idf = new Map<string, number>();
  let sum = 0;
  let lines = 0;
  for (const line of readFileSync(jiebaTables.DEFAULT_IDF_DICT, 'utf8').split('\n')) {
    if (line === '') continue;
    lines++;
    const at = line.indexOf(' ');
    if (at <= 0) continue;
    const value = Number(line.slice(at + 1));
    if (!Number.isFinite(value)) continue;
    idf.set(line.slice(0, at), value);
    sum += value;
  }
  const stop = new Set(readFileSync(jiebaTables.DEFAULT_STOP_WORD_DICT, 'utf8').split('\n').map((w) => w.trim()).filter((w) => w !== ''));
  idfTable = { idf, average: lines > 0 ? sum / lines : 1, stop };
  return idfTable;
}

/**
 * The `limit` words of highest TF × IDF among `words` (words of two or more
 * characters, no numbers, no stop words), lower-cased. Ties go to the word
 * seen first, so the result is stable from run to run.
 */
export function rankKeywords(words: Iterable<string>, limit: number): string[] {
  const { idf, average, stop } = loadIdfTable();
  const counts = new Map<string, number>();
  for (const word of words) {
    if (word.length < 2 || stop.has(word)) continue;
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  const scored: Array<{ word: string; weight: number; order: number }> = [];
  let order = 0;
  for (const [word, count] of counts) {
    if (/^[0-9.%]+$/u.test(word)) continue;
    scored.push({ word, weight: count * (idf.get(word) ?? average), order: order++ });
  }
  scored.sort((a, b) => b.weight - a.weight || a.order - b.order);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const { word } of scored) {
    const lower = word.toLowerCase();
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
