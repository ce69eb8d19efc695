/**
 * A document against filters, as an engine that holds the document (the
 * Meilisearch adapter checking a related article's source against a site
 * key's scope) decides it: the same meaning as every engine's search filters.
 */
import { describe, expect, it } from 'vitest';
import { documentMatchesFilters } from '../../engine/document.js';
import type { SearchFilters } from '../../engine/port.js';
import { makeDocument } from '../engine/fixtures.js';

const document = makeDocument({
  id: 'scoped',
  title: '蒙阴县人民医院党支部获评五星级党支部',
  body: '蒙阴县人民医院与潍坊市妇幼保健院开展党建共建。',
  hospital: '蒙阴县人民医院',
  hospitals: ['蒙阴县人民医院', '潍坊市妇幼保健院'],
  province: '山东',
  city: '临沂',
  year: 2023,
  awardTypes: ['五星级党支部'],
});
const undated = { ...document, year: null };

describe('documentMatchesFilters', () => {
  it.each<[string, SearchFilters, boolean]>([
    ['no filter', {}, true],
    ['an empty list', { province: [] }, true],
    ['its hospital', { hospital: ['蒙阴县人民医院'] }, true],
    ['another hospital it is about', { hospital: ['潍坊市妇幼保健院'] }, true],
    ['a hospital it is not about', { hospital: ['北京大学第三医院'] }, false],
    ['one of several values', { province: ['湖北', '山东'] }, true],
    ['two fields, one failing', { province: ['山东'], city: ['潍坊'] }, false],
    ['its award type', { awardType: ['五星级党支部'] }, true],
    ['its year', { year: [2023] }, true],
    ['another year', { year: [2022] }, false],
    ['a range holding its year', { yearFrom: 2020, yearTo: 2023 }, true],
    ['a range after its year', { yearFrom: 2024 }, false],
    ['its kind of hospital', { hospitalKind: ['妇幼'] }, true],
  ])('%s', (_, filters, expected) => {
    expect(documentMatchesFilters(document, filters)).toBe(expected);
  });

  it('an undated article passes no year filter, but any other', () => {
    expect(documentMatchesFilters(undated, { yearFrom: 2000 })).toBe(false);
    expect(documentMatchesFilters(undated, { year: [2023] })).toBe(false);
    expect(documentMatchesFilters(undated, { province: ['山东'] })).toBe(true);
  });
});
