/**
 * The widget's only link to the service: plain HTTP against the public API
 * (issue 4). The site key travels as the `key` query parameter rather than the
 * X-Site-Key header so that every call stays a CORS "simple request": no
 * preflight round-trip per keystroke from a hospital's page.
 */
import type { FacetName } from './options.js';

export type Filters = Partial<Record<FacetName, string[]>>;

export interface Hit {
  id: string;
  title: string;
  /** HTML-escaped text with <mark> around matched words. */
  snippet: string;
  titleHighlighted?: string;
  url: string | null;
  publishedAt: string | null;
  year: number | null;
  province: string | null;
  city: string | null;
  hospital: string | null;
  awardTypes: string[];
  awardLevels: string[];
  source: string | null;
  duplicates: string[];
  sharedKeywords?: string[];
}

export interface SearchResponse {
  hits: Hit[];
  total: number;
  page: number;
  pageSize: number;
  relaxed: boolean;
  /** What was searched instead of the typed text (pinyin read as Chinese, a homophone typo corrected). */
  interpretedAs?: string | null;
  facets: Partial<Record<FacetName, Record<string, number>>> | null;
  tookMs?: number;
}

export interface Suggestion {
  text: string;
  kind: 'title' | 'hospital' | 'term';
  id?: string;
}

/** The server answered with an error status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`API ${status} ${code}`);
  }
}

/** The server could not be reached (offline, DNS, CORS refusal, timeout). */
export class UnreachableError extends Error {}

export type Params = Record<string, string | number | string[] | undefined>;

export function buildUrl(api: string, path: string, params: Params, siteKey: string | null): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  if (siteKey) query.set('key', siteKey);
  const search = query.toString();
  return `${api}${path}${search ? `?${search}` : ''}`;
}

export function buildSearchParams(q: string, filters: Filters, page: number, pageSize: number): Params {
  const params: Params = { q, page, pageSize };
  for (const [name, values] of Object.entries(filters)) if (values.length > 0) params[name] = values;
  return params;
}

const timeoutMs = 10_000;

/**
 * GET JSON. Aborting `signal` (a newer keystroke superseded this call) rejects
 * with the AbortError untouched so callers can ignore it; a timeout counts as
 * unreachable.
 */
export async function getJson<T>(url: string, signal: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort);
  const timer = setTimeout(onAbort, timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new UnreachableError('unreachable', { cause: error });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { code?: string } } | null;
    throw new ApiError(response.status, body?.error?.code ?? 'unknown');
  }
  return (await response.json()) as T;
}
