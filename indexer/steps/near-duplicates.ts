/**
 * Near-duplicate detection: the same news reposted by several sites with a
 * different header, footer or source line, small edits, or cut down to an
 * excerpt — and not two articles that only share the formulaic sentences of
 * this field (以习近平新时代中国特色社会主义思想为指导…) or the boilerplate of one
 * list of honours naming different hospitals.
 *
 * Reposts are rewritten too much for SimHash (measured on the dev reposts:
 * 15–18 differing bits, as far apart as unrelated articles), but they keep
 * long runs of identical characters. So the fingerprint is a content-defined
 * sample of character 6-gram hashes (those ≡ 0 mod 16): a shingle sampled in
 * one copy is sampled in every copy that contains it.
 *
 * Two articles are near-duplicates when
 * - they are about the same hospital, or neither names one (the hospital is
 *   part of the fingerprint: `@<key>` before the samples), and
 * - most of the smaller one's distinctive samples occur in the other
 *   (containment, which also catches excerpts). A sample is stock phrasing,
 *   not evidence of copying, when many articles seen so far share it; it then
 *   counts on neither side, so a repost is judged by what is its own.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../../config/data.js';

const shingleLength = 6;
const sampleModulus = 16;
export const minContainment = 0.35;
/** Below this many (distinctive) samples a text is too short to judge: only exact copies count. */
export const minSamples = 5;
/** A sample shared by this many articles, or this share of them, is stock phrasing. */
const stockArticles = 20;
const stockShare = 0.005;
/** Postings kept per sample: beyond every stock threshold in use, so lists below it are complete. */
const maxPostings = 1000;

function fnv1a(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The hospital as it goes into a fingerprint: a short key, or none. */
function hospitalKey(hospital: string | null | undefined): string | null {
  if (hospital === null || hospital === undefined || hospital.trim() === '') return null;
  return createHash('sha1').update(hospital.trim()).digest('hex').slice(0, 10);
}

let stockPhrases: RegExp | null | undefined;

/** config/data/stock-phrases.txt as one pattern (null when empty), longest phrases first. */
function loadStockPhrases(): RegExp | null {
  if (stockPhrases !== undefined) return stockPhrases;
  const phrases = readFileSync(join(dataDir, 'stock-phrases.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const phrase of phrases) {
    if ((phrase.match(/[\u3400-\u9fff]/gu) ?? []).length < 4) throw new Error(`config/data/stock-phrases.txt: "${phrase}" is not a Chinese phrase of four or more characters`);
  }
  const escaped = [...new Set(phrases)].sort((a, b) => b.length - a.length).map((p) => p.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'));
  stockPhrases = escaped.length === 0 ? null : new RegExp(escaped.join('|'), 'gu');
  return stockPhrases;
}

/**
 * Sampled shingle hashes of the text's letters and digits (punctuation and
 * spacing ignored), stock phrases left out, after the article's hospital when
 * it has one.
 */
export function computeFingerprint(text: string, hospital?: string | null): string {
  const stock = loadStockPhrases();
  // A stock phrase becomes a break: no shingle spans the text around it.
  const distinctive = stock === null ? text : text.replace(stock, '。');
  const samples = new Set<number>();
  for (const part of distinctive.split(/[。]/u)) addSamples(part, samples);
  const key = hospitalKey(hospital);
  const hex = [...samples].map((h) => h.toString(16)).join(' ');
  return key === null ? hex : hex === '' ? `@${key}` : `@${key} ${hex}`;
}

function addSamples(text: string, samples: Set<number>): void {
  const letters = text.replace(/[^\u3400-\u9fffA-Za-z0-9]/gu, '');
  for (let i = 0; i + shingleLength <= letters.length; i++) {
    const h = fnv1a(letters, i, i + shingleLength);
    if (h % sampleModulus === 0) samples.add(h);
  }
}

interface ParsedFingerprint {
  hospital: string | null;
  samples: Uint32Array;
}

function parseFingerprint(fingerprint: string): ParsedFingerprint {
  let hospital: string | null = null;
  const parts = fingerprint === '' ? [] : fingerprint.split(' ');
  if (parts[0]?.startsWith('@')) hospital = parts.shift()!.slice(1);
  const samples = new Uint32Array(parts.length);
  for (let i = 0; i < parts.length; i++) samples[i] = parseInt(parts[i]!, 16);
  return { hospital, samples };
}

export function fingerprintSize(fingerprint: string): number {
  return parseFingerprint(fingerprint).samples.length;
}

/** Share of the smaller fingerprint's samples found in the other one (every sample counts). */
export function containment(a: string, b: string): number {
  const sa = parseFingerprint(a).samples;
  const sb = new Set(parseFingerprint(b).samples);
  const small = Math.min(sa.length, sb.size);
  if (small === 0) return 0;
  let shared = 0;
  for (const h of sa) if (sb.has(h)) shared++;
  return shared / small;
}

/**
 * Canonical articles seen so far, in corpus order, with an inverted index
 * from sample to articles. `find` returns the earliest registered article
 * that the candidate overlaps enough: reposts point to the first copy.
 */
export class NearDuplicateIndex {
  private readonly ids: string[] = [];
  private readonly hospitals: Array<string | null> = [];
  private readonly samples: Uint32Array[] = [];
  private readonly byId = new Map<string, number>();
  /** Sample → articles (by registration order) carrying it, up to maxPostings. */
  private readonly postings = new Map<number, number[]>();
  /** Sample → how many articles carry it (also past maxPostings). */
  private readonly frequency = new Map<number, number>();

  get size(): number {
    return this.ids.length;
  }

  add(id: string, fingerprint: string): void {
    if (this.byId.has(id)) return;
    const { hospital, samples } = parseFingerprint(fingerprint);
    if (samples.length < minSamples) return;
    const at = this.ids.length;
    this.ids.push(id);
    this.hospitals.push(hospital);
    this.samples.push(samples);
    this.byId.set(id, at);
    for (const h of samples) {
      this.frequency.set(h, (this.frequency.get(h) ?? 0) + 1);
      const list = this.postings.get(h);
      if (!list) this.postings.set(h, [at]);
      else if (list.length < maxPostings) list.push(at);
    }
  }

  find(fingerprint: string, selfId: string): string | null {
    const { hospital, samples } = parseFingerprint(fingerprint);
    const stock = Math.min(maxPostings, Math.max(stockArticles, Math.ceil(this.ids.length * stockShare)));
    const isStock = (h: number): boolean => (this.frequency.get(h) ?? 0) >= stock;
    const self = this.byId.get(selfId);
    const shared = new Map<number, number>();
    let distinctive = 0;
    for (const h of samples) {
      if (isStock(h)) continue;
      distinctive++;
      for (const at of this.postings.get(h) ?? []) if (at !== self) shared.set(at, (shared.get(at) ?? 0) + 1);
    }
    if (distinctive < minSamples) return null;
    let best: number | null = null;
    for (const [at, count] of shared) {
      if (this.hospitals[at] !== hospital) continue;
      if (count < minContainment * minSamples) continue;
      // The other side's distinctive samples are counted only when its whole size does not settle it.
      const other = this.samples[at]!;
      if (count / Math.max(minSamples, Math.min(distinctive, other.length)) < minContainment) {
        let otherDistinctive = 0;
        for (const h of other) if (!isStock(h)) otherDistinctive++;
        if (count / Math.max(minSamples, Math.min(distinctive, otherDistinctive)) < minContainment) continue;
      }
      if (best === null || at < best) best = at;
    }
    return best === null ? null : this.ids[best]!;
  }
}
