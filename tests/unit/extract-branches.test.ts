import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { extractPartyBranches } from '../../indexer/steps/extract-branches.js';

function branches(text: string, hospitalNames: string[] = []): string[] {
  return extractPartyBranches({ title: '', body: normaliseText(text), hospitalNames });
}

describe('party branches', () => {
  it.each([
    ['two branches in one sentence (seed 000)', '兒童外科黨支部,、行政后勤第四黨支部2個黨支部入選浙江省衛生健康系統先鋒黨支部。', [], ['儿童外科党支部', '行政后勤第四党支部']],
    ['a branch named in a title (seed 003)', '【党建园地】优秀党建品牌案例展示七《党旗飘扬,乳此精彩》(乳腺外科党支部)', [], ['乳腺外科党支部']],
    ['the hospital in front is dropped', '广元市妇幼保健院妇女保健党支部荣获2023年度四川省公立医院“标杆党支部”称号。', ['广元市妇幼保健院'], ['妇女保健党支部']],
    ['a department with 与 in its name', '我院呼吸与危重症医学科党支部获评全国“公立医院临床科室标杆党支部”。', [], ['呼吸与危重症医学科党支部']],
    ['a department with 及 in its name', '调研组先后走访了我院检验及输血科党支部和教学处党支部。', [], ['检验及输血科党支部', '教学处党支部']],
    ['a branch under a general branch', '参加共建的是我院第六党总支第四党支部(审计处、采购处)。', [], ['第四党支部']],
    ['a hospital that is itself a branch', '哈密市维吾尔医医院党支部书记赵向晴出席。', ['哈密市维吾尔医医院'], ['哈密市维吾尔医医院党支部']],
    ['a medical team’s temporary branch', '2月25日晚7时,北京大学第一医院驰援湖北医疗队临时党支部在驻地宾馆召开了一场庄重的党员发展会。', ['北京大学第一医院'], ['驰援湖北医疗队临时党支部']],
    ['an unknown army hospital in front', '省中医院医技4党支部与联勤保障部队第966医院西部帮建医疗队临时党支部联合开展主题党日', ['省中医院'], ['医技4党支部', '西部帮建医疗队临时党支部']],
    ['numbered branches without 党', '医护一支部书记韦琳,医护二支部张天明,行政支部田国安,教工支部金晓菲获评“优秀共产党员”。', [], ['医护一支部', '医护二支部', '行政支部', '教工支部']],
    ['a branch that wins an honour shaped like a branch', '今年以来,该院临床三支部被评为衡阳市卫生健康系统先进基层党支部。', [], ['临床三支部']],
    ['a branch founded by a verb', '泰州市人民醫院黨委決定在新型冠狀病毒感染肺炎隔離病房成立臨時黨支部。', ['泰州市人民医院'], ['临时党支部']],
  ])('%s', (_label, text, hospitalNames, expected) => {
    expect(branches(text, hospitalNames)).toEqual(expected);
  });

  it.each([
    ['generic mentions', '各党支部围绕“党建+学科”打造特色亮点,一个党支部就是一面鲜艳的旗帜。'],
    ['a kind of branch', '致力打造学习型党支部。'],
    ['a role, not a branch', '党支部书记、党员干部带头到国内知名医疗机构进修学习。'],
    ['a verb before 党支部', '切实落实党支部参与科室重要事项决策机制。'],
    ['an honour shaped like a branch', '成功创建自治区卫生健康委五星级公立医院党支部1个。'],
    ['a Youth League branch', '出席领导为5个“五四红旗团支部”颁奖。'],
    ['democratic-party branches', '民進醫院支部主委沈虹介紹了支部的發展歷程。农工党成都市第四人民医院支部委员会收获多项荣誉。'],
  ])('none for %s', (_label, text) => {
    expect(branches(text)).toEqual([]);
  });
});
