/**
 * The service's environment: the ONLY module that reads `process.env`.
 *
 * Every variable is validated once at start-up and every problem is reported
 * together, so an operator fixes a bad deployment in one round instead of one
 * crash per variable. Defaults make `npm start` work on a fresh clone.
 * Empty values (`FOO=`) count as unset, as container tooling often passes them.
 * The README section "Configuration" documents each variable.
 */
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/u, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);
}

/** `*` or a bare origin (`https://www.example.org`, no path): what browsers send in `Origin`. */
const originSchema = z.string().refine((value) => {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}, 'each entry must be an origin such as https://www.example.org (scheme and host, no path or trailing slash) or *');

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  )
  .pipe(z.array(originSchema))
  .default([]);

export const envSchema = z
  .object({
    PORT: integer(0, 65_535, 3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    CORPUS_DIR: z.string().min(1).default('./corpus'),
    /**
     * The largest share of the index one corpus scan may delete; a scan that
     * would delete more (an unmounted volume, a wrong path) deletes nothing.
     */
    CORPUS_MAX_DELETE_RATIO: z
      .string()
      .regex(/^(?:0(?:\.\d+)?|1(?:\.0+)?)$/u, 'must be a share between 0 and 1, such as 0.2')
      .transform(Number)
      .default(0.2),
    DATA_DIR: z.string().min(1).default('./data'),
    ENGINE: z.enum(['sqlite', 'meilisearch']).default('sqlite'),
    MEILI_URL: z.url({ protocol: /^https?$/u, message: 'must be an http(s) URL' }).optional(),
    MEILI_API_KEY: z.string().optional(),
    MEILI_INDEX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,400}$/u, 'may contain only letters, digits, - and _')
      .default('articles'),
    /** Unset disables the admin routes (they answer 403 saying how to enable them). */
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters (use a random secret)').optional(),
    CORS_ORIGINS: commaList,
    /** Unset: /metrics is open (bind it to a private network). Set: /metrics needs `Authorization: Bearer <METRICS_TOKEN>`. */
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters (use a random secret)').optional(),
    SITE_KEYS_FILE: z.string().min(1).optional(),
    /** Token buckets: the refill rate per minute and the burst (bucket size). A rate of 0 disables the limit. */
    RATE_LIMIT_IP_PER_MINUTE: integer(0, 1_000_000, 120),
    RATE_LIMIT_IP_BURST: integer(1, 1_000_000, 40),
    RATE_LIMIT_KEY_PER_MINUTE: integer(0, 1_000_000, 600),
    RATE_LIMIT_KEY_BURST: integer(1, 1_000_000, 120),
    /** Most rows one GET /v1/export sends. */
    EXPORT_MAX_ROWS: integer(1, 1_000_000, 10_000),
    /**
     * Behind reverse proxies: how many of them (true = 1) append to
     * X-Forwarded-For. The client address is the entry the outermost trusted
     * proxy appended, that many from the end, as Express's `trust proxy`
     * takes it: entries before it are whatever the client sent.
     */
    TRUST_PROXY: z
      .string()
      .regex(/^(?:true|false|\d{1,2})$/u, 'must be true, false or the number of proxies in front (0-99)')
      .transform((v): boolean | number => (v === 'true' ? true : v === 'false' ? false : Number(v)))
      .default(false),
    /** Requests with the valid admin token, per address, instead of the visitors' limit; the burst is one minute's worth. */
    RATE_LIMIT_ADMIN_PER_MINUTE: integer(0, 1_000_000, 6000),
    /** Batch ingest (POST /v1/articles with an array or JSON lines): most articles and bytes per request. */
    INGEST_BATCH_MAX_ITEMS: integer(1, 100_000, 1000),
    INGEST_BATCH_MAX_BYTES: integer(1024, 1024 * 1024 * 1024, 32 * 1024 * 1024),
    LOG_LEVEL: z.enum(logLevels).default('info'),
    /**
     * A search's time budget: past it the engine answers with the best results
     * found so far (`partial: true`); an engine that cannot answer within twice
     * the budget gets 503 `timeout`. 0 disables the budget.
     */
    SEARCH_TIMEOUT_MS: integer(0, 600_000, 2_000),
    /**
     * An API replica: serve the index in DATA_DIR without writing to it (no
     * corpus sync, admin writes refused, no data-directory lock taken).
     */
    READ_ONLY: z
      .enum(['true', 'false', '1', '0'], { message: 'must be one of true, false, 1, 0' })
      .transform((v) => v === 'true' || v === '1')
      .default(false),
    /** Letters and digits an article posted through the API needs once cleaned; fewer answer 400 `too_little_text`. */
    MIN_ARTICLE_CHARS: integer(1, 100_000, 10),
    /** How long shutdown waits for in-flight requests before cutting connections. */
    SHUTDOWN_TIMEOUT_MS: integer(0, 600_000, 10_000),
    /**
     * Embedded engine: worker threads answering searches, suggestions,
     * related articles and facets beside the serving thread, each with its
     * own read-only connection. 0 reads on the serving thread.
     */
    SEARCH_READ_WORKERS: integer(0, 64, 1),
    /**
     * How far V8 lets each thread's heap grow past what the last full
     * collection kept before it collects again, in percent (V8's
     * `--heap-growing-percent`). V8's own factor (up to 4×) is tuned for
     * throughput on one thread; with a read worker beside the serving thread
     * both heaps fill with garbage under load. 0 keeps V8's factor.
     */
    HEAP_GROWING_PERCENT: integer(0, 400, 30),
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

/** Keep only the variables we know, treating empty strings as unset. */
function pickKnown(source: Record<string, string | undefined>): Record<string, string> {
  const known = Object.keys(envSchema.shape);
  const out: Record<string, string> = {};
  for (const key of known) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') out[key] = value.trim();
  }
  return out;
}

/** Validate the environment; throws EnvError listing every problem. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const known = pickKnown(source);
  const result = envSchema.safeParse(known);
  const problems = (result.error?.issues ?? []).map((issue) => {
    const name = issue.path.length > 0 ? String(issue.path[0]) : '(environment)';
    return `${name}: ${issue.message}`;
  });
  // Checked outside the schema so it is reported even when other variables are invalid.
  if (known['ENGINE'] === 'meilisearch' && known['MEILI_URL'] === undefined) {
    problems.push('MEILI_URL: is required when ENGINE=meilisearch');
  }
  if (!result.success || problems.length > 0) throw new EnvError(problems);
  return result.data;
}

/** Engine choice as the engine factory (engine/create-engine.ts) takes it. */
export type EngineSettings =
  | { engine: 'sqlite'; dataDir: string; readWorkers?: number }
  | { engine: 'meilisearch'; url: string; apiKey?: string; index: string };

export function engineConfigFromEnv(env: Env): EngineSettings {
  if (env.ENGINE === 'meilisearch') {
    // loadEnv guarantees MEILI_URL with ENGINE=meilisearch.
    const settings: EngineSettings = { engine: 'meilisearch', url: env.MEILI_URL ?? '', index: env.MEILI_INDEX };
    if (env.MEILI_API_KEY !== undefined) settings.apiKey = env.MEILI_API_KEY;
    return settings;
  }
  return { engine: 'sqlite', dataDir: env.DATA_DIR };
}

/** The engine the server answers with: as engineConfigFromEnv, plus the embedded engine's read workers. */
export function servingEngineConfig(env: Env): EngineSettings {
  const settings = engineConfigFromEnv(env);
  return settings.engine === 'sqlite' ? { ...settings, readWorkers: env.SEARCH_READ_WORKERS } : settings;
}

/**
 * The admin command `npm run meili:create-key` (indexer/meili-keys.ts) only.
 * The master key is deliberately NOT in `envSchema`: the service and the
 * indexer never see it, they run with the limited key it creates.
 */
export const meiliAdminEnvSchema = z.object({
  MEILI_URL: envSchema.shape.MEILI_URL.unwrap(),
  /** Meilisearch refuses shorter master keys in production. */
  MEILI_MASTER_KEY: z
    .string({ error: 'must be the Meilisearch master key (at least 16 bytes)' })
    .min(16, 'must be the Meilisearch master key (at least 16 bytes)'),
  MEILI_INDEX: envSchema.shape.MEILI_INDEX,
});

export type MeiliAdminEnv = z.infer<typeof meiliAdminEnvSchema>;

/** Validate the admin command's environment; throws EnvError listing every problem. */
export function loadMeiliAdminEnv(source: Record<string, string | undefined> = process.env): MeiliAdminEnv {
  const known: Record<string, string> = {};
  for (const key of Object.keys(meiliAdminEnvSchema.shape)) {
    const value = source[key];
    if (value !== undefined && value.trim() !== '') known[key] = value.trim();
  }
  const result = meiliAdminEnvSchema.safeParse(known);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((issue) => `${String(issue.path[0] ?? '(environment)')}: ${issue.message}`));
  }
  return result.data;
}
