/**
 * The run-time synonyms and dictionary words, kept under DATA_DIR/analysis in
 * the shipped files' formats (synonyms.json: `{groups, oneWay}`;
 * dictionary.txt: `word [frequency] [tag]` lines), so an export is a file
 * that can be dropped into config/data as it is. Written atomically.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  dictionaryEntrySchema,
  emptyAnalysisOverrides,
  formatDictionaryText,
  parseDictionaryText,
  synonymsFileSchema,
  type AnalysisOverrides,
  type DictionaryEntry,
  type SynonymsFile,
} from '../../config/data.js';
import { writeFileAtomic } from '../../indexer/ingest.js';

export class OverridesFileError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OverridesFileError';
  }
}

const synonymsFile = 'synonyms.json';
const dictionaryFile = 'dictionary.txt';

export function formatSynonymsFile(synonyms: SynonymsFile): string {
  const file = {
    $comment: 'Synonyms added at run time (PUT /v1/admin/synonyms), in the format of config/data/synonyms.json.',
    groups: synonyms.groups,
    oneWay: synonyms.oneWay,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export { formatDictionaryText };

async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Reads both files (missing ones are empty); a file that does not parse stops start-up with its path. */
export async function readOverrides(dir: string): Promise<AnalysisOverrides> {
  const synonymsText = await readOptional(join(dir, synonymsFile));
  const dictionaryText = await readOptional(join(dir, dictionaryFile));
  let synonyms: SynonymsFile = emptyAnalysisOverrides.synonyms;
  if (synonymsText !== null) {
    const parsed = synonymsFileSchema.safeParse(JSON.parse(synonymsText));
    if (!parsed.success) throw new OverridesFileError(`${join(dir, synonymsFile)} is invalid: ${parsed.error.message}`);
    synonyms = parsed.data;
  }
  const dictionary: DictionaryEntry[] = [];
  for (const entry of dictionaryText === null ? [] : parseDictionaryText(dictionaryText)) {
    const parsed = dictionaryEntrySchema.safeParse(entry);
    if (!parsed.success) throw new OverridesFileError(`${join(dir, dictionaryFile)}: "${entry.word}" is invalid: ${parsed.error.message}`);
    dictionary.push(parsed.data);
  }
  return { synonyms, dictionary };
}

export async function writeSynonyms(dir: string, synonyms: SynonymsFile): Promise<void> {
  await writeFileAtomic(join(dir, synonymsFile), formatSynonymsFile(synonyms));
}

export async function writeDictionary(dir: string, entries: readonly DictionaryEntry[]): Promise<void> {
  await writeFileAtomic(join(dir, dictionaryFile), formatDictionaryText(entries));
}
