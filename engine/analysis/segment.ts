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
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodejieba from 'nodejieba';
import { loadDomainWords } from '../../config/data.js';

// jieba's insertWord gives user words a weight too low to beat two frequent
// single characters (党建 stays 党/建), so the domain words are written to a
// user dictionary file with an explicit frequency instead.
const domainWordFrequency = 3000;

let loaded = false;

function ensureLoaded(): void {
  if (loaded) return;
  const lines = loadDomainWords().map((w) => `${w.replace(/\s+/gu, '')} ${domainWordFrequency} n`);
  const content = lines.join('\n') + '\n';
  const dir = join(tmpdir(), 'dangjian-search');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `user-dict-${createHash('sha1').update(content).digest('hex').slice(0, 12)}.txt`);
  writeFileSync(file, content);
  nodejieba.load({ userDict: file });
  loaded = true;
}

/** Identifies the dictionary in force: a change means documents must be re-segmented. */
export function dictionaryVersion(): string {
  return createHash('sha1').update(loadDomainWords().join('\n')).digest('hex').slice(0, 12);
}

// CJK ideographs (incl. extension A and compatibility), Latin/digit runs
// (with `+` kept inside for 党建+业务 style compounds handled by jieba), or
// anything else (punctuation, spaces), which separates tokens.
const runPattern = /([\u3400-\u9fff\uf900-\ufaff]+)|([A-Za-z0-9]+(?:[.%][0-9]+)?%?)|[^\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+/gu;

function segmentRuns(text: string, cutCjk: (run: string) => string[]): string[] {
  ensureLoaded();
  const tokens: string[] = [];
  for (const match of text.matchAll(runPattern)) {
    const [, han, latin] = match;
    if (han !== undefined) {
      for (const t of cutCjk(han)) if (t.trim() !== '') tokens.push(t);
    } else if (latin !== undefined) {
      tokens.push(latin.toLowerCase());
    }
  }
  return tokens;
}

/** Coarse segmentation: one token per word. Used for queries and keywords. */
export function segmentWords(text: string): string[] {
  return segmentRuns(text, (run) => nodejieba.cut(run, false));
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
  return segmentRuns(text, (run) => {
    const out: string[] = [];
    for (const word of nodejieba.cut(run, false)) {
      if (word.length >= 3) for (const part of subWordsOf(word)) out.push(part);
      out.push(word);
    }
    return out;
  });
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

/** TF-IDF keywords (jieba's extractor), restricted to words of two or more characters. */
export function extractKeywords(text: string, limit: number): string[] {
  ensureLoaded();
  const out: string[] = [];
  for (const { word } of nodejieba.extract(text, limit * 3)) {
    if (word.length < 2 || /^[0-9.%]+$/u.test(word)) continue;
    out.push(word.toLowerCase());
    if (out.length >= limit) break;
  }
  return out;
}
