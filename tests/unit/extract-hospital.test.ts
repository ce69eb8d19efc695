import { describe, expect, it } from 'vitest';
import { loadHospitals } from '../../config/data.js';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { canonicaliseHospital, extractHospitals } from '../../indexer/steps/extract-hospital.js';
import { lookupPlace } from '../../indexer/steps/extract-place.js';

function hospitals(title: string, text: string): ReturnType<typeof extractHospitals> {
  return extractHospitals({ title: normaliseText(title), text: normaliseText(text) });
}

describe('the hospital an article is about', () => {
  it.each([
    ['a short form in the title (荆州一医)', '党旗增辉一医为民——荆州一医强化党建品牌建设助推医院高质量发展纪实', '荆州一医党委坚持以习近平新时代中国特色社会主义思想为指导。面对新冠肺炎疫情,荆州一医党员干部当先锋、作表率。', '荆州市第一人民医院', ['荆州一医']],
    ['a Traditional full name', '', '2月1日,泰州市人民醫院黨委決定在新型冠狀病毒感染肺炎隔離病房成立臨時黨支部,由感染科卞明輝任書記。', '泰州市人民医院', []],
    ['a second official name', '', '风雨兼程五十八载。从海南行政公署第三人民医院到三亚中心医院(海南省第三人民医院),三亚中心医院扎根天涯热土已走过58个年头。', '三亚中心医院', ['海南省第三人民医院']],
    ['a relative name resolved with the county-level city', '', '2013年,全市卫生系统党建工作始终以“学习贯彻党的十八大精神”为主线。经局党委研究,决定对市人民医院党委等26个先进集体给予表彰。\n中共金坛市卫生局委员会 金坛市卫生局', '金坛市人民医院', ['市人民医院']],
    ['a relative name resolved with the province', '国家卫生健康委直属机关党委副书记李春晖一行来院调研指导党建工作', '他希望省妇幼保健院做到三点:一是强化政治引领;三是锚定服务大局,把医院发展同湖北支点建设紧紧联系起来,为健康湖北建设多作贡献。', '湖北省妇幼保健院', ['省妇幼保健院']],
    ['a university hospital', '', '28日下午,福建医科大学附属第二医院(以下简称“福医二院”)召开庆祝建党100周年大会。福医二院党委书记郑奕航讲话。', '福建医科大学附属第二医院', ['福医二院']],
    ['an alias the text declares', '', '中山大学孙逸仙纪念医院(简称“中大附一院”)隶属于中山大学医学院,是一家规模较大的综合性医院。中大附一院是一所三级甲等医院。', '中山大学孙逸仙纪念医院', ['中大附一院']],
    ['中山医院 of a content farm meaning 中山一院', '', '中山医院是中国医学史上一颗耀眼的明珠。1925年,中山医院被并入孙中山先生亲手创建的中山大学,更名为中山大学附属第一医院。2024年3月29日,中山大学附属第一医院南沙院区正式投入使用。', '中山大学附属第一医院', []],
    ['中山医院 in Shanghai', '忆建党百年辉煌路 砺中山精神泽民众!中山医院举行庆祝中国共产党成立100周年主题活动', '在“忆建党百年辉煌路 砺中山精神泽民众”——复旦大学附属中山医院庆祝中国共产党成立100周年主题活动上,中山医院党委书记王昕悦讲话。', '复旦大学附属中山医院', ['中山医院']],
    ['a hospital the table does not know, by its shape', '', '朱运龙 农工党湘潭市委会副主委,2024年12月起任湘潭市第二人民医院院长。湘潭市第二人民医院党委书记出席。', '湘潭市第二人民医院', []],
    ['a short form upgraded to the official name the text also writes', '健康助力乡村振兴——六盘水市人民医院领导赴驻村点督导', '8月23日,六盘水人民医院党委副书记梅莉与党委委员、副院长赵泓带队,前往盘州市鸡场坪镇党建联系点督导。', '六盘水市人民医院', ['六盘水人民医院']],
    ['a farm hospital and its short form', '', '醫療集團公司本部全體幹部和湖光農場醫院幹部職工30餘人,來到湖光農場醫院開展植樹造林主題日活動,給初春的湖光醫院添上了一片新綠。', '湖光农场医院', ['湖光医院']],
  ])('%s', (_label, title, text, expected, aliases) => {
    const found = hospitals(title, text);
    expect(found.hospital).toBe(expected);
    for (const alias of aliases) expect(found.hospitalAliases).toContain(alias);
  });

  it.each([
    ['a relative name without its city', '', '2008年,市妇保院党委认真领会、全面贯彻党的十七大精神,较好地完成了医院全年各项目标任务。'],
    ['an ambiguous alias without its city', '党建创新声名远播 四方宾朋慕名而来', '“书香二院”党建集市展区。培训期间,我院被确定为现场观摩教学点。'],
    ['kinds of hospital, not names', '', '全市仅10家公立医院党组织获此殊荣。医院拿下全国百强中医院建设项目,是临沂市拥有重点专科数量最多的县级医院。'],
    ['a province’s hospital committee', '', '据贵州省医院党建工作指导委员会办公室2023年12月22日印发的有关通知,全省共评出2023年度“五好医院”5家。'],
  ])('none for %s', (_label, title, text) => {
    expect(hospitals(title, text).hospital).toBeNull();
  });

  it('a partner named in a 我院 title is not the subject', () => {
    const found = hospitals(
      '“豫哈携手 医心向党”:我院与哈密维吾尔医医院携手谱写党建共建新篇',
      '2024年8月27日上午,河南中医药大学第三附属医院和哈密维吾尔医医院共同开展党建共建活动。河南中医药大学第三附属医院推拿科一病区党支部与哈密市维吾尔医医院党支部签署了协议书。共建双方一同观看了河南中医药大学第三附属医院党建工作专题片。章晓冬代表河南中医药大学第三附属医院党政班子致辞欢迎。',
    );
    expect(found.hospital).toBe('河南中医药大学第三附属医院');
    expect(found.hospitals).toContain('哈密维吾尔医医院');
  });

  it('the employer of visiting guests is not the subject', () => {
    const found = hospitals(
      '浙江省政协副主席、民进省委会蔡修君主委莅临我院调研',
      '2月27日下午,浙江省政协副主席、民进省委会主委、浙江大学附属邵逸夫医院院长蔡修君,民进省委会专职副主委刘一等一行6人来我院开展新春走基层调研指导。民进衢州市人民医院支部成立于2003年,现有会员19名。',
    );
    expect(found.hospital).toBe('衢州市人民医院');
  });

  it('the hospital of the text’s own province beats a cooperation partner', () => {
    const found = hospitals(
      '【党建园地】优秀党建品牌案例展示七《党旗飘扬,乳此精彩》(乳腺外科党支部)',
      '第七期展示的是《党旗飘扬,乳此精彩》(创建基层党组织:中共山西省肿瘤医院乳腺外科支部委员会)。乳腺外科党支部与中国医学科学院肿瘤医院乳腺科建立战略合作伙伴关系,目前已与中国医学科学院肿瘤医院建立临床实验合作项目多项。外送9人到中国医学科学院肿瘤医院进修学习。医院地址 院本部:山西省太原市杏花岭区职工新村3号',
    );
    expect(found.hospital).toBe('山西省肿瘤医院');
  });
});

describe('canonicaliseHospital', () => {
  it.each([
    ['荆州一医', '荆州市第一人民医院', '湖北'],
    ['北医三院', '北京大学第三医院', '北京'],
    ['兰大一院', '兰州大学第一医院', '甘肃'],
    ['山西肿瘤医院', '山西省肿瘤医院', '山西'],
    ['四川省广元市妇幼保健院', '广元市妇幼保健院', '四川'],
    ['六盘水人民医院', '六盘水市人民医院', '贵州'],
    ['泰州市姜堰中医院', '泰州市姜堰中医院', '江苏'],
  ])('%s → %s', (given, name, province) => {
    const c = canonicaliseHospital(given);
    expect(c.name).toBe(name);
    expect(c.place?.province).toBe(province);
  });
});

describe('config/data/hospitals.json', () => {
  const table = loadHospitals();

  it('holds a broad table of real hospitals', () => {
    expect(table.length).toBeGreaterThan(300);
  });

  it('never gives one alias to two hospitals (ambiguous ones are context aliases)', () => {
    const owner = new Map<string, string>();
    for (const h of table) {
      for (const name of [h.name, ...h.aliases]) {
        expect(owner.get(name), `${name} is claimed by ${owner.get(name)} and ${h.name}`).toBeUndefined();
        owner.set(name, h.name);
      }
    }
  });

  it('places every hospital in a real province and city of the gazetteer', () => {
    for (const h of table) {
      expect(lookupPlace(h.province).some((u) => u.level === 'province'), `${h.name}: ${h.province}`).toBe(true);
      // Municipalities repeat the province as city.
      if (h.city !== null && h.city !== h.province) {
        const units = ['', '市', '州', '地区', '盟'].flatMap((suffix) => lookupPlace(`${h.city}${suffix}`));
        expect(units.some((u) => u.province === h.province && u.city === h.city), `${h.name}: ${h.city}`).toBe(true);
      }
    }
  });
});

describe('hospital names by their shape', () => {
  it.each([
    ['a township centre after its county', '近日,平阴县孔村镇中心卫生院党支部开展主题党日活动。孔村镇中心卫生院全体党员参加。', '平阴县孔村镇中心卫生院'],
    ['a township centre alone', '孔村镇中心卫生院党支部召开组织生活会,孔村镇中心卫生院院长主持。', '孔村镇中心卫生院'],
    ['a 乡卫生院 whose town name holds a generic character', '杨家乡卫生院党支部书记带领党员开展义诊,杨家乡卫生院全体职工参加。', '杨家乡卫生院'],
    ['a community health service centre after its district', '南京市鼓楼区湖南路街道社区卫生服务中心党支部开展主题党日活动。', '南京市鼓楼区湖南路街道社区卫生服务中心'],
    ['a community health service centre by its street', '湖南路街道社区卫生服务中心党支部组织党员学习,湖南路街道社区卫生服务中心主任讲党课。', '湖南路街道社区卫生服务中心'],
    ['a provincial medical centre', '近日,广东省妇女儿童医学中心党委召开专题会议。广东省妇女儿童医学中心全体党员参加。', '广东省妇女儿童医学中心'],
    ['a hospital group', '宁波市第一医院集团党委召开党建工作会议,医院集团各成员单位参加。', '宁波市第一医院集团'],
    ['a hospital’s medical group', '江苏省人民医院医疗集团党委召开会议,部署年度党建工作。', '江苏省人民医院医疗集团'],
    ['a regional name without a place (浙东)', '浙东医院党委召开党建工作推进会,浙东医院全体中层干部参加。', '浙东医院'],
    ['a regional name without a place (鲁西)', '鲁西医院党委书记讲专题党课,鲁西医院党员参加。', '鲁西医院'],
    ['a regional name with a type (粤北)', '粤北人民医院党委召开会议,粤北人民医院全体党员参加。', '粤北人民医院'],
    ['Traditional with glued pinyin', '瀋陽市第四人民醫(yī)院黨委召開會議,瀋陽市第四人民醫(yī)院全體黨員參加。', '沈阳市第四人民医院'],
    ['a university-affiliated full name containing a city hospital', '南京医科大学附属苏州市立医院党委召开会议,苏州市立医院全体党员参加。', '南京医科大学附属苏州市立医院'],
    ['a university-affiliated full name containing a tabled city hospital', '近日,山东第一医科大学附属潍坊市人民医院党委召开专题会议。潍坊市人民医院党员参加。', '山东第一医科大学附属潍坊市人民医院'],
    ['a medical university’s numbered hospital by its short form', '省审计厅、省卫健委与河北医大二院党支部开展联学共建。河北医大二院党委书记讲话,河北医大二院党员参加。', '河北医科大学第二医院'],
  ])('%s', (_label, text, expected) => {
    expect(hospitals('', text).hospital).toBe(expected);
  });

  it('the short name of a university-affiliated hospital is an alias of the full name', () => {
    const found = hospitals('', '南京医科大学附属苏州市立医院党委召开会议,苏州市立医院全体党员参加。苏州市立医院获评先进。');
    expect(found.hospitals).toEqual(['南京医科大学附属苏州市立医院']);
    expect(found.hospitalAliases).toContain('苏州市立医院');
    expect(found.place).toMatchObject({ province: '江苏', city: '苏州' });
  });

  it.each([
    ['campaign names', '医院党委召开清廉医院建设推进会,推进平安医院、智慧医院建设,打造美丽医院、健康医院。'],
    ['a campaign title with a scope word', '我院获评“全国平安医院”称号,全省平安医院创建工作推进会在我院召开。'],
    ['a campaign name after a place', '浙江省平安医院创建工作会议召开,各地推进清廉医院建设。'],
    ['kinds of township centres', '全县乡镇卫生院和社区卫生服务中心党组织书记参加培训。'],
  ])('never a hospital: %s', (_label, text) => {
    expect(hospitals('', text).hospital).toBeNull();
  });
});
