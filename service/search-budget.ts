/**
 * A search's time budget and its client: the engine is told the deadline
 * (SEARCH_TIMEOUT_MS from now) and answers with what it has by then; an
 * engine that has not answered by twice the budget (one busy elsewhere, or
 * one without deadlines) gets 503 `timeout`. A client that has gone away gets
 * no search at all, and one that leaves mid-search stops being waited for.
 */
import type { SearchEngine, SearchRequest, SearchResult } from '../engine/port.js';
import { ApiError, clientClosed } from './errors.js';

export async function searchWithinBudget(
  engine: SearchEngine,
  request: SearchRequest,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<SearchResult> {
  if (signal?.aborted === true) throw clientClosed();
  const budgeted: SearchRequest = timeoutMs > 0 ? { ...request, deadline: Date.now() + timeoutMs } : request;
  const searching = engine.search(budgeted);
  if (timeoutMs <= 0 && signal === undefined) return searching;

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stops: Array<Promise<never>> = [];
  if (timeoutMs > 0) {
    stops.push(
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new ApiError('timeout', 'The search took too long. Try fewer or more specific words.', { headers: { 'Retry-After': '1' } })),
          2 * timeoutMs,
        );
      }),
    );
  }
  if (signal !== undefined) {
    stops.push(
      new Promise<never>((_, reject) => {
        onAbort = () => reject(clientClosed());
        signal.addEventListener('abort', onAbort, { once: true });
      }),
    );
  }
  try {
    return await Promise.race([searching, ...stops]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    // The engine's answer, if it comes after all, is nobody's: keep its failure from going unhandled.
    searching.catch(() => undefined);
  }
}
