/**
 * Topicality: 0..1, how much an article is about Party-building work in a
 * hospital. Off-topic pages often contain the same words (a hospital profile
 * from a content farm, a democratic-party bulletin, spam around a real
 * story), so the score needs both a density of Party-building vocabulary and
 * a hospital setting, and is pulled down by spam, democratic-party and
 * content-farm markers and by title-only stubs. Vocabulary: config/data/topic.json.
 */
import { loadTopicVocabulary } from '../../config/data.js';

const vocab = loadTopicVocabulary();

function weightedCount(text: string, weights: Record<string, number>): number {
  let total = 0;
  for (const [term, weight] of Object.entries(weights)) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(term, from);
      if (at < 0) break;
      total += weight;
      from = at + term.length;
    }
  }
  return total;
}

function countMarkers(text: string, markers: readonly string[]): number {
  let n = 0;
  for (const m of markers) if (text.includes(m)) n++;
  return n;
}

const cjk = /[\u3400-\u9fff]/gu;

/**
 * `body` is the cleaned article; `fullText` (the whole page) is only searched
 * for spam, which cleaning may already have cut out of the body.
 */
export function scoreTopicality(input: { title: string; body: string; fullText?: string }): number {
  const text = `${input.title}\n${input.body}`;
  const chars = (text.match(cjk) ?? []).length;
  if (chars === 0) return 0;
  // Densities per 100 characters, with a floor so a two-line stub cannot look dense.
  const span = Math.max(chars, 300) / 100;
  const party = weightedCount(text, vocab.partyTerms) / span;
  const hospital = weightedCount(text, vocab.hospitalTerms) / span;
  const partyScore = 1 - Math.exp(-party / 2.5);
  const hospitalScore = 1 - Math.exp(-hospital / 1.5);
  let score = Math.sqrt(partyScore * hospitalScore) * (0.6 + 0.4 * partyScore);

  const spam = countMarkers(input.fullText ?? text, vocab.spamMarkers);
  if (spam > 0) score *= spam >= 3 ? 0.3 : 0.45;
  const offTopic = countMarkers(text, vocab.offTopicMarkers);
  if (offTopic > 0) score *= offTopic >= 2 ? 0.5 : 0.75;
  const farm = countMarkers(text, vocab.contentFarmMarkers);
  if (farm >= 2) score *= 0.6;
  if (chars < 60) score *= 0.25;
  else if (chars < 200) score *= 0.7;
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}
