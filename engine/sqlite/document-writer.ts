/**
 * Writes documents into one database (the live one, or a generation being
 * built by replaceAll): the docs row, its FTS row, facet rows and suggest
 * rows, always together. Callers wrap calls in a transaction.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';
import { documentFacetValues, facetFields, type EngineDocument } from '../document.js';
import { aggregateEntriesOf, computePinyinKeys, type AggregateEntry } from '../analysis/suggestions.js';

export interface StoredRow {
  doc: number;
  title: string;
  body: string;
  /** Everything but title and body, as deflated JSON (layout 1 stored plain JSON text). */
  json: Buffer | string;
}

/**
 * The stored form: title and body in their own columns (SQL checks phrases on
 * them), everything else as JSON, deflated: it is mostly the token fields,
 * which compress ~2.6×, and it is decoded only for the page of hits. Level 1
 * costs ~0.15 ms a document to write and ~0.05 ms to read.
 */
export function serialiseDocument(document: EngineDocument): Buffer {
  const rest: Partial<EngineDocument> = { ...document };
  delete rest.title;
  delete rest.body;
  return deflateRawSync(JSON.stringify(rest), { level: 1 });
}

export function deserialiseDocument(row: Pick<StoredRow, 'title' | 'body' | 'json'>): EngineDocument {
  // Layout 1 kept the JSON as text; reading it lets an old index migrate from its own documents.
  const text = typeof row.json === 'string' ? row.json : inflateRawSync(row.json).toString('utf8');
  const rest = JSON.parse(text) as Omit<EngineDocument, 'title' | 'body'>;
  return { ...rest, title: row.title, body: row.body };
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
    this.selectById = db.prepare<[string], StoredRow>('SELECT doc, title, body, json FROM docs WHERE id = ?');
    this.insertDoc = db.prepare(
      `INSERT INTO docs (id, title, body, published_at, year, topicality, duplicate_of, content_hash, fingerprint, json)
       VALUES (@id, @title, @body, @publishedAt, @year, @topicality, @duplicateOf, @contentHash, @fingerprint, @json)`,
    );
    this.updateDoc = db.prepare(
      `UPDATE docs SET title = @title, body = @body, published_at = @publishedAt, year = @year,
         topicality = @topicality, duplicate_of = @duplicateOf, content_hash = @contentHash,
         fingerprint = @fingerprint, json = @json
       WHERE doc = @doc`,
    );
    this.deleteDoc = db.prepare('DELETE FROM docs WHERE doc = ?');
    this.insertFts = db.prepare(
      'INSERT INTO fts (rowid, title_tokens, body_tokens, meta_tokens) VALUES (?, ?, ?, ?)',
    );
    this.deleteFts = db.prepare('DELETE FROM fts WHERE rowid = ?');
    this.insertFacet = db.prepare('INSERT OR IGNORE INTO facets (field, value, doc) VALUES (?, ?, ?)');
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
    const params = {
      id: document.id,
      title: document.title,
      body: document.body,
      publishedAt: document.publishedAt,
      year: document.year,
      topicality: document.topicality,
      duplicateOf: document.duplicateOf,
      contentHash: document.contentHash,
      fingerprint: document.fingerprint,
      json: serialiseDocument(document),
    };
    let row: number;
    if (existing) {
      row = existing.doc;
      this.removeIndexes(row, deserialiseDocument(existing));
      this.updateDoc.run({ ...params, doc: row });
    } else {
      row = Number(this.insertDoc.run(params).lastInsertRowid);
    }
    this.addIndexes(row, document);
    return row;
  }

  /** Deletes by id; returns the row it had, or null when there was none. */
  remove(id: string): number | null {
    const existing = this.selectById.get(id);
    if (!existing) return null;
    this.removeIndexes(existing.doc, deserialiseDocument(existing));
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

  private addIndexes(row: number, document: EngineDocument): void {
    this.insertFts.run(
      row,
      capIndexedTokens(document.titleTokens),
      capIndexedTokens(document.bodyTokens),
      capIndexedTokens(document.metaTokens),
    );
    const values = documentFacetValues(document);
    for (const field of facetFields) for (const value of values[field]) this.insertFacet.run(field, value, row);
    if (document.title.trim() !== '') {
      const keys = computePinyinKeys(document.title);
      this.insertTitle.run(document.title, row, keys.full, keys.initials, 1 + document.topicality);
    }
    for (const entry of aggregateEntriesOf(document)) {
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

  private removeIndexes(row: number, previous: EngineDocument): void {
    this.deleteFts.run(row);
    this.deleteFacets.run(row);
    this.deleteTitle.run(row);
    for (const entry of aggregateEntriesOf(previous)) {
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
