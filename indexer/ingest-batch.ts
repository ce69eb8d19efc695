/**
 * Batch writes from the HTTP API: every article is validated, built and
 * deduplicated on its own, as a single post would be, and the good ones are
 * written together: new articles share one JSON-lines file in the corpus
 * (one fsync), every touched file is written once, and the engine gets one
 * upsert for the whole batch. A bad article is a result, never an exception
 * that stops the others.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineDocument } from '../engine/document.js';
import type { BuildResult } from './build-document.js';
import { sharedBuildPool } from './build-pool.js';
import { apiArticlesDir, insideCorpus, prepareArticle, writeFileAtomic, type IngestContext } from './ingest.js';
import { DuplicateTracker, deriveId } from './pipeline.js';
import type { GivenFields } from './types.js';

export type BatchItemResult =
  | { ok: true; document: EngineDocument; created: boolean }
  | { ok: false; message: string; field: string };

/** Where an article's corpus copy goes: a line of the batch's new file, its own JSON file, or a line of an earlier JSON-lines file. */
type Target = { kind: 'new'; line: number } | { kind: 'file'; path: string } | { kind: 'line'; path: string; line: number };

interface Planned {
  target: Target;
  content: string;
  document: EngineDocument;
}

function targetFor(sourcePath: string | null | undefined): Target | null {
  if (!sourcePath) return null;
  const [file, line] = sourcePath.split('#');
  if (file === undefined || file === '') return null;
  if (line === undefined) return file.endsWith('.json') ? { kind: 'file', path: file } : null;
  const n = Number(line);
  return Number.isInteger(n) && n >= 1 && /\.(?:jsonl|ndjson)$/u.test(file) ? { kind: 'line', path: file, line: n } : null;
}

/** A name that sorts after the batches before it, so a re-read corpus applies them in order. */
function newBatchPath(): string {
  return `${apiArticlesDir}/batch-${new Date().toISOString().replace(/[:.]/gu, '-')}-${randomBytes(4).toString('hex')}.jsonl`;
}

export async function ingestBatch(context: IngestContext, items: readonly GivenFields[]): Promise<BatchItemResult[]> {
  const pool = context.pool ?? sharedBuildPool();
  const prepared = items.map((given) => prepareArticle(given));
  // Built concurrently on the pool; everything after this runs in input order.
  const built = await Promise.all(
    prepared.map((p) => (p.ok ? pool.build(p.draft).then((o) => o.result) : Promise.resolve<BuildResult | null>(null))),
  );

  const results: BatchItemResult[] = [];
  const planned = new Map<string, Planned>();
  const newLines: string[] = [];
  const batchPath = newBatchPath();
  let tracker: DuplicateTracker | undefined;

  for (let i = 0; i < items.length; i++) {
    const prep = prepared[i]!;
    const result = built[i];
    if (!prep.ok) {
      results.push({ ok: false, message: prep.message, field: prep.field });
      continue;
    }
    if (!result?.ok) {
      results.push({ ok: false, message: result?.rejection.detail ?? 'the article could not be built', field: prep.contentField });
      continue;
    }
    const document = result.document;
    const id = deriveId(prep.draft, document.title, document.body);
    const content = JSON.stringify(prep.fields);
    const earlier = planned.get(id);
    const existing = earlier ? null : await context.engine.get(id);
    let target: Target;
    if (earlier) {
      // The same article twice in one batch: the later one is an update of the earlier.
      target = earlier.target;
      document.duplicateOf = earlier.document.duplicateOf;
    } else {
      const own = existing ? targetFor(existing.sourcePath) : null;
      if (own && own.kind !== 'new' && !insideCorpus(context.corpusDir, join(context.corpusDir, own.path))) {
        results.push({ ok: false, message: 'article path escapes the corpus', field: 'url' });
        continue;
      }
      target = own ?? { kind: 'new', line: newLines.push('') };
      if (existing?.duplicateOf) {
        document.duplicateOf = existing.duplicateOf;
      } else if (!existing) {
        if (!tracker) {
          tracker = new DuplicateTracker();
          tracker.seed(await context.engine.dedupeFingerprints());
        }
        tracker.assign(result);
      }
    }
    document.sourcePath =
      target.kind === 'new' ? `${batchPath}#${target.line}` : target.kind === 'line' ? `${target.path}#${target.line}` : target.path;
    if (target.kind === 'new') newLines[target.line - 1] = content;
    planned.set(id, { target, content, document });
    results.push({ ok: true, document, created: existing === null && earlier === undefined });
  }

  if (planned.size === 0) return results;
  await writeCorpusCopies(context.corpusDir, batchPath, newLines, [...planned.values()]);
  await context.engine.upsert([...planned.values()].map((p) => p.document));
  return results;
}

/** Every touched file written once, atomically; the batch's new articles in one file. */
async function writeCorpusCopies(corpusDir: string, batchPath: string, newLines: string[], planned: Planned[]): Promise<void> {
  if (newLines.length > 0) await writeFileAtomic(join(corpusDir, batchPath), `${newLines.join('\n')}\n`);
  const lineEdits = new Map<string, Map<number, string>>();
  for (const { target, content } of planned) {
    if (target.kind === 'file') await writeFileAtomic(join(corpusDir, target.path), `${JSON.stringify(JSON.parse(content), null, 2)}\n`);
    if (target.kind === 'line') {
      const edits = lineEdits.get(target.path) ?? new Map<number, string>();
      edits.set(target.line, content);
      lineEdits.set(target.path, edits);
    }
  }
  for (const [path, edits] of lineEdits) {
    const absPath = join(corpusDir, path);
    const lines = (await readFile(absPath, 'utf8')).split('\n');
    for (const [line, content] of edits) {
      while (lines.length < line) lines.push('');
      lines[line - 1] = content;
    }
    await writeFileAtomic(absPath, lines.join('\n'));
  }
}
