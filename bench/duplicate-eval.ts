/**
 * Near-duplicate precision: the dev corpus's labelled reposts plus the
 * look-alike pairs of tests/fixtures/look-alikes (articles that share
 * boilerplate but are not reposts), run through the pipeline and the
 * duplicate tracker in corpus order, as indexing does.
 *
 * - precision: articles marked as a repost that really are one (a labelled
 *   dev repost pointing at its original), over every article marked;
 * - look-alikes kept apart: pairs in which neither article was folded into
 *   the other.
 * Recall is `duplicateOf` in the extraction table (read back from the index).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { sharedBuildPool } from '../indexer/build-pool.js';
import { DuplicateTracker } from '../indexer/pipeline.js';
import type { RawArticle } from '../indexer/types.js';

const repoRoot = join(import.meta.dirname, '..');
export const lookAlikesFile = join(repoRoot, 'tests/fixtures/look-alikes/pairs.jsonl');
const devArticlesFile = join(repoRoot, 'tests/fixtures/corpus-dev/articles.jsonl');

const sideSchema = z.object({ title: z.string(), text: z.string() });
const pairSchema = z.object({ id: z.string(), why: z.string(), a: sideSchema, b: sideSchema });
export type LookAlikePair = z.infer<typeof pairSchema>;

const devSchema = z.object({
  id: z.string(),
  url: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  text: z.string(),
  near_duplicate_of: z.string().nullable(),
});

export function loadLookAlikePairs(file = lookAlikesFile): LookAlikePair[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const parsed = pairSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

export interface DuplicateEvaluation {
  flagged: number;
  flaggedCorrectly: number;
  precision: number;
  pairs: number;
  pairsKeptApart: number;
  misses: string[];
}

function raw(id: string, title: string | null | undefined, text: string, url?: string | null): RawArticle {
  const article: RawArticle = { id, text, sourcePath: id, format: 'json', inputBytes: Buffer.byteLength(text) };
  if (title) article.title = title;
  if (url) article.url = url;
  return article;
}

export async function evaluateDuplicates(): Promise<DuplicateEvaluation> {
  const dev = readFileSync(devArticlesFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => devSchema.parse(JSON.parse(line)));
  const pairs = loadLookAlikePairs();
  const truth = new Map(dev.map((a) => [a.id, a.near_duplicate_of]));
  const inputs: RawArticle[] = [
    ...dev.map((a) => raw(a.id, a.title, a.text, a.url)),
    ...pairs.flatMap((p) => [raw(`${p.id}/a`, p.a.title, p.a.text), raw(`${p.id}/b`, p.b.title, p.b.text)]),
  ];
  const pool = sharedBuildPool();
  const built = await Promise.all(inputs.map((input) => pool.build(input)));
  const tracker = new DuplicateTracker();
  const duplicateOf = new Map<string, string | null>();
  for (const { result } of built) {
    if (!result.ok) continue;
    tracker.assign(result);
    duplicateOf.set(result.document.id, result.document.duplicateOf);
  }
  const misses: string[] = [];
  let flagged = 0;
  let flaggedCorrectly = 0;
  for (const [id, of] of duplicateOf) {
    if (of === null) continue;
    flagged++;
    if (truth.has(id) && truth.get(id) === of) flaggedCorrectly++;
    else misses.push(`${id} marked as a repost of ${of}`);
  }
  const pairsKeptApart = pairs.filter((p) => duplicateOf.get(`${p.id}/a`) === null && duplicateOf.get(`${p.id}/b`) === null).length;
  return { flagged, flaggedCorrectly, precision: flagged === 0 ? 1 : flaggedCorrectly / flagged, pairs: pairs.length, pairsKeptApart, misses };
}
