/**
 * Reading an index's own documents back, for a rebuild after a layout or
 * dictionary change: the corpus is the source of truth, but the stored
 * documents let the index serve through the change without re-running the
 * whole indexing pipeline.
 */
import type Database from 'better-sqlite3';
import { namesOfHospitalKinds } from '../analysis/hospital-kind.js';
import { joinTokens, segmentForIndex } from '../analysis/segment.js';
import { engineDocumentSchema, type EngineDocument } from '../document.js';
import { deserialiseDocument, storedColumns, type StoredRow } from './document-writer.js';

/** Re-derives the token fields with the current dictionary (used when the dictionary changed). */
export function resegment(document: EngineDocument): EngineDocument {
  // Same fields, in the same order, as indexer/pipeline.ts puts into metaTokens.
  const metaText = [
    ...document.hospitals,
    ...document.hospitalAliases,
    document.province,
    document.city,
    document.county,
    ...document.awardNames,
    ...document.awardTypes,
    ...document.partyBranches,
    ...namesOfHospitalKinds(document.hospitals),
  ]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n');
  return {
    ...document,
    titleTokens: joinTokens(segmentForIndex(document.title)),
    bodyTokens: joinTokens(segmentForIndex(document.body)),
    metaTokens: joinTokens(segmentForIndex(metaText)),
  };
}

/**
 * A whole stored document (read with storedColumns), token fields included:
 * layouts up to 3 stored them, later ones segment the text again, which
 * gives the same tokens as the indexer while the dictionary is unchanged.
 */
export function wholeDocument(row: StoredRow): EngineDocument {
  return deserialiseDocument(row, resegment);
}

/**
 * Every stored document that still fits the document contract (the others
 * are left out; the indexer puts them back from the corpus on its next run,
 * since contentHashes() no longer lists them).
 */
export function* readStoredDocuments(db: Database.Database, resegmentAll: boolean): Generator<EngineDocument> {
  // Layout 3 kept the token fields in `tokens`, layouts 1–2 in the JSON.
  const hasTokens = db.prepare("SELECT 1 FROM pragma_table_info('docs') WHERE name = 'tokens'").get() !== undefined;
  const columns = hasTokens ? `${storedColumns}, tokens` : storedColumns;
  const rows = db.prepare<[], StoredRow>(`SELECT ${columns} FROM docs ORDER BY doc`).iterate();
  for (const row of rows) {
    let parsed: unknown;
    try {
      parsed = resegmentAll ? deserialiseDocument(row) : wholeDocument(row);
    } catch {
      continue;
    }
    const result = engineDocumentSchema.safeParse(parsed);
    if (!result.success) continue;
    yield resegmentAll ? resegment(result.data) : result.data;
  }
}
