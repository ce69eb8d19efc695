/**
 * The editors' controls on the full page (mode "page"): sort order and a year
 * range. They hold no state of their own: the widget reads them into its
 * URL-backed state and writes that state back into them (back button, shared links).
 */
import { h } from './dom.js';
import type { Messages } from './messages.js';

export const sortOrders = ['relevance', 'date_desc', 'date_asc'] as const;
export type SortOrder = (typeof sortOrders)[number];

export interface EditorState {
  /** Null: the service's default (relevance with a query, newest without). */
  sort: SortOrder | null;
  yearFrom: number | null;
  yearTo: number | null;
}

export function readSort(value: string | null): SortOrder | null {
  return (sortOrders as readonly string[]).includes(value ?? '') ? (value as SortOrder) : null;
}

export function readYear(value: string | null): number | null {
  if (!value || !/^\d{4}$/.test(value.trim())) return null;
  const year = Number(value.trim());
  return year >= 1900 && year <= 2100 ? year : null;
}

export interface EditorControls {
  element: HTMLElement;
  /** Show `state`; `hasQuery` picks what the default sort means. */
  show(state: EditorState, hasQuery: boolean): void;
}

export function createEditorControls(messages: Messages, onChange: (change: Partial<EditorState>) => void): EditorControls {
  // Buttons rather than a <select>: one tap on a phone, and the search box stays the page's only combobox.
  const sortButtons = sortOrders.map((order) =>
    h('button', { type: 'button', class: 'so', 'data-sort': order, 'aria-pressed': 'false', onclick: () => onChange({ sort: order }) }, messages.sortOrders[order]),
  );
  const yearInput = (id: string, key: 'yearFrom' | 'yearTo') => {
    const input = h('input', { id, type: 'number', inputmode: 'numeric', min: 1900, max: 2100, step: 1, placeholder: messages.yearPlaceholder });
    input.addEventListener('change', () => onChange({ [key]: readYear(input.value) }));
    return input;
  };
  const from = yearInput('yf', 'yearFrom');
  const to = yearInput('yt', 'yearTo');
  const element = h(
    'div',
    { class: 'ctl' },
    h('span', { class: 'sg', role: 'group', 'aria-label': messages.sort }, h('span', {}, messages.sort), ...sortButtons),
    // Each label with its input, so a narrow screen never wraps between them.
    h('span', { class: 'yr' }, h('label', { for: 'yf' }, messages.yearFrom), from),
    h('span', { class: 'yr' }, h('label', { for: 'yt' }, messages.yearTo), to),
  );
  return {
    element,
    show(state, hasQuery) {
      const current = state.sort ?? (hasQuery ? 'relevance' : 'date_desc');
      for (const button of sortButtons) button.setAttribute('aria-pressed', String(button.dataset['sort'] === current));
      from.value = state.yearFrom === null ? '' : String(state.yearFrom);
      to.value = state.yearTo === null ? '' : String(state.yearTo);
    },
  };
}
