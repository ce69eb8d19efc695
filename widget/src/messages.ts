/**
 * Every visitor-facing string, in one place. The widget ships to hospital
 * sites as one file with no access to config/data, so its few labels for the
 * API's closed vocabularies (award levels, suggestion kinds) live here too.
 */
import type { FacetName } from './options.js';

export const messages = {
  label: '搜索党建文章',
  placeholder: '搜索党建案例、医院…',
  submit: '搜索',
  suggestions: '搜索建议',
  results: '搜索结果',
  untitled: '未命名文章',
  original: '原文',
  loading: '正在搜索…',
  found: (total: number): string => `共找到 ${total} 篇文章`,
  relaxed: '没有同时包含全部关键词的文章，以下是只匹配部分关键词的结果。',
  interpretedAs: (text: string): string => `已为你显示“${text}”的结果`,
  empty: (q: string): string => (q ? `没有找到与“${q}”相关的文章。` : '没有找到符合条件的文章。'),
  removeFilter: '试试去掉筛选条件：',
  didYouMean: '你是不是要找：',
  emptyHint: '试试更短的关键词、别的说法，或输入拼音首字母。',
  error: '搜索出错了，请稍后再试。',
  /** By HTTP status of the API's answer. */
  errors: {
    400: '搜索词无法识别，请换个关键词（最多 200 字）。',
    401: '这个搜索框的站点密钥无效，请联系网站管理员。',
    429: '搜索太频繁了，请稍等片刻再试。',
    503: '搜索服务正在启动或维护，请稍后再试。',
  } as Record<number, string>,
  retry: '重试',
  unreachable: '暂时无法连接搜索服务。',
  searchPageLink: (q: string): string => (q ? `到搜索页查找“${q}”` : '打开搜索页'),
  more: '加载更多',
  loadingMore: '正在加载…',
  previous: '上一页',
  next: '下一页',
  pageOf: (page: number, pages: number): string => `第 ${page} / ${pages} 页`,
  related: '相关文章',
  relatedLoading: '正在查找相关文章…',
  relatedEmpty: '没有找到相关文章。',
  relatedError: '相关文章加载失败。',
  sharedKeywords: '共同关键词：',
  duplicates: (count: number): string => `另有 ${count} 篇相似报道`,
  showAll: (count: number): string => `全部 ${count} 项`,
  showFewer: '收起',
  remove: '去掉',
  sort: '排序',
  sortOrders: { relevance: '相关度', date_desc: '最新', date_asc: '最早' } as Record<string, string>,
  yearFrom: '起始年份',
  yearTo: '截止年份',
  yearPlaceholder: '年份',
  yearRange: (from: number | null, to: number | null): string => `${from ?? '…'}–${to ?? '…'}年`,
  clearAll: '清除全部',
  exportCsv: '导出',
  activeFilters: '已选条件',
  /** The button that opens the folded facet panel on a phone. */
  filters: (selected: number): string => (selected > 0 ? `筛选（已选 ${selected} 项）` : '筛选'),
  filterFacet: (name: string): string => `筛选${name}`,
  took: (ms: number): string => `用时 ${ms < 1 ? '<1' : Math.round(ms)} 毫秒`,
  newest: '最新收录的文章',
  facets: {
    province: '省份',
    city: '城市',
    hospital: '医院',
    year: '年份',
    awardType: '荣誉类型',
    awardLevel: '荣誉级别',
  } satisfies Record<FacetName, string>,
  awardLevels: {
    national: '国家级',
    provincial: '省级',
    municipal: '市级',
    county: '县级',
    internal: '院内',
  } as Record<string, string>,
  suggestionKinds: { title: '文章', hospital: '医院', term: '关键词' } as Record<string, string>,
};

export type Messages = typeof messages;

/**
 * The same table with every string, and every string a function returns,
 * passed through `convert` (Simplified → Traditional for zh-TW/zh-HK boxes).
 */
export function localiseMessages(convert: (text: string) => string): Messages {
  const localise = (value: unknown): unknown => {
    if (typeof value === 'string') return convert(value);
    if (typeof value === 'function') return (...args: unknown[]) => convert(String((value as (...a: unknown[]) => unknown)(...args)));
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, localise(entry)]));
    return value;
  };
  return localise(messages) as Messages;
}

/** How a facet value reads on a chip: years get 年, award levels their Chinese name. */
export function formatFacetValue(facet: FacetName, value: string, table: Messages = messages): string {
  if (facet === 'year') return `${value}年`;
  if (facet === 'awardLevel') return table.awardLevels[value] ?? value;
  return value;
}
