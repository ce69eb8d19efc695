/**
 * What a query means when it is not written as the index writes it: pinyin
 * typed for Chinese (`dangjian`, `djpp`, `dang jian pin pai`) and homophone
 * typos (党见品牌 for 党建品牌). Both are read against the index's own
 * vocabulary (hospital names and terms with their pinyin, the engine's
 * `vocabulary()`), so a reading is only offered when the index has the word.
 *
 * Two pure steps around one engine call: `listVocabularyKeys` says which
 * pinyin keys to look up, `chooseInterpretation` reads the answer.
 * Polyphones follow pinyin-pro's word-level readings, the same ones the
 * vocabulary's keys were computed with (suggestions.ts).
 */
import type { VocabularyEntry } from '../port.js';
import { normaliseText } from './normalise.js';
import { segmentWords } from './segment.js';
import { computePinyinKeys } from './suggestions.js';

export interface Interpretation {
  /** The text to search. */
  text: string;
  /** What was searched instead of the user's text, when it differs (pinyin read as Chinese, typo corrected). */
  interpretedAs: string | null;
  /** The user's text, when a homophone typo was corrected. */
  correctedFrom: string | null;
}

type Reading =
  | { kind: 'pinyin'; whole: string; parts: string[] }
  | { kind: 'chinese'; chunks: Array<{ tokens: string[] }> }
  | { kind: 'none' };

// Letters, spaces and syllable apostrophes only, at least two letters.
const pinyinInput = /^[a-z][a-z' ]*[a-z]$/u;
const hanOnly = /^[\u3400-\u9fff\uf900-\ufaff]+$/u;
/** Longest run of words read as one mistyped word (党见品牌 is cut 党/见/品牌). */
const maxWindowChars = 8;

function read(raw: string): Reading {
  const text = normaliseText(raw).trim().toLowerCase();
  if (text === '' || /["“”「」『』]/u.test(raw)) return { kind: 'none' };
  if (pinyinInput.test(text)) {
    const parts = text.split(/\s+/u).map((p) => p.replace(/'/gu, '')).filter((p) => p !== '');
    return { kind: 'pinyin', whole: parts.join(''), parts };
  }
  const chunks = text
    .split(/[\s,，、。；;：:！!？?()（）《》【】[\]]+/u)
    .filter((c) => c !== '')
    .map((chunk) => ({ tokens: segmentWords(chunk) }));
  return chunks.some((c) => c.tokens.length >= 2) ? { kind: 'chinese', chunks } : { kind: 'none' };
}

/** Runs of two or more consecutive Chinese words: the candidates for one mistyped word. */
function windowsOf(tokens: readonly string[]): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  for (let start = 0; start < tokens.length; start++) {
    let text = tokens[start] ?? '';
    for (let end = start + 1; end < tokens.length; end++) {
      text += tokens[end] ?? '';
      if ([...text].length > maxWindowChars) break;
      if (hanOnly.test(text)) out.push({ start, end: end + 1, text });
    }
  }
  return out;
}

/** The pinyin keys (letters only) whose vocabulary entries could reinterpret `raw`; empty when there is nothing to look up. */
export function listVocabularyKeys(raw: string): string[] {
  const reading = read(raw);
  if (reading.kind === 'pinyin') return [...new Set([reading.whole, ...reading.parts])].filter((k) => k.length >= 2);
  if (reading.kind === 'chinese') {
    const keys = new Set<string>();
    for (const chunk of reading.chunks) for (const w of windowsOf(chunk.tokens)) keys.add(computePinyinKeys(w.text).full);
    return [...keys].filter((k) => k !== '');
  }
  return [];
}

function heaviest(entries: readonly VocabularyEntry[]): VocabularyEntry | undefined {
  return [...entries].sort((a, b) => b.weight - a.weight || a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))[0];
}

/** A pinyin key as a Chinese word: full pinyin before initials, then the word most documents have. */
function resolvePinyin(key: string, entries: readonly VocabularyEntry[]): string | null {
  const full = heaviest(entries.filter((e) => e.pinyin === key));
  if (full) return full.text;
  // Initials are ambiguous for a short key (dj: 党建, 党纪…): two letters at least, and only whole words.
  if (key.length < 2) return null;
  return heaviest(entries.filter((e) => e.initials === key))?.text ?? null;
}

/**
 * The reading of `raw` given the vocabulary entries found for its keys.
 * Pinyin: the whole input as one word, else every space-separated part as a
 * word; a Latin word the index has as written (drg) is kept. Chinese: the
 * longest run of words that the vocabulary lacks but has a homophone of the
 * same length for becomes that homophone (the heaviest, when several).
 */
export function chooseInterpretation(raw: string, entries: readonly VocabularyEntry[]): Interpretation {
  const unchanged: Interpretation = { text: raw, interpretedAs: null, correctedFrom: null };
  const reading = read(raw);
  if (reading.kind === 'pinyin') {
    if (entries.some((e) => e.text.toLowerCase() === reading.whole)) return unchanged;
    const whole = resolvePinyin(reading.whole, entries);
    const parts = reading.parts.length > 1 ? reading.parts.map((p) => resolvePinyin(p, entries)) : [];
    const text = whole ?? (parts.length > 0 && parts.every((p) => p !== null) ? parts.join(' ') : null);
    return text === null ? unchanged : { text, interpretedAs: text, correctedFrom: null };
  }
  if (reading.kind !== 'chinese') return unchanged;

  const known = new Set(entries.map((e) => e.text));
  let changed = false;
  const chunks = reading.chunks.map(({ tokens }) => {
    const out: string[] = [];
    for (let i = 0; i < tokens.length; ) {
      // Longest window first, so 党见品牌 wins over 党见.
      const fix = windowsOf(tokens)
        .filter((w) => w.start === i && !known.has(w.text))
        .sort((a, b) => b.end - a.end)
        .map((w) => {
          const key = computePinyinKeys(w.text).full;
          const length = [...w.text].length;
          const homophone = heaviest(entries.filter((e) => e.pinyin === key && [...e.text].length === length && e.text !== w.text));
          return homophone ? { end: w.end, text: homophone.text } : null;
        })
        .find((f) => f !== null);
      if (fix) {
        out.push(fix.text);
        changed = true;
        i = fix.end;
      } else {
        out.push(tokens[i] ?? '');
        i++;
      }
    }
    return out.join('');
  });
  if (!changed) return unchanged;
  const text = chunks.join(' ');
  return { text, interpretedAs: text, correctedFrom: raw };
}

/** Looks the keys up with `lookUp` (an engine's `vocabulary`) and reads the answer. */
export async function interpretQuery(
  raw: string,
  lookUp: (keys: string[]) => Promise<VocabularyEntry[]>,
): Promise<Interpretation> {
  const keys = listVocabularyKeys(raw);
  if (keys.length === 0) return { text: raw, interpretedAs: null, correctedFrom: null };
  return chooseInterpretation(raw, await lookUp(keys));
}
