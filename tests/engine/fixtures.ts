/**
 * Small hand-made documents for the engine conformance suite. Each one exists
 * to make one behaviour observable (an alias only in the text, a repost, an
 * off-topic page full of the right words...); the comments say which.
 *
 * Text is normalised and segmented exactly as the indexer does it, so the
 * engines see the same token fields they would get from indexer/pipeline.ts.
 */
import { createHash } from 'node:crypto';
import { namesOfHospitalKinds } from '../../engine/analysis/hospital-kind.js';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { extractKeywords, joinTokens, segmentForIndex } from '../../engine/analysis/segment.js';
import { analyseQuery } from '../../engine/analysis/query.js';
import type { EngineDocument } from '../../engine/document.js';
import type { SearchRequest } from '../../engine/port.js';

export type FixtureInput = Partial<EngineDocument> & Pick<EngineDocument, 'id' | 'title' | 'body'>;

function metaTextOf(d: Pick<EngineDocument, 'hospitals' | 'hospitalAliases' | 'province' | 'city' | 'county' | 'awardNames' | 'awardTypes' | 'partyBranches'>): string {
  return [...d.hospitals, ...d.hospitalAliases, d.province, d.city, d.county, ...d.awardNames, ...d.awardTypes, ...d.partyBranches, ...namesOfHospitalKinds(d.hospitals)]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join('\n');
}

/** A complete EngineDocument: text normalised, tokens, keywords and hashes derived like the indexer does. */
export function makeDocument(partial: FixtureInput): EngineDocument {
  const title = normaliseText(partial.title);
  const body = normaliseText(partial.body);
  const hospital = partial.hospital ?? null;
  const base = {
    hospitals: partial.hospitals ?? (hospital ? [hospital] : []),
    hospitalAliases: partial.hospitalAliases ?? [],
    province: partial.province ?? null,
    city: partial.city ?? null,
    county: partial.county ?? null,
    awardNames: partial.awardNames ?? [],
    awardTypes: partial.awardTypes ?? [],
    partyBranches: partial.partyBranches ?? [],
  };
  const document: EngineDocument = {
    url: `https://news.example/${partial.id}`,
    summary: body.split(/(?<=[。！？])/u)[0] ?? body,
    publishedAt: null,
    year: partial.publishedAt ? Number(partial.publishedAt.slice(0, 4)) : null,
    yearSource: partial.publishedAt ? 'published' : null,
    source: null,
    authors: [],
    hospital,
    awardLevels: [],
    keywords: extractKeywords(`${title}\n${body}`, 10),
    duplicateOf: null,
    originalScript: 'simplified',
    topicality: 0.8,
    fingerprint: createHash('sha1').update(body).digest('hex').slice(0, 16),
    contentHash: createHash('sha1').update(`${partial.id}\n${title}\n${body}`).digest('hex'),
    sourcePath: `fixtures/${partial.id}.txt`,
    ...base,
    ...partial,
    title,
    body,
    titleTokens: joinTokens(segmentForIndex(title)),
    bodyTokens: joinTokens(segmentForIndex(body)),
    metaTokens: joinTokens(segmentForIndex(metaTextOf(base))),
  };
  return document;
}

export const fixtures = {
  /** Provincial 先锋党支部 in 浙江; its text says 卫健委 (the synonym test's other side). */
  zhejiangPioneer: makeDocument({
    id: 'fx-zhejiang-pioneer',
    title: '儿童外科党支部入选浙江省卫生健康系统先锋党支部',
    body: '2022年11月，浙江省卫健委印发通知，公布卫生健康系统先锋党支部选树名单，医院儿童外科党支部成功入选。支部坚持党建与业务深度融合，打造“超越自我”党建特色品牌，形成“党建+学科”良性循环。',
    publishedAt: '2022-11-20',
    province: '浙江',
    city: '温州',
    hospital: '温州医科大学附属第二医院',
    awardNames: ['浙江省卫生健康系统先锋党支部'],
    awardTypes: ['先锋党支部'],
    awardLevels: ['provincial'],
    partyBranches: ['儿童外科党支部'],
  }),
  /** Names its hospital only by the alias 荆州一医, and has no hospital metadata: only query expansion finds it. */
  jingzhouAlias: makeDocument({
    id: 'fx-jingzhou-alias',
    title: '荆州一医“双带头人”培育工程见实效',
    body: '荆州一医坚持把党支部建在科室上，实施党支部书记“双带头人”培育工程，一批业务骨干成长为支部书记，带动科室医疗质量持续提升。',
    publishedAt: '2023-03-15',
    province: '湖北',
    city: '荆州',
  }),
  /** Names its hospital only by the full name, no hospital metadata either; says 卫生健康委员会 in full. */
  jingzhouFull: makeDocument({
    id: 'fx-jingzhou-full',
    title: '举办党务干部能力提升培训班',
    body: '为提升党务干部履职能力，荆州市第一人民医院党委举办党务干部培训班，市卫生健康委员会有关负责同志到会指导，各党支部书记和党务工作者参加学习。',
    publishedAt: '2021-06-30',
    province: '湖北',
    city: '荆州',
  }),
  /** Year known, no publication date (inferred from the text): sorts by its year. */
  weifang: makeDocument({
    id: 'fx-weifang',
    title: '潍坊市妇幼保健院打造“红心妇幼”党建品牌',
    body: '潍坊市妇幼保健院推行党支部书记“双带头人”培育工程，以党建品牌建设引领妇幼健康服务提质增效。',
    year: 2023,
    yearSource: 'inferred',
    province: '山东',
    city: '潍坊',
    hospital: '潍坊市妇幼保健院',
    awardTypes: ['党建品牌'],
    awardLevels: ['municipal'],
  }),
  mengyin: makeDocument({
    id: 'fx-mengyin',
    title: '蒙阴县人民医院“双带头人”领航发展',
    body: '蒙阴县人民医院深入实施“双带头人”培育工程，党支部书记既是业务带头人又是党建带头人，推动党建品牌与医疗服务深度融合，群众就医满意度明显提升。',
    publishedAt: '2024-05-10',
    province: '山东',
    city: '临沂',
    county: '蒙阴县',
    hospital: '蒙阴县人民医院',
    awardTypes: ['党建品牌'],
    awardLevels: ['county'],
  }),
  /** Canonical article of a near-duplicate pair; its text has 5G (half-width) for the width test. */
  shanxiTumor: makeDocument({
    id: 'fx-shanxi-tumor',
    title: '山西省肿瘤医院党建品牌建设成果展示',
    body: '山西省肿瘤医院以党建品牌建设为抓手，建成5G智慧病房，推动党建工作与医院发展同频共振。医院党委书记表示，将持续擦亮党建品牌。',
    publishedAt: '2020-09-01',
    province: '山西',
    city: '太原',
    hospital: '山西省肿瘤医院',
    awardTypes: ['党建品牌'],
    awardLevels: ['provincial'],
    originalScript: 'traditional',
  }),
  /** A repost of shanxiTumor with another source line. */
  shanxiTumorRepost: makeDocument({
    id: 'fx-shanxi-tumor-repost',
    title: '山西省肿瘤医院党建品牌建设成果展示',
    body: '来源：太原日报。山西省肿瘤医院以党建品牌建设为抓手，建成5G智慧病房，推动党建工作与医院发展同频共振。医院党委书记表示，将持续擦亮党建品牌。',
    publishedAt: '2020-09-02',
    province: '山西',
    city: '太原',
    hospital: '山西省肿瘤医院',
    awardTypes: ['党建品牌'],
    awardLevels: ['provincial'],
    duplicateOf: 'fx-shanxi-tumor',
  }),
  /** The query word only in the title... */
  cleanTitle: makeDocument({
    id: 'fx-clean-title',
    title: '清廉医院建设推进会召开',
    body: '会议总结了上半年工作，部署了下半年重点任务，要求各科室抓好落实，确保各项工作按期完成。',
    publishedAt: '2023-08-01',
    province: '四川',
    city: '成都',
  }),
  /** ...and only in the body, though three times. */
  cleanBody: makeDocument({
    id: 'fx-clean-body',
    title: '上半年重点工作推进会召开',
    body: '会议总结了上半年清廉医院建设工作，部署了清廉医院建设等下半年重点任务，要求各科室对照清廉医院标准抓好落实，确保各项工作按期完成。',
    publishedAt: '2023-08-02',
    province: '四川',
    city: '成都',
  }),
  /** 党建 and 引领 side by side... */
  phraseTogether: makeDocument({
    id: 'fx-phrase-together',
    title: '医院召开专题会议',
    body: '医院召开专题会议，研究部署以党建引领医院高质量发展的具体举措，各科室负责人参加会议。',
    publishedAt: '2019-04-01',
    province: '广东',
    city: '广州',
  }),
  /** ...and far apart, though more often (so word counts alone would rank it first). */
  phraseApart: makeDocument({
    id: 'fx-phrase-apart',
    title: '医院召开专题会议',
    body: '医院召开专题会议，研究部署党建工作，各科室负责人参加会议。会议指出，要发挥党员示范作用，以优质服务引领学科发展，以学科建设引领人才培养，把党建工作抓实抓细。',
    publishedAt: '2019-04-02',
    province: '广东',
    city: '广州',
  }),
  /** Off-topic: a tag page stuffed with the vocabulary, no date, no place. */
  offTopic: makeDocument({
    id: 'fx-off-topic',
    title: '热门标签：党建品牌 双带头人 先锋党支部',
    body: '热门标签：党建品牌 党建品牌 双带头人 先锋党支部 医院招聘 代理注册 点击进入',
    topicality: 0.05,
  }),
} satisfies Record<string, EngineDocument>;

export const fixtureDocuments: EngineDocument[] = Object.values(fixtures);

/** A search request for `raw` with the API's defaults, overridable per test. */
export function makeSearchRequest(raw: string, overrides: Partial<SearchRequest> = {}): SearchRequest {
  return {
    query: analyseQuery(raw),
    filters: {},
    sort: 'relevance',
    page: 1,
    pageSize: 10,
    facets: false,
    collapse: true,
    ...overrides,
  };
}
