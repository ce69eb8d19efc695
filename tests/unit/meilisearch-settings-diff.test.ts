import { describe, expect, it } from 'vitest';
import { settingsToUpdate } from '../../engine/meilisearch/settings.js';

/** Settings as Meilisearch reports them: everything, defaults filled in. */
const reported = {
  searchableAttributes: ['titleTokens', 'title', 'body'],
  filterableAttributes: ['id', 'year', 'facetProvince'],
  rankingRules: ['words', 'sort', 'typo'],
  dictionary: ['党建品牌', '荆州一医'],
  synonyms: { 荆州一医: ['荆州市第一人民医院', '荆州一院'] },
  typoTolerance: { enabled: false, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [] },
  pagination: { maxTotalHits: 100000 },
  proximityPrecision: 'byWord',
};

describe('settingsToUpdate', () => {
  it.each([
    ['the same settings, sets in another order', { filterableAttributes: ['facetProvince', 'id', 'year'], dictionary: ['荆州一医', '党建品牌'] }],
    ['synonyms with their forms in another order', { synonyms: { 荆州一医: ['荆州一院', '荆州市第一人民医院'] } }],
    ['a nested setting given in part', { typoTolerance: { enabled: false } }],
    ['a scalar in force', { proximityPrecision: 'byWord', pagination: { maxTotalHits: 100000 } }],
  ] as const)('sends nothing for %s', (_, wanted) => {
    expect(settingsToUpdate(reported, wanted as never)).toEqual({});
  });

  it.each([
    ['searchable attributes in another order (their order ranks)', { searchableAttributes: ['title', 'titleTokens', 'body'] }],
    ['ranking rules in another order', { rankingRules: ['words', 'typo', 'sort'] }],
    ['a new dictionary word', { dictionary: ['党建品牌', '荆州一医', '星级党支部'] }],
    ['a synonym left over from earlier', { synonyms: {} }],
    ['a changed synonym', { synonyms: { 荆州一医: ['荆州市第一人民医院'] } }],
    ['a nested value that differs', { typoTolerance: { enabled: true } }],
    ['a scalar that differs', { proximityPrecision: 'byAttribute' }],
  ] as const)('sends %s', (_, wanted) => {
    expect(settingsToUpdate(reported, wanted as never)).toEqual(wanted);
  });

  it('sends only the settings that differ, and what a fresh index lacks', () => {
    expect(settingsToUpdate(reported, { rankingRules: ['words', 'sort', 'typo'], stopWords: ['的'] })).toEqual({ stopWords: ['的'] });
    expect(settingsToUpdate({}, { rankingRules: ['words'] })).toEqual({ rankingRules: ['words'] });
  });
});
