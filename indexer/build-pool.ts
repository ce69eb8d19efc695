/**
 * A pool of worker threads that build documents (clean, normalise, extract,
 * segment, fingerprint: all the CPU work of indexing), so that indexing uses
 * every core and never runs on the thread that answers searches. The caller
 * keeps the one SQLite writer and the corpus-order work (duplicate
 * assignment) on its own thread.
 *
 * Worker threads rather than child processes: documents come back by
 * structured clone without a serialisation step of our own, and the pool's
 * memory shows up in the process's own RSS. Each worker loads its own jieba
 * dictionary and opencc tables (a native segmenter and module state are per
 * thread), so workers start on demand and stop after a while without work.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { BuildResult, StageTimings } from './build-document.js';
import type { RawArticle } from './types.js';
import { startIndexerWorker } from './worker-thread.js';

export interface BuildRequest {
  id: number;
  raw: RawArticle;
}

export type BuildReply =
  | { id: number; ok: true; result: BuildResult; timings: StageTimings }
  | { id: number; ok: false; message: string };

export interface BuildWorkerData {
  lowPriority: boolean;
}

export interface BuildOutcome {
  result: BuildResult;
  timings: StageTimings;
}

export interface BuildPoolOptions {
  /** Most worker threads at once (default: one per core). */
  size?: number;
  /** Workers without work for this long are stopped, freeing their dictionaries (default 30 s). */
  idleMs?: number;
  /**
   * Workers run below the serving thread's priority (lowerThreadPriority):
   * for bulk work nobody waits on, a rebuild. Not for the process's shared
   * pool, whose single-article builds a client is waiting for.
   */
  lowPriority?: boolean;
}

export class BuildWorkerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'BuildWorkerError';
  }
}

interface Pending {
  resolve: (outcome: BuildOutcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

// A worker with this many jobs queued is busy enough to start another one.
const jobsBeforeAnotherWorker = 2;

export class BuildPool {
  readonly size: number;
  private readonly idleMs: number;
  private readonly lowPriority: boolean;
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(options: BuildPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
    this.idleMs = options.idleMs ?? 30_000;
    this.lowPriority = options.lowPriority === true;
  }

  /** Workers running now. */
  get workers(): number {
    return this.slots.length;
  }

  build(raw: RawArticle): Promise<BuildOutcome> {
    if (this.closed) return Promise.reject(new BuildWorkerError('the build pool is closed'));
    this.cancelIdleTimer();
    const slot = this.pickSlot();
    const id = this.nextId++;
    return new Promise<BuildOutcome>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      const request: BuildRequest = { id, raw };
      slot.worker.postMessage(request);
    });
  }

  /** Stop the workers (call between jobs); the next job starts fresh ones, with the dictionary in force then. */
  async restart(): Promise<void> {
    this.cancelIdleTimer();
    await this.stopAll();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelIdleTimer();
    await this.stopAll();
  }

  private pickSlot(): Slot {
    let best: Slot | undefined;
    for (const slot of this.slots) if (!best || slot.pending.size < best.pending.size) best = slot;
    if (best && (best.pending.size < jobsBeforeAnotherWorker || this.slots.length >= this.size)) return best;
    return this.startWorker();
  }

  private startWorker(): Slot {
    const data: BuildWorkerData = { lowPriority: this.lowPriority };
    const worker = startIndexerWorker('build-worker', { workerData: data });
    const slot: Slot = { worker, pending: new Map() };
    this.slots.push(slot);
    worker.on('message', (reply: BuildReply) => this.settle(slot, reply));
    worker.on('error', (error) => this.fail(slot, new BuildWorkerError('a build worker failed', { cause: error })));
    worker.on('exit', (code) => this.fail(slot, new BuildWorkerError(`a build worker exited with code ${code}`)));
    return slot;
  }

  private settle(slot: Slot, reply: BuildReply): void {
    const pending = slot.pending.get(reply.id);
    if (!pending) return;
    slot.pending.delete(reply.id);
    if (reply.ok) pending.resolve({ result: reply.result, timings: reply.timings });
    else pending.reject(new BuildWorkerError(`building a document failed in a worker: ${reply.message}`));
    if (slot.pending.size === 0) {
      // An idle worker must not keep the process alive.
      slot.worker.unref();
      if (this.slots.every((s) => s.pending.size === 0)) this.armIdleTimer();
    }
  }

  /** A worker that died takes its jobs with it; the next job starts a new one. */
  private fail(slot: Slot, error: Error): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    for (const pending of slot.pending.values()) pending.reject(error);
    slot.pending.clear();
    void slot.worker.terminate();
  }

  private armIdleTimer(): void {
    this.cancelIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      void this.stopAll();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private cancelIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async stopAll(): Promise<void> {
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      for (const pending of slot.pending.values()) pending.reject(new BuildWorkerError('the build pool was stopped'));
      slot.pending.clear();
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }
}

let shared: BuildPool | undefined;

/** The process's pool, started on first use (workers themselves start on demand). */
export function sharedBuildPool(): BuildPool {
  shared ??= new BuildPool();
  return shared;
}
