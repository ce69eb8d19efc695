import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { extractSource } from '../../indexer/steps/extract-source.js';

function source(text: string): ReturnType<typeof extractSource> {
  return extractSource({ fullText: normaliseText(text) });
}

describe('source', () => {
  it.each([
    ['a 来源 footer', '为荆州建设江汉平原高质量发展示范区作出新的贡献。\n\n来源:荆州日报\n\n记者匡奕君 卢成海 特约记者杜川', '荆州日报'],
    ['来源 followed by other labels', '来源:中国网 时间:2024-06-28 08:57:04 编辑:钟晓岚 点击:', '中国网'],
    ['a hospital department, two words', '发布时间:2021-10-21 阅读:1372次 来源:湖北省肿瘤医院 监审科', '湖北省肿瘤医院 监审科'],
    ['a department followed by people', '來源: 黨辦室 趙雯 張宇發佈日期: 2021-07-01', '党办室'],
    ['two outlets', '发稿时间:2020-02-26 14:57:08 来源: 中国青年报客户端 中国青年网', '中国青年报客户端 中国青年网'],
    ['a quoted account', '2025年09月22日 09:45    来源:“北京援藏”微信公众号', '“北京援藏”微信公众号'],
    ['an organisation on the date line', '喜讯!中山一院荣获“全国公立医院党建示范医院”\n\n2024-03-13 09:50:21 中山一院\n\n日前,全国医院党建工作指导委员会…', '中山一院'],
    ['an outlet dateline in Traditional script', '佛山日報訊 記者葉晨 通訊員李曉報道:2021年12月31日,佛山市中醫院黨建文化陣地揭牌啟用。', '佛山日报'],
    ['a website dateline', '全程导医网讯:建党九十周年前夕,在江苏省卫生系统开展的创先争优活动中…', '全程导医网'],
    ['a reporter credit with the outlet', '截至当天上午,中医院各支部结对的19个村(社区)已全部完成活动。\n\n(鄂州日报全媒体记者夏晶  责任编辑杨艳婷)', '鄂州日报'],
    ['a newspaper credit', '本报记者 李 航摄\n《 人民日报 》( 2020年02月26日 02 版)', '人民日报'],
    ['an e-paper name', '数字报阅读器\n2026-01-15\n星期四\n当前报刊:襄阳日报', '襄阳日报'],
    ['the issuer signing a notice', '附件:先进集体及先进个人名单\n中共金坛市卫生局委员会 金坛市卫生局\n2014年3月5日 附件:', '中共金坛市卫生局委员会'],
  ])('%s', (_label, text, expected) => {
    expect(source(text).source).toBe(expected);
  });

  it.each([
    ['a placeholder source', '您所在的位置:首页 > 民生视点 > 正文\n来源:网络 时间:2020-03-16 10:24 阅读:'],
    ['an empty source label', '发布人:qhzyy_web 来源: 发布时间:2020-09-16'],
    ['our own paper', '本报讯(通讯员 白君)为持续加强党风廉政建设,配合医疗领域专项整治…'],
    ['a trailing credit of a department and a person', '各支部党日活动丰富多样,党员参与率超过80%。\n(市肿瘤医院办公室)\n|'],
    ['a supplier marked unknown', '供稿:未知 编辑:蒙阴县人民医院 阅读:次'],
  ])('none for %s', (_label, text) => {
    expect(source(text).source).toBeNull();
  });
});

describe('authors', () => {
  it.each([
    ['reporters and correspondents', '来源:荆州日报\n\n记者匡奕君 卢成海 特约记者杜川 通讯员徐智彬 张世琳 严阁', ['匡奕君', '卢成海', '杜川', '徐智彬', '张世琳', '严阁']],
    ['a bracketed dateline credit', '红网时刻衡阳7月3日讯(通讯员 周婧怡 记者 罗敏)湖南省于6月30日上午在长沙召开“两优一先”表彰大会', ['周婧怡', '罗敏']],
    ['an author label, editors left out', '文:向茂林\n编辑:徐子峰 王正清\n\n审核:万怡 王朝军', ['向茂林']],
    ['a photo credit', '授牌现场:院党委领导为获评广西青年文明号的集体授牌。吴嘉琪 摄', ['吴嘉琪']],
    ['no credit, though 文 and 图 are everywhere', '学院打造“理论武装—红色浸润”体系,建设文化长廊,推出精品微党课等载体。', []],
  ])('%s', (_label, text, expected) => {
    expect(source(text).authors).toEqual(expected);
  });
});
