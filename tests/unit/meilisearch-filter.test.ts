import { describe, expect, it } from 'vitest';
import { buildFilter, buildInFilter, quoteFilterValue } from '../../engine/meilisearch/filter.js';
import type { SearchFilters } from '../../engine/port.js';

/**
 * Reads a filter string the way Meilisearch's filter parser does
 * (crates/filter-parser: `quoted_by` then `unescaper::unescape`): a
 * double-quoted value runs to the first `"` not preceded by `\`; if an escaped
 * quote was seen every `\"` becomes `"`; then, left to right, `\\` → `\`,
 * `\"` → `"` and `\'` → `'`. Any other escape
 * (`\n`, `\u{..}`) would be interpreted by Meilisearch, so it fails the test:
 * our quoting must never produce one. Returns the text outside quotes with
 * each value replaced by `$n`, and the decoded values.
 */
function readFilter(filter: string): { skeleton: string; values: string[] } {
  const values: string[] = [];
  let skeleton = '';
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i] ?? '';
    if (ch !== '"') {
      skeleton += ch;
      i += 1;
      continue;
    }
    // Pass 1 (quoted_by): find the closing quote, skipping every escaped character.
    let j = i + 1;
    let sawEscapedQuote = false;
    while (j < filter.length && filter[j] !== '"') {
      if (filter[j] === '\\') {
        if (j + 1 >= filter.length) throw new Error(`dangling escape in ${filter}`);
        sawEscapedQuote ||= filter[j + 1] === '"';
        j += 2;
      } else {
        j += 1;
      }
    }
    if (j >= filter.length) throw new Error(`unterminated value in ${filter}`);
    let raw = filter.slice(i + 1, j);
    if (sawEscapedQuote) raw = raw.replaceAll('\\"', '"');
    // Pass 2 (unescaper::unescape): backslash escapes, left to right.
    let decoded = '';
    for (let k = 0; k < raw.length; k += 1) {
      const c = raw[k] ?? '';
      if (c !== '\\') {
        decoded += c;
        continue;
      }
      const next = raw[k + 1] ?? '';
      if (next !== '\\' && next !== '"' && next !== "'") {
        throw new Error(`escape \\${next} would be interpreted by Meilisearch`);
      }
      decoded += next;
      k += 1;
    }
    values.push(decoded);
    skeleton += `$${values.length}`;
    i = j + 1;
  }
  return { skeleton, values };
}

const hostileValues = [
  '山东" OR province != "x',
  '山东\\',
  '山东\\" OR province != \\"x',
  '\\\\"',
  'AND',
  'OR',
  '2019 TO 2024',
  'province IS NULL',
  'NOT 浙江',
  '浙江) OR (province = "山东"',
  '浙江\nOR province = "山东"',
  "浙江' OR province != '",
  '\\n\\u{41}\\t',
  '_geoRadius(1, 2, 3)',
  '',
  '  山东  ',
];

describe('quoteFilterValue', () => {
  it.each(hostileValues)('keeps %j inside one literal that decodes to itself', (value) => {
    const { skeleton, values } = readFilter(`province = ${quoteFilterValue(value)}`);
    expect(skeleton).toBe('province = $1');
    expect(values).toEqual([value]);
  });
});

describe('buildFilter', () => {
  it.each(hostileValues.filter((v) => !v.includes('\\')))('a hostile province %j stays one value of one condition', (value) => {
    const filter = buildFilter({ province: [value], city: ['荆州'] }) ?? '';
    const { skeleton, values } = readFilter(filter);
    expect(skeleton).toBe('facetProvince = $1 AND facetCity = $2');
    expect(values).toEqual([value, '荆州']);
  });

  it.each(hostileValues.filter((v) => v.includes('\\')))(
    'a province %j with a backslash, which Meilisearch cannot read back, matches nothing and never widens',
    (value) => {
      expect(buildFilter({ province: [value], city: ['荆州'] })).toBe(
        '(duplicateOf IS NULL AND duplicateOf IS NOT NULL) AND facetCity = "荆州"',
      );
      expect(buildFilter({ province: [value, '山东'] })).toBe('facetProvince = "山东"');
    },
  );

  it.each<[SearchFilters, string, string[]]>([
    [{ province: ['浙江'] }, 'facetProvince = $1', ['浙江']],
    [{ province: ['浙江', '山东'] }, '(facetProvince = $1 OR facetProvince = $2)', ['浙江', '山东']],
    [{ province: ['山东', '山东'] }, 'facetProvince = $1', ['山东']],
    [{ hospital: ['荆州市第一人民医院'] }, 'facetHospital = $1', ['荆州市第一人民医院']],
    [
      { awardType: ['先进基层党组织'], awardLevel: ['national', 'provincial'] },
      'facetAwardType = $1 AND (facetAwardLevel = $2 OR facetAwardLevel = $3)',
      ['先进基层党组织', 'national', 'provincial'],
    ],
    [
      { province: ['湖北'], city: ['荆州'], hospital: ['荆州市第一人民医院'] },
      'facetProvince = $1 AND facetCity = $2 AND facetHospital = $3',
      ['湖北', '荆州', '荆州市第一人民医院'],
    ],
    [{ year: [2021, 2022] }, '(year = 2021 OR year = 2022)', []],
    [{ yearFrom: 2019, yearTo: 2023 }, 'year >= 2019 AND year <= 2023', []],
    [{ province: ['山东'], yearFrom: 2020 }, 'facetProvince = $1 AND year >= 2020', ['山东']],
  ])('%j → %s', (filters, skeleton, values) => {
    const read = readFilter(buildFilter(filters) ?? '');
    expect(read.skeleton).toBe(skeleton);
    expect(read.values).toEqual(values);
  });

  it('puts no constraint on absent or empty filters', () => {
    expect(buildFilter({})).toBeUndefined();
    expect(buildFilter({ province: [], year: [], hospital: [] })).toBeUndefined();
  });

  it('ANDs parenthesised extra conditions after the user filters', () => {
    expect(buildFilter({ province: ['浙江'] }, ['duplicateOf IS NULL'])).toBe('facetProvince = "浙江" AND (duplicateOf IS NULL)');
    expect(buildFilter({}, ['duplicateOf IS NULL'])).toBe('(duplicateOf IS NULL)');
  });

  it.each([[2022.5], [Number.NaN], [Number.POSITIVE_INFINITY], [1e300]])(
    'refuses the non-integer year %s instead of writing it into the filter',
    (year) => {
      expect(() => buildFilter({ year: [year] })).toThrow(RangeError);
      expect(() => buildFilter({ yearFrom: year })).toThrow(RangeError);
      expect(() => buildFilter({ yearTo: year })).toThrow(RangeError);
    },
  );
});

describe('buildInFilter', () => {
  it('quotes every id, hostile ones included', () => {
    const { skeleton, values } = readFilter(buildInFilter('id', ['000_1fa8', 'a" OR id != "b', 'c\\']));
    expect(skeleton).toBe('id IN [$1, $2, $3]');
    expect(values).toEqual(['000_1fa8', 'a" OR id != "b', 'c\\']);
  });
});
