import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanArticle } from '../../indexer/steps/clean.js';
import { scoreTopicality } from '../../indexer/steps/extract-topic.js';

const corpusDir = join(import.meta.dirname, '../../corpus');

function score(text: string, title?: string): number {
  const c = cleanArticle({ sourcePath: 'x.txt', format: 'txt', inputBytes: text.length, text, ...(title !== undefined ? { title } : {}) });
  return scoreTopicality({ title: c.title, body: c.body, fullText: c.fullText });
}

describe('topicality', () => {
  it.each(['000_1fa8a9b2f9a530c3.txt', '001_43e5422389ba98aa.txt', '002_94a6097dd52ce2f1.txt', '003_ae1c95c1e18dc3ef.txt', '004_3b0527f88f1cf3c1.txt'])(
    'the seed article %s is squarely on topic',
    (file) => {
      expect(score(readFileSync(join(corpusDir, file), 'utf8'))).toBeGreaterThan(0.8);
    },
  );

  it.each([
    ['a title-only stub', '医院行政后勤科室绩效评分细则'],
    [
      'a content-farm hospital profile',
      '中山大学孙逸仙纪念医院(简称“中大附一院”)隶属于中山大学医学院,是一家规模较大的综合性医院,始建于1953年。医院既是广东省重要医疗中心,又是国内有名的高等医学教育基地,院址位于广州市越秀区中山二路28号,周边交通四通八达,出行十分方便。中大附一院是一所三级甲等医院,医疗资源丰富、技术力量雄厚,开设有心血管内科、呼吸内科、消化内科、神经内科等众多专科。中大附一院在国内外都拥有很高的知名度,医生队伍里名医专家、资深医师众多。',
    ],
    [
      'public-health news without Party work',
      '在2月9日召开的全区卫生健康工作会议上,记者获悉:国家爱卫会近期通报表扬了一批在爱国卫生运动和计划生育优质服务先进单位创建中表现突出的城市、乡镇。我区有3个市、6个县城及乡镇获全国爱卫会命名为国家卫生城市、国家卫生乡镇(县城),国家卫健委还将4个县区命名为全国计划生育优质服务先进单位。',
    ],
  ])('%s scores low', (_label, text) => {
    expect(score(text)).toBeLessThan(0.3);
  });

  it('spam around a real story pulls it down', () => {
    const story =
      '佛山醫療系統首個黨建文化陣地揭牌\n佛山日報訊 記者葉晨 通訊員李曉報道:2021年12月31日,佛山市中醫院黨建文化陣地揭牌啟用。市中醫院黨委書記張文斌表示,陣地建成後,將引導全院黨員牢記初心使命、賡續紅色血脈,始終堅持以人民健康為中心,推動醫院高質量發展。佛山市中醫院黨建文化陣地集文化展示、學習教育、成果交流功能於一體,集中呈現黨史學習教育、中醫藥文化、醫院文化和新時代公立醫院黨建的探索經驗。';
    const spammed = `午夜福利影院在线观看_免费高清视频_成人影视资源站_国产精品高清专区\n${story}`;
    expect(score(spammed)).toBeLessThan(score(story) * 0.6);
  });
});
