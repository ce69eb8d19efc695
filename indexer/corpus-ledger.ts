/**
 * What the last sync read from each corpus file: its size and modification
 * time, and the articles (id and input fingerprint) and rejections it gave.
 * Kept beside the index (DATA_DIR/corpus-ledger.json), so that a restart on
 * an unchanged corpus does not read, decode and hash every file again: at
 * 100k articles that was 13 s of the serving thread (decoding 3.2 s,
 * hashing 2.5 s, fingerprints 1.5 s, binary checks 1.3 s) to find nothing
 * to do.
 *
 * A file is taken as read only when all of these hold: same size and
 * modification time, the same pipeline version and corpus directory, and
 * every article it gave still in the index with the same fingerprint (so an
 * article deleted through the API, or an index rebuilt meanwhile, sends the
 * file through the normal path again). The ledger is written whole after a
 * run, aside and renamed; a missing or unreadable one means reading everything.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Rejection } from './rejections.js';

const ledgerVersion = 1;

/** The ledger's name inside DATA_DIR. */
export const corpusLedgerFile = 'corpus-ledger.json';

const rejectionSchema = z.custom<Rejection>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    (value as Rejection).kind === 'rejection' &&
    typeof (value as Rejection).sourcePath === 'string' &&
    typeof (value as Rejection).reason === 'string' &&
    typeof (value as Rejection).detail === 'string',
);

const entrySchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  /** [id, input fingerprint] of every document the file gave. */
  articles: z.array(z.tuple([z.string(), z.string()])),
  /** What the reader gave for the file: articles and rejections. */
  items: z.number(),
  /** Articles read (whether or not they gave a document), and their bytes. */
  inputs: z.number(),
  inputBytes: z.number(),
  /** Articles that gave a document (an article may stand for several ids). */
  withDocuments: z.number(),
  rejections: z.array(rejectionSchema),
});

const ledgerSchema = z.object({
  version: z.literal(ledgerVersion),
  pipeline: z.string(),
  corpusDir: z.string(),
  files: z.record(z.string(), entrySchema),
});

export type LedgerEntry = z.infer<typeof entrySchema>;
type LedgerFile = z.infer<typeof ledgerSchema>;

export interface FileStat {
  size: number;
  mtimeMs: number;
}

export class CorpusLedger {
  private readonly previous: Record<string, LedgerEntry>;
  private readonly next = new Map<string, LedgerEntry>();
  /** Whether any file was read this run (else the ledger to write is the one read, or a part of it). */
  private readAny = false;

  private constructor(
    private readonly path: string,
    private readonly pipeline: string,
    private readonly corpusDir: string,
    previous: Record<string, LedgerEntry>,
  ) {
    this.previous = previous;
  }

  /** The ledger at `path` when it was written for this pipeline and corpus directory, else an empty one. */
  static async open(path: string, pipeline: string, corpusDir: string): Promise<CorpusLedger> {
    const dir = resolve(corpusDir);
    let files: Record<string, LedgerEntry> = {};
    try {
      const parsed = ledgerSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success && parsed.data.pipeline === pipeline && parsed.data.corpusDir === dir) files = parsed.data.files;
    } catch {
      // Missing or unreadable: every file is read.
    }
    return new CorpusLedger(path, pipeline, dir, files);
  }

  /**
   * The entry of a file unchanged since it was recorded, whose articles the
   * index still holds as they were built (`known`: id → fingerprint); null
   * when the file must be read.
   */
  unchanged(relPath: string, stat: FileStat, known: ReadonlyMap<string, string>): LedgerEntry | null {
    const entry = this.previous[relPath];
    if (!entry || entry.size !== stat.size || entry.mtimeMs !== stat.mtimeMs) return null;
    for (const [id, hash] of entry.articles) if (known.get(id) !== hash) return null;
    return entry;
  }

  /** Carries an unchanged file's entry into the ledger written at the end. */
  keep(relPath: string, entry: LedgerEntry): void {
    this.next.set(relPath, entry);
  }

  /** Starts recording a file about to be read. */
  reading(relPath: string, stat: FileStat): void {
    this.readAny = true;
    this.next.set(relPath, { ...stat, articles: [], items: 0, inputs: 0, inputBytes: 0, withDocuments: 0, rejections: [] });
  }

  /** Records an article of a file being read, with the ids it is indexed under (none when it was rejected). */
  recordArticle(relPath: string, article: { ids: readonly string[]; hash: string; inputBytes: number }): void {
    const entry = this.next.get(relPath);
    if (!entry) return;
    entry.items++;
    entry.inputs++;
    entry.inputBytes += article.inputBytes;
    if (article.ids.length > 0) entry.withDocuments++;
    for (const id of article.ids) entry.articles.push([id, article.hash]);
  }

  /** Records a rejection; `ofArticle` when it is an article's (built but refused), already counted by recordArticle. */
  recordRejection(relPath: string, rejection: Rejection, ofArticle = false): void {
    const entry = this.next.get(relPath);
    if (!entry) return;
    if (!ofArticle) entry.items++;
    entry.rejections.push(rejection);
  }

  /**
   * Writes what this run read and kept; a failure loses only the next run's
   * shortcut. Nothing when every file was kept as recorded: at 100k articles
   * the ledger is megabytes of JSON, rewritten identical at every start.
   */
  async save(): Promise<void> {
    if (!this.readAny && this.next.size === Object.keys(this.previous).length) return;
    const ledger: LedgerFile = { version: ledgerVersion, pipeline: this.pipeline, corpusDir: this.corpusDir, files: Object.fromEntries(this.next) };
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(ledger));
      await rename(temporary, this.path);
    } catch {
      // The next run reads every file, as without a ledger.
    }
  }
}
