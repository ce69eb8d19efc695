/**
 * Prometheus metrics (prom-client) in a registry of the app's own, so several
 * apps in one process (tests) do not collide: request counts and latency
 * histograms by route pattern and status, and the index size read from the
 * engine at scrape time.
 */
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SearchEngine } from '../../engine/port.js';

export interface Metrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** Counts a finished request and its latency (request-envelope.ts calls it for every request). */
  record(method: string, route: string, status: number, seconds: number): void;
  render(): Promise<string>;
}

export function createMetrics(engine: SearchEngine, logger: Logger, corpusRejected: () => number = () => 0): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  let stats: Promise<{ documents: number; sizeBytes: number } | null> | null = null;
  // Both gauges are collected in one scrape: share one stats() call between them.
  const readStats = (): Promise<{ documents: number; sizeBytes: number } | null> => {
    stats ??= engine
      .stats()
      .catch((err: unknown) => {
        logger.warn({ err }, 'index stats unavailable for /metrics');
        return null;
      })
      .finally(() => setTimeout(() => (stats = null), 0).unref());
    return stats;
  };
  new Gauge({
    name: 'search_index_documents',
    help: 'Documents in the search index.',
    registers: [registry],
    async collect() {
      const s = await readStats();
      if (s) this.set(s.documents);
    },
  });
  new Gauge({
    name: 'search_index_size_bytes',
    help: 'Size of the search index in bytes.',
    registers: [registry],
    async collect() {
      const s = await readStats();
      if (s) this.set(s.sizeBytes);
    },
  });

  new Gauge({
    name: 'corpus_rejected_files',
    help: 'Corpus files (or JSONL lines) the last corpus scan could not index; /readyz names them.',
    registers: [registry],
    collect() {
      this.set(corpusRejected());
    },
  });

  const record = (method: string, route: string, status: number, seconds: number): void => {
    const labels = { method, route, status: String(status) };
    requests.inc(labels);
    duration.observe(labels, seconds);
  };

  return {
    registry,
    contentType: registry.contentType,
    record,
    render: () => registry.metrics(),
  };
}
