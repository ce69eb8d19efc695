import { describe, expect, it } from 'vitest';
import { classifyHospital, classifyHospitals, namesOfHospitalKinds } from '../../engine/analysis/hospital-kind.js';
import { documentFacetValues } from '../../engine/document.js';
import { buildDocument } from '../../indexer/pipeline.js';
import { resegment } from '../../engine/sqlite/resegment.js';
import { makeDocument } from '../engine/fixtures.js';

describe('classifyHospital', () => {
  it.each([
    ['荆州市第一人民医院', '综合'],
    ['温州医科大学附属第二医院', '综合'],
    ['四川大学华西医院', '综合'],
    ['浙江省中医院', '中医'],
    ['上海中医药大学附属曙光医院', '中医'],
    ['内蒙古自治区国际蒙医医院', '中医'],
    ['潍坊市妇幼保健院', '妇幼'],
    ['广东省妇女儿童医学中心', '妇幼'],
    ['首都医科大学附属北京儿童医院', '儿童'],
    ['复旦大学附属儿科医院', '儿童'],
    ['山西省肿瘤医院', '肿瘤'],
    ['中山大学肿瘤防治中心', '肿瘤'],
    ['北京大学第六医院精神卫生中心', '精神'],
    ['上海市精神卫生中心', '精神'],
    ['无锡市康宁医院', '精神'],
    ['北京大学口腔医院', '口腔'],
    ['上海市公共卫生临床中心', '传染病'],
    ['长沙市第一医院传染病医院', '传染病'],
    ['沂水县许家湖镇中心卫生院', '卫生院'],
    ['朝阳区六里屯街道社区卫生服务中心', '社区'],
    ['華西醫院', '综合'],
  ])('%s → %s', (name, kind) => {
    expect(classifyHospital(name)).toBe(kind);
  });

  it.each(['市卫生健康委员会', '县疾病预防控制中心', ''])('%j is no hospital', (name) => {
    expect(classifyHospital(name)).toBeNull();
  });

  it('lists each kind of an article once, in the order of its hospitals', () => {
    expect(classifyHospitals(['浙江省中医院', '杭州市第一人民医院', '宁波市中医院'])).toEqual(['中医', '综合']);
  });

  it('names the kinds for the metadata (a general hospital has none)', () => {
    expect(namesOfHospitalKinds(['潍坊市妇幼保健院'])).toContain('妇女儿童医院');
    expect(namesOfHospitalKinds(['蒙阴县人民医院'])).toEqual([]);
  });

  it('is a facet of every engine, over every hospital of the article', () => {
    const document = makeDocument({ id: 'k', title: 't', body: 'b', hospital: '山西省肿瘤医院', hospitals: ['山西省肿瘤医院', '山西省儿童医院'] });
    expect(documentFacetValues(document).hospitalKind).toEqual(['肿瘤', '儿童']);
  });
});

describe('the kind in the indexed document', () => {
  const text = '衡阳市中医医院党委召开2023年度党建工作会议。\n衡阳市中医医院党委书记主持会议，各党支部书记参加。';
  const built = buildDocument({ text, sourcePath: 'kind.txt', format: 'txt', inputBytes: Buffer.byteLength(text) });
  if (!built.ok) throw new Error('rejected');
  const document = built.document;

  it("carries the kind's common names in the metadata tokens, where a query naming the kind finds them", () => {
    expect(document.hospital).toBe('衡阳市中医医院');
    const meta = document.metaTokens.split(' ');
    expect(meta).toEqual(expect.arrayContaining(['中医院', '中西医结合医院']));
    expect(document.bodyTokens.split(' ')).not.toContain('中医院');
    expect(documentFacetValues(document).hospitalKind).toEqual(['中医']);
  });

  it('keeps them when a stored document is re-segmented', () => {
    expect(resegment(document).metaTokens).toBe(document.metaTokens);
  });
});
