/**
 * The production engine: a Meilisearch server through the official client.
 *
 * Two indexes per configured name: `<index>` holds articles (settings.ts),
 * `<index>_suggest` holds completions with their pinyin. Every write is a
 * Meilisearch task; a write resolves only once its task has succeeded (then
 * it is on the server's disk), and a failed or timed-out task rejects.
 *
 * Foreign errors are translated in exactly one place (`translateError`): the
 * service only ever sees engine/errors.ts classes, with the client's error as
 * `cause`.
 */
import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type DocumentsQuery,
  type EnqueuedTask,
  type Hit,
  type Index,
  type IndexSwap,
  type MultiSearchQuery,
  type RecordAny,
  type SearchResponse,
  type Settings,
  type Task,
} from 'meilisearch';
import { isEmptyQuery } from '../analysis/query.js';
import { documentMatchesFilters, type EngineDocument } from '../document.js';
import {
  DocumentNotFoundError,
  EngineError,
  EngineQueryError,
  EngineTimeoutError,
  EngineUnavailableError,
  EngineWriteError,
} from '../errors.js';
import type {
  EngineHealth,
  EngineStats,
  FacetCounts,
  GetOptions,
  RelatedHit,
  RelatedRequest,
  SearchEngine,
  SearchFilters,
  SearchHit,
  SearchRequest,
  SearchResult,
  Suggestion,
  VocabularyEntry,
  SuggestRequest,
} from '../port.js';
import { buildFilter, buildInFilter, quoteFilterValue } from './filter.js';
import {
  buildClauseCountQueries,
  buildDisjunctiveFacetQueries,
  buildDuplicatesFilter,
  buildMatchingDuplicatesPlan,
  buildFacetValuesParams,
  buildRelatedQueries,
  buildRelaxedSearchPlan,
  buildSearchPlan,
  buildSuggestPlan,
  canonicalOnlyFilter,
  canRelax,
  rankRelatedCandidates,
  rankSuggestions,
  buildVocabularyQueries,
  readVocabulary,
  readFacetCounts,
  readMatchedTerms,
  hasBroaderClauses,
  buildIdsPlan,
  buildCountPlan,
  buildBroaderSearchPlan,
  maxExcludedExact,
  readScore,
  readTotal,
  selectRelatedKeywords,
  type SearchPlan,
} from './params.js';
import {
  aggregateSourceFields,
  buildAggregateSuggestion,
  buildIndexSettings,
  buildSuggestIndexSettings,
  buildTitleSuggestion,
  countAggregates,
  documentFields,
  encodeDocumentKey,
  facetAttributes,
  fromMeiliArticle,
  fromMeiliHit,
  hitFields,
  settingsToUpdate,
  primaryKey,
  readAggregateSource,
  buildDictionary,
  buildSynonyms,
  suggestPrimaryKey,
  titleSuggestionKey,
  toMeiliArticle,
  type AggregateCount,
  type MeiliSuggestion,
} from './settings.js';

export interface MeilisearchEngineOptions {
  /** Base URL, e.g. http://127.0.0.1:7700. */
  url: string;
  apiKey?: string | undefined;
  /** Article index uid; `<index>_suggest` and `<index>_new` are derived from it. */
  index: string;
  /** How long a write waits for its task (default 120 s: settings changes re-index everything). */
  taskTimeoutMs?: number;
  /** Per HTTP request (default 15 s). */
  requestTimeoutMs?: number;
}

type Access = 'read' | 'write';

// Documents per addDocuments task: keeps payloads well under Meilisearch's
// 100 MB limit even for long articles stored with their segmented copies.
const writeBatchSize = 500;
const pageSize = 1000;
const taskPollIntervalMs = 100;

function errorCode(error: MeilisearchApiError): string | undefined {
  return error.cause?.code;
}

/** The one boundary where client errors become engine errors. */
function translateError(error: unknown, access: Access, what: string): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof MeilisearchTaskTimeOutError) {
    const { taskUid, timeout } = error.cause;
    return new EngineTimeoutError(`${what}: Meilisearch task ${taskUid} did not finish within ${timeout} ms`, {
      cause: error,
    });
  }
  if (error instanceof MeilisearchRequestError) {
    if (error.cause instanceof MeilisearchRequestTimeOutError) {
      return new EngineTimeoutError(`${what}: Meilisearch did not answer within ${error.cause.cause.timeout} ms`, {
        cause: error,
      });
    }
    return new EngineUnavailableError(`${what}: Meilisearch is unreachable`, { cause: error });
  }
  if (error instanceof MeilisearchApiError) {
    const status = error.response.status;
    const code = errorCode(error);
    // A missing index, a refused key or a server fault: nothing the request can fix.
    if (status >= 500 || status === 401 || status === 403 || code === 'index_not_found') {
      return new EngineUnavailableError(`${what}: Meilisearch answered ${status}${code ? ` ${code}` : ''}`, { cause: error });
    }
    const message = `${what}: Meilisearch rejected the request (${status}${code ? ` ${code}` : ''})`;
    return access === 'write' ? new EngineWriteError(message, { cause: error }) : new EngineQueryError(message, { cause: error });
  }
  if (error instanceof MeilisearchError) {
    return new EngineUnavailableError(`${what}: ${error.message}`, { cause: error });
  }
  const message = `${what} failed`;
  return access === 'write' ? new EngineWriteError(message, { cause: error }) : new EngineQueryError(message, { cause: error });
}

function isApiError(error: unknown, code: string): boolean {
  return error instanceof MeilisearchApiError && errorCode(error) === code;
}

/** A task that ended otherwise than `succeeded`, as an engine error. */
function describeFailedTask(task: Task, what: string): EngineError {
  const reason = task.error ? `${task.error.code}: ${task.error.message}` : task.status;
  const cause = { taskUid: task.uid, type: task.type, status: task.status, error: task.error };
  if (task.error?.type === 'internal' || task.error?.type === 'system') {
    return new EngineUnavailableError(`${what}: Meilisearch task ${task.uid} failed (${reason})`, { cause });
  }
  return new EngineWriteError(`${what}: Meilisearch task ${task.uid} ${task.status} (${reason})`, { cause });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class MeilisearchEngine implements SearchEngine {
  readonly name = 'meilisearch' as const;
  readonly #client: Meilisearch;
  readonly #uid: string;
  readonly #suggestUid: string;
  readonly #taskTimeoutMs: number;

  constructor(options: MeilisearchEngineOptions) {
    this.#uid = options.index;
    this.#suggestUid = `${options.index}_suggest`;
    this.#taskTimeoutMs = options.taskTimeoutMs ?? 120_000;
    const config: ConstructorParameters<typeof Meilisearch>[0] = {
      host: options.url,
      timeout: options.requestTimeoutMs ?? 15_000,
      // fetch asks for compressed answers, and Meilisearch's compressed ones
      // took ~40 ms more on most searches over a kept-alive connection (a
      // search of 7 ms answered in 50): on the private network between the
      // service and Meilisearch, plain bytes are the faster way.
      requestInit: { headers: { 'Accept-Encoding': 'identity' } },
    };
    if (options.apiKey !== undefined && options.apiKey !== '') config.apiKey = options.apiKey;
    this.#client = new Meilisearch(config);
  }

  // -------------------------------------------------------------------------
  // plumbing

  async #call<T>(access: Access, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw translateError(error, access, what);
    }
  }

  #articles(uid = this.#uid): Index<RecordAny> {
    return this.#client.index(uid);
  }

  /** Waits for an enqueued task; anything but `succeeded` rejects. */
  async #settle(enqueued: Promise<EnqueuedTask>, what: string): Promise<Task> {
    const task = await this.#client.tasks.waitForTask(await enqueued, {
      timeout: this.#taskTimeoutMs,
      interval: taskPollIntervalMs,
    });
    if (task.status !== 'succeeded') throw describeFailedTask(task, what);
    return task;
  }

  /**
   * Waits for the swap task. A key limited to some indexes, as the service's
   * is, never sees a swap task (Meilisearch lists tasks that belong to no
   * single index only to keys for every index): then the swap is known done
   * when each live name holds the index that was built, recognised by its
   * creation time, which a swap carries along with the data.
   */
  async #awaitSwap(enqueued: Promise<EnqueuedTask>, liveUids: readonly string[], rebuiltCreatedAt: readonly string[]): Promise<void> {
    const task = await enqueued;
    try {
      await this.#settle(Promise.resolve(task), 'swap rebuilt indexes in');
      return;
    } catch (error) {
      if (!isApiError(error, 'task_not_found')) throw error;
    }
    const deadline = Date.now() + this.#taskTimeoutMs;
    for (;;) {
      const live = await Promise.all(liveUids.map(async (uid) => (await this.#client.getRawIndex(uid)).createdAt));
      if (live.every((createdAt, i) => createdAt === rebuiltCreatedAt[i])) return;
      if (Date.now() > deadline) {
        throw new EngineWriteError(`swap rebuilt indexes in: task ${task.taskUid} not done within ${this.#taskTimeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, taskPollIntervalMs));
    }
  }

  async #indexExists(uid: string): Promise<boolean> {
    try {
      await this.#client.getRawIndex(uid);
      return true;
    } catch (error) {
      if (isApiError(error, 'index_not_found')) return false;
      throw error;
    }
  }

  async #ensureIndex(uid: string, key: string): Promise<void> {
    if (await this.#indexExists(uid)) return;
    const task = await this.#client.tasks.waitForTask(await this.#client.createIndex(uid, { primaryKey: key }), {
      timeout: this.#taskTimeoutMs,
      interval: taskPollIntervalMs,
    });
    // Another process creating it at the same moment is as good as creating it.
    if (task.status !== 'succeeded' && task.error?.code !== 'index_already_exists') {
      throw describeFailedTask(task, `create index ${uid}`);
    }
  }

  /** Applies the settings that are not already in force (each update is a task Meilisearch runs over the whole index). */
  async #configure(uid: string, settings: Settings): Promise<void> {
    let current: Record<string, unknown> = {};
    try {
      current = await this.#client.index(uid).getSettings();
    } catch (error) {
      // A key made before it was allowed to read settings: apply them all, as then.
      if (!(error instanceof MeilisearchApiError) || (error.response.status !== 401 && error.response.status !== 403)) throw error;
    }
    const changed = settingsToUpdate(current, settings);
    if (Object.keys(changed).length === 0) return;
    await this.#settle(this.#client.index(uid).updateSettings(changed), `apply settings to ${uid}`);
  }

  async #deleteIndexIfExists(uid: string): Promise<void> {
    if (!(await this.#indexExists(uid))) return;
    const task = await this.#client.tasks.waitForTask(await this.#client.deleteIndex(uid), {
      timeout: this.#taskTimeoutMs,
      interval: taskPollIntervalMs,
    });
    if (task.status !== 'succeeded' && task.error?.code !== 'index_not_found') {
      throw describeFailedTask(task, `delete index ${uid}`);
    }
  }

  /** Every document matching `filter` (or all), `fields` only, page by page. */
  async #fetchAll(uid: string, fields: string[], filter?: string): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    for (let offset = 0; ; offset += pageSize) {
      const query: DocumentsQuery = { fields, limit: pageSize, offset };
      if (filter !== undefined) query.filter = filter;
      const page = await this.#articles(uid).getDocuments(query);
      out.push(...page.results);
      if (page.results.length < pageSize || out.length >= page.total) return out;
    }
  }

  async #searchArticles(plan: SearchPlan): Promise<SearchResponse<RecordAny>> {
    return await this.#articles().search(plan.q, plan.params);
  }

  /** canonical id → ids of its near-duplicates (sorted), for the given canonical ids. */
  async #duplicatesByCanonical(ids: readonly string[]): Promise<Map<string, string[]>> {
    const byCanonical = new Map<string, string[]>();
    if (ids.length === 0) return byCanonical;
    const rows = await this.#fetchAll(this.#uid, ['id', 'duplicateOf'], buildDuplicatesFilter(ids));
    for (const row of rows) {
      const canonical = row['duplicateOf'];
      const id = row['id'];
      if (typeof canonical !== 'string' || typeof id !== 'string') continue;
      byCanonical.set(canonical, [...(byCanonical.get(canonical) ?? []), id]);
    }
    for (const list of byCanonical.values()) list.sort();
    return byCanonical;
  }

  async #writeSuggestions(uid: string, add: MeiliSuggestion[], remove: string[], what: string): Promise<void> {
    for (const batch of chunk(add, 5000)) {
      await this.#settle(this.#client.index(uid).addDocuments(batch, { primaryKey: suggestPrimaryKey }), what);
    }
    for (const batch of chunk(remove, 5000)) {
      await this.#settle(this.#client.index(uid).deleteDocuments(batch), what);
    }
  }

  /** What the stored versions of `ids` (those that exist) contribute to suggestions. */
  async #fetchAggregateSources(ids: readonly string[]): Promise<EngineDocument[]> {
    const out: EngineDocument[] = [];
    for (const batch of chunk(ids, 500)) {
      const rows = await this.#fetchAll(this.#uid, [...aggregateSourceFields], buildInFilter('id', batch));
      out.push(...rows.map(readAggregateSource));
    }
    return out;
  }

  /**
   * Applies hospital/term count changes to the suggest index: weights are the
   * number of articles carrying an entry (as in the SQLite engine), and an
   * entry no article carries any more is removed.
   */
  async #applyAggregateDeltas(deltas: Map<string, AggregateCount>): Promise<void> {
    const changed = [...deltas.entries()].filter(([, d]) => d.count !== 0);
    if (changed.length === 0) return;
    const current = new Map<string, number>();
    for (const batch of chunk(
      changed.map(([sid]) => sid),
      500,
    )) {
      const rows = await this.#fetchAll(this.#suggestUid, ['sid', 'weight'], buildInFilter('sid', batch));
      for (const row of rows) {
        if (typeof row['sid'] === 'string' && typeof row['weight'] === 'number') current.set(row['sid'], row['weight']);
      }
    }
    const add: MeiliSuggestion[] = [];
    const remove: string[] = [];
    for (const [sid, { entry, count }] of changed) {
      const weight = (current.get(sid) ?? 0) + count;
      if (weight > 0) add.push(buildAggregateSuggestion(entry, weight));
      else if (current.has(sid)) remove.push(sid);
    }
    await this.#writeSuggestions(this.#suggestUid, add, remove, 'update suggestions');
  }

  /** Canonical hospitals of the articles `filters` allow: which hospital suggestions may show. */
  async #allowedHospitals(filters: SearchFilters): Promise<Set<string> | null> {
    const filter = buildFilter(filters);
    if (filter === undefined) return null;
    const response = await this.#articles().search(null, {
      filter,
      facets: [facetAttributes.hospital],
      page: 1,
      hitsPerPage: 0,
    });
    return new Set(Object.keys(response.facetDistribution?.[facetAttributes.hospital] ?? {}));
  }

  // -------------------------------------------------------------------------
  // SearchEngine

  async init(): Promise<void> {
    await this.#call('write', 'init', async () => {
      await this.#ensureIndex(this.#uid, primaryKey);
      await this.#configure(this.#uid, buildIndexSettings());
      await this.#ensureIndex(this.#suggestUid, suggestPrimaryKey);
      await this.#configure(this.#suggestUid, buildSuggestIndexSettings());
    });
  }

  /** The synonyms and dictionary in force (run-time additions included), applied to both indexes' settings. */
  async applyAnalysisSettings(): Promise<void> {
    await this.#call('write', 'apply analysis settings', async () => {
      await this.#configure(this.#uid, { synonyms: buildSynonyms(), dictionary: buildDictionary() });
      await this.#configure(this.#suggestUid, { dictionary: buildDictionary() });
    });
  }

  async upsert(documents: EngineDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.#call('write', 'upsert', async () => {
      // Later copies of an id win, as they would in a sequence of upserts.
      const latest = [...new Map(documents.map((d) => [d.id, d])).values()];
      const previous = await this.#fetchAggregateSources(latest.map((d) => d.id));
      for (const batch of chunk(latest, writeBatchSize)) {
        await this.#settle(
          this.#articles().addDocuments(batch.map(toMeiliArticle), { primaryKey }),
          `upsert ${batch.length} documents`,
        );
      }
      await this.#applyAggregateDeltas(countAggregates(latest, countAggregates(previous, new Map(), -1)));
      const titles = latest.map(buildTitleSuggestion);
      const untitled = latest.filter((_, i) => titles[i] === null).map((d) => titleSuggestionKey(d.id));
      await this.#writeSuggestions(
        this.#suggestUid,
        titles.filter((t): t is MeiliSuggestion => t !== null),
        untitled,
        'upsert title suggestions',
      );
    });
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#call('write', 'delete', async () => {
      const previous = await this.#fetchAggregateSources(ids);
      await this.#settle(this.#articles().deleteDocuments(ids.map(encodeDocumentKey)), `delete ${ids.length} documents`);
      await this.#applyAggregateDeltas(countAggregates(previous, new Map(), -1));
      await this.#writeSuggestions(this.#suggestUid, [], ids.map(titleSuggestionKey), 'delete title suggestions');
    });
  }

  async get(id: string, options: GetOptions = {}): Promise<EngineDocument | null> {
    const whole = options.engineFields !== false;
    return await this.#call('read', 'get', async () => {
      try {
        const stored = await this.#articles().getDocument(encodeDocumentKey(id), { fields: [...(whole ? documentFields : hitFields)] });
        return whole ? fromMeiliArticle(stored) : fromMeiliHit(stored);
      } catch (error) {
        if (isApiError(error, 'document_not_found')) return null;
        throw error;
      }
    });
  }

  async duplicatesOf(id: string): Promise<string[]> {
    return await this.#call('read', 'duplicatesOf', async () => {
      const rows = await this.#fetchAll(this.#uid, ['id'], `duplicateOf = ${quoteFilterValue(id)}`);
      return rows.map((r) => String(r['id'])).sort();
    });
  }

  async contentHashes(): Promise<Map<string, string>> {
    return await this.#call('read', 'contentHashes', async () => {
      const rows = await this.#fetchAll(this.#uid, ['id', 'contentHash']);
      return new Map(rows.map((r) => [String(r['id']), String(r['contentHash'])]));
    });
  }

  async dedupeFingerprints(): Promise<Map<string, string>> {
    return await this.#call('read', 'dedupeFingerprints', async () => {
      const rows = await this.#fetchAll(this.#uid, ['id', 'fingerprint'], canonicalOnlyFilter);
      return new Map(rows.map((r) => [String(r['id']), String(r['fingerprint'])]));
    });
  }

  async search(request: SearchRequest): Promise<SearchResult> {
    return await this.#call('read', 'search', async () => {
      const strict = buildSearchPlan(request);
      if (strict.q !== null && hasBroaderClauses(request.query)) return await this.#searchWithBroader(request, strict);
      const fills = strict.q !== null && !isEmptyQuery(request.query) && canRelax(request.query);
      let strictResponse: SearchResponse<RecordAny>;
      let clauseCounts: number[] = [];
      if (fills) {
        // The strict page and how rare each clause is, in one round trip.
        const { results } = await this.#client.multiSearch({
          queries: [{ indexUid: this.#uid, q: strict.q, ...strict.params }, ...buildClauseCountQueries(this.#uid, request)],
        });
        strictResponse = results[0] as SearchResponse<RecordAny>;
        clauseCounts = results.slice(1).map(readTotal);
      } else {
        strictResponse = await this.#searchArticles(strict);
      }
      const exactTotal = readTotal(strictResponse);
      let plan = strict;
      let response = strictResponse;
      let partialTotal = 0;
      // Partial matches fill the page after the exact ones. The relaxed plan
      // ranks by words matched first (the first ranking rule), so its list is
      // the exact matches, in the strict order, followed by the partial ones:
      // one list to page through, with no overlap at the boundary.
      const offset = (Math.max(1, Math.floor(request.page)) - 1) * Math.max(0, Math.floor(request.pageSize));
      const relaxedPlan = fills ? buildRelaxedSearchPlan(request, clauseCounts) : null;
      if (relaxedPlan !== null) {
        // A page of exact matches only needs the partial ones counted, not fetched.
        const countOnly = offset + Math.max(0, Math.floor(request.pageSize)) <= exactTotal;
        const relaxedResponse = await this.#searchArticles(countOnly ? buildCountPlan(relaxedPlan) : relaxedPlan);
        const all = readTotal(relaxedResponse);
        if (all > exactTotal) {
          partialTotal = all - exactTotal;
          if (!countOnly) {
            plan = relaxedPlan;
            response = relaxedResponse;
          }
        }
      }
      const answered = plan;
      const hits: SearchHit[] = response.hits.map((hit, i) => ({
        document: fromMeiliHit(hit),
        score: readScore(hit, answered),
        matchedTerms: answered.q === null ? [] : readMatchedTerms(hit, request.query),
        duplicates: [],
        exact: answered === strict || offset + i < exactTotal,
      }));
      if (request.collapse) await this.#attachMatchingDuplicates(hits, answered, request);
      return {
        hits,
        total: exactTotal,
        partialTotal,
        relaxed: exactTotal === 0 && partialTotal > 0,
        facets: request.facets ? await this.#facetCounts(request, strict, strictResponse, plan, response, exactTotal) : null,
      };
    });
  }

  /** The near-duplicates of this page that match the same query and filters, folded into their hits. */
  async #attachMatchingDuplicates(hits: SearchHit[], answered: SearchPlan, request: SearchRequest): Promise<void> {
    if (hits.length === 0) return;
    const duplicates = await this.#searchArticles(buildMatchingDuplicatesPlan(answered, request, hits.map((h) => h.document.id)));
    const byCanonical = new Map<string, string[]>();
    for (const row of duplicates.hits) {
      const canonical: unknown = row['duplicateOf'];
      const id: unknown = row['id'];
      if (typeof canonical !== 'string' || typeof id !== 'string') continue;
      byCanonical.set(canonical, [...(byCanonical.get(canonical) ?? []), id]);
    }
    for (const hit of hits) hit.duplicates = (byCanonical.get(hit.document.id) ?? []).sort();
  }

  /**
   * A query with a graded honour (三星级党支部): the exact matches first, in
   * the strict order, then the articles that match only through the other
   * grades or the family (`buildBroaderSearchPlan`, the exact ones left out
   * by id), each part in its own order, paged as one list.
   */
  async #searchWithBroader(request: SearchRequest, strict: SearchPlan): Promise<SearchResult> {
    const strictResponse = await this.#searchArticles(strict);
    const exactTotal = readTotal(strictResponse);
    const size = Math.max(0, Math.floor(request.pageSize));
    const offset = (Math.max(1, Math.floor(request.page)) - 1) * size;
    const exactOnPage = Math.max(0, Math.min(size, exactTotal - offset));
    const skip = Math.max(0, offset - exactTotal);
    const take = size - exactOnPage;
    const exactIds =
      exactTotal === 0
        ? []
        : (await this.#searchArticles(buildIdsPlan(strict, Math.min(exactTotal, maxExcludedExact)))).hits.map((hit) => String(hit['id']));
    const broad = buildBroaderSearchPlan(request, exactIds, skip + take);
    const broadResponse = await this.#searchArticles(broad);
    const partialTotal = readTotal(broadResponse);
    const toHit = (hit: RecordAny, plan: SearchPlan, exact: boolean): SearchHit => ({
      document: fromMeiliHit(hit),
      score: readScore(hit, plan),
      matchedTerms: readMatchedTerms(hit, request.query),
      duplicates: [],
      exact,
    });
    const hits = [
      ...strictResponse.hits.slice(0, exactOnPage).map((hit) => toHit(hit, strict, true)),
      ...broadResponse.hits.slice(skip, skip + take).map((hit) => toHit(hit, broad, false)),
    ];
    // Duplicates may match either part: the broader query without the exclusion covers both.
    if (request.collapse) await this.#attachMatchingDuplicates(hits, buildBroaderSearchPlan(request, [], 0), request);
    return {
      hits,
      total: exactTotal,
      partialTotal,
      relaxed: exactTotal === 0 && partialTotal > 0,
      facets: request.facets ? await this.#facetCounts(request, strict, strictResponse, broad, broadResponse, exactTotal) : null,
    };
  }

  /**
   * Facets count the exact matches, the partial ones only when there are no
   * exact ones; with `disjunctiveFacets`, each filtered field is counted again
   * without its own filter, in one more round trip.
   */
  async #facetCounts(
    request: SearchRequest,
    strict: SearchPlan,
    strictResponse: SearchResponse<RecordAny>,
    answered: SearchPlan,
    answeredResponse: SearchResponse<RecordAny>,
    exactTotal: number,
  ): Promise<FacetCounts> {
    const [countedPlan, counted] = exactTotal > 0 ? [strict, strictResponse] : [answered, answeredResponse];
    const distribution: Record<string, Record<string, number>> = { ...counted.facetDistribution };
    const lifted = request.disjunctiveFacets === true ? buildDisjunctiveFacetQueries(this.#uid, countedPlan, request) : [];
    if (lifted.length > 0) {
      const { results } = await this.#client.multiSearch({ queries: lifted.map((l) => l.query) });
      lifted.forEach(({ field }, i) => {
        const attribute = facetAttributes[field];
        distribution[attribute] = results[i]?.facetDistribution?.[attribute] ?? {};
      });
    }
    return readFacetCounts(distribution, request.facetLimit);
  }

  async related(request: RelatedRequest): Promise<RelatedHit[]> {
    // Keywords, title and facets are all it reads: not the segmented text.
    const source = await this.get(request.id, { engineFields: false });
    if (source === null || (request.fixedFilters !== undefined && !documentMatchesFilters(source, request.fixedFilters))) {
      throw new DocumentNotFoundError(request.id);
    }
    const keywords = selectRelatedKeywords(source);
    if (keywords.length === 0 || request.limit <= 0) return [];
    return await this.#call('read', 'related', async () => {
      const queries: MultiSearchQuery[] = buildRelatedQueries(this.#uid, source, keywords, request);
      const { results } = await this.#client.multiSearch({ queries });
      const lists = results.map((r) => (r.hits as Hit[]).map((hit) => fromMeiliHit(hit)));
      const ranked = rankRelatedCandidates(source, keywords, lists, Math.floor(request.limit));
      const duplicates = await this.#duplicatesByCanonical(ranked.map((c) => c.document.id));
      return ranked.map((c) => ({
        document: c.document,
        score: c.score,
        // Shared keywords are in the article's text by construction: they are what the snippet marks.
        matchedTerms: c.sharedKeywords,
        duplicates: duplicates.get(c.document.id) ?? [],
        sharedKeywords: c.sharedKeywords,
      }));
    });
  }

  async suggest(request: SuggestRequest): Promise<Suggestion[]> {
    const plan = buildSuggestPlan(request);
    if (plan === null || request.limit <= 0) return [];
    return await this.#call('read', 'suggest', async () => {
      const allowedHospitals = await this.#allowedHospitals(request.filters);
      const response = await this.#client.index<MeiliSuggestion>(this.#suggestUid).search(plan.q, plan.params);
      return rankSuggestions(response.hits, plan, Math.floor(request.limit), allowedHospitals);
    });
  }

  async vocabulary(keys: readonly string[]): Promise<VocabularyEntry[]> {
    const queries = buildVocabularyQueries(this.#suggestUid, keys);
    if (queries.length === 0) return [];
    return await this.#call('read', 'vocabulary', async () => {
      const { results } = await this.#client.multiSearch({ queries });
      return readVocabulary(
        results.flatMap((r) => r.hits as unknown as MeiliSuggestion[]),
        keys,
      );
    });
  }

  async facetValues(filters: SearchFilters): Promise<FacetCounts> {
    return await this.#call('read', 'facetValues', async () => {
      const response = await this.#articles().search(null, buildFacetValuesParams(filters));
      return readFacetCounts(response.facetDistribution);
    });
  }

  /**
   * Builds `<index>_new` and `<index>_suggest_new` completely (settings first,
   * so documents are indexed once), then swaps both pairs in one atomic task:
   * searches are answered by the old indexes until that instant. Writes made
   * to the live index while the rebuild runs are not in the new one.
   */
  async replaceAll(documents: AsyncIterable<EngineDocument> | Iterable<EngineDocument>): Promise<void> {
    const nextUid = `${this.#uid}_new`;
    const nextSuggestUid = `${this.#suggestUid}_new`;
    await this.#call('write', 'replaceAll', async () => {
      // Leftovers of an interrupted rebuild.
      await this.#deleteIndexIfExists(nextUid);
      await this.#deleteIndexIfExists(nextSuggestUid);
      await this.#ensureIndex(nextUid, primaryKey);
      await this.#configure(nextUid, buildIndexSettings());
      await this.#ensureIndex(nextSuggestUid, suggestPrimaryKey);
      await this.#configure(nextSuggestUid, buildSuggestIndexSettings());

      const aggregates = new Map<string, AggregateCount>();
      const flush = async (batch: EngineDocument[]): Promise<void> => {
        await this.#settle(
          this.#articles(nextUid).addDocuments(batch.map(toMeiliArticle), { primaryKey }),
          `index ${batch.length} documents into ${nextUid}`,
        );
        const titles = batch.map(buildTitleSuggestion).filter((t): t is MeiliSuggestion => t !== null);
        await this.#writeSuggestions(nextSuggestUid, titles, [], `index title suggestions into ${nextSuggestUid}`);
        countAggregates(batch, aggregates);
      };
      let batch: EngineDocument[] = [];
      for await (const document of documents) {
        batch.push(document);
        if (batch.length >= writeBatchSize) {
          await flush(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await flush(batch);
      const counted = [...aggregates.values()].filter((a) => a.count > 0);
      await this.#writeSuggestions(
        nextSuggestUid,
        counted.map((a) => buildAggregateSuggestion(a.entry, a.count)),
        [],
        `index suggestions into ${nextSuggestUid}`,
      );

      // Swapping needs both sides to exist (a first run has no live index yet).
      await this.#ensureIndex(this.#uid, primaryKey);
      await this.#ensureIndex(this.#suggestUid, suggestPrimaryKey);
      // `rename` is left out on purpose: it defaults to false (a swap), and
      // servers older than Meilisearch 1.18 reject the unknown field.
      const swaps = [
        { indexes: [this.#uid, nextUid] },
        { indexes: [this.#suggestUid, nextSuggestUid] },
      ] as unknown as IndexSwap[];
      const rebuilt = await Promise.all([nextUid, nextSuggestUid].map(async (uid) => (await this.#client.getRawIndex(uid)).createdAt));
      await this.#awaitSwap(this.#client.swapIndexes(swaps), [this.#uid, this.#suggestUid], rebuilt);

      // The `_new` names now hold the previous data. Failing to drop them
      // does not affect what is served, and the next rebuild deletes them.
      await this.#deleteIndexIfExists(nextUid).catch(() => undefined);
      await this.#deleteIndexIfExists(nextSuggestUid).catch(() => undefined);
    });
  }

  async stats(): Promise<EngineStats> {
    return await this.#call('read', 'stats', async () => {
      const stats = await this.#client.getStats();
      return {
        documents: stats.indexes[this.#uid]?.numberOfDocuments ?? 0,
        // Meilisearch reports size for the whole database, not per index.
        sizeBytes: stats.databaseSize,
        lastUpdatedAt: stats.lastUpdate ?? null,
      };
    });
  }

  async health(): Promise<EngineHealth> {
    try {
      await this.#client.health();
    } catch (error) {
      return { ok: false, detail: translateError(error, 'read', 'health').message };
    }
    try {
      if (!(await this.#indexExists(this.#uid))) return { ok: false, detail: `index ${this.#uid} does not exist` };
    } catch (error) {
      return { ok: false, detail: translateError(error, 'read', 'health').message };
    }
    return { ok: true };
  }

  async close(): Promise<void> {
    // The client holds no sockets of its own (fetch pools them); nothing to release.
    await Promise.resolve();
  }
}
