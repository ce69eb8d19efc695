/**
 * The SQLite layout of the embedded engine, and its version.
 *
 * - `docs`: one row per document: title, body and fingerprint in their own
 *   columns (body and fingerprint as bytes, see stored-text.ts), everything else but the token fields as one deflated JSON, so
 *   that `get` and the page of hits need no other table and a layout change
 *   can be rebuilt from the database itself. The token fields are derived
 *   from the text again when needed (resegment.ts); `terms` keeps the
 *   dictionary words a document added to suggestions, to take them back
 *   exactly. Narrow columns hold what sorting and collapsing need without
 *   parsing JSON.
 * - `facets`: (doc, field, value) rows, the persistent source of the
 *   in-memory facet columns (memory-index.ts) loaded at open. Keyed by
 *   document first: the only reads are the whole table and one document's
 *   rows, so no second index is needed.
 * - `fts`: a contentless FTS5 table over the pre-segmented token columns.
 * - `suggest`: prefix-searchable completions with their pinyin.
 * - `meta`: schema version, dictionary version, last update.
 *
 * Bump `schemaVersion` whenever this file changes shape: an index with another
 * version is rebuilt from its stored documents at open (see sqlite-engine.ts).
 */
import type Database from 'better-sqlite3';

export const schemaVersion = 5;

/**
 * Tokens are jieba words joined by single spaces (engine/analysis/segment.ts),
 * so the tokenizer only has to split on spaces. unicode61 does that and also
 * splits on any other non-letter, non-digit character; the segmenter never
 * emits those inside a token except `.` and `%` in numbers (3.5%), which
 * unicode61 splits identically in the document and in the quoted query, so
 * they still match as a phrase. Diacritics are kept: the normaliser has
 * already removed pinyin glued to characters, and Latin words are rare.
 * Prefix indexes of 1 and 2 characters make as-you-type (`"党"*`, `"党建"*`)
 * cheap: without them FTS5 merges the position lists of every word with the
 * prefix (40 against 0.8 ms for `"党"*` at 10k articles). A longer prefix
 * starts few words, so FTS5 lists them quickly from the main index, and a
 * 3-character index would cost 7% of the FTS5 data (measured at 10k).
 * Contentless (`content=''`) because the text is stored in `docs` already;
 * `contentless_delete=1` lets a document be deleted or replaced by rowid.
 */
export const ftsTokenizer = "tokenize='unicode61 remove_diacritics 0'";
export const ftsTableOptions = `content='', contentless_delete=1, ${ftsTokenizer}, prefix='1 2'`;

/** bm25 column weights in ftsColumns order: title above metadata above body. */
export const bm25Weights = { title: 8, body: 1, meta: 3 } as const;

const statements = [
  `CREATE TABLE meta (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) WITHOUT ROWID`,
  `CREATE TABLE docs (
     doc INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     title TEXT NOT NULL,
     body BLOB NOT NULL,
     published_at TEXT,
     year INTEGER,
     topicality REAL NOT NULL,
     duplicate_of TEXT,
     content_hash TEXT NOT NULL,
     fingerprint BLOB NOT NULL,
     json BLOB NOT NULL,
     terms TEXT NOT NULL
   )`,
  `CREATE INDEX docs_duplicate_of ON docs (duplicate_of) WHERE duplicate_of IS NOT NULL`,
  `CREATE TABLE facets (
     doc INTEGER NOT NULL,
     field TEXT NOT NULL,
     value TEXT NOT NULL,
     PRIMARY KEY (doc, field, value)
   ) WITHOUT ROWID`,
  `CREATE VIRTUAL TABLE fts USING fts5 (title_tokens, body_tokens, meta_tokens, ${ftsTableOptions})`,
  `CREATE TABLE suggest (
     entry INTEGER PRIMARY KEY,
     kind TEXT NOT NULL,
     text TEXT NOT NULL,
     doc INTEGER,
     canonical TEXT,
     pinyin_full TEXT NOT NULL,
     pinyin_initials TEXT NOT NULL,
     weight REAL NOT NULL
   )`,
  // Aggregated rows (hospital names, terms) are unique per kind and text; title rows belong to a document.
  `CREATE UNIQUE INDEX suggest_aggregate ON suggest (kind, text) WHERE doc IS NULL`,
  `CREATE INDEX suggest_doc ON suggest (doc) WHERE doc IS NOT NULL`,
  `CREATE INDEX suggest_pinyin_full ON suggest (kind, pinyin_full)`,
  `CREATE INDEX suggest_pinyin_initials ON suggest (kind, pinyin_initials)`,
];

export interface StoredVersions {
  schemaVersion: number | null;
  dictionaryVersion: string | null;
}

/**
 * Indexes changed without changing what is stored, so without a new
 * `schemaVersion` (which would rebuild every index at its next open): they
 * are part of a new file, and the writer brings an older one up to date when
 * it opens it (a one-off pass, under a second at 100k articles).
 */
const additiveIndexes = [
  // id → content hash, read whole by the start-up sync to check an unchanged corpus: scanning
  // `docs` reads past every body into its overflow pages (1.1–1.5 s at 100k), this index 0.2–0.3 s.
  `CREATE INDEX IF NOT EXISTS docs_content ON docs (id, content_hash)`,
  // Completions by text prefix, covering what suggest.ts reads: a range of a few hundred entries
  // costs 0.33 rather than 0.6 ms at 100k when no row has to be looked up in the table. Heaviest
  // first within a text: a range's first entries (suggest's scan limit) then keep the best of many
  // articles with one title. It replaces the (kind, text) index, at 0.3 MB more.
  `CREATE INDEX IF NOT EXISTS suggest_text_best ON suggest (kind, text, weight DESC, doc, canonical)`,
  `DROP INDEX IF EXISTS suggest_text`,
];

/** Adds the indexes of `additiveIndexes` a file lacks; false when the file cannot be written (it is then read without them). */
export function addMissingIndexes(db: Database.Database): boolean {
  try {
    for (const sql of additiveIndexes) db.exec(sql);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_READONLY') === true) return false;
    throw error;
  }
}

export function createSchema(db: Database.Database, dictionaryVersion: string): void {
  db.transaction(() => {
    for (const sql of [...statements, ...additiveIndexes]) db.exec(sql);
    const put = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
    put.run('schema_version', String(schemaVersion));
    put.run('dictionary_version', dictionaryVersion);
  })();
}

function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Versions recorded in the file; both null for an empty file or one that is not ours. */
export function readStoredVersions(db: Database.Database): StoredVersions {
  if (!hasTable(db, 'meta')) return { schemaVersion: null, dictionaryVersion: null };
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const schema = get.get('schema_version')?.value;
  const parsed = schema === undefined ? NaN : Number(schema);
  return {
    schemaVersion: Number.isInteger(parsed) ? parsed : null,
    dictionaryVersion: get.get('dictionary_version')?.value ?? null,
  };
}

/** True when the file has no tables at all (just created). */
export function isEmptyDatabase(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' LIMIT 1").get() === undefined;
}

/**
 * Whether stored documents can be read back from this file's `docs` table,
 * whatever its version: every version so far keeps id, title, body and the
 * rest of the document as JSON there.
 */
export function canReadStoredDocuments(db: Database.Database): boolean {
  if (!hasTable(db, 'docs')) return false;
  const columns = new Set(
    db
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('docs')")
      .all()
      .map((c) => c.name),
  );
  return ['id', 'title', 'body', 'json'].every((c) => columns.has(c));
}

export function setMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

export function getMeta(db: Database.Database, key: string): string | null {
  return db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value ?? null;
}

/**
 * Connection settings. WAL lets readers (other processes included) read while
 * a writer commits; synchronous=FULL fsyncs the WAL at every commit, so a
 * transaction that returned has survived a kill -9 or power loss.
 */
export function configureConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = OFF');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
}

/** Settings for a read-only connection beside the writer's (a read worker's): the writer chose WAL. */
export function configureReadConnection(db: Database.Database): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
}

/** Meta key counting committed writes, so a read worker can tell a write it was told about from one it was not. */
export const writeSeqKey = 'write_seq';

/** Increments the write sequence inside the caller's transaction; returns the new value. */
export function bumpWriteSeq(db: Database.Database): string {
  const next = String(Number(getMeta(db, writeSeqKey) ?? '0') + 1);
  setMeta(db, writeSeqKey, next);
  return next;
}

/** Settings for a file being built by replaceAll: nobody reads it until it is complete and fsynced. */
export function configureBuildConnection(db: Database.Database): void {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -131072');
  db.pragma('temp_store = MEMORY');
}
