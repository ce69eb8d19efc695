/**
 * Script-tag attributes → widget options. Hospital webmasters type these by
 * hand, so every value is optional and anything unusable falls back to a
 * default instead of breaking the page.
 */

export const facetNames = ['province', 'city', 'hospital', 'year', 'awardType', 'awardLevel'] as const;
export type FacetName = (typeof facetNames)[number];

export type Theme = 'light' | 'dark' | 'auto';
/** The script the box shows its text and results in; the API always answers in Simplified. */
export type Lang = 'zh-CN' | 'zh-TW' | 'zh-HK';

/** `box`: compact search box for a hospital site. `page`: the editors' full-page view, synced with the URL. */
export type Mode = 'box' | 'page';

export interface WidgetOptions {
  /** API origin (plus optional path prefix), without a trailing slash. */
  api: string;
  siteKey: string | null;
  placeholder: string | null;
  pageSize: number;
  theme: Theme;
  mode: Mode;
  facets: FacetName[];
  /** Where the box sends visitors when the API cannot be reached. */
  searchPage: string;
  lang: Lang;
}

export interface OptionSource {
  api?: string | undefined;
  siteKey?: string | undefined;
  placeholder?: string | undefined;
  pageSize?: string | undefined;
  theme?: string | undefined;
  mode?: string | undefined;
  facets?: string | undefined;
  searchPage?: string | undefined;
  lang?: string | undefined;
}

/**
 * BCP 47 tags as webmasters write them: zh-TW, zh-Hant, zh-Hant-TW → Taiwan
 * forms; zh-HK, zh-MO, zh-Hant-HK → Hong Kong forms; anything else Simplified.
 */
export function readLang(value: string | undefined): Lang {
  const tag = (value ?? '').trim().toLowerCase().replace(/_/g, '-');
  if (/^zh-(hant-)?(hk|mo)$/.test(tag)) return 'zh-HK';
  if (/^zh-(hant|tw|hant-tw)$/.test(tag)) return 'zh-TW';
  return 'zh-CN';
}

const defaultFacets: Record<Mode, FacetName[]> = {
  box: ['year', 'awardType'],
  page: [...facetNames],
};

function resolveUrl(value: string, base: string): string | null {
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

/**
 * @param source the script element's dataset (data-api → api, data-site-key → siteKey…)
 * @param scriptSrc the script's absolute URL: the API defaults to the origin that served the widget
 * @param pageUrl the host page's URL, to resolve relative attribute values
 */
export function readOptions(source: OptionSource, scriptSrc: string, pageUrl: string): WidgetOptions {
  const scriptOrigin = resolveUrl(scriptSrc || pageUrl, pageUrl) ?? '';
  const api = (source.api && resolveUrl(source.api, pageUrl)) || new URL(scriptOrigin || pageUrl).origin;
  const mode: Mode = source.mode === 'page' ? 'page' : 'box';
  const pageSize = Number.parseInt(source.pageSize ?? '', 10);
  const facets = (source.facets ?? '')
    .split(/[\s,]+/)
    .filter((name): name is FacetName => (facetNames as readonly string[]).includes(name));
  const theme = source.theme === 'dark' || source.theme === 'auto' ? source.theme : 'light';
  return {
    api,
    siteKey: source.siteKey?.trim() || null,
    placeholder: source.placeholder?.trim() || null,
    pageSize: Number.isFinite(pageSize) ? Math.min(50, Math.max(1, pageSize)) : 10,
    theme,
    mode,
    facets: source.facets === undefined ? defaultFacets[mode] : facets,
    searchPage: (source.searchPage && resolveUrl(source.searchPage, pageUrl)) || `${api}/search`,
    lang: readLang(source.lang),
  };
}
