/**
 * The stages of the indexing pipeline and what each hands to the next:
 * read-corpus → RawArticle → steps/clean → CleanedArticle → steps/extract → ArticleMetadata
 * → pipeline (segmentation, SimHash, ids) → EngineDocument.
 */
import type { AwardLevel, Script, YearSource } from '../engine/document.js';
import type { Segmentation } from '../engine/analysis/segment.js';

/** Fields a JSON/JSONL article (or an API client) may give; given values win over extracted ones. */
export interface GivenFields {
  id?: string;
  url?: string;
  title?: string;
  text?: string;
  html?: string;
  publishedAt?: string;
  source?: string;
  hospital?: string;
  province?: string;
}

export interface RawArticle extends GivenFields {
  /** Tells a RawArticle from a Rejection in readCorpus's output. */
  kind?: 'article';
  /** Corpus-relative path, plus `#N` (1-based line) for JSONL lines. */
  sourcePath: string;
  format: 'txt' | 'md' | 'html' | 'json' | 'jsonl' | 'api';
  /** Size of this article's input in UTF-8 bytes (for throughput figures). */
  inputBytes: number;
}

export interface CleanedArticle {
  /** The title, once, normalised (Simplified). Empty when none could be found. */
  title: string;
  /** Normalised body without boilerplate, repeated paragraphs or title lines; paragraphs joined by "\n". */
  body: string;
  /**
   * The whole normalised text INCLUDING boilerplate (source lines, date lines,
   * footers): metadata often lives exactly there (来源：…, 发布时间：…, 上一篇 2023年9月14日).
   */
  fullText: string;
  originalScript: Script;
}

export interface ArticleMetadata {
  publishedAt: string | null;
  year: number | null;
  yearSource: YearSource | null;
  source: string | null;
  authors: string[];
  hospital: string | null;
  hospitals: string[];
  hospitalAliases: string[];
  province: string | null;
  city: string | null;
  county: string | null;
  awardNames: string[];
  awardTypes: string[];
  awardLevels: AwardLevel[];
  partyBranches: string[];
  keywords: string[];
  topicality: number;
}

export interface ExtractionInput {
  title: string;
  body: string;
  fullText: string;
  url: string | null;
  given: GivenFields;
  /** The title's and body's segmentation, when the pipeline has cut them already (keywords reuse it). */
  segmented?: { title: Segmentation; body: Segmentation };
}
