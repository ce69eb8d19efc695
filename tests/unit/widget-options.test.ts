import { describe, expect, it } from 'vitest';
import { buildSearchParams, buildUrl } from '../../widget/src/api.js';
import { readOptions } from '../../widget/src/options.js';

const script = 'https://search.example.cn/widget.js';
const page = 'https://www.hospital.example.cn/news/dangjian.html';

describe('readOptions (script-tag attributes)', () => {
  it('defaults to the origin that served widget.js and a compact box', () => {
    expect(readOptions({}, script, page)).toEqual({
      api: 'https://search.example.cn',
      siteKey: null,
      placeholder: null,
      pageSize: 10,
      theme: 'light',
      mode: 'box',
      facets: ['year', 'awardType'],
      searchPage: 'https://search.example.cn/search',
      lang: 'zh-CN',
    });
  });

  it.each([
    [{ api: 'https://api.example.cn/dangjian/' }, { api: 'https://api.example.cn/dangjian', searchPage: 'https://api.example.cn/dangjian/search' }],
    [{ api: '/proxy' }, { api: 'https://www.hospital.example.cn/proxy' }],
    [{ api: 'javascript:alert(1)' }, { api: 'https://search.example.cn' }],
    [{ siteKey: '  jzyy-2024-key ' }, { siteKey: 'jzyy-2024-key' }],
    [{ placeholder: '搜索本院党建新闻' }, { placeholder: '搜索本院党建新闻' }],
    [{ pageSize: '5' }, { pageSize: 5 }],
    [{ pageSize: '500' }, { pageSize: 50 }],
    [{ pageSize: '0' }, { pageSize: 1 }],
    [{ pageSize: '十' }, { pageSize: 10 }],
    [{ theme: 'dark' }, { theme: 'dark' }],
    [{ theme: 'purple' }, { theme: 'light' }],
    [{ facets: 'year, awardLevel,bogus' }, { facets: ['year', 'awardLevel'] }],
    [{ facets: '' }, { facets: [] }],
    [{ mode: 'page' }, { mode: 'page', facets: ['province', 'city', 'hospital', 'year', 'awardType', 'awardLevel'] }],
    [{ searchPage: 'https://www.hospital.example.cn/search.html' }, { searchPage: 'https://www.hospital.example.cn/search.html' }],
    [{ lang: 'zh-TW' }, { lang: 'zh-TW' }],
    [{ lang: 'zh-Hant' }, { lang: 'zh-TW' }],
    [{ lang: 'zh_hant_tw' }, { lang: 'zh-TW' }],
    [{ lang: 'zh-HK' }, { lang: 'zh-HK' }],
    [{ lang: 'zh-MO' }, { lang: 'zh-HK' }],
    [{ lang: 'zh-Hant-HK' }, { lang: 'zh-HK' }],
    [{ lang: 'zh-CN' }, { lang: 'zh-CN' }],
    [{ lang: 'en' }, { lang: 'zh-CN' }],
  ])('%o', (attributes, expected) => {
    expect(readOptions(attributes, script, page)).toMatchObject(expected);
  });
});

describe('buildUrl', () => {
  it('repeats multi-valued filters, encodes Chinese and appends the site key', () => {
    const url = buildUrl(
      'https://search.example.cn',
      '/v1/search',
      buildSearchParams('党建 品牌', { year: ['2022'], awardType: ['先锋党支部', '示范点'], province: [] }, 2, 10),
      'jzyy-2024-key',
    );
    const parsed = new URL(url);
    expect(parsed.pathname).toBe('/v1/search');
    expect(parsed.searchParams.get('q')).toBe('党建 品牌');
    expect(parsed.searchParams.getAll('awardType')).toEqual(['先锋党支部', '示范点']);
    expect(parsed.searchParams.getAll('year')).toEqual(['2022']);
    expect(parsed.searchParams.has('province')).toBe(false);
    expect(parsed.searchParams.get('page')).toBe('2');
    expect(parsed.searchParams.get('key')).toBe('jzyy-2024-key');
  });

  it('leaves out empty values so the strict API never sees q=', () => {
    expect(buildUrl('', '/v1/facets', { q: '', year: undefined }, null)).toBe('/v1/facets');
  });

  it('keeps query syntax characters as data', () => {
    const url = new URL(buildUrl('https://s.example.cn', '/v1/suggest', { q: '"党建&品牌"#?', limit: 8 }, null));
    expect(url.searchParams.get('q')).toBe('"党建&品牌"#?');
    expect(url.hash).toBe('');
  });
});
