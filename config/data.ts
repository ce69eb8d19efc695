/**
 * Domain knowledge kept as data: loaded once, validated with zod, so a typo in
 * a JSON file fails loudly at start-up instead of silently matching nothing.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');

const hospitalSchema = z.object({
  name: z.string().min(2),
  aliases: z.array(z.string().min(2)).default([]),
  /** Aliases too ambiguous to count unless the city/canonical name is also in the text. */
  contextAliases: z.array(z.string().min(2)).default([]),
  province: z.string().min(2),
  city: z.string().nullable().default(null),
  county: z.string().nullable().default(null),
});
export type HospitalEntry = z.infer<typeof hospitalSchema>;

const hospitalsFileSchema = z.object({ hospitals: z.array(hospitalSchema) });
const synonymsFileSchema = z.object({ groups: z.array(z.array(z.string().min(1)).min(2)) });

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(dataDir, file), 'utf8'));
}

function readWordList(file: string): string[] {
  return readFileSync(join(dataDir, file), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

function parse<T>(file: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(readJson(file));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`config/data/${file} is invalid: ${problems}`);
  }
  return result.data;
}

let hospitals: HospitalEntry[] | undefined;
export function loadHospitals(): HospitalEntry[] {
  hospitals ??= parse('hospitals.json', hospitalsFileSchema).hospitals;
  return hospitals;
}

let synonyms: string[][] | undefined;
export function loadSynonymGroups(): string[][] {
  synonyms ??= parse('synonyms.json', synonymsFileSchema).groups;
  return synonyms;
}

let dictionary: string[] | undefined;
/** Words (first column of dictionary.txt). */
export function loadDictionaryWords(): string[] {
  dictionary ??= readWordList('dictionary.txt').map((line) => line.split(/\s+/u)[0] ?? line);
  return dictionary;
}

let stopwords: Set<string> | undefined;
export function loadStopwords(): Set<string> {
  stopwords ??= new Set(readWordList('stopwords.txt'));
  return stopwords;
}

/** Every word jieba must keep whole: dictionary, hospital names and aliases, synonym forms. */
export function loadDomainWords(): string[] {
  const words = new Set(loadDictionaryWords());
  for (const h of loadHospitals()) {
    words.add(h.name);
    for (const a of h.aliases) words.add(a);
    for (const a of h.contextAliases) words.add(a);
  }
  for (const group of loadSynonymGroups()) for (const w of group) if (!/[\s、,，]/u.test(w)) words.add(w);
  return [...words];
}
