/**
 * `npm start`: validate the environment, open the engine, start listening,
 * then (in the background) initialise the engine and bring the index in line
 * with CORPUS_DIR (incremental: an unchanged corpus costs a scan, a fresh
 * clone gets a full index). /healthz answers from the first moment; /readyz
 * and the data routes answer 503 until the index is ready.
 *
 * Listening before indexing is deliberate: a large corpus or a Meilisearch
 * that is not up yet must not look like a crashed process to an orchestrator,
 * and an unreachable engine is retried instead of crash-looping.
 *
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish
 * (up to SHUTDOWN_TIMEOUT_MS), then close the engine cleanly.
 */
import { realpathSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { DestinationStream, Logger } from 'pino';
import { createLogger } from './logger.js';
import { applyHeapPolicy } from './heap-policy.js';
import { EnvError, engineConfigFromEnv, loadEnv, servingEngineConfig, type Env } from '../config/env.js';
import { createEngine, moveDamagedIndexAside } from '../engine/create-engine.js';
import { EngineTimeoutError, EngineUnavailableError, IndexCorruptError } from '../engine/errors.js';
import { waitForMeilisearch } from '../engine/meilisearch/wait.js';
import type { SearchEngine } from '../engine/port.js';
import { removeOrphanTempFiles } from '../indexer/ingest.js';
import { loadSegmenter } from '../engine/analysis/segment.js';
import { corpusLedgerFile } from '../indexer/corpus-ledger.js';
import { checkCorpusDir, indexCorpus } from '../indexer/pipeline.js';
import { WriteQueue } from './write-queue.js';
import { countRejections } from '../indexer/rejections.js';
import { createApp } from './app.js';
import { readOverrides } from './analysis/overrides-store.js';
import { adoptStoredOverrides } from './analysis/run-time-analysis.js';
import { loadSiteKeys } from './middleware/site-key.js';
import { Readiness } from './readiness.js';
import { describeDataDirProblem, lockDataDir } from './data-dir-lock.js';
import { AnalyticsStore } from './analytics/store.js';

export interface StartOptions {
  /** Where JSON log lines go (default: stdout). */
  logStream?: DestinationStream;
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound (PORT=0 picks a free one). */
  url: string;
  port: number;
  engine: SearchEngine;
  readiness: Readiness;
  logger: Logger;
  /** Resolves once the engine is initialised and the corpus indexed; rejects on a fatal start-up error. */
  ready: Promise<void>;
  /** Graceful stop: no new connections, in-flight requests finish, engine closed. Idempotent. */
  close(): Promise<void>;
}

function isRetryable(err: unknown): boolean {
  return err instanceof EngineUnavailableError || err instanceof EngineTimeoutError;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Stop accepting, wait for open requests, and cut whatever is left after `timeoutMs`. */
function closeHttpServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
    timer.unref();
    server.close((err) => {
      clearTimeout(timer);
      if (err && (err as NodeJS.ErrnoException).code !== 'ERR_SERVER_NOT_RUNNING') reject(err);
      else resolve();
    });
    // Keep-alive connections with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}

/** The longest one write of the start-up sync holds the serving thread (see IndexOptions.maxWriteMs). */
const syncWriteMs = 25;

export async function startServer(env: Env, options: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger(env, options.logStream);
  await checkCorpusDir(env.CORPUS_DIR);
  const siteKeys = await loadSiteKeys(env.SITE_KEYS_FILE);
  // Before the engine opens: the dictionary in force decides whether its index must be segmented again.
  const analysisDir = join(env.DATA_DIR, 'analysis');
  adoptStoredOverrides(await readOverrides(analysisDir));
  // Queries are segmented on this thread: jieba's dictionaries (0.2–0.4 s) load before it
  // listens, rather than in the first search, holding every request behind it.
  try {
    loadSegmenter();
  } catch (err) {
    // Its user dictionary could not be written (a temp directory of another user's): the start
    // goes on, to report what else is wrong, and the first text to segment tries again.
    logger.warn({ err }, 'loading the segmenter failed; it is tried again when first needed');
  }
  // Only the embedded engine's files live in DATA_DIR; Meilisearch serialises its own writers.
  const writesDataDir = env.ENGINE === 'sqlite' && !env.READ_ONLY;
  let dataDirProblem = writesDataDir ? describeDataDirProblem(env.DATA_DIR) : null;
  // A directory that cannot be written is waited for (503 naming the cause) rather than a crash loop.
  let lock = writesDataDir && dataDirProblem === null ? lockDataDir(env.DATA_DIR) : null;
  const engine = await createEngine(servingEngineConfig(env));
  const readiness = new Readiness();
  const writes = new WriteQueue();
  // Search counts live in DATA_DIR too: without a writable one the service still serves, uncounted.
  const analytics = !env.READ_ONLY && dataDirProblem === null ? new AnalyticsStore(env.DATA_DIR) : undefined;
  if (analytics === undefined) logger.warn({ dataDir: env.DATA_DIR }, 'search analytics off: DATA_DIR is not writable by this instance');
  const app = createApp({
    engine,
    writes,
    corpusDir: env.CORPUS_DIR,
    logger,
    readiness,
    siteKeys,
    adminToken: env.ADMIN_TOKEN,
    corsOrigins: env.CORS_ORIGINS,
    rateLimit: {
      perIp: { perMinute: env.RATE_LIMIT_IP_PER_MINUTE, burst: env.RATE_LIMIT_IP_BURST },
      perSiteKey: { perMinute: env.RATE_LIMIT_KEY_PER_MINUTE, burst: env.RATE_LIMIT_KEY_BURST },
      admin: { perMinute: env.RATE_LIMIT_ADMIN_PER_MINUTE, burst: Math.max(1, env.RATE_LIMIT_ADMIN_PER_MINUTE) },
    },
    trustProxy: env.TRUST_PROXY,
    readOnly: env.READ_ONLY,
    searchTimeoutMs: env.SEARCH_TIMEOUT_MS,
    minArticleChars: env.MIN_ARTICLE_CHARS,
    metricsToken: env.METRICS_TOKEN,
    exportMaxRows: env.EXPORT_MAX_ROWS,
    ...(analytics ? { analytics } : {}),
    idempotencyDir: join(env.DATA_DIR, 'idempotency'),
    analysisDir,
    ingestLimits: { maxItems: env.INGEST_BATCH_MAX_ITEMS, maxBytes: env.INGEST_BATCH_MAX_BYTES },
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, () => resolve(s)) as Server;
    s.once('error', reject);
  }).catch(async (err: unknown) => {
    await engine.close();
    lock?.release();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  const url = `http://${host}:${port}`;
  logger.info({ url, port, engine: engine.name, corpusDir: env.CORPUS_DIR, siteKeys: siteKeys.size, admin: env.ADMIN_TOKEN !== undefined }, 'listening');

  const stop = new AbortController();
  const prepare = async (): Promise<void> => {
    if (env.ENGINE === 'meilisearch' && env.MEILI_URL !== undefined) {
      // Bounded wait, then a clear refusal for a wrong/missing/admin key (engine/meilisearch/wait.ts).
      readiness.waitFor('waiting for Meilisearch');
      try {
        await waitForMeilisearch({ url: env.MEILI_URL, apiKey: env.MEILI_API_KEY, indexUid: env.MEILI_INDEX, logger, signal: stop.signal });
      } catch (err) {
        if (stop.signal.aborted) return;
        throw err;
      }
    }
    let reported: string | null = null;
    while (dataDirProblem !== null) {
      if (dataDirProblem !== reported) {
        logger.error({ dataDir: env.DATA_DIR, cause: dataDirProblem }, 'the data directory cannot be written; waiting for it to be fixed');
        reported = dataDirProblem;
      }
      readiness.waitFor(dataDirProblem);
      await sleep(5_000, stop.signal);
      if (stop.signal.aborted) return;
      dataDirProblem = describeDataDirProblem(env.DATA_DIR);
      if (dataDirProblem === null) lock = lockDataDir(env.DATA_DIR);
    }
    let movedAside = false;
    for (let attempt = 0; ; attempt++) {
      readiness.waitFor('initialising the search engine');
      try {
        await engine.init();
        break;
      } catch (err) {
        if (err instanceof IndexCorruptError && !movedAside) {
          // Exiting would only crash-loop under a restart policy; the corpus rebuilds the index.
          movedAside = true;
          const aside = await moveDamagedIndexAside(engineConfigFromEnv(env));
          logger.error({ err, movedTo: aside }, 'the index file is damaged: moved it aside, rebuilding the index from the corpus');
          continue;
        }
        if (!isRetryable(err)) throw err;
        if (stop.signal.aborted) return;
        const delay = Math.min(30_000, 500 * 2 ** attempt);
        const cause = writesDataDir ? describeDataDirProblem(env.DATA_DIR) : null;
        logger.warn({ err, retryInMs: delay, ...(cause !== null ? { cause } : {}) }, 'search engine unavailable; retrying');
        readiness.waitFor(cause ?? 'search engine unavailable, retrying');
        await sleep(delay, stop.signal);
        if (stop.signal.aborted) return;
      }
    }
    if (stop.signal.aborted) return;
    if (env.READ_ONLY) {
      // The writing instance keeps the index in line with the corpus; this one follows its writes.
      readiness.markReady();
      logger.info('ready (read-only: serving the index without syncing the corpus)');
      return;
    }
    const syncCorpus = async (): Promise<void> => {
      try {
        const orphans = await removeOrphanTempFiles(env.CORPUS_DIR);
        if (orphans.length > 0) logger.info({ files: orphans.slice(0, 20), count: orphans.length }, 'removed temporary files of interrupted writes');
        // The one writer is this thread's: write transactions short enough that the requests it
        // serves meanwhile (searches on an existing index, /healthz on a first start) barely wait.
        const summary = await indexCorpus({
          engine,
          corpusDir: env.CORPUS_DIR,
          maxDeleteRatio: env.CORPUS_MAX_DELETE_RATIO,
          maxWriteMs: syncWriteMs,
          ledgerPath: join(env.DATA_DIR, corpusLedgerFile),
        });
        readiness.setCorpusProblems(summary.rejections);
        for (const warning of summary.warnings.slice(0, 50)) logger.warn({ file: warning.sourcePath, detail: warning.detail }, 'corpus file indexed with a field dropped');
        for (const rejection of summary.rejections.slice(0, 50)) {
          logger.warn({ file: rejection.sourcePath, reason: rejection.reason, detail: rejection.detail }, 'corpus file not indexed');
        }
        if (summary.deleteRefused > 0) {
          logger.error(
            { corpusDir: env.CORPUS_DIR, missing: summary.deleteRefused, maxDeleteRatio: env.CORPUS_MAX_DELETE_RATIO },
            'the corpus lacks too many indexed articles (is the volume mounted?); kept them and serving the existing index. `npm run index -- --allow-mass-delete` deletes them',
          );
        }
        logger.info(
          {
            articles: summary.articles,
            indexed: summary.indexed,
            unchanged: summary.unchanged,
            deleted: summary.deleted,
            keptRejected: summary.keptRejected,
            duplicates: summary.duplicates,
            rejected: Object.fromEntries(countRejections(summary.rejections)),
            seconds: Math.round(summary.seconds * 100) / 100,
          },
          'corpus indexed',
        );
      } catch (err) {
        // The index that exists is still worth serving; the operator sees why it may be stale.
        logger.error({ err, corpusDir: env.CORPUS_DIR }, 'indexing the corpus failed; serving the existing index');
      }
    };
    if ((await engine.stats()).documents > 0) {
      // An existing index serves at once; bringing it in line with the corpus
      // (reading and hashing every file) runs behind it, through the same
      // queue as admin writes so the two never interleave.
      readiness.markReady();
      logger.info('ready (existing index); checking the corpus for changes');
      await writes.run(syncCorpus);
      return;
    }
    readiness.waitFor('indexing the corpus');
    await writes.run(syncCorpus);
    readiness.markReady();
    logger.info('ready');
  };
  const ready = prepare();
  // Observed here so a fatal start-up error is never an unhandled rejection; callers still see it via `ready`.
  ready.catch((err: unknown) => logger.fatal({ err }, 'start-up failed'));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      readiness.markStopping();
      stop.abort();
      logger.info('shutting down: finishing in-flight requests');
      await closeHttpServer(server, env.SHUTDOWN_TIMEOUT_MS);
      // Indexing writes through the engine: let it finish before closing it.
      await ready.catch(() => undefined);
      await engine.close();
      lock?.release();
      analytics?.close();
      logger.info('stopped');
    })();
    return closing;
  };

  return { url, port, engine, readiness, logger, ready, close };
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`${err.message}\nSee "## Configuration" in README.md.\n`);
      process.exit(1);
    }
    throw err;
  }
  applyHeapPolicy(env);

  let running: RunningServer;
  try {
    running = await startServer(env);
  } catch (err) {
    process.stderr.write(`Start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (signalled) {
      running.logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    signalled = true;
    running.logger.info({ signal }, 'signal received');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        running.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  running.ready.catch(() => {
    void running.close().finally(() => process.exit(1));
  });
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main();
