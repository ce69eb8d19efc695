/**
 * Writes documents into one database (the live one, or a generation being
 * built by replaceAll): the docs row, its FTS row, facet rows and suggest
 * rows, always together. Callers wrap calls in a transaction.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { documentFacetValues, facetFields, type EngineDocument } from '../document.js';
import { aggregateEntriesOf, computePinyinKeys, dictionaryTermsOf, type AggregateEntry } from '../analysis/suggestions.js';
import { decodeBody, decodeFingerprint, encodeBody, encodeFingerprint } from './stored-text.js';

export interface StoredRow {
  doc: number;
  title: string;
  /** Layout 5: UTF-16LE bytes; earlier layouts: text (see stored-text.ts). */
  body: Buffer | string;
  /** The fields a hit shows (everything but title, body, tokens and fingerprint), as deflated JSON; layout 1 stored plain JSON text, layouts 1–2 the whole document. */
  json: Buffer | string;
  /** Layout 3 only: the token fields, deflated JSON. Later layouts derive them from the text again (see wholeDocument). */
  tokens?: Buffer | null;
  /** Layout 5: packed when it packs back exactly; earlier layouts: text (see stored-text.ts). */
  fingerprint?: Buffer | string;
  /** Layout 4: the dictionary words the document added to term suggestions, space-separated. */
  terms?: string;
}

/** The SQL columns of a whole stored document (layouts 4–5), for `wholeDocument`. */
export const storedColumns = 'doc, title, body, json, fingerprint';
/** The SQL columns a hit is built from: no fingerprint. */
export const pageColumns = 'doc, title, body, json';
/** What replacing or deleting a document needs to take its index entries back: not its body. */
const previousColumns = "doc, title, '' AS body, json, terms";

type TokenFields = Pick<EngineDocument, 'titleTokens' | 'bodyTokens' | 'metaTokens'>;

/**
 * The stored form: title and body in their own columns (SQL checks phrases on
 * them; the body and the fingerprint encoded as stored-text.ts says); everything else but the token fields and the fingerprint as JSON
 * deflated at level 1, the part decoded for each hit. The token fields are
 * not stored: they were 28% of the file at 100k articles, only FTS5 needs
 * them, and segmenting the text again gives them back (1.2 ms a document).
 */
export function serialiseDocument(document: EngineDocument): { json: Buffer } {
  const rest: Partial<EngineDocument> = { ...document };
  delete rest.title;
  delete rest.body;
  delete rest.titleTokens;
  delete rest.bodyTokens;
  delete rest.metaTokens;
  delete rest.fingerprint;
  return { json: deflateRawSync(JSON.stringify(rest), { level: 1 }) };
}

function inflateJson(stored: Buffer | string): unknown {
  // Layout 1 kept the JSON as text; reading it lets an old index migrate from its own documents.
  return JSON.parse(typeof stored === 'string' ? stored : inflateRawSync(stored).toString('utf8'));
}

/**
 * A stored document as its columns hold it. From layout 4 on, and when read
 * with pageColumns, the token fields are empty (and the fingerprint too, when
 * not read), as in a hit from the Meilisearch engine: nothing that shows a
 * hit reads them. wholeDocument (resegment.ts) fills them in.
 */
export function deserialiseDocument(
  row: Pick<StoredRow, 'title' | 'body' | 'json' | 'tokens' | 'fingerprint'>,
  fillTokens?: (document: EngineDocument) => EngineDocument,
): EngineDocument {
  // Layouts 1–2 kept the token fields and the fingerprint in the JSON.
  const rest = inflateJson(row.json) as Omit<EngineDocument, 'title' | 'body' | keyof TokenFields> & Partial<TokenFields>;
  if (rest.bodyTokens !== undefined) return { ...(rest as Omit<EngineDocument, 'title' | 'body'>), title: row.title, body: decodeBody(row.body) };
  const stored = row.tokens ? (inflateJson(row.tokens) as TokenFields) : null;
  const tokens: TokenFields = stored ?? { titleTokens: '', bodyTokens: '', metaTokens: '' };
  const document: EngineDocument = {
    ...rest,
    ...tokens,
    fingerprint: decodeFingerprint(row.fingerprint),
    title: row.title,
    body: decodeBody(row.body),
  };
  return stored === null && fillTokens ? fillTokens(document) : document;
}

/**
 * Words indexed per column; later ones are not searchable, as Meilisearch
 * ignores positions past 65,535 in an attribute. FTS5 reads a matching
 * document's whole position list to score it, so an article of 650,000
 * characters (1.3 million tokens with sub-words) would cost every search
 * that matches it seconds.
 */
export const maxIndexedPositions = 65_535;

/** The first `max` space-separated tokens of `tokens` (the whole string when it has no more). */
export function capIndexedTokens(tokens: string, max = maxIndexedPositions): string {
  let end = -1;
  for (let n = 0; n < max; n++) {
    end = tokens.indexOf(' ', end + 1);
    if (end === -1) return tokens;
  }
  return tokens.slice(0, end);
}

export interface DocumentWriterOptions {
  /**
   * Count hospital and term suggestions in memory and write them once in
   * `finish()`, instead of one upsert per document and entry (for building
   * a whole new index).
   */
  bulk?: boolean;
}

export class DocumentWriter {
  private readonly selectById;
  private readonly insertDoc;
  private readonly updateDoc;
  private readonly deleteDoc;
  private readonly insertFts;
  private readonly deleteFts;
  private readonly insertFacet;
  private readonly deleteFacets;
  private readonly insertTitle;
  private readonly deleteTitle;
  private readonly addAggregate;
  private readonly decrementAggregate;
  private readonly pruneAggregate;
  /** Bulk mode: kind\0text → entry and count, written by finish(). */
  private readonly pending: Map<string, { entry: AggregateEntry; count: number }> | null;

  constructor(db: Database.Database, options: DocumentWriterOptions = {}) {
    this.pending = options.bulk ? new Map() : null;
    this.selectById = db.prepare<[string], StoredRow>(`SELECT ${previousColumns} FROM docs WHERE id = ?`);
    this.insertDoc = db.prepare(
      `INSERT INTO docs (id, title, body, published_at, year, topicality, duplicate_of, content_hash, fingerprint, json, terms)
       VALUES (@id, @title, @body, @publishedAt, @year, @topicality, @duplicateOf, @contentHash, @fingerprint, @json, @terms)`,
    );
    this.updateDoc = db.prepare(
      `UPDATE docs SET title = @title, body = @body, published_at = @publishedAt, year = @year,
         topicality = @topicality, duplicate_of = @duplicateOf, content_hash = @contentHash,
         fingerprint = @fingerprint, json = @json, terms = @terms
       WHERE doc = @doc`,
    );
    this.deleteDoc = db.prepare('DELETE FROM docs WHERE doc = ?');
    this.insertFts = db.prepare(
      'INSERT INTO fts (rowid, title_tokens, body_tokens, meta_tokens) VALUES (?, ?, ?, ?)',
    );
    this.deleteFts = db.prepare('DELETE FROM fts WHERE rowid = ?');
    this.insertFacet = db.prepare('INSERT OR IGNORE INTO facets (doc, field, value) VALUES (?, ?, ?)');
    this.deleteFacets = db.prepare('DELETE FROM facets WHERE doc = ?');
    this.insertTitle = db.prepare(
      `INSERT INTO suggest (kind, text, doc, canonical, pinyin_full, pinyin_initials, weight)
       VALUES ('title', ?, ?, NULL, ?, ?, ?)`,
    );
    this.deleteTitle = db.prepare('DELETE FROM suggest WHERE doc = ?');
    this.addAggregate = db.prepare(
      `INSERT INTO suggest (kind, text, doc, canonical, pinyin_full, pinyin_initials, weight)
       VALUES (?, ?, NULL, ?, ?, ?, ?)
       ON CONFLICT (kind, text) WHERE doc IS NULL DO UPDATE SET weight = weight + excluded.weight`,
    );
    this.decrementAggregate = db.prepare(
      'UPDATE suggest SET weight = weight - 1 WHERE kind = ? AND text = ? AND doc IS NULL',
    );
    this.pruneAggregate = db.prepare(
      'DELETE FROM suggest WHERE kind = ? AND text = ? AND doc IS NULL AND weight <= 0',
    );
  }

  /** Inserts or replaces by id; returns the document's row (kept when replacing). */
  write(document: EngineDocument): number {
    const existing = this.selectById.get(document.id);
    const terms = dictionaryTermsOf(document);
    const params = {
      id: document.id,
      title: document.title,
      body: encodeBody(document.body),
      publishedAt: document.publishedAt,
      year: document.year,
      topicality: document.topicality,
      duplicateOf: document.duplicateOf,
      contentHash: document.contentHash,
      fingerprint: encodeFingerprint(document.fingerprint),
      ...serialiseDocument(document),
      terms: terms.join(' '),
    };
    let row: number;
    if (existing) {
      row = existing.doc;
      this.removeIndexes(existing);
      this.updateDoc.run({ ...params, doc: row });
    } else {
      row = Number(this.insertDoc.run(params).lastInsertRowid);
    }
    this.addIndexes(row, document, terms);
    return row;
  }

  /** Deletes by id; returns the row it had, or null when there was none. */
  remove(id: string): number | null {
    const existing = this.selectById.get(id);
    if (!existing) return null;
    this.removeIndexes(existing);
    this.deleteDoc.run(existing.doc);
    return existing.doc;
  }

  /** Bulk mode: writes the counted suggestions. */
  finish(): void {
    if (!this.pending) return;
    for (const { entry, count } of this.pending.values()) {
      if (count <= 0) continue;
      const keys = computePinyinKeys(entry.text);
      this.addAggregate.run(entry.kind, entry.text, entry.canonical, keys.full, keys.initials, count);
    }
    this.pending.clear();
  }

  private addIndexes(row: number, document: EngineDocument, terms: readonly string[]): void {
    this.insertFts.run(
      row,
      capIndexedTokens(document.titleTokens),
      capIndexedTokens(document.bodyTokens),
      capIndexedTokens(document.metaTokens),
    );
    const values = documentFacetValues(document);
    for (const field of facetFields) for (const value of values[field]) this.insertFacet.run(row, field, value);
    if (document.title.trim() !== '') {
      const keys = computePinyinKeys(document.title);
      this.insertTitle.run(document.title, row, keys.full, keys.initials, 1 + document.topicality);
    }
    for (const entry of aggregateEntriesOf(document, terms)) {
      if (this.pending) {
        const key = `${entry.kind}\u0000${entry.text}`;
        const counted = this.pending.get(key);
        if (counted) counted.count++;
        else this.pending.set(key, { entry, count: 1 });
        continue;
      }
      const keys = computePinyinKeys(entry.text);
      this.addAggregate.run(entry.kind, entry.text, entry.canonical, keys.full, keys.initials, 1);
    }
  }

  /** Takes back what addIndexes wrote for the stored document `existing` (read with previousColumns). */
  private removeIndexes(existing: StoredRow): void {
    const row = existing.doc;
    this.deleteFts.run(row);
    this.deleteFacets.run(row);
    this.deleteTitle.run(row);
    const terms = existing.terms ? existing.terms.split(' ') : [];
    for (const entry of aggregateEntriesOf(deserialiseDocument(existing), terms)) {
      const counted = this.pending?.get(`${entry.kind}\u0000${entry.text}`);
      if (counted) {
        counted.count--;
        continue;
      }
      this.decrementAggregate.run(entry.kind, entry.text);
      this.pruneAggregate.run(entry.kind, entry.text);
    }
  }
}
