/**
 * One article through the pipeline: raw article → clean → extract → segment →
 * fingerprint → EngineDocument. Pure CPU work with no engine: it runs in the
 * build pool's worker threads (build-pool.ts) as well as in-thread.
 */
import { createHash } from 'node:crypto';
import type { EngineDocument } from '../engine/document.js';
import { namesOfHospitalKinds } from '../engine/analysis/hospital-kind.js';
import { dictionaryVersion, indexTokensOf, joinTokens, segmentForIndex, segmentText } from '../engine/analysis/segment.js';
import type { Rejection } from './rejections.js';
import { cleanArticle } from './steps/clean.js';
import { extractMetadata } from './steps/extract.js';
import { computeFingerprint } from './steps/near-duplicates.js';
import type { ArticleMetadata, RawArticle } from './types.js';

/** Bump when a pipeline change must re-process unchanged input. */
export const pipelineVersion = 6;

let versionTag: string | undefined;
export function getVersionTag(): string {
  versionTag ??= `${pipelineVersion}:${dictionaryVersion()}`;
  return versionTag;
}

/** The input fields that define an article: the same input always yields the same document. */
export function inputFingerprint(raw: RawArticle): string {
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
  | {
      ok: true;
      document: EngineDocument;
      bodyKey: string;
      /** What was dropped from the input on the way (a `javascript:` URL…), for the run's log. */
      warnings?: string[];
    }
  | { ok: false; rejection: Rejection };

/**
 * The API's URL rule, for every input: only http(s) URLs become an
 * article's link. A `javascript:` or `data:` URL from a corpus file would
 * otherwise reach every page that renders the hit's link.
 */
export function isArticleUrl(url: string): boolean {
  try {
    const parsed = new URL(url.trim());
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** One article through the whole pipeline. `duplicateOf` is left null: it depends on the corpus. */
export function buildDocument(given: RawArticle, timings?: StageTimings): BuildResult {
  const warnings: string[] = [];
  let raw = given;
  if (given.url !== undefined && given.url.trim() !== '' && !isArticleUrl(given.url)) {
    warnings.push(`url ${JSON.stringify(given.url.slice(0, 100))} dropped: only http(s) URLs are kept`);
    raw = { ...given };
    delete raw.url;
  }
  let t = performance.now();
  const cleaned = cleanArticle(raw);
  if (timings) timings.clean += performance.now() - t;
  if (cleaned.title === '' && cleaned.body === '') {
    return {
      ok: false,
      rejection: { kind: 'rejection', sourcePath: raw.sourcePath, reason: 'empty', detail: 'no article text left after cleaning' },
    };
  }
  // One cut per text: index tokens and keywords both come from it.
  t = performance.now();
  const segmented = { title: segmentText(cleaned.title), body: segmentText(cleaned.body) };
  if (timings) timings.segment += performance.now() - t;

  t = performance.now();
  const meta: ArticleMetadata = extractMetadata({
    title: cleaned.title,
    body: cleaned.body,
    fullText: cleaned.fullText,
    url: raw.url ?? null,
    given: raw,
    segmented,
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
    // The kind's common names, so a query naming the kind (中医院 党建) finds its hospitals' articles in the metadata.
    ...namesOfHospitalKinds(meta.hospitals),
  ]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n');
  const titleTokens = indexTokensOf(segmented.title);
  const bodyTokens = indexTokensOf(segmented.body);
  const metaTokens = segmentForIndex(metaText);
  const fingerprint = computeFingerprint(cleaned.body, meta.hospital);
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
    // The body is normalised already (normalisation is idempotent): no second conversion.
    bodyKey: shortHash(cleaned.body.replace(/\s+/gu, '')),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

