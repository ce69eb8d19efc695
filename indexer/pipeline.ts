/**
 * The indexing pipeline: raw article → clean → extract → segment → fingerprint
 * → EngineDocument, and the corpus-level runs (incremental index, full
 * rebuild) that feed an engine through the SearchEngine port.
 */
import { createHash } from 'node:crypto';
import type { EngineDocument } from '../engine/document.js';
import type { SearchEngine } from '../engine/port.js';
import { dictionaryVersion, joinTokens, segmentForIndex } from '../engine/analysis/segment.js';
import { normaliseText } from '../engine/analysis/normalise.js';
import { readCorpus } from './read-corpus.js';
import type { Rejection } from './rejections.js';
import { cleanArticle } from './steps/clean.js';
import { extractMetadata } from './steps/extract.js';
import { NearDuplicateIndex, computeFingerprint } from './steps/near-duplicates.js';
import type { ArticleMetadata, RawArticle } from './types.js';

/** Bump when a pipeline change must re-process unchanged input. */
export const pipelineVersion = 4;

let versionTag: string | undefined;
function getVersionTag(): string {
  versionTag ??= `${pipelineVersion}:${dictionaryVersion()}`;
  return versionTag;
}

/** The input fields that define an article: the same input always yields the same document. */
function inputFingerprint(raw: RawArticle): string {
  const fields = [raw.id, raw.url, raw.title, raw.text, raw.html, raw.publishedAt, raw.source, raw.hospital, raw.province];
  return createHash('sha1')
    .update(getVersionTag())
    .update('\u0000')
    .update(JSON.stringify(fields))
    .digest('hex')
    .slice(0, 20);
}

/** Hosts differ in scheme, `www.`, trailing slashes and tracking parameters; ids should not. */
export function normaliseUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    u.hash = '';
    for (const key of [...u.searchParams.keys()]) {
      if (/^(utm_|spm$|from$|share)/iu.test(key)) u.searchParams.delete(key);
    }
    const host = u.hostname.toLowerCase().replace(/^www\./u, '');
    const path = u.pathname.replace(/\/+$/u, '');
    const query = u.searchParams.toString();
    return `${host}${path}${query ? `?${query}` : ''}`;
  } catch {
    return url.trim().toLowerCase();
  }
}

function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/**
 * Stable id: the given id, else from the normalised URL, else from the
 * normalised content (so the same text posted twice is one article).
 */
export function deriveId(raw: Pick<RawArticle, 'id' | 'url'>, title: string, body: string): string {
  if (raw.id !== undefined && raw.id.trim() !== '') return raw.id.trim();
  if (raw.url !== undefined && raw.url.trim() !== '') return shortHash(`url:${normaliseUrl(raw.url)}`);
  return shortHash(`content:${title}\n${body.replace(/\s+/gu, '')}`);
}

const sentenceEnd = /[。！？!?；;]/u;

/** The opening sentences of the body, about `max` characters, cut at a sentence end when possible. */
export function summarise(body: string, max = 160): string {
  const flat = body.replace(/\s*\n\s*/gu, ' ').trim();
  if (flat.length <= max) return flat;
  const window = flat.slice(0, max);
  let cut = -1;
  for (let i = window.length - 1; i >= max * 0.5; i--) {
    if (sentenceEnd.test(window[i]!)) {
      cut = i + 1;
      break;
    }
  }
  return cut > 0 ? window.slice(0, cut) : `${window}…`;
}

export interface StageTimings {
  clean: number;
  extract: number;
  segment: number;
}

export type BuildResult =
  | { ok: true; document: EngineDocument; bodyKey: string }
  | { ok: false; rejection: Rejection };

/** One article through the whole pipeline. `duplicateOf` is left null: it depends on the corpus. */
export function buildDocument(raw: RawArticle, timings?: StageTimings): BuildResult {
  let t = performance.now();
  const cleaned = cleanArticle(raw);
  if (timings) timings.clean += performance.now() - t;
  if (cleaned.title === '' && cleaned.body === '') {
    return {
      ok: false,
      rejection: { kind: 'rejection', sourcePath: raw.sourcePath, reason: 'empty', detail: 'no article text left after cleaning' },
    };
  }
  t = performance.now();
  const meta: ArticleMetadata = extractMetadata({
    title: cleaned.title,
    body: cleaned.body,
    fullText: cleaned.fullText,
    url: raw.url ?? null,
    given: raw,
  });
  if (timings) timings.extract += performance.now() - t;

  t = performance.now();
  const metaText = [
    ...meta.hospitals,
    ...meta.hospitalAliases,
    meta.province,
    meta.city,
    meta.county,
    ...meta.awardNames,
    ...meta.awardTypes,
    ...meta.partyBranches,
  ]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n');
  const titleTokens = segmentForIndex(cleaned.title);
  const bodyTokens = segmentForIndex(cleaned.body);
  const metaTokens = segmentForIndex(metaText);
  const fingerprint = computeFingerprint(cleaned.body);
  if (timings) timings.segment += performance.now() - t;

  const id = deriveId(raw, cleaned.title, cleaned.body);
  const document: EngineDocument = {
    id,
    url: raw.url?.trim() || null,
    title: cleaned.title,
    body: cleaned.body,
    summary: summarise(cleaned.body),
    publishedAt: meta.publishedAt,
    year: meta.year,
    yearSource: meta.yearSource,
    source: meta.source,
    authors: meta.authors,
    province: meta.province,
    city: meta.city,
    county: meta.county,
    hospital: meta.hospital,
    hospitals: meta.hospitals,
    hospitalAliases: meta.hospitalAliases,
    awardNames: meta.awardNames,
    awardTypes: meta.awardTypes,
    awardLevels: meta.awardLevels,
    partyBranches: meta.partyBranches,
    keywords: meta.keywords,
    duplicateOf: null,
    originalScript: cleaned.originalScript,
    topicality: meta.topicality,
    titleTokens: joinTokens(titleTokens),
    bodyTokens: joinTokens(bodyTokens),
    metaTokens: joinTokens(metaTokens),
    fingerprint,
    contentHash: inputFingerprint(raw),
    sourcePath: raw.sourcePath,
  };
  return {
    ok: true,
    document,
    bodyKey: shortHash(normaliseText(cleaned.body).replace(/\s+/gu, '')),
  };
}

/**
 * Assigns `duplicateOf` in corpus order: the first copy is canonical, later
 * near-copies point to it. Short texts only count as copies when identical.
 */
export class DuplicateTracker {
  private readonly near = new NearDuplicateIndex();
  private readonly exact = new Map<string, string>();

  /** Seed with canonical documents already in the engine. */
  seed(fingerprints: Map<string, string>): void {
    for (const [id, fingerprint] of fingerprints) this.near.add(id, fingerprint);
  }

  assign(result: Extract<BuildResult, { ok: true }>): void {
    const doc = result.document;
    const exactOf = this.exact.get(result.bodyKey);
    if (exactOf !== undefined && exactOf !== doc.id) {
      doc.duplicateOf = exactOf;
      return;
    }
    const of = this.near.find(doc.fingerprint, doc.id);
    if (of !== null) {
      doc.duplicateOf = of;
      return;
    }
    this.near.add(doc.id, doc.fingerprint);
    if (doc.body !== '') this.exact.set(result.bodyKey, doc.id);
  }
}

export type FieldName =
  | 'title'
  | 'publishedAt'
  | 'year'
  | 'source'
  | 'authors'
  | 'province'
  | 'city'
  | 'county'
  | 'hospital'
  | 'awardNames'
  | 'awardTypes'
  | 'partyBranches'
  | 'keywords';

const reportedFields: FieldName[] = [
  'title',
  'publishedAt',
  'year',
  'source',
  'authors',
  'province',
  'city',
  'county',
  'hospital',
  'awardNames',
  'awardTypes',
  'partyBranches',
  'keywords',
];

export interface IndexSummary {
  /** Articles read (files + JSONL lines) that produced a document. */
  articles: number;
  /** Documents written to the engine (new or changed). */
  indexed: number;
  unchanged: number;
  deleted: number;
  duplicates: number;
  rejections: Rejection[];
  /** Share of indexed documents with a value, per field (0..1). */
  fillRates: Record<FieldName, number>;
  inputBytes: number;
  seconds: number;
  stageSeconds: { read: number; clean: number; extract: number; segment: number; write: number };
}

export interface IndexProgress {
  processed: number;
  sourcePath: string;
}

export interface IndexOptions {
  engine: SearchEngine;
  corpusDir: string;
  /** Re-process every article even when its input is unchanged. */
  force?: boolean;
  onProgress?: (progress: IndexProgress) => void;
  /** Called with every document built (the CLI's `--out`). */
  onDocument?: (document: EngineDocument) => void;
}

function hasValue(doc: EngineDocument, field: FieldName): boolean {
  const v = doc[field];
  return Array.isArray(v) ? v.length > 0 : v !== null && v !== '';
}

const batchSize = 500;

class RunStats {
  readonly fillCounts = new Map<FieldName, number>();
  readonly rejections: Rejection[] = [];
  readonly timings: StageTimings = { clean: 0, extract: 0, segment: 0 };
  articles = 0;
  duplicates = 0;
  inputBytes = 0;
  write = 0;
  read = 0;
  readonly started = performance.now();

  count(doc: EngineDocument): void {
    for (const f of reportedFields) if (hasValue(doc, f)) this.fillCounts.set(f, (this.fillCounts.get(f) ?? 0) + 1);
    if (doc.duplicateOf !== null) this.duplicates++;
  }

  summary(indexed: number, unchanged: number, deleted: number): IndexSummary {
    const fillRates = {} as Record<FieldName, number>;
    const counted = Math.max(1, indexed);
    for (const f of reportedFields) fillRates[f] = (this.fillCounts.get(f) ?? 0) / counted;
    const ms = (x: number): number => x / 1000;
    return {
      articles: this.articles,
      indexed,
      unchanged,
      deleted,
      duplicates: this.duplicates,
      rejections: this.rejections,
      fillRates,
      inputBytes: this.inputBytes,
      seconds: ms(performance.now() - this.started),
      stageSeconds: {
        read: ms(this.read),
        clean: ms(this.timings.clean),
        extract: ms(this.timings.extract),
        segment: ms(this.timings.segment),
        write: ms(this.write),
      },
    };
  }
}

/**
 * Brings the engine in line with the corpus directory: new and changed
 * articles are (re)indexed, removed ones deleted, unchanged ones only checked.
 */
export async function indexCorpus(options: IndexOptions): Promise<IndexSummary> {
  const { engine, corpusDir } = options;
  const stats = new RunStats();
  const known = await engine.contentHashes();
  const idsByHash = new Map<string, string[]>();
  for (const [id, h] of known) {
    const ids = idsByHash.get(h);
    if (ids) ids.push(id);
    else idsByHash.set(h, [id]);
  }
  const seen = new Set<string>();
  const tracker = new DuplicateTracker();
  tracker.seed(await engine.dedupeFingerprints());

  let batch: EngineDocument[] = [];
  let indexed = 0;
  let unchanged = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const t = performance.now();
    await engine.upsert(batch);
    stats.write += performance.now() - t;
    indexed += batch.length;
    batch = [];
  };

  let readStart = performance.now();
  let processed = 0;
  for await (const item of readCorpus(corpusDir)) {
    stats.read += performance.now() - readStart;
    processed++;
    if (item.kind === 'rejection') {
      stats.rejections.push(item);
    } else {
      stats.articles++;
      stats.inputBytes += item.inputBytes;
      const hash = options.force ? null : inputFingerprint(item);
      const unchangedIds = hash === null ? undefined : idsByHash.get(hash);
      if (unchangedIds) {
        // Unchanged input: keep the stored document; only remember its id.
        for (const id of unchangedIds) {
          seen.add(id);
          if (options.onDocument) {
            const stored = await engine.get(id);
            if (stored) options.onDocument(stored);
          }
        }
        unchanged++;
      } else {
        const result = buildDocument(item, stats.timings);
        if (!result.ok) {
          stats.rejections.push(result.rejection);
        } else {
          tracker.assign(result);
          seen.add(result.document.id);
          stats.count(result.document);
          options.onDocument?.(result.document);
          batch.push(result.document);
          if (batch.length >= batchSize) await flush();
        }
      }
      options.onProgress?.({ processed, sourcePath: item.sourcePath });
    }
    readStart = performance.now();
  }
  await flush();

  const stale = [...known.keys()].filter((id) => !seen.has(id));
  if (stale.length > 0) await engine.delete(stale);
  return stats.summary(indexed, unchanged, stale.length);
}

/**
 * Rebuilds the whole index from the corpus into a fresh index and swaps it in:
 * searches are answered from the old index until the new one is complete.
 */
export async function rebuildIndex(options: IndexOptions): Promise<IndexSummary> {
  const { engine, corpusDir } = options;
  const stats = new RunStats();
  const tracker = new DuplicateTracker();
  let built = 0;
  async function* documents(): AsyncGenerator<EngineDocument> {
    let processed = 0;
    for await (const item of readCorpus(corpusDir)) {
      processed++;
      if (item.kind === 'rejection') {
        stats.rejections.push(item);
        continue;
      }
      stats.articles++;
      stats.inputBytes += item.inputBytes;
      const result = buildDocument(item, stats.timings);
      if (!result.ok) {
        stats.rejections.push(result.rejection);
        continue;
      }
      tracker.assign(result);
      stats.count(result.document);
      options.onDocument?.(result.document);
      options.onProgress?.({ processed, sourcePath: item.sourcePath });
      built++;
      yield result.document;
    }
  }
  const t = performance.now();
  await engine.replaceAll(documents());
  stats.write = performance.now() - t;
  return stats.summary(built, 0, 0);
}
