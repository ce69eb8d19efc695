/**
 * `npm run index -- [dir] [--out docs.jsonl] [--force] [--rebuild] [--allow-mass-delete]`
 *
 * Indexes a corpus directory into the configured engine (ENGINE, DATA_DIR…,
 * see config/env.ts) and prints a summary: articles, duplicates, skipped
 * files with reasons, per-field fill rates, throughput.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadEnv, engineConfigFromEnv } from '../config/env.js';
import { createEngine } from '../engine/create-engine.js';
import { applyHeapPolicy } from '../service/heap-policy.js';
import { createLineLogger, waitForMeilisearch } from '../engine/meilisearch/wait.js';
import { join } from 'node:path';
import { corpusLedgerFile } from './corpus-ledger.js';
import { checkCorpusDir, indexCorpus, rebuildIndex, type IndexProgress, type IndexSummary } from './pipeline.js';
import { countRejections } from './rejections.js';

function formatSummary(summary: IndexSummary, corpusDir: string): string {
  const mb = summary.inputBytes / 1024 / 1024;
  const processed = summary.indexed;
  const lines = [
    `Indexed ${corpusDir}`,
    `  articles read:   ${summary.articles}`,
    `  indexed:         ${summary.indexed} (unchanged: ${summary.unchanged}, removed: ${summary.deleted})`,
    `  near-duplicates: ${summary.duplicates}`,
    `  skipped files:   ${summary.rejections.length}`,
  ];
  for (const [reason, count] of countRejections(summary.rejections)) lines.push(`    ${reason}: ${count}`);
  if (summary.warnings.length > 0) lines.push(`  warnings:        ${summary.warnings.length}`);
  for (const w of summary.warnings.slice(0, 20)) lines.push(`    - ${w.sourcePath}: ${w.detail}`);
  for (const r of summary.rejections.slice(0, 20)) lines.push(`    - ${r.sourcePath}: ${r.reason} (${r.detail})`);
  if (summary.rejections.length > 20) lines.push(`    … and ${summary.rejections.length - 20} more`);
  if (processed > 0) {
    lines.push('  field fill rates (indexed articles):');
    for (const [field, rate] of Object.entries(summary.fillRates)) {
      lines.push(`    ${field.padEnd(14)} ${(rate * 100).toFixed(0).padStart(3)}%`);
    }
  }
  const s = summary.stageSeconds;
  lines.push(
    `  time: ${summary.seconds.toFixed(2)} s (read ${s.read.toFixed(2)}, clean ${s.clean.toFixed(2)}, extract ${s.extract.toFixed(2)}, segment ${s.segment.toFixed(2)}, write ${s.write.toFixed(2)})`,
    `  throughput: ${(mb / Math.max(summary.seconds, 1e-6)).toFixed(2)} MB/s, ${(summary.articles / Math.max(summary.seconds, 1e-6)).toFixed(0)} articles/s (${mb.toFixed(2)} MB input)`,
  );
  return lines.join('\n');
}

/**
 * The run's progress on stderr: a bar with the percentage and the time left on
 * a terminal; where stderr is a file or a pipe (CI, `docker compose run`), a
 * plain line every 10 s and one at the end, without cursor movements.
 */
function createProgressBar(stream: NodeJS.WriteStream): cliProgress.SingleBar {
  const tty = stream.isTTY;
  return new cliProgress.SingleBar(
    {
      format: tty
        ? 'indexing {bar} {percentage}% | {value}/{total} articles | ETA {eta_formatted} | {file}'
        : 'indexing: {value}/{total} articles ({percentage}%), ETA {eta_formatted}',
      stream,
      noTTYOutput: true,
      notTTYSchedule: 10_000,
      // Many inputs per second: estimate from a longer stretch than the last 10 updates.
      etaBuffer: 500,
      etaAsynchronousUpdate: true,
      hideCursor: tty,
      // Off a terminal each line already ends with a newline: no blank line at the end.
      clearOnComplete: !tty,
      // Before the rate is known cli-progress's estimate is a word ('NULL', 'INF'), not seconds.
      formatTime: (t, options, roundTo) => (Number.isFinite(t) ? cliProgress.Format.TimeFormat(t, options, roundTo) : '…'),
    },
    cliProgress.Presets.shades_classic,
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      'allow-mass-delete': { type: 'boolean', default: false },
    },
  });
  const env = loadEnv();
  // The service's policy (service/heap-policy.ts): without it, at 10k articles the build
  // workers' and the writer's heaps peaked 90–150 MB higher, on garbage.
  applyHeapPolicy(env);
  const corpusDir = positionals[0] ?? env.CORPUS_DIR;
  await checkCorpusDir(corpusDir);
  if (env.ENGINE === 'meilisearch' && env.MEILI_URL !== undefined) {
    // Same start-up gate as the service: bounded wait, clear refusal of a wrong key.
    const logger = createLineLogger((line) => void process.stderr.write(line));
    await waitForMeilisearch({ url: env.MEILI_URL, apiKey: env.MEILI_API_KEY, indexUid: env.MEILI_INDEX, logger });
  }
  const engine = await createEngine(engineConfigFromEnv(env));
  await engine.init();

  let out: WriteStream | undefined;
  if (values.out !== undefined) out = createWriteStream(values.out);

  const bar = createProgressBar(process.stderr);
  let started = false;
  const onProgress = ({ processed, total, sourcePath }: IndexProgress): void => {
    if (!started) {
      started = true;
      // An empty corpus has nothing to show progress through.
      if (total > 0) bar.start(total, processed, { file: sourcePath });
      return;
    }
    bar.setTotal(total);
    bar.update(processed, { file: sourcePath });
  };
  const onDocument = out ? (doc: unknown): void => void out.write(`${JSON.stringify(doc)}\n`) : undefined;

  const options = {
    engine,
    corpusDir,
    force: values.force,
    onProgress,
    maxDeleteRatio: env.CORPUS_MAX_DELETE_RATIO,
    allowMassDelete: values['allow-mass-delete'],
    ledgerPath: join(env.DATA_DIR, corpusLedgerFile),
    ...(onDocument ? { onDocument } : {}),
  };
  let summary: IndexSummary;
  try {
    summary = values.rebuild ? await rebuildIndex(options) : await indexCorpus(options);
  } finally {
    // Also on failure: the bar's redraw timer would keep the process alive.
    bar.stop();
  }
  if (out) await new Promise<void>((resolveClose) => out.end(resolveClose));
  await engine.close();
  process.stdout.write(`${formatSummary(summary, corpusDir)}\n`);
  if (summary.deleteRefused > 0) {
    process.stderr.write(
      `index: ${summary.deleteRefused} indexed articles are missing from ${corpusDir}, more than CORPUS_MAX_DELETE_RATIO (${env.CORPUS_MAX_DELETE_RATIO}) of the index; nothing was deleted. Check the directory, or run again with --allow-mass-delete.\n`,
    );
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`index failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
