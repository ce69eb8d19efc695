import { describe, expect, it } from 'vitest';
import { loadAwardVocabulary } from '../../config/data.js';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { extractAwards } from '../../indexer/steps/extract-awards.js';

function awards(title: string, body: string, province: string | null = null, hospitalNames: string[] = []): ReturnType<typeof extractAwards> {
  return extractAwards({ title: normaliseText(title), body: normaliseText(body), province, hospitalNames });
}

describe('award names, types and levels', () => {
  it.each([
    [
      'seed 000: a provincial honour after 入选 (Traditional with pinyin)',
      '',
      '2022年11月,,浙江省衛(wèi)健委印發(fā)了《關(guān)于公布浙江省衛(wèi)生健康系統(tǒng)先鋒黨支部選樹名單的通知》,,兒童外科黨支部,、行政后勤第四黨支部2個黨支部入選浙江省衛(wèi)生健康系統(tǒng)先鋒黨支部。',
      ['浙江省卫生健康系统先锋党支部'],
      ['先锋党支部'],
      ['provincial'],
    ],
    [
      'seed 003: a hospital’s own brand contest',
      '【党建园地】优秀党建品牌案例展示七《党旗飘扬,乳此精彩》(乳腺外科党支部)',
      '2024年开局之时,医院党委统筹部署开展了“党建品牌”创建及评比活动。通过网络投票、认真评审,2023—2024年我院产生了12个“优秀党建品牌”案例。',
      ['优秀党建品牌'],
      ['党建品牌'],
      ['internal'],
    ],
    [
      'seed 004: a municipal model site',
      '喜讯!我院党委被命名为全市公立医院党建工作示范点',
      '8月9日,根据中共临沂市委组织部、中共临沂市卫生健康委员会党组《关于命名全市公立医院党建工作示范点的通报》,蒙阴县人民医院党委被命名表扬为“全市公立医院党建工作示范点”。',
      ['全市公立医院党建工作示范点'],
      ['示范医院/示范点'],
      ['municipal'],
    ],
    [
      'unquoted honours after 被评为, with their scope',
      '',
      '今年以来,该院临床三支部被评为衡阳市卫生健康系统先进基层党支部,贺芳、丁玉兰被评为衡阳市卫生健康系统优秀党务工作者,刘春燕被评为衡阳市卫生健康系统优秀党员。',
      ['衡阳市卫生健康系统先进基层党支部', '衡阳市卫生健康系统优秀党务工作者', '衡阳市卫生健康系统优秀党员'],
      ['先进基层党组织', '个人荣誉'],
      ['municipal'],
    ],
    [
      'the conferring body and the year are not part of the name',
      '北京天坛医院荣获北京市卫生局2010年度落实党建工作责任制优秀奖',
      '依靠全院职工齐心努力,北京天坛医院的党建工作得到上级充分肯定,荣获北京市卫生局2010年度落实党建工作责任制优秀奖。',
      ['落实党建工作责任制优秀奖'],
      ['其他奖项'],
      ['provincial'],
    ],
    [
      'a list after 获评, levels from each name',
      '',
      '医院党委先后入选教育部全国党建标杆院系培育创建单位,获评广东省委教育工委先进基层党组织、全国公立医院党建工作示范点。',
      ['全国党建标杆院系培育创建单位', '广东省委教育工委先进基层党组织', '全国公立医院党建工作示范点'],
      ['标杆院系', '先进基层党组织', '示范医院/示范点'],
      ['national', 'provincial'],
    ],
    [
      'a quoted honour and an unquoted one closed by 等荣誉',
      '',
      '支部带领科室先后获得第23届“四川青年五四奖章集体”和2018-2019年度四川省青年文明号等荣誉。',
      ['四川青年五四奖章集体', '四川省青年文明号'],
      ['先进集体', '文明单位'],
      ['provincial'],
    ],
    [
      'honours listed in quotes after 被评为',
      '',
      '此外,我院26名同志获授“星级党员示范岗”,22名同志分别被评为“文明家庭”“文明职工”。会议还号召全区卫生系统所属单位扎根本职岗位。',
      ['星级党员示范岗', '文明家庭', '文明职工'],
      ['党员示范岗', '文明单位'],
      ['county'],
    ],
    [
      'counted honours with the conferring body stripped',
      '',
      '成功創建自治區衛生健康委五星級公立醫院黨支部1個、四星級公立醫院黨支部2個,市直機關五星級黨支部2個,市衛生健康優秀黨建品牌2個、黨建示範點3個。',
      ['五星级公立医院党支部', '四星级公立医院党支部', '五星级党支部', '优秀党建品牌', '党建示范点'],
      ['星级党支部', '党建品牌', '示范医院/示范点'],
      ['provincial', 'municipal'],
    ],
    [
      'the standard 两优一先 titles in a 表彰 sentence',
      '',
      '會上還對一批優秀共產黨員、優秀黨務工作者和先進基層黨組織進行了表彰。',
      ['优秀共产党员', '优秀党务工作者', '先进基层党组织'],
      ['个人荣誉', '先进基层党组织'],
      [],
    ],
    [
      'a hospital’s own decision',
      '',
      '經院黨委研究,決定:\n一、 授予機關黨總支、醫技黨支部“先進基層黨組織”稱號。\n二、 授予微創外科、檢驗科、婦產科“優秀黨員先鋒崗”稱號。',
      ['先进基层党组织', '优秀党员先锋岗'],
      ['先进基层党组织', '党员示范岗'],
      ['internal'],
    ],
    [
      'a results notice in the title, the level from the organiser',
      '关于2024公立医院党建业务融合典型案例评审结果的通知',
      '发布时间:2024-12-24 来源:项目合作处\n各有关单位:国家卫生健康委党校联合中国人口文化促进会医院文化建设分会开展了2024公立医院党建业务融合典型案例征集工作。',
      ['公立医院党建业务融合典型案例'],
      ['优秀案例'],
      ['national'],
    ],
    [
      'a Party-Centre medal is national whoever hands it out',
      '',
      '院党委班子成员为受表彰的集体和个人代表颁奖,并为党龄满50年的老党员代表颁发“光荣在党50年”纪念章。',
      ['光荣在党50年'],
      ['纪念章'],
      ['national'],
    ],
  ])('%s', (_label, title, body, names, types, levels) => {
    const got = awards(title, body);
    for (const name of names) expect(got.awardNames).toContain(name);
    for (const type of types) expect(got.awardTypes).toContain(type);
    expect(got.awardLevels).toEqual(levels);
  });

  it('a 医院 before a quoted honour is not an internal level (四川省公立医院“标杆党支部”)', () => {
    const got = awards('', '日前,广元市妇幼保健院妇女保健党支部荣获2023年度四川省公立医院“标杆党支部”称号。', null, ['广元市妇幼保健院']);
    expect(got.awardNames).toEqual(['标杆党支部']);
    expect(got.awardLevels).toEqual(['provincial']);
  });

  it.each([
    ['a ranking, not an honour', '兒童外科黨支部5位專家入選公布的“全國小兒外科專家學術影響力百強”行列。'],
    ['a brand slogan', '锻造特色鲜明的‘党旗增辉一医为民’党建品牌,把牢医院高质量发展的‘方向盘’。'],
    ['a mobilisation meeting', '太原市中心醫院於5月10日召開“創建全國文明城市工作動員會”。'],
    ['democratic-party honours', '支部先後榮獲“民進全國先進集體”“民進浙江省優秀基層組織”“民進衢州市先進基層組織”等榮譽稱號。'],
    ['a certification, not an honour', '这期间,医院获自治区卫健委认定为“职业病诊断和职业性体检机构”,建成“健康促进医院”。'],
  ])('no honour in %s', (_label, body) => {
    expect(awards('', body).awardNames).toEqual([]);
  });
});

describe('config/data/awards.json', () => {
  it('gives every type patterns that its own examples match', () => {
    const vocab = loadAwardVocabulary();
    const types = vocab.types.map((t) => t.type);
    expect(types).toEqual(expect.arrayContaining(['示范医院/示范点', '标杆党支部', '先锋党支部', '星级党支部', '党建品牌', '先进基层党组织', '优秀案例', '个人荣誉']));
    expect(new Set(types).size).toBe(types.length);
  });
});

describe('award levels from the awarding body and scope words', () => {
  it.each([
    ['中组部', '近日,中组部印发通知,我院党委被授予“全国先进基层党组织”称号。', 'national'],
    ['中组部 before the recipient 我院', '日前,中组部表彰我院党委为“先进基层党组织”。', 'national'],
    ['国家卫健委', '国家卫健委通报表扬,我院心内科党支部荣获“样板党支部”称号。', 'national'],
    ['中宣部', '中宣部授予我院医疗队“时代楷模”称号。', 'national'],
    ['全国 as scope', '我院党委获评全国“五一劳动奖状”。', 'national'],
    ['省委组织部', '日前,省委组织部下发通知,我院党委被评为“先进基层党组织”。', 'provincial'],
    ['省卫健委 before the recipient', '省卫健委党组决定,授予我院心内科党支部“标杆党支部”称号。', 'provincial'],
    ['自治区', '自治区卫生健康委授予我院党委“先进基层党组织”称号。', 'provincial'],
    ['an autonomous region in full', '广西壮族自治区党委组织部表彰我院党支部为“五星级党支部”。', 'provincial'],
    ['全省 as scope', '我院党委获评全省“先进基层党组织”。', 'provincial'],
    ['市委组织部', '市委组织部命名我院党委为“党建工作示范点”。', 'municipal'],
    ['全市 as scope after 评为', '近日,我院党委被评为全市“先进基层党组织”。', 'municipal'],
    ['a city health commission', '临沂市卫生健康委授予我院“先进集体”称号。', 'municipal'],
    ['县委组织部', '县委组织部授予我院党支部“红旗党支部”称号。', 'county'],
    ['区委', '区委表彰我院党总支为“先进基层党组织”。', 'county'],
    ['a county health bureau', '蒙阴县卫健局授予我院“先进集体”称号。', 'county'],
    ['院党委', '院党委决定,授予心内科党支部“先进党支部”称号。', 'internal'],
    ['医院党委', '医院党委表彰了一批“优秀共产党员”。', 'internal'],
    ['the hospital holding the ceremony', '医院召开表彰大会,授予外科党支部“先进党支部”称号。', 'internal'],
  ])('%s', (_label, body, level) => {
    expect(awards('', body).awardLevels).toEqual([level]);
  });
});
