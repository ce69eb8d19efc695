/**
 * Keywords for related-article lookups: the top TF-IDF terms (jieba's IDF
 * table, via engine/analysis/segment.ts), without stopwords and the words
 * every article in this corpus shares (config/data/keyword-stopwords.txt).
 *
 * The words come from the same cut as the index tokens when the pipeline
 * passes it (`segmented`): the cut is the costly part, and cutting the text
 * once more for keywords cost more than the index segmentation itself.
 */
import { loadKeywordStopwords, loadStopwords } from '../../config/data.js';
import { rankKeywords, segmentText, type Segmentation } from '../../engine/analysis/segment.js';

const defaultLimit = 12;
// TF-IDF over the opening of a long article is as telling and keeps the cost bounded.
const maxBodyChars = 4000;

export interface KeywordInput {
  title: string;
  body: string;
  /** The title's and body's segmentation, when the caller has it already. */
  segmented?: { title: Segmentation; body: Segmentation };
}

function candidateWords(title: Segmentation, body: Segmentation): string[] {
  // The title counts twice: it names what the article is about.
  const words = [...title.words, ...title.words];
  for (let i = 0; i < body.words.length && body.starts[i]! < maxBodyChars; i++) words.push(body.words[i]!);
  return words;
}

export function extractArticleKeywords(input: KeywordInput, limit = defaultLimit): string[] {
  const generic = loadKeywordStopwords();
  const stop = loadStopwords();
  const title = input.segmented?.title ?? segmentText(input.title);
  const body = input.segmented?.body ?? segmentText(input.body.slice(0, maxBodyChars));
  const out: string[] = [];
  for (const word of rankKeywords(candidateWords(title, body), limit * 3)) {
    if (generic.has(word) || stop.has(word) || /^[\d.%]+$/u.test(word) || /^[a-z]$/u.test(word)) continue;
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}
