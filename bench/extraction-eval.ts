/**
 * Extraction accuracy on the labelled dev corpus (tests/fixtures/corpus-dev):
 * every article goes through the real pipeline steps (cleanArticle, then
 * extractMetadata) and each field is compared with the hand labels, which
 * are normalised the same way as our output (Traditional labels become
 * Simplified). Shared by tests/unit/extraction-accuracy.test.ts and
 * `npm run eval`.
 *
 * Per field:
 * - province, city, county, year, publishedAt, source: exact match (both empty counts);
 * - hospital: the main hospital is one of the labelled hospitals, or both are empty;
 * - awardNames, partyBranches: recall over all labelled names (micro), with
 *   precision reported next to it;
 * - awardLevels: the set of levels equals the labelled set;
 * - topicality: mean score of on-topic and off-topic articles.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normaliseText } from '../engine/analysis/normalise.js';
import { cleanArticle } from '../indexer/steps/clean.js';
import { extractMetadata } from '../indexer/steps/extract.js';
import type { ArticleMetadata, RawArticle } from '../indexer/types.js';

import { devArticlesFile } from './dev-articles.js';

export { devArticlesFile };

const labelsSchema = z.object({
  hospitals: z.array(z.string()),
  hospital_aliases_in_text: z.array(z.string()),
  province: z.string().nullable(),
  city: z.string().nullable(),
  county: z.string().nullable(),
  published_at: z.string().nullable(),
  year: z.number().int().nullable(),
  award_names: z.array(z.string()),
  award_levels: z.array(z.string()),
  source: z.string().nullable(),
  party_branches: z.array(z.string()),
});

const articleSchema = z.object({
  id: z.string(),
  url: z.string(),
  title: z.string().nullable(),
  text: z.string(),
  off_topic: z.boolean(),
  labels: labelsSchema,
});
export type LabelledArticle = z.infer<typeof articleSchema>;

export interface FieldAccuracy {
  /** Share of correct items, 0..1. */
  accuracy: number;
  /** Items compared: articles, or labelled names for recall, or predicted names for precision. */
  total: number;
  correct: number;
}

export interface ExtractionReport {
  articles: number;
  fields: Record<string, FieldAccuracy>;
  /** One line per miss: `r012 hospital: got …; want …`. */
  misses: string[];
  topicality: { onTopicMean: number; offTopicMean: number };
}

export function loadLabelledArticles(file = devArticlesFile): LabelledArticle[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => articleSchema.parse(JSON.parse(line)));
}

/** The pipeline's view of a labelled article: cleaned, then extracted. */
export function extractLabelledArticle(article: LabelledArticle): ArticleMetadata {
  const raw: RawArticle = {
    sourcePath: `articles.jsonl#${article.id}`,
    format: 'jsonl',
    inputBytes: Buffer.byteLength(article.text),
    url: article.url,
    text: article.text,
    ...(article.title !== null ? { title: article.title } : {}),
  };
  const cleaned = cleanArticle(raw);
  return extractMetadata({
    title: cleaned.title,
    body: cleaned.body,
    fullText: cleaned.fullText,
    url: article.url,
    given: { url: article.url, ...(article.title !== null ? { title: article.title } : {}) },
  });
}

class Tally {
  correct = 0;
  total = 0;
  add(ok: boolean, weight = 1): void {
    this.total += weight;
    if (ok) this.correct += weight;
  }
  result(): FieldAccuracy {
    return { accuracy: this.total === 0 ? 1 : this.correct / this.total, total: this.total, correct: this.correct };
  }
}

const norm = (v: string | null): string | null => (v === null ? null : normaliseText(v).trim());
const show = (v: unknown): string => JSON.stringify(v);

export function evaluateExtraction(articles: LabelledArticle[] = loadLabelledArticles()): ExtractionReport {
  const tallies = new Map<string, Tally>();
  const tally = (field: string): Tally => {
    let t = tallies.get(field);
    if (!t) {
      t = new Tally();
      tallies.set(field, t);
    }
    return t;
  };
  const misses: string[] = [];
  const onTopic: number[] = [];
  const offTopic: number[] = [];

  for (const article of articles) {
    const got = extractLabelledArticle(article);
    const want = article.labels;
    const exact = (field: string, g: string | number | null, w: string | number | null): void => {
      const ok = g === w;
      tally(field).add(ok);
      if (!ok) misses.push(`${article.id} ${field}: got ${show(g)}; want ${show(w)}`);
    };
    exact('province', got.province, want.province);
    exact('city', got.city, want.city);
    exact('county', got.county, norm(want.county));
    exact('year', got.year, want.year);
    exact('publishedAt', got.publishedAt, want.published_at);
    exact('source', got.source, norm(want.source));

    const hospitals = want.hospitals.map((h) => normaliseText(h));
    const hospitalOk = hospitals.length === 0 ? got.hospital === null : got.hospital !== null && hospitals.includes(got.hospital);
    tally('hospital').add(hospitalOk);
    if (!hospitalOk) misses.push(`${article.id} hospital: got ${show(got.hospital)}; want ${show(hospitals)}`);

    const recall = (field: string, gotNames: string[], wantNames: string[]): void => {
      const wanted = [...new Set(wantNames.map((n) => normaliseText(n)))];
      for (const name of wanted) {
        const ok = gotNames.includes(name);
        tally(field).add(ok);
        if (!ok) misses.push(`${article.id} ${field}: missed ${show(name)} (got ${show(gotNames)})`);
      }
      for (const name of gotNames) tally(`${field}Precision`).add(wanted.includes(name));
    };
    recall('awardNames', got.awardNames, want.award_names);
    recall('partyBranches', got.partyBranches, want.party_branches);

    const levelsOk = [...got.awardLevels].sort().join(',') === [...want.award_levels].sort().join(',');
    tally('awardLevels').add(levelsOk);
    if (!levelsOk) misses.push(`${article.id} awardLevels: got ${show(got.awardLevels)}; want ${show(want.award_levels)}`);

    (article.off_topic ? offTopic : onTopic).push(got.topicality);
  }

  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  const order = ['province', 'city', 'county', 'hospital', 'year', 'publishedAt', 'source', 'awardNames', 'awardNamesPrecision', 'awardLevels', 'partyBranches', 'partyBranchesPrecision'];
  const fields: Record<string, FieldAccuracy> = {};
  for (const field of order) {
    const t = tallies.get(field);
    if (t) fields[field] = t.result();
  }
  return { articles: articles.length, fields, misses, topicality: { onTopicMean: mean(onTopic), offTopicMean: mean(offTopic) } };
}

/** A fixed-width table of the figures, for test output and the eval command. */
export function formatExtractionReport(report: ExtractionReport): string {
  const lines = [`Extraction accuracy on ${report.articles} dev articles`, `${'field'.padEnd(24)}${'accuracy'.padEnd(10)}correct/total`];
  for (const [field, f] of Object.entries(report.fields)) {
    lines.push(`${field.padEnd(24)}${f.accuracy.toFixed(3).padEnd(10)}${f.correct}/${f.total}`);
  }
  lines.push(
    `${'topicality on/off mean'.padEnd(24)}${report.topicality.onTopicMean.toFixed(3)} / ${report.topicality.offTopicMean.toFixed(3)}`,
  );
  return lines.join('\n');
}
