/**
 * Whether the service should receive traffic. The process listens before the
 * engine is initialised and the corpus indexed, so /healthz answers at once
 * while /readyz (and the data routes) say 503 until start-up has finished,
 * and again while shutting down.
 */
export type ReadinessState = 'starting' | 'ready' | 'stopping';

export class Readiness {
  private current: ReadinessState = 'starting';
  private why = 'starting';

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
