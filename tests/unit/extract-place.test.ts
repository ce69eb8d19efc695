import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { canonicaliseHospital } from '../../indexer/steps/extract-hospital.js';
import { extractPlace, findPlaceMentions, normaliseProvince, placeOfPrefix } from '../../indexer/steps/extract-place.js';

describe('place from the hospital', () => {
  it.each([
    ['a county hospital', '蒙阴县人民医院', '8月9日,根据中共临沂市委组织部《关于命名全市公立医院党建工作示范点的通报》,蒙阴县人民医院党委被命名表扬。', ['山东', '临沂', '蒙阴县']],
    ['a city hospital named after its city', '荆州市第一人民医院', '荆州一医党委坚持以习近平新时代中国特色社会主义思想为指导,为荆州建设江汉平原高质量发展示范区作出新的贡献。', ['湖北', '荆州', null]],
    ['a provincial hospital in an unnamed capital', '中山大学附属第一医院', '日前,全国医院党建工作指导委员会通报表扬了2023年度党建示范医院,中山大学附属第一医院荣获称号。', ['广东', null, null]],
    ['a municipality', '北京大学第三医院', '2月25日,北京大学第三医院支援湖北医疗队临时党总支召开党员发展大会。', ['北京', '北京', null]],
    ['a county-level city written with its old suffix', '金坛市人民医院', '经局党委研究,决定对市人民医院党委等26个先进集体给予表彰。中共金坛市卫生局委员会', ['江苏', '常州', '金坛市']],
    ['a university named after a city does not name the city', '兰大一院', '依托兰州大学和医院党委的坚强领导,兰大一院药剂科党支部来到甘南州夏河县。', ['甘肃', null, null]],
  ])('%s', (_label, hospital, text, [province, city, county]) => {
    const h = canonicaliseHospital(hospital);
    // `hospitalNames`: how the text writes the hospital.
    const place = extractPlace({ title: '', text: normaliseText(text), hospital: h.place, mainHospital: h.name, hospitalNames: [hospital] });
    expect(place).toEqual({ province, city, county });
  });
});

describe('place from the text when no hospital is known', () => {
  it.each([
    ['a district without suffix in Traditional script', '日前,江寧高新區召開大會,慶祝中國共產黨建黨98週年。我院獲評“江寧高新區四星級基層黨組織”。', ['江苏', '南京', null]],
    ['a county written in full', '2018年1月25日上午,我院外科第二党支部和惠民县委办公室第二党支部共同开展“主题党日”活动。', ['山东', '滨州', '惠民县']],
    ['a municipality', '儿童保健科是重庆市儿童营养特色专科、重庆市婴幼儿养育照护指导中心和重庆儿童残疾诊断中心。', ['重庆', '重庆', null]],
    ['the dominant city among visitors’ home towns', '8月4日,来自天津、北京、大连、重庆、哈尔滨、齐齐哈尔、讷河、双鸭山等地的20余位领导来我院调研党建工作,齐齐哈尔市副市长刘艳华等陪同。', ['黑龙江', '齐齐哈尔', null]],
    ['a province only', '依照湖北省紀委監委部署,10月21日下午,我院黨委書記帶隊前往湖北省黨風廉政警示教育基地接受警示教育。', ['湖北', null, null]],
    [
      'several cities named side by side',
      '会上宣读了国家卫生城市、县城、乡镇的命名决定:固原市、中卫市、灵武市获全国爱卫会命名为国家卫生城市(区);永宁县城、闽宁镇、隆德县城、黄铎堡镇、中宁县城、白土岗乡等6个县城和乡镇获得国家卫生乡镇(县城)称号。\n同时宣读的还有全国计划生育优质服务先进单位的命名通知,银川市西夏区、石嘴山市大武口区、吴忠市盐池县、固原市原州区等4个县区获国家卫生健康委命名为2018-2020年全国计划生育优质服务先进单位。',
      ['宁夏', null, null],
    ],
    ['a county named like a word, without its suffix', '医院持续推进优质医疗资源扩容下沉,全党上下同心协力,解放思想、勇于创新。', [null, null, null]],
    ['no place at all', '5月20日,“廉洁医院”创建工作研讨会在医院行政教学区五楼会议室举行。', [null, null, null]],
  ])('%s', (_label, text, [province, city, county]) => {
    expect(extractPlace({ title: '', text: normaliseText(text), hospital: null })).toEqual({ province, city, county });
  });
});

describe('place names', () => {
  it.each([
    ['中山大学附属第一医院', []],
    ['全面推进乡村振兴', []],
    ['开展集中卫生整治', []],
    ['祝愿大家幸福安康', []],
    ['蒙阴县人民医院', ['蒙阴县']],
    ['恩施州中心医院', ['恩施州']],
    ['新疆自治区人民医院', ['新疆自治区']],
    ['大通县第二人民医院', ['大通县']],
  ])('%s', (text, expected) => {
    expect(findPlaceMentions(text).map((m) => m.text)).toEqual(expected);
  });

  it.each([
    ['山东省', '山东'],
    ['广西壮族自治区', '广西'],
    ['内蒙古自治区', '内蒙古'],
    ['新疆维吾尔自治区', '新疆'],
    ['北京市', '北京'],
    ['宁夏', '宁夏'],
  ])('normaliseProvince(%s) = %s', (given, expected) => {
    expect(normaliseProvince(given)).toBe(expected);
  });

  it.each([
    ['泰州市姜堰', { province: '江苏', city: '泰州', county: '姜堰区' }],
    ['金坛市', { province: '江苏', city: '常州', county: '金坛市' }],
    ['大通县', { province: '青海', city: '西宁', county: '大通回族土族自治县' }],
    ['四川省广元市', { province: '四川', city: '广元', county: null }],
  ])('placeOfPrefix(%s)', (prefix, expected) => {
    expect(placeOfPrefix(prefix)).toEqual(expected);
  });
});

describe('province from regional and famous names', () => {
  it.each([
    ['湘雅 in a university hospital name', '中南大学湘雅二医院', '湖南'],
    ['华西 in a university hospital name', '四川大学华西第二医院', '四川'],
    ['齐鲁', '齐鲁医院', '山东'],
    ['粤北', '粤北人民医院', '广东'],
    ['陇东', '陇东医院', '甘肃'],
    ['鄂西', '鄂西医院', '湖北'],
    ['浙东', '浙东医院', '浙江'],
    ['a second abbreviation (黔)', '黔北医院', '贵州'],
  ])('%s', (_label, name, province) => {
    expect(placeOfPrefix(name)).toEqual({ province, city: null, county: null });
  });

  it.each([
    ['a regional name in the text', '医院地处粤北山区,近日召开党建工作会议,部署全年任务。', '广东'],
    ['齐鲁 in the text', '在齐鲁大地上,医院党委坚持党建引领,推动高质量发展。', '山东'],
    ['regions of two provinces say nothing', '来自粤北和鲁西南的专家来院交流党建工作。', null],
    ['a gazetteer name is the place, not a region (桂东县 is in Hunan)', '桂东县人民医院党委召开会议,桂东县卫健局领导出席。', '湖南'],
    ['新西兰 and 京东 are not regions', '医院与新西兰专家交流,并在京东平台开设健康商城。', null],
  ])('%s', (_label, text, province) => {
    expect(extractPlace({ title: '', text: normaliseText(text), hospital: null }).province).toBe(province);
  });
});
