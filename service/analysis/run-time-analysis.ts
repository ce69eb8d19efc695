/**
 * Changing the synonyms or the dictionary while the service runs: the new
 * lists are stored, the segmenter and the query expansions reloaded, the
 * build workers restarted (they hold their own segmenter), the engine's own
 * settings updated where it has any (Meilisearch), and then, in the
 * background, only the documents that contain a changed word are segmented
 * again. The index keeps serving throughout: documents are rewritten in small
 * batches through the write queue, between other writes.
 */
import { randomUUID } from 'node:crypto';
import {
  getAnalysisOverrides,
  loadShippedAnalysisData,
  setAnalysisOverrides,
  type AnalysisOverrides,
  type DictionaryEntry,
  type SynonymsFile,
} from '../../config/data.js';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { resetExpansions } from '../../engine/analysis/query.js';
import { reloadSegmenter } from '../../engine/analysis/segment.js';
import type { EngineDocument } from '../../engine/document.js';
import type { SearchEngine } from '../../engine/port.js';
import { resegment } from '../../engine/sqlite/resegment.js';
import type { BuildPool } from '../../indexer/build-pool.js';
import type { AnalysisTask } from '../schemas.js';
import type { WriteQueue } from '../write-queue.js';
import { writeDictionary, writeSynonyms } from './overrides-store.js';

const batchSize = 200;
const keptTasks = 100;

/** Every word a list makes jieba keep whole (synonym forms with spaces are phrases, not words). */
export function wordsOf(overrides: AnalysisOverrides): Set<string> {
  const words = new Set<string>();
  const add = (w: string): void => {
    const n = normaliseText(w).replace(/\s+/gu, '');
    if (n !== '' && !/[\s、,，]/u.test(w)) words.add(n);
  };
  for (const group of overrides.synonyms.groups) for (const w of group) add(w);
  for (const { term, alsoMatches } of overrides.synonyms.oneWay) for (const w of [term, ...alsoMatches]) add(w);
  for (const e of overrides.dictionary) add(e.word);
  return words;
}

export function changedWords(before: AnalysisOverrides, after: AnalysisOverrides): string[] {
  const a = wordsOf(before);
  const b = wordsOf(after);
  return [...new Set([...[...a].filter((w) => !b.has(w)), ...[...b].filter((w) => !a.has(w))])].sort();
}

/** True when the document's text, or a field that is segmented with it, contains one of `words`. */
export function containsAny(document: EngineDocument, words: readonly string[]): boolean {
  const text = [document.title, document.body, ...document.hospitals, ...document.hospitalAliases, ...document.awardNames, ...document.partyBranches]
    .filter((v): v is string => typeof v === 'string')
    .join('\n');
  return words.some((w) => text.includes(w));
}

/** At start-up: put the stored lists in force (reloading what derives from them if they differ from those loaded). */
export function adoptStoredOverrides(stored: AnalysisOverrides): void {
  if (JSON.stringify(stored) === JSON.stringify(getAnalysisOverrides())) return;
  setAnalysisOverrides(stored);
  reloadSegmenter();
  resetExpansions();
}

export interface RunTimeAnalysisOptions {
  engine: SearchEngine;
  writes: WriteQueue;
  /** DATA_DIR/analysis; undefined keeps changes in memory only (tests building an app). */
  dir: string | undefined;
  /** The build pool to restart after a change (default: none to restart). */
  pool?: BuildPool | undefined;
  log?: (entry: Record<string, unknown>, message: string) => void;
}

export class RunTimeAnalysis {
  private readonly tasks = new Map<string, AnalysisTask>();
  /** Re-segmentations run one after another, each for its own change. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: RunTimeAnalysisOptions) {}

  synonyms(): SynonymsFile {
    return getAnalysisOverrides().synonyms;
  }

  dictionary(): DictionaryEntry[] {
    return getAnalysisOverrides().dictionary;
  }

  shipped(): { groups: number; oneWay: number; dictionary: number } {
    const data = loadShippedAnalysisData();
    return { groups: data.synonyms.groups.length, oneWay: data.synonyms.oneWay.length, dictionary: data.dictionary.length };
  }

  task(id: string): AnalysisTask | undefined {
    return this.tasks.get(id);
  }

  async setSynonyms(synonyms: SynonymsFile): Promise<AnalysisTask> {
    return this.change('synonyms', { ...getAnalysisOverrides(), synonyms }, async (dir) => writeSynonyms(dir, synonyms));
  }

  async setDictionary(dictionary: DictionaryEntry[]): Promise<AnalysisTask> {
    return this.change('dictionary', { ...getAnalysisOverrides(), dictionary }, async (dir) => writeDictionary(dir, dictionary));
  }

  /** Resolves when every queued re-segmentation has finished (tests, shutdown). */
  async idle(): Promise<void> {
    await this.queue;
  }

  private async change(kind: AnalysisTask['kind'], next: AnalysisOverrides, store: (dir: string) => Promise<void>): Promise<AnalysisTask> {
    const { engine, writes, dir, pool } = this.options;
    // In the write queue: no article is being built while the segmenters change.
    const words = await writes.run(async () => {
      const before = getAnalysisOverrides();
      if (dir !== undefined) await store(dir);
      setAnalysisOverrides(next);
      reloadSegmenter();
      resetExpansions();
      await pool?.restart();
      return changedWords(before, next);
    });
    if (engine.applyAnalysisSettings) await engine.applyAnalysisSettings();
    const task: AnalysisTask = {
      id: randomUUID(),
      kind,
      status: 'queued',
      words: words.length,
      total: 0,
      scanned: 0,
      resegmented: 0,
      createdAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.remember(task);
    this.queue = this.queue.then(() => this.resegmentAffected(task, words));
    return { ...task };
  }

  private remember(task: AnalysisTask): void {
    this.tasks.set(task.id, task);
    while (this.tasks.size > keptTasks) {
      const oldest = this.tasks.keys().next().value;
      if (oldest === undefined) break;
      this.tasks.delete(oldest);
    }
  }

  private async resegmentAffected(task: AnalysisTask, words: string[]): Promise<void> {
    const { engine, writes } = this.options;
    task.status = 'running';
    try {
      const ids = words.length === 0 ? [] : [...(await engine.contentHashes()).keys()];
      task.total = ids.length;
      for (let at = 0; at < ids.length; at += batchSize) {
        const batch = ids.slice(at, at + batchSize);
        // Read and rewritten in one turn of the queue, so a concurrent post of the same article is never overwritten.
        task.resegmented += await writes.run(async () => {
          const docs = (await Promise.all(batch.map((id) => engine.get(id)))).filter((d): d is EngineDocument => d !== null);
          const affected = docs.filter((d) => containsAny(d, words)).map((d) => resegment(d));
          if (affected.length > 0) await engine.upsert(affected);
          return affected.length;
        });
        task.scanned += batch.length;
      }
      task.status = 'succeeded';
    } catch (error) {
      task.status = 'failed';
      task.error = error instanceof Error ? error.message : String(error);
    }
    task.finishedAt = new Date().toISOString();
    this.options.log?.({ taskId: task.id, kind: task.kind, status: task.status, resegmented: task.resegmented, words: task.words }, 'analysis change applied');
  }
}
