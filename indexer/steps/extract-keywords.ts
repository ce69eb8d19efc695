/**
 * Keywords for related-article lookups: the top TF-IDF terms (jieba's
 * extractor via engine/analysis/segment.ts), without stopwords and the words
 * every article in this corpus shares (config/data/keyword-stopwords.txt).
 */
import { loadKeywordStopwords, loadStopwords } from '../../config/data.js';
import { extractKeywords } from '../../engine/analysis/segment.js';

const defaultLimit = 12;
// TF-IDF over the opening of a long article is as telling and keeps jieba's cost bounded.
const maxBodyChars = 4000;

export function extractArticleKeywords(input: { title: string; body: string }, limit = defaultLimit): string[] {
  const generic = loadKeywordStopwords();
  const stop = loadStopwords();
  // The title counts twice: it names what the article is about.
  const text = `${input.title}\n${input.title}\n${input.body.slice(0, maxBodyChars)}`;
  const out: string[] = [];
  for (const word of extractKeywords(text, limit * 3)) {
    if (generic.has(word) || stop.has(word) || /^[\d.%]+$/u.test(word) || /^[a-z]$/u.test(word)) continue;
    out.push(word);
    if (out.length >= limit) break;
  }
  return out;
}
