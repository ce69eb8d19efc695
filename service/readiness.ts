/**
 * Whether the service should receive traffic. The process listens before the
 * engine is initialised and the corpus indexed, so /healthz answers at once
 * while /readyz (and the data routes) say 503 until start-up has finished,
 * and again while shutting down.
 */
export type ReadinessState = 'starting' | 'ready' | 'stopping';

/** A corpus file (or JSONL line) the last scan could not index, and why. */
export interface CorpusProblem {
  sourcePath: string;
  reason: string;
  detail: string;
}

export class Readiness {
  private current: ReadinessState = 'starting';
  private why = 'starting';
  private rejected: readonly CorpusProblem[] = [];

  /** What the last corpus scan could not index (shown by /readyz, counted by /metrics). */
  get corpusProblems(): readonly CorpusProblem[] {
    return this.rejected;
  }

  setCorpusProblems(problems: readonly CorpusProblem[]): void {
    this.rejected = problems.map(({ sourcePath, reason, detail }) => ({ sourcePath, reason, detail }));
  }

  get state(): ReadinessState {
    return this.current;
  }

  get detail(): string {
    return this.why;
  }

  /** Still starting: `detail` says what it is waiting for (shown by /readyz). */
  waitFor(detail: string): void {
    if (this.current === 'stopping') return;
    this.current = 'starting';
    this.why = detail;
  }

  markReady(): void {
    if (this.current === 'stopping') return;
    this.current = 'ready';
    this.why = 'ready';
  }

  markStopping(): void {
    this.current = 'stopping';
    this.why = 'shutting down';
  }
}
