/**
 * Start-up gate for the Meilisearch engine: wait until the server answers,
 * then check that the configured key is the right one BEFORE the service or
 * the indexer touches the index.
 *
 * Containers start in any order and Meilisearch may still be importing a dump
 * or a snapshot, so "not reachable yet" is retried a bounded number of times
 * with exponential backoff, logging every attempt. A key problem is never
 * retried: a wrong key does not become right by waiting, and an operator
 * needs one clear line saying which variable to fix, not a crash loop of
 * opaque 403s from the first search.
 */
import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
} from 'meilisearch';

/** localizedAttributes (Chinese locale on text fields) arrived in Meilisearch v1.10. */
export const minimumMeilisearchVersion = [1, 10, 0] as const;

export interface WaitLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** For command-line tools: one plain line per event (the service passes its pino logger instead). */
export function createLineLogger(write: (line: string) => void): WaitLogger {
  return {
    info: (_fields, message) => write(`${message}\n`),
    warn: (_fields, message) => write(`warning: ${message}\n`),
  };
}

export interface MeilisearchWaitOptions {
  url: string;
  /** The service's limited key; undefined only against an instance without a master key. */
  apiKey: string | undefined;
  indexUid: string;
  /** Connection attempts before giving up. */
  attempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Per request, so one hung connection cannot eat the whole budget. */
  requestTimeoutMs?: number;
  logger?: WaitLogger;
  /** Injected by tests to skip real waiting. */
  sleep?: (ms: number) => Promise<void>;
  /** Aborts the wait (e.g. SIGTERM during start-up). */
  signal?: AbortSignal;
}

export interface MeilisearchReachability {
  /** `pkgVersion` as reported by the server, or null when the key may not read it. */
  version: string | null;
  /** `unprotected`: the instance has no master key, so any request is accepted. */
  protection: 'api-key' | 'unprotected';
  /** Whether the service's index exists yet (a first start creates it). */
  indexFound: boolean;
  attempts: number;
}

/** Meilisearch did not become reachable within the retry budget. */
export class MeilisearchUnreachableError extends Error {
  override readonly name = 'MeilisearchUnreachableError';
}

/** The key is missing, wrong, or too powerful: fix the configuration, do not retry. */
export class MeilisearchKeyError extends Error {
  override readonly name = 'MeilisearchKeyError';
}

/** The server is older than the settings this service applies need. */
export class MeilisearchVersionError extends Error {
  override readonly name = 'MeilisearchVersionError';
}

const createKeyHint =
  'Create the service key with `npm run meili:create-key` (or `docker compose --profile admin run --rm meili-create-key`) and set MEILI_API_KEY to the key it prints.';

/** Delay before each retry: initial, doubled each time, capped. `attempts - 1` entries. */
export function computeBackoffDelays(attempts: number, initialDelayMs: number, maxDelayMs: number): number[] {
  const delays: number[] = [];
  for (let i = 0; i < attempts - 1; i += 1) delays.push(Math.min(maxDelayMs, initialDelayMs * 2 ** i));
  return delays;
}

/** `1.48.3` → [1, 48, 3]; null when not a plain version (nightly builds, forks). */
export function parseVersion(version: string): [number, number, number] | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/u.exec(version.trim());
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function isVersionAtLeast(version: readonly number[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i += 1) {
    const a = version[i] ?? 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

function describeFailure(error: unknown): string {
  if (error instanceof MeilisearchApiError) return `HTTP ${error.response.status}${error.cause?.code ? ` ${error.cause.code}` : ''}`;
  if (error instanceof MeilisearchRequestTimeOutError) return `no answer within ${error.cause.timeout} ms`;
  if (error instanceof MeilisearchRequestError) {
    // fetch wraps the socket error (ECONNREFUSED, ENOTFOUND…) one or two levels down.
    let cause: unknown = error.cause;
    for (let depth = 0; depth < 3 && cause instanceof Error; depth += 1) {
      const code = (cause as { code?: unknown }).code;
      if (typeof code === 'string') return code;
      cause = cause.cause;
    }
    return 'request failed';
  }
  return error instanceof Error ? error.message : String(error);
}

/** Worth waiting for: the server is down, starting, overloaded or not answering yet. */
function isTransient(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) return true;
  if (error instanceof MeilisearchApiError) return error.response.status >= 500 || error.response.status === 429;
  return false;
}

function apiStatus(error: unknown): number | null {
  return error instanceof MeilisearchApiError ? error.response.status : null;
}

/** Succeeds, or returns the HTTP status of an API error (rethrowing anything transient or unknown). */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (error) {
    const status = apiStatus(error);
    if (status === null || isTransient(error)) throw error;
    return status;
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}

/** One full check: health, then key. Throws transient errors for the caller to retry. */
async function checkOnce(options: MeilisearchWaitOptions, timeout: number, logger: WaitLogger | undefined): Promise<Omit<MeilisearchReachability, 'attempts'>> {
  const { url, apiKey, indexUid } = options;
  const anonymous = new Meilisearch({ host: url, timeout });
  // /health needs no key: it tells "server up" apart from "key wrong".
  await anonymous.health();

  // Without a master key Meilisearch accepts every request, keyed or not.
  const anonymousStatus = await statusOf(anonymous.getRawIndex(indexUid));
  if (anonymousStatus === 200 || anonymousStatus === 404) {
    logger?.warn(
      { url },
      'Meilisearch runs WITHOUT a master key: anyone who can reach it can read and change every index. Set MEILI_MASTER_KEY on the Meilisearch server (docker-compose.yml does).',
    );
    const version = await anonymous.getVersion().then((v) => v.pkgVersion);
    return { version, protection: 'unprotected', indexFound: anonymousStatus === 200 };
  }

  if (apiKey === undefined) {
    throw new MeilisearchKeyError(
      `Meilisearch at ${url} requires an API key (it runs with a master key) but MEILI_API_KEY is not set. ${createKeyHint}`,
    );
  }
  const client = new Meilisearch({ host: url, apiKey, timeout });
  const keyed = await statusOf(client.getRawIndex(indexUid));
  if (keyed === 401 || keyed === 403) {
    throw new MeilisearchKeyError(
      `Meilisearch at ${url} rejected MEILI_API_KEY (HTTP ${keyed}): the key is wrong, expired or deleted, was made with another master key, or is not allowed on index "${indexUid}". ${createKeyHint}`,
    );
  }
  if (keyed !== 200 && keyed !== 404) {
    throw new MeilisearchKeyError(`Meilisearch at ${url} answered HTTP ${keyed} when checking index "${indexUid}" with MEILI_API_KEY.`);
  }

  // A key that may list API keys is the master key or an admin key: whoever
  // compromised the service would own the whole Meilisearch instance.
  const keysStatus = await statusOf(client.getKeys({ limit: 1 }));
  if (keysStatus === 200) {
    throw new MeilisearchKeyError(
      `MEILI_API_KEY can manage Meilisearch API keys, so it is the master key or an admin key. The service must run with a key limited to its own index. ${createKeyHint}`,
    );
  }

  let version: string | null = null;
  try {
    version = (await client.getVersion()).pkgVersion;
  } catch (error) {
    if (isTransient(error) || apiStatus(error) === null) throw error;
    // Keys made before the `version` action was granted cannot read it: not fatal.
  }
  return { version, protection: 'api-key', indexFound: keyed === 200 };
}

/**
 * Resolve once Meilisearch is reachable with an acceptable key; throw
 * MeilisearchUnreachableError after the retry budget, MeilisearchKeyError or
 * MeilisearchVersionError at once.
 */
export async function waitForMeilisearch(options: MeilisearchWaitOptions): Promise<MeilisearchReachability> {
  const attempts = options.attempts ?? 12;
  const delays = computeBackoffDelays(attempts, options.initialDelayMs ?? 500, options.maxDelayMs ?? 8000);
  const timeout = options.requestTimeoutMs ?? 3000;
  const logger = options.logger;
  const sleep = options.sleep ?? ((ms: number) => defaultSleep(ms, options.signal));
  const started = Date.now();
  let lastFailure = '';

  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    options.signal?.throwIfAborted();
    try {
      const result = await checkOnce(options, timeout, logger);
      const parsed = result.version === null ? null : parseVersion(result.version);
      if (parsed && !isVersionAtLeast(parsed, minimumMeilisearchVersion)) {
        throw new MeilisearchVersionError(
          `Meilisearch at ${options.url} is v${result.version}; this service needs v${minimumMeilisearchVersion.join('.')} or later (localizedAttributes). Upgrade Meilisearch (see README "Deploying").`,
        );
      }
      logger?.info(
        { url: options.url, version: result.version, protection: result.protection, attempt },
        'Meilisearch is reachable and accepts the service key',
      );
      if (!result.indexFound) {
        logger?.info(
          { url: options.url, index: options.indexUid },
          `index "${options.indexUid}" does not exist on Meilisearch yet: creating it and indexing the corpus`,
        );
      }
      return { ...result, attempts: attempt };
    } catch (error) {
      if (!isTransient(error)) throw error;
      lastFailure = describeFailure(error);
      const delay = delays[attempt - 1];
      if (delay === undefined) break;
      logger?.info(
        { url: options.url, attempt, attempts, retryInMs: delay, reason: lastFailure },
        `waiting for Meilisearch (attempt ${attempt}/${attempts}: ${lastFailure}); retrying in ${delay} ms`,
      );
      await sleep(delay);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  throw new MeilisearchUnreachableError(
    `Meilisearch at ${options.url} is not reachable after ${attempts} attempts over ${seconds} s (last: ${lastFailure}). Check MEILI_URL and that the Meilisearch server is running and healthy.`,
  );
}
