/**
 * Admin writes (ingest, delete, reindex) run one at a time. A rebuild reads
 * the corpus and swaps in a new index; an article written meanwhile could
 * land in the old index only and vanish at the swap, so writes wait for it.
 * Searches never wait: they are answered from whichever index is current.
 */
export class WriteQueue {
  /** Settles when the last queued task has; never rejects, so one failure does not block the queue. */
  private tail: Promise<void> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
