/**
 * The embeddable search box, served as /widget.js (bundled by widget/build.ts).
 *
 *   <div id="search"></div>
 *   <script src="https://SERVICE/widget.js" data-target="#search" data-site-key="KEY" async></script>
 *
 * Runs on hospital pages we do not control: no framework, no globals besides
 * `DangjianSearch`, no request before the visitor types, and no article text
 * ever parsed as HTML. Attributes are documented in README.md
 * ("Embedding the search box") and parsed in options.ts.
 */
import {
  ApiError,
  buildSearchParams,
  buildUrl,
  getJson,
  UnreachableError,
  type Filters,
  type Hit,
  type Params,
  type SearchResponse,
  type Suggestion,
} from './api.js';
import { formatFacetValue, localiseMessages, messages, type Messages } from './messages.js';
import { facetNames, readOptions, type FacetName, type OptionSource, type WidgetOptions } from './options.js';
import { loadConverter, namespaceName, type Convert, type Namespace } from './traditional.js';
import { createEditorControls, readSort, readYear, type EditorState } from './controls.js';
import { h } from './dom.js';
import { renderSnippet } from './snippet.js';
import { styles } from './styles.js';

/** Article URLs come from crawled pages: only http(s) may become a link (no javascript:). */
function toSafeHref(url: string | null): string | null {
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/** Text for the title slot: the indexer derives titles, the snippet covers anything indexed before that. */
function titleText(hit: Hit, labels: Messages): string {
  if (hit.title.trim()) return hit.title;
  const text = hit.snippet.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').trim();
  return text.length > 30 ? `${text.slice(0, 30)}…` : text || labels.untitled;
}

const suggestDelayMs = 150;
/** Results follow the text once typing pauses this long; the request itself takes a few ms on the service. */
const liveSearchDelayMs = 120;
const collapsedFacetSize = 8;
/** Facets with more values than this get a filter box on the editors' page. */
const facetFilterMin = 10;

const unchanged: Convert = (text) => text;

/** Attach the widget to `target`. Returns false when the element already holds one. */
export function mountSearch(target: Element, options: WidgetOptions, convert: Convert = unchanged): boolean {
  if (target.hasAttribute('data-dj-mounted')) return false;
  target.setAttribute('data-dj-mounted', '');
  renderBox(target, options, convert);
  return true;
}

/**
 * Build the box in `target`. `convert` turns Simplified text into the box's
 * script: its own labels and everything the API returns pass through it on
 * the way to the screen, while queries and filter values sent back to the
 * API stay as the API gave them.
 */
function renderBox(target: Element, options: WidgetOptions, convert: Convert): void {
  const labels = convert === unchanged ? messages : localiseMessages(convert);
  /** A facet value as its chip shows it. */
  const facetLabel = (facet: FacetName, value: string): string => convert(formatFacetValue(facet, value, labels));
  // A host element of our own, inside the site's container, so the site keeps
  // control of the container's size and placement while the host resets everything.
  const host = document.createElement('div');
  target.replaceChildren(host);
  const shadow = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    // Constructed sheets are not blocked by a host page's strict style-src CSP.
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.append(h('style', {}, styles));
  }

  const { api, siteKey } = options;
  const isPage = options.mode === 'page';
  const fetchApi = <T>(path: string, params: Params, signal: AbortSignal): Promise<T> =>
    getJson<T>(buildUrl(api, path, params, siteKey), signal);

  /**
   * Counts a click for the search analytics: sendBeacon survives the page
   * being left, and a text/plain body keeps it a simple request (no preflight).
   * Only the query and the article travel: nothing about the visitor.
   */
  function reportClick(id: string): void {
    if (!query || typeof navigator.sendBeacon !== 'function') return;
    try {
      navigator.sendBeacon(buildUrl(api, '/v1/events', {}, siteKey), JSON.stringify({ type: 'click', query, id }));
    } catch {
      // Analytics must never get in the way of opening the article.
    }
  }

  /** Every result opens the service's article page (the key keeps it inside the site's hospital). */
  function renderTitle(hit: Hit): HTMLElement {
    const href = buildUrl(api, `/articles/${encodeURIComponent(hit.id)}`, { q: query }, siteKey);
    const title = h('a', isPage ? { class: 't', href } : { class: 't', href, target: '_blank', rel: 'noopener' });
    title.addEventListener('click', () => reportClick(hit.id));
    title.append(hit.titleHighlighted && hit.title.trim() ? renderSnippet(document, hit.titleHighlighted, convert) : convert(titleText(hit, labels)));
    return title;
  }

  // ---- DOM -----------------------------------------------------------------
  const input = h('input', {
    id: 'q',
    type: 'text',
    role: 'combobox',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': 'lb',
    autocomplete: 'off',
    autocapitalize: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
    maxlength: 200,
    placeholder: options.placeholder ?? labels.placeholder,
  });
  const listbox = h('ul', { id: 'lb', role: 'listbox', 'aria-label': labels.suggestions, hidden: true });
  const status = h('div', { class: 'st', role: 'status' });
  const facetBox = h('div', { class: 'fs', id: 'fs' });
  // On a phone the facets would push the first result off the screen: the
  // stylesheet folds them behind this button (hidden on wide screens).
  const facetToggle = h('button', {
    type: 'button',
    class: 'ft',
    'aria-expanded': 'false',
    'aria-controls': 'fs',
    hidden: true,
    onclick: () => {
      const open = !facetBox.classList.contains('open');
      facetBox.classList.toggle('open', open);
      facetToggle.setAttribute('aria-expanded', String(open));
    },
  });
  const hitList = h('ol', { class: 'hits', 'aria-label': labels.results, hidden: true });
  const pager = h('div', { class: isPage ? 'pg' : 'lm' });
  const activeBar = h('div', { class: 'act', hidden: true });
  const controls = createEditorControls(labels, (change) => {
    editor = { ...editor, ...change };
    page = 1;
    void search('push');
  });
  // A plain link: the browser downloads the file itself, however long the list.
  const exportLink = h('a', { class: 'ex', href: '', download: '' }, labels.exportCsv);
  controls.element.append(exportLink);
  const root = h(
    'div',
    { class: `dj ${options.theme} ${options.mode}`, lang: options.lang },
    h(
      'form',
      { role: 'search', onsubmit: onSubmit },
      h('label', { class: 'sr', for: 'q' }, labels.label),
      h('div', { class: 'combo' }, input, listbox),
      h('button', { class: 'go', type: 'submit' }, labels.submit),
    ),
    isPage && controls.element,
    status,
    activeBar,
    h('div', { class: 'cols' }, h('div', {}, facetToggle, facetBox), h('div', {}, hitList, pager)),
  );
  shadow.append(root);

  // ---- Suggestions (combobox) ------------------------------------------------
  let suggestions: Suggestion[] = [];
  let active = -1;
  let composing = false;
  let suggestTimer: ReturnType<typeof setTimeout> | undefined;
  // Each call bumps the sequence number; a response whose number is no longer
  // current belongs to text the visitor has since changed and is dropped.
  let suggestSeq = 0;
  let suggestAbort: AbortController | null = null;

  function renderSuggestions(): void {
    listbox.replaceChildren(
      ...suggestions.map((suggestion, index) =>
        h(
          'li',
          {
            id: `o${index}`,
            role: 'option',
            'aria-selected': String(index === active),
            // Keep focus in the input so the click does not blur-close the list first.
            onmousedown: (event) => event.preventDefault(),
            onclick: () => chooseSuggestion(index),
          },
          h('span', {}, convert(suggestion.text)),
          h('span', { class: 'k' }, labels.suggestionKinds[suggestion.kind] ?? ''),
        ),
      ),
    );
    const open = suggestions.length > 0;
    listbox.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    if (open && active >= 0) {
      input.setAttribute('aria-activedescendant', `o${active}`);
      listbox.children[active]?.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function closeSuggestions(): void {
    suggestions = [];
    active = -1;
    renderSuggestions();
  }

  function cancelSuggestions(): void {
    clearTimeout(suggestTimer);
    suggestSeq++;
    suggestAbort?.abort();
  }

  function scheduleSuggestions(): void {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(() => void fetchSuggestions(), suggestDelayMs);
  }

  async function fetchSuggestions(): Promise<void> {
    cancelSuggestions();
    const seq = suggestSeq;
    const prefix = input.value.trim();
    if (!prefix) return closeSuggestions();
    const controller = (suggestAbort = new AbortController());
    try {
      const data = await fetchApi<{ suggestions: Suggestion[] }>('/v1/suggest', { q: prefix, limit: 8 }, controller.signal);
      if (seq !== suggestSeq || composing || shadow.activeElement !== input) return;
      suggestions = data.suggestions;
      active = -1;
      renderSuggestions();
    } catch {
      // Suggestions are a convenience: a failure just means no list; the search itself reports errors.
      if (seq === suggestSeq) closeSuggestions();
    }
  }

  function chooseSuggestion(index: number): void {
    const suggestion = suggestions[index];
    if (suggestion) chooseText(convert(suggestion.text));
  }

  function chooseText(text: string): void {
    input.value = text;
    startSearch();
  }

  input.addEventListener('input', (event) => {
    // An input method sends an input event per keystroke of "dangjian" before
    // the visitor picks 党建: wait for compositionend instead.
    if (composing || event.isComposing) return;
    scheduleSuggestions();
    scheduleLiveSearch();
  });
  input.addEventListener('compositionstart', () => {
    composing = true;
    cancelSuggestions();
    clearTimeout(liveTimer);
  });
  input.addEventListener('compositionend', () => {
    composing = false;
    scheduleSuggestions();
    scheduleLiveSearch();
  });
  input.addEventListener('blur', () => {
    cancelSuggestions();
    closeSuggestions();
  });
  input.addEventListener('keydown', (event) => {
    // keyCode 229: Safari reports the IME's own Enter/arrows after compositionend.
    if (event.isComposing || event.keyCode === 229) return;
    const count = suggestions.length;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && count > 0) {
      event.preventDefault();
      // Positions cycle through the options and back to the text itself (-1).
      active = event.key === 'ArrowDown' ? (active + 2) % (count + 1) - 1 : ((active + count + 1) % (count + 1)) - 1;
      renderSuggestions();
    } else if (event.key === 'Enter' && active >= 0) {
      event.preventDefault();
      chooseSuggestion(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      if (count > 0) {
        cancelSuggestions();
        closeSuggestions();
      } else {
        input.value = '';
      }
    }
  });

  // ---- Search ----------------------------------------------------------------
  let query = '';
  let filters: Filters = {};
  let editor: EditorState = { sort: null, yearFrom: null, yearTo: null };
  const facetFilterText = new Map<FacetName, string>();
  let page = 1;
  let shown = 0;
  let total = 0;
  let facetCounts: SearchResponse['facets'] = null;
  const expandedFacets = new Set<FacetName>();
  let searchSeq = 0;
  let searchAbort: AbortController | null = null;

  const hasFilters = (): boolean =>
    Object.values(filters).some((values) => values.length > 0) || editor.yearFrom !== null || editor.yearTo !== null;
  const editorParams = (): Params => ({
    sort: editor.sort ?? undefined,
    yearFrom: editor.yearFrom ?? undefined,
    yearTo: editor.yearTo ?? undefined,
  });
  const isSelected = (facet: FacetName, value: string): boolean => (filters[facet] ?? []).includes(value);

  function onSubmit(event: Event): void {
    event.preventDefault();
    startSearch();
  }

  function startSearch(): void {
    clearTimeout(liveTimer);
    cancelSuggestions();
    closeSuggestions();
    query = input.value.trim();
    page = 1;
    void search('push');
  }

  // ---- Results while typing: the suggestion list stays open above them ------
  let liveTimer: ReturnType<typeof setTimeout> | undefined;

  function scheduleLiveSearch(): void {
    clearTimeout(liveTimer);
    liveTimer = setTimeout(() => {
      const text = input.value.trim();
      if (composing || text === query) return;
      query = text;
      page = 1;
      // One history entry per search the visitor meant, not per pause in typing.
      void search('replace');
    }, liveSearchDelayMs);
  }

  async function search(history: 'push' | 'replace' | 'none', append = false): Promise<void> {
    const seq = ++searchSeq;
    searchAbort?.abort();
    if (isPage && history !== 'none') writeUrlState(history);
    if (isPage) {
      controls.show(editor, query !== '');
      renderActive();
      exportLink.href = buildUrl(api, '/v1/export', { format: 'csv', ...buildSearchParams(query, filters, 1, 1), page: undefined, pageSize: undefined, ...editorParams() }, siteKey);
    }
    // The editors' page lists the newest articles for an empty query; a hospital's box waits for words.
    if (!query && !hasFilters() && !isPage) {
      status.replaceChildren();
      hitList.hidden = true;
      hitList.replaceChildren();
      pager.replaceChildren();
      return;
    }
    const controller = (searchAbort = new AbortController());
    root.setAttribute('aria-busy', 'true');
    if (append) pager.replaceChildren(h('span', {}, labels.loadingMore));
    else status.replaceChildren(labels.loading);
    // Disjunctive counts: a selected field's counts leave out its own filter,
    // so the visitor still sees, and can add, the alternatives. A further
    // page keeps the facets already shown and asks for none.
    const facetParams: Params = append ? { facets: 'false' } : { disjunctiveFacets: 'true' };
    try {
      const data = await fetchApi<SearchResponse>(
        '/v1/search',
        { ...buildSearchParams(query, filters, page, options.pageSize), ...facetParams, ...editorParams() },
        controller.signal,
      );
      if (seq !== searchSeq) return;
      renderResults(data, append);
    } catch (error) {
      if (seq !== searchSeq) return;
      if (append) page--;
      renderFailure(error);
    } finally {
      if (seq === searchSeq) root.removeAttribute('aria-busy');
    }
  }

  function renderResults(data: SearchResponse, append: boolean): void {
    total = data.total;
    if (!append) {
      hitList.replaceChildren();
      shown = 0;
    }
    shown += data.hits.length;
    hitList.append(...data.hits.map(renderHit));
    hitList.hidden = shown === 0;
    if (!append) {
      facetCounts = data.facets;
      renderFacets();
    }
    if (total === 0) renderEmpty();
    else
      status.replaceChildren(
        data.interpretedAs ? h('p', {}, labels.interpretedAs(data.interpretedAs)) : '',
        isPage && !query ? h('p', { class: 'nw' }, labels.newest) : '',
        h('p', {}, labels.found(total), isPage && typeof data.tookMs === 'number' ? h('span', { class: 'tk' }, ` · ${labels.took(data.tookMs)}`) : ''),
        data.relaxed ? h('p', {}, labels.relaxed) : '',
      );
    renderPager();
  }

  function renderEmpty(): void {
    const active = facetNames.flatMap((facet) => (filters[facet] ?? []).map((value) => [facet, value] as const));
    status.replaceChildren(
      h('p', {}, labels.empty(query)),
      active.length > 0
        ? h(
            'p',
            {},
            labels.removeFilter,
            ...active.map(([facet, value]) =>
              h(
                'button',
                { type: 'button', onclick: () => toggleFilter(facet, value) },
                `${labels.remove} ${facetLabel(facet, value)} ×`,
              ),
            ),
          )
        : h('p', {}, labels.emptyHint),
    );
    if (query) void offerAlternatives(searchSeq);
  }

  /**
   * Search matches words, suggest also understands pinyin (dangjian, djpp):
   * when a query finds nothing, offer what suggest makes of it.
   */
  async function offerAlternatives(seq: number): Promise<void> {
    try {
      const data = await fetchApi<{ suggestions: Suggestion[] }>('/v1/suggest', { q: query, limit: 5 }, new AbortController().signal);
      const texts = [...new Set(data.suggestions.map((suggestion) => convert(suggestion.text)))].filter((text) => text !== query);
      if (seq !== searchSeq || texts.length === 0) return;
      status.append(
        h(
          'p',
          {},
          labels.didYouMean,
          ...texts.map((text) =>
            h('button', { type: 'button', onclick: () => chooseText(text) }, text),
          ),
        ),
      );
    } catch {
      // Only a hint: the empty state already says what happened.
    }
  }

  function renderFailure(error: unknown): void {
    pager.replaceChildren();
    if (error instanceof UnreachableError) {
      // The API is down or blocked from this site: fall back to the service's
      // own search page, which a plain link can always reach.
      const link = buildUrl(options.searchPage, '', { q: query, ...filters }, null);
      status.replaceChildren(h('p', {}, labels.unreachable, ' ', h('a', { href: link }, labels.searchPageLink(query))));
      return;
    }
    const code = error instanceof ApiError ? error.status : 0;
    const message = labels.errors[code] ?? labels.error;
    // A bad query or a bad site key will not fix itself: no retry button for 4xx other than 429.
    const retryable = code === 429 || code === 0 || code >= 500;
    status.replaceChildren(
      h('p', {}, message),
      retryable ? h('button', { type: 'button', onclick: () => void search('none') }, labels.retry) : '',
    );
  }

  function renderHit(hit: Hit): HTMLLIElement {
    const snippet = h('p', { class: 'sn' });
    snippet.append(renderSnippet(document, hit.snippet, convert));
    const relatedBox = h('div', { class: 'rel', hidden: true });
    const relatedButton = h(
      'button',
      { type: 'button', class: 'rb', 'aria-expanded': 'false', onclick: () => void toggleRelated(hit.id, relatedButton, relatedBox) },
      labels.related,
    );
    return h('li', { class: 'hit' }, renderTitle(hit), snippet, renderMeta(hit), relatedButton, relatedBox);
  }

  function renderMeta(hit: Hit): HTMLDivElement {
    const date = hit.publishedAt ?? (hit.year ? `${hit.year}年` : null);
    return h(
      'div',
      { class: 'm' },
      date && h('span', {}, date),
      hit.hospital && h('span', {}, convert(hit.hospital)),
      ...hit.awardTypes.map((award) => h('span', { class: 'aw' }, convert(award))),
      ...hit.awardLevels.map((level) => h('span', { class: 'aw' }, facetLabel('awardLevel', level))),
      hit.duplicates.length > 0 && h('span', {}, labels.duplicates(hit.duplicates.length)),
      toSafeHref(hit.url) && h('a', { class: 'og', href: toSafeHref(hit.url), target: '_blank', rel: 'noopener noreferrer' }, labels.original),
    );
  }

  async function toggleRelated(id: string, button: HTMLButtonElement, box: HTMLDivElement): Promise<void> {
    const open = button.getAttribute('aria-expanded') !== 'true';
    button.setAttribute('aria-expanded', String(open));
    box.hidden = !open;
    // Loaded once; a failed load is retried the next time the view opens.
    if (!open || box.dataset['state'] === 'ok' || box.dataset['state'] === 'loading') return;
    box.dataset['state'] = 'loading';
    box.replaceChildren(h('p', {}, labels.relatedLoading));
    try {
      const data = await fetchApi<{ hits: Hit[] }>(
        `/v1/articles/${encodeURIComponent(id)}/related`,
        { limit: 5 },
        new AbortController().signal,
      );
      box.dataset['state'] = 'ok';
      box.replaceChildren(
        data.hits.length === 0
          ? h('p', {}, labels.relatedEmpty)
          : h('ul', {}, ...data.hits.map(renderRelated)),
      );
    } catch {
      box.dataset['state'] = 'failed';
      box.replaceChildren(h('p', {}, labels.relatedError));
    }
  }

  function renderRelated(related: Hit): HTMLLIElement {
    return h(
      'li',
      {},
      renderTitle(related),
      renderMeta(related),
      related.sharedKeywords?.length ? h('span', { class: 'kw' }, labels.sharedKeywords + convert(related.sharedKeywords.join('、'))) : null,
    );
  }

  /** One chip per active filter (click removes it) and "clear all": the editors' page only. */
  function renderActive(): void {
    const chips = facetNames.flatMap((facet) =>
      (filters[facet] ?? []).map((value) =>
        h(
          'button',
          { type: 'button', class: 'ac', 'data-facet': facet, 'data-value': value, onclick: () => toggleFilter(facet, value) },
          `${labels.facets[facet]}：${facetLabel(facet, value)} ×`,
        ),
      ),
    );
    if (editor.yearFrom !== null || editor.yearTo !== null) {
      chips.push(
        h(
          'button',
          {
            type: 'button',
            class: 'ac',
            'data-facet': 'yearRange',
            onclick: () => {
              editor = { ...editor, yearFrom: null, yearTo: null };
              page = 1;
              void search('push');
            },
          },
          `${labels.facets.year}：${labels.yearRange(editor.yearFrom, editor.yearTo)} ×`,
        ),
      );
    }
    activeBar.hidden = chips.length === 0;
    activeBar.replaceChildren(
      ...(chips.length === 0
        ? []
        : [
            h('span', { class: 'fl' }, labels.activeFilters),
            ...chips,
            h(
              'button',
              {
                type: 'button',
                class: 'clr',
                onclick: () => {
                  filters = {};
                  editor = { ...editor, yearFrom: null, yearTo: null };
                  facetFilterText.clear();
                  page = 1;
                  void search('push');
                },
              },
              labels.clearAll,
            ),
          ]),
    );
  }

  function toggleFilter(facet: FacetName, value: string): void {
    const current = filters[facet] ?? [];
    const next = current.includes(value) ? current.filter((selected) => selected !== value) : [...current, value];
    filters = { ...filters, [facet]: next };
    page = 1;
    void search('push');
  }

  function renderFacets(): void {
    const selected = options.facets.reduce((sum, facet) => sum + (filters[facet] ?? []).length, 0);
    facetToggle.textContent = labels.filters(selected);
    facetBox.replaceChildren(
      ...options.facets.map((facet) => {
        const counts: Record<string, number> = { ...facetCounts?.[facet] };
        for (const value of filters[facet] ?? []) counts[value] ??= 0;
        const entries = Object.entries(counts).sort(
          facet === 'year' ? (a, b) => Number(b[0]) - Number(a[0]) : (a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh'),
        );
        if (entries.length === 0) return '';
        const expanded = expandedFacets.has(facet);
        // A long list (83 hospitals) gets a box that narrows it to the names containing the text.
        const filterText = isPage && entries.length > facetFilterMin ? (facetFilterText.get(facet) ?? '') : '';
        const visible = filterText
          ? entries.filter(([value]) => facetLabel(facet, value).includes(filterText) || formatFacetValue(facet, value).includes(filterText))
          : entries.slice(0, expanded ? entries.length : collapsedFacetSize);
        const chipList = h('div', { class: 'cl' });
        const filterBox =
          isPage && entries.length > facetFilterMin
            ? h('input', {
                type: 'search',
                class: 'ff',
                'data-facet': facet,
                'aria-label': labels.filterFacet(labels.facets[facet]),
                placeholder: labels.filterFacet(labels.facets[facet]),
                value: filterText,
              })
            : null;
        filterBox?.addEventListener('input', () => {
          facetFilterText.set(facet, filterBox.value.trim());
          const focusAt = filterBox.selectionStart;
          renderFacets();
          const again = facetBox.querySelector<HTMLInputElement>(`input.ff[data-facet=${facet}]`);
          again?.focus();
          if (again && focusAt !== null) again.setSelectionRange(focusAt, focusAt);
        });
        chipList.append(
          ...visible.map(([value, count]) =>
            h(
              'button',
              {
                type: 'button',
                class: 'chip',
                'data-facet': facet,
                'data-value': value,
                'aria-pressed': String(isSelected(facet, value)),
                onclick: () => toggleFilter(facet, value),
              },
              facetLabel(facet, value),
              h('span', { class: 'n' }, String(count)),
            ),
          ),
        );
        return h(
          'div',
          { class: 'fg', role: 'group', 'aria-label': labels.facets[facet] },
          h('span', { class: 'fl' }, labels.facets[facet]),
          filterBox,
          chipList,
          !filterText &&
            entries.length > collapsedFacetSize &&
            h(
              'button',
              {
                type: 'button',
                class: 'more',
                'aria-expanded': String(expanded),
                onclick: () => {
                  if (expanded) expandedFacets.delete(facet);
                  else expandedFacets.add(facet);
                  renderFacets();
                },
              },
              expanded ? labels.showFewer : labels.showAll(entries.length),
            ),
        );
      }),
    );
    facetToggle.hidden = facetBox.childElementCount === 0;
  }

  function loadMore(): void {
    page++;
    void search('none', true);
  }

  function renderPager(): void {
    if (!isPage) {
      pager.replaceChildren(
        shown < total
          ? h('button', { type: 'button', onclick: loadMore }, labels.more)
          : '',
      );
      return;
    }
    const pages = Math.ceil(total / options.pageSize);
    const go = (delta: number) => () => {
      page += delta;
      host.scrollIntoView({ block: 'start' });
      void search('push');
    };
    if (pages <= 1) return pager.replaceChildren();
    pager.replaceChildren(
      h('button', { type: 'button', disabled: page <= 1, onclick: go(-1) }, labels.previous),
      h('span', {}, labels.pageOf(page, pages)),
      h('button', { type: 'button', disabled: page >= pages, onclick: go(1) }, labels.next),
    );
  }

  // ---- Page mode: state lives in the URL so /search?q=… links can be shared --
  function writeUrlState(history: 'push' | 'replace'): void {
    const params = buildUrl('', '', { q: query, ...filters, ...editorParams(), page: page > 1 ? page : undefined }, null);
    const url = params || location.pathname;
    if (url === location.search || (!params && !location.search)) return;
    if (history === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }

  function readUrlState(): void {
    const params = new URLSearchParams(location.search);
    query = (params.get('q') ?? '').trim();
    input.value = query;
    filters = {};
    for (const facet of facetNames) {
      const values = params.getAll(facet).filter(Boolean);
      if (values.length > 0) filters[facet] = values;
    }
    editor = { sort: readSort(params.get('sort')), yearFrom: readYear(params.get('yearFrom')), yearTo: readYear(params.get('yearTo')) };
    page = Math.max(1, Number.parseInt(params.get('page') ?? '', 10) || 1);
  }

  function loadFromUrl(): void {
    readUrlState();
    void search('replace');
  }

  if (isPage) {
    window.addEventListener('popstate', loadFromUrl);
    loadFromUrl();
  }
}

// ---- Bootstrapping from the <script> tag ---------------------------------------
const currentScript = document.currentScript as HTMLScriptElement | null;
const scriptSrc = currentScript?.src ?? '';

function resolveTarget(target: Element | string): Element | null {
  if (typeof target !== 'string') return target;
  try {
    return document.querySelector(target);
  } catch {
    return null;
  }
}

function mount(target: Element | string, attributes: OptionSource = {}): boolean {
  const element = resolveTarget(target);
  if (!element) {
    console.warn(`[widget.js] no element matches data-target="${typeof target === 'string' ? target : target.tagName}"`);
    return false;
  }
  // data-lang may sit on the script tag (like every other attribute) or on the container.
  const lang = attributes.lang ?? element.getAttribute('data-lang') ?? undefined;
  const options = readOptions({ ...attributes, lang }, scriptSrc, location.href);
  if (options.lang === 'zh-CN') return mountSearch(element, options);
  if (element.hasAttribute('data-dj-mounted')) return false;
  // Claimed now, drawn once the converter is here: until then the container
  // keeps its own content (the fallback link), and a failed load still gets a box.
  element.setAttribute('data-dj-mounted', '');
  const converterUrl = new URL('widget-zh-hant.js', scriptSrc || `${options.api}/widget.js`).href;
  loadConverter(options.lang === 'zh-HK' ? 'hk' : 'tw', converterUrl).then(
    (convert) => renderBox(element, options, convert),
    (error: unknown) => {
      console.warn('[widget.js] showing the box in Simplified:', error);
      renderBox(element, { ...options, lang: 'zh-CN' }, unchanged);
    },
  );
  return true;
}

const namespace: Namespace = { mount };
(window as unknown as Record<string, Namespace>)[namespaceName] = namespace;

if (currentScript) {
  const script = currentScript;
  const start = (): void => {
    const selector = script.dataset['target'];
    if (selector) {
      mount(selector, script.dataset);
    } else {
      const container = document.createElement('div');
      script.after(container);
      mount(container, script.dataset);
    }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
