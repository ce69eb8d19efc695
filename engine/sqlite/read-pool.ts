/**
 * Reads on worker threads: each worker opens the index read-only with its
 * own connection and in-memory columns (a follower, see index-lifecycle.ts),
 * so searches use every core and one slow query never holds up the serving
 * thread, where health checks, writes and the HTTP layer run. The process's
 * one writer stays on the serving thread and tells every worker what each
 * write changed; a worker whose index moved in any other way (a generation
 * swap, another process's write) loads it again on its next read.
 *
 * The engine starts serving once a worker has opened the index
 * (`whenStarted`). When none has (one failed, or all were lost), `run`
 * returns null and the caller reads on its own thread, loading its own
 * columns for it. The writer beside workers otherwise keeps none
 * (index-lifecycle.ts), so a worker saves the columns the notices built
 * (after a quiet second, and when the pool closes) for the next start.
 */
import type { Worker } from 'node:worker_threads';
import {
  DocumentNotFoundError,
  EngineQueryError,
  EngineTimeoutError,
  EngineUnavailableError,
  EngineWriteError,
  IndexCorruptError,
  IndexSchemaError,
  type EngineError,
  type EngineErrorCode,
} from '../errors.js';
import type { RelatedRequest, SearchFilters, SearchRequest, SuggestRequest } from '../port.js';
import { startModuleWorker } from '../worker-thread.js';
import type { WriteNotice } from './index-lifecycle.js';

/** The reads a worker runs, with their arguments. */
export interface ReadCalls {
  search: SearchRequest;
  related: RelatedRequest;
  suggest: SuggestRequest;
  facetValues: SearchFilters;
}
export type ReadOp = keyof ReadCalls;

export interface ReadOptions {
  /**
   * Epoch milliseconds after which the answer is no longer wanted: a worker
   * that picks the read up later answers with engine_timeout instead of
   * running it. (A budget inside scoring can read the same field.)
   */
  deadline?: number;
}

export type ReadWorkerMessage =
  | { kind: 'read'; id: number; op: ReadOp; args: ReadCalls[ReadOp]; deadline?: number }
  | { kind: 'notice'; notice: WriteNotice }
  | { kind: 'close' };

export type ReadWorkerReply =
  | { kind: 'ready' }
  | { kind: 'closed' }
  | { kind: 'failed'; code: EngineErrorCode; message: string }
  | { kind: 'answer'; id: number; ok: true; value: unknown }
  | { kind: 'answer'; id: number; ok: false; code: EngineErrorCode; message: string; documentId?: string };

export interface ReadWorkerData {
  dataDir: string;
  fileName: string;
  resultCacheSize: number;
  termSetMinRows?: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  pending: Map<number, Pending>;
  /** Resolves when the worker has answered `close` (saved its columns). */
  closed?: () => void;
}

/** Rebuilds an engine error that crossed the thread boundary as its code and message. */
export function engineErrorFrom(code: EngineErrorCode, message: string, documentId?: string): EngineError {
  switch (code) {
    case 'document_not_found':
      return new DocumentNotFoundError(documentId ?? '');
    case 'engine_unavailable':
      return new EngineUnavailableError(message);
    case 'engine_timeout':
      return new EngineTimeoutError(message);
    case 'engine_write_failed':
      return new EngineWriteError(message);
    case 'index_corrupt':
      return new IndexCorruptError(message);
    case 'index_schema_unsupported':
      return new IndexSchemaError(message);
    case 'engine_query_failed':
      return new EngineQueryError(message);
  }
}

// A worker that died is started again after this long, at most this many times in a row.
const restartDelayMs = 1_000;
const maxRestarts = 5;
/** How long closing waits for a worker to save its columns (~0.3 s at 100k articles). */
const closeWaitMs = 10_000;

export class ReadPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private closed = false;
  private restarts = 0;
  private settled = false;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly size: number,
    private readonly data: ReadWorkerData,
  ) {}

  /** Starts the workers; each opens the index in the background and reads once it has. */
  start(): void {
    while (this.slots.length < this.size && !this.closed) this.startWorker();
  }

  /**
   * Resolves once a worker has opened the index, or once one could not (the
   * caller then reads on its own thread until a restarted worker is ready).
   */
  whenStarted(): Promise<void> {
    if (this.settled || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private settle(): void {
    this.settled = true;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  /** Workers that have opened the index. */
  get readyWorkers(): number {
    return this.slots.filter((slot) => slot.ready).length;
  }

  /** The read on the least busy ready worker, or null when none is ready (the caller reads itself). */
  run<Op extends ReadOp>(op: Op, args: ReadCalls[Op], options: ReadOptions = {}): Promise<unknown> | null {
    if (this.closed) return null;
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.ready && (!best || slot.pending.size < best.pending.size)) best = slot;
    if (!best) return null;
    const slot = best;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      const message: ReadWorkerMessage = { kind: 'read', id, op, args };
      if (options.deadline !== undefined) message.deadline = options.deadline;
      slot.worker.postMessage(message);
    });
  }

  /** Tells every worker (ready or still opening) what a committed write changed. */
  notify(notice: WriteNotice): void {
    const message: ReadWorkerMessage = { kind: 'notice', notice };
    for (const slot of this.slots) slot.worker.postMessage(message);
  }

  /** Stops the workers, each saving its columns first when writes changed them. */
  async close(): Promise<void> {
    this.closed = true;
    this.settle();
    const slots = this.slots.splice(0);
    for (const slot of slots) this.rejectAll(slot, new EngineUnavailableError('the engine is closed'));
    await Promise.all(
      slots.map(async (slot) => {
        if (slot.ready) {
          const saved = new Promise<void>((resolve) => {
            slot.closed = resolve;
            const timer = setTimeout(resolve, closeWaitMs);
            timer.unref();
            slot.worker.once('exit', () => resolve());
          });
          slot.worker.ref();
          slot.worker.postMessage({ kind: 'close' } satisfies ReadWorkerMessage);
          await saved;
        }
        await slot.worker.terminate();
      }),
    );
  }

  private startWorker(): void {
    const workerData: ReadWorkerData = this.data;
    const worker = startModuleWorker(import.meta.url, 'read-worker', { workerData });
    const slot: Slot = { worker, ready: false, pending: new Map() };
    this.slots.push(slot);
    worker.unref();
    worker.on('message', (reply: ReadWorkerReply) => this.receive(slot, reply));
    worker.on('error', () => this.lose(slot));
    worker.on('exit', () => this.lose(slot));
  }

  private receive(slot: Slot, reply: ReadWorkerReply): void {
    if (reply.kind === 'ready') {
      slot.ready = true;
      this.restarts = 0;
      this.settle();
      return;
    }
    if (reply.kind === 'closed') {
      slot.closed?.();
      return;
    }
    if (reply.kind === 'failed') {
      // It could not open the index; the serving thread keeps reading itself.
      this.lose(slot);
      this.settle();
      return;
    }
    const pending = slot.pending.get(reply.id);
    if (!pending) return;
    slot.pending.delete(reply.id);
    if (slot.pending.size === 0) slot.worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(engineErrorFrom(reply.code, reply.message, reply.documentId));
  }

  /** A worker that died or could not open takes its reads with it; another starts a little later. */
  private lose(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    this.rejectAll(slot, new EngineUnavailableError('a read worker stopped'));
    void slot.worker.terminate();
    if (this.closed || this.restarts >= maxRestarts) return;
    this.restarts++;
    setTimeout(() => this.start(), restartDelayMs).unref();
  }

  private rejectAll(slot: Slot, error: Error): void {
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
  }
}
