/**
 * The one place where Meilisearch filter strings are written. Every value is
 * a double-quoted string literal (or a validated integer), so a value can
 * never become filter syntax: `山东" OR province != "x` stays one literal
 * that matches no document.
 *
 * Meilisearch's filter parser reads a double-quoted value up to the first
 * `"` not preceded by `\`, so `"` is written `\"`; every other character,
 * newlines and keywords such as `AND`/`TO`/`IS NULL` included, is inert
 * inside quotes. A backslash cannot be written reliably (1.48.3 answers 400
 * for `"山东\\"`), see `isExpressible`.
 */
import { constrainedFields } from '../document.js';
import type { SearchFilters } from '../port.js';
import { filterAttributes } from './settings.js';

/** `value` as a Meilisearch double-quoted literal. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/gu, '\\\\').replace(/"/gu, '\\"')}"`;
}

/**
 * No facet value holds a backslash (they are place, hospital and award
 * names), so a requested value with one matches nothing, and is left out
 * rather than sent.
 */
function isExpressible(value: string): boolean {
  return !value.includes('\\');
}

/** A condition no document meets, for a field whose every requested value matches nothing. */
const matchesNothing = '(duplicateOf IS NULL AND duplicateOf IS NOT NULL)';

function requireInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what} must be an integer, got ${String(value)}`);
  }
  return value;
}

/** `attribute IN ["a", "b"]`; `attribute` is always one of our own constants, never input. */
export function buildInFilter(attribute: string, values: readonly string[]): string {
  return `${attribute} IN [${values.map(quoteFilterValue).join(', ')}]`;
}

function anyOf(attribute: string, quotedValues: readonly string[]): string {
  const conditions = quotedValues.map((v) => `${attribute} = ${v}`);
  return conditions.length === 1 ? (conditions[0] ?? '') : `(${conditions.join(' OR ')})`;
}

/**
 * Filters as one Meilisearch expression: values of one field OR-ed, fields
 * AND-ed, then `extra` conditions (built by this adapter, e.g.
 * `duplicateOf IS NULL`) AND-ed. An empty value list puts no constraint on
 * its field. Undefined when nothing constrains the search.
 */
export function buildFilter(filters: SearchFilters, extra: readonly string[] = []): string | undefined {
  const conditions: string[] = [];
  for (const [field, values] of constrainedFields(filters)) {
    // Years are integers in Meilisearch, checked as such below.
    if (field === 'year') continue;
    const expressible = [...new Set<string>(values)].filter(isExpressible);
    conditions.push(expressible.length === 0 ? matchesNothing : anyOf(filterAttributes[field], expressible.map(quoteFilterValue)));
  }
  if (filters.year !== undefined && filters.year.length > 0) {
    const years = [...new Set(filters.year.map((y) => requireInteger(y, 'year')))];
    conditions.push(anyOf(filterAttributes.year, years.map(String)));
  }
  if (filters.yearFrom !== undefined) {
    conditions.push(`${filterAttributes.year} >= ${requireInteger(filters.yearFrom, 'yearFrom')}`);
  }
  if (filters.yearTo !== undefined) {
    conditions.push(`${filterAttributes.year} <= ${requireInteger(filters.yearTo, 'yearTo')}`);
  }
  // Extra conditions are parenthesised so an OR inside one cannot bind to its neighbours.
  for (const condition of extra) conditions.push(`(${condition})`);
  return conditions.length === 0 ? undefined : conditions.join(' AND ');
}
