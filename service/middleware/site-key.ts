/**
 * Site keys: public keys embedded in hospital websites' search boxes. Each is
 * bound to one hospital; a request carrying one (X-Site-Key header or `key`
 * parameter) is confined to that hospital by the query builders, whatever
 * the client asks for. Keys live in SITE_KEYS_FILE, not in code:
 *
 *   [{"key": "zj-children-2024", "hospital": "浙江大学医学院附属儿童医院", "name": "儿童医院官网"}]
 */
import { readFile } from 'node:fs/promises';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { AppEnv } from '../context.js';
import { canonicaliseHospital, type SiteScope } from '../query/filters.js';

const siteKeyEntrySchema = z.strictObject({
  key: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/u, 'must be 8–128 letters, digits, - or _'),
  hospital: z.string().trim().min(2),
  name: z.string().optional(),
});

const siteKeysFileSchema = z.union([z.array(siteKeyEntrySchema), z.strictObject({ keys: z.array(siteKeyEntrySchema) })]);

export class SiteKeysFileError extends Error {
  constructor(file: string, problems: string[]) {
    super(`${file} is not a valid site keys file:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SiteKeysFileError';
  }
}

export type SiteKeys = ReadonlyMap<string, SiteScope>;

/** Parse and validate site keys; hospital aliases become canonical names so the scope matches documents. */
export function parseSiteKeys(data: unknown, file = 'site keys'): SiteKeys {
  const result = siteKeysFileSchema.safeParse(data);
  if (!result.success) {
    throw new SiteKeysFileError(
      file,
      result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  }
  const entries = Array.isArray(result.data) ? result.data : result.data.keys;
  const keys = new Map<string, SiteScope>();
  const duplicates: string[] = [];
  for (const entry of entries) {
    if (keys.has(entry.key)) duplicates.push(`${entry.key}: listed twice`);
    const scope: SiteScope = { key: entry.key, hospital: canonicaliseHospital(entry.hospital) };
    if (entry.name !== undefined) scope.name = entry.name;
    keys.set(entry.key, scope);
  }
  if (duplicates.length > 0) throw new SiteKeysFileError(file, duplicates);
  return keys;
}

export async function loadSiteKeys(file: string | undefined): Promise<SiteKeys> {
  if (file === undefined) return new Map();
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SiteKeysFileError(file, [`cannot be read: ${(err as Error).message}`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SiteKeysFileError(file, [`is not JSON: ${(err as Error).message}`]);
  }
  return parseSiteKeys(data, file);
}

/** Resolves the request's site key into `siteScope`; an unknown key is refused rather than ignored. */
export function resolveSiteKey(keys: SiteKeys): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const fromHeader = c.req.header('X-Site-Key');
    const fromQuery = c.req.queries('key');
    if (fromQuery !== undefined && fromQuery.length > 1) {
      throw new ApiError('validation_failed', 'Invalid query parameter "key": give it once.', { field: 'key' });
    }
    if (fromHeader === undefined && fromQuery === undefined) {
      c.set('siteScope', null);
      return next();
    }
    // A key given but blank is a broken embed, not a request for every hospital's articles.
    const header = fromHeader?.trim();
    const query = fromQuery?.[0]?.trim();
    if (header === '' || query === '') {
      throw new ApiError('invalid_site_key', 'The site key is empty.', { field: header === '' ? 'X-Site-Key' : 'key' });
    }
    const given = header ?? query ?? '';
    if (header !== undefined && query !== undefined && query !== header) {
      throw new ApiError('validation_failed', 'The X-Site-Key header and the key parameter disagree.', { field: 'key' });
    }
    const scope = keys.get(given);
    if (!scope) throw new ApiError('invalid_site_key', 'Unknown site key.', { field: 'key' });
    c.set('siteScope', scope);
    return next();
  };
}
