/** What the routes call: the per-day store plus the Prometheus view of the same events. */
import { Counter, type Registry } from 'prom-client';
import type { AnalyticsStore } from './store.js';

export interface SearchAnalytics {
  recordSearch(query: string, total: number): void;
  recordClick(query: string): void;
  readonly store: AnalyticsStore;
}

export function createSearchAnalytics(store: AnalyticsStore, registry: Registry): SearchAnalytics {
  const zeroResults = new Counter({
    name: 'search_zero_results_total',
    help: 'Searches with words that found no article matching every word.',
    registers: [registry],
  });
  return {
    store,
    recordSearch(query, total) {
      if (query.trim() === '') return;
      if (total === 0) zeroResults.inc();
      store.recordSearch(query, total);
    },
    recordClick: (query) => store.recordClick(query),
  };
}
