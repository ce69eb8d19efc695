import { describe, expect, it } from 'vitest';
import { normaliseText } from '../../engine/analysis/normalise.js';
import { extractDates, parseChineseNumber, parseDate } from '../../indexer/steps/extract-date.js';

function dates(fullText: string, url: string | null = null, title = ''): ReturnType<typeof extractDates> {
  const text = normaliseText(fullText);
  return extractDates({ title, body: text, fullText: text, url });
}

describe('publishedAt', () => {
  it.each([
    ['labelled with time', '2023年度四川省公立医院“标杆党支部”揭晓\n来源:中国网 时间:2024-06-28 08:57:04 编辑:钟晓岚 点击:\n日前,四川省委组织部…', '2024-06-28'],
    ['bracketed newspaper date', '——潍坊市妇幼保健院党建工作纪实\n(2024年07月02日) 来源:潍坊日报\n放大 缩小 默认', '2024-07-02'],
    ['发布时间 with minutes', '喜讯!我院党委被命名为全市公立医院党建工作示范点\n供稿:未知 编辑:蒙阴县人民医院 阅读:次\n发布时间:2022-08-22 10:14 浏览次数:', '2022-08-22'],
    ['slashes', '党群园地\n发布时间:2022/03/21\n来源:广东省中医院官微', '2022-03-21'],
    ['更新时间 with seconds', '作者:段蓓 来源:党办 阅读: 更新时间:2024/11/30 10:31:28\n为深入学习贯彻党的二十大…', '2024-11-30'],
    ['Chinese date with 日', '院党委领航凝合力 同心奋进获殊荣\n发布时间:2025年12月30日 浏览:\n日前,农工党四川省委…', '2025-12-30'],
    ['Traditional labels', '來源: 黨辦室 趙雯 張宇發佈日期: 2021-07-01\n在中國共產黨成立100週年到來之際', '2021-07-01'],
    ['date line under the title', '喜讯!中山一院荣获“全国公立医院党建示范医院”\n\n2024-03-13 09:50:21 中山一院\n\n日前,全国医院党建工作指导委员会…', '2024-03-13'],
    ['newspaper credit', '发展大会现场通过网络与北京北医三院党委连线。\n本报记者 李 航摄\n《 人民日报 》( 2020年02月26日 02 版)', '2020-02-26'],
    ['signature closing a notice', '全院党员干部职工要恪尽职守、奋勇拼搏,为我院各项工作再创辉煌而不懈努力!\n2012年2月23日', '2012-02-23'],
    ['footer neighbour as last resort', '诚如该院院长李茂坤所言…\n来源:荆州日报\n上一篇 2023年9月14日 上午8:54\n下一篇 2023年9月14日 上午9:04', '2023-09-14'],
  ])('%s', (_label, text, expected) => {
    expect(dates(text).publishedAt).toBe(expected);
  });

  it.each([
    ['an e-paper reader shows today', '数字报阅读器\n2026-01-15\n星期四\n当前报刊:襄阳日报\n\n日期:02-29\n日前,全国医院党建工作指导委员会发布通报'],
    ['a date with weekday is chrome', '2025年04月23日星期三\n北京天坛医院荣获北京市卫生局2010年度落实党建工作责任制优秀奖'],
    ['the date of an event in the body', '2018年1月25日上午,我院外科第二党支部和惠民县委办公室第二党支部共同开展“主题党日”活动,活动分理论学习和义诊服务两个环节。'],
    ['a date without year', '日期:02-29\n字体:\n版次:07 时政'],
  ])('none when %s', (_label, text) => {
    expect(dates(text).publishedAt).toBeNull();
  });

  it('falls back to a dated URL', () => {
    expect(dates('日前,全国医院党建工作指导委员会通报表扬了2023年度培育选树的党建示范医院。', 'https://news.boxin-daily.example/content/2024/03/13/33694.shtml').publishedAt).toBe('2024-03-13');
    expect(dates('8月14日,一场联学共建活动在我院正定院区举行。', 'https://www.linmei-hospital.example/info/298/34252.htm').publishedAt).toBeNull();
  });

  it.each([
    ['2024/7/2', '2024-07-02'],
    ['2024年07月02日 09:45', '2024-07-02'],
    ['2023.09.22', '2023-09-22'],
    ['2024-02-30', null],
    ['07-02', null],
  ])('parseDate(%s)', (value, expected) => {
    expect(parseDate(value)).toBe(expected);
  });
});

describe('year', () => {
  it.each([
    ['the publication date', '来源:中国网 时间:2024-06-28 08:57:04\n日前,广元市妇幼保健院妇女保健党支部荣获2023年度四川省公立医院“标杆党支部”称号', null, 2024],
    ['建党98周年', '日前,江寧高新區召開大會,慶祝中國共產黨建黨98週年並進行總結表彰,對轄區內“星級”基層黨組織和年度優秀黨員予以集中表彰。', null, 2019],
    ['建党九十周年 in Chinese numerals', '全程导医网讯:建党九十周年前夕,在江苏省卫生系统开展的创先争优活动中,徐州市儿童医院党委被评为“江苏省卫生系统先进基层党组织”。', null, 2011],
    ['成立103周年 of the Party', '今年是中国共产党成立103周年。连日来,三亚市卫生健康系统各级党组织…', null, 2024],
    ['ahead of the 19th congress', '接下来,医院党委还将组织干部职工登录互联网参观网上展馆,以良好氛围迎接党的十九大胜利召开。', null, 2017],
    ['a plenum being held', '时值党的二十届四中全会胜利召开,又逢深化医药卫生体制改革纵深推进的关键节点。', null, 2025],
    ['the 2019 theme education', '为扎实推进“不忘初心、牢记使命”主题教育,7月25日下午,天津医院党委书记、院长马新龙带领院领导班子成员参观档案文献展。', null, 2019],
    ['an article opening with its event month', '2022年11月,,浙江省衛(wèi)健委印發(fā)了《關(guān)于公布浙江省衛(wèi)生健康系統(tǒng)先鋒黨支部選樹名單的通知》', null, 2022],
    ['an article opening with a full date', '為持續深化黨史學習教育,2021年11月10日下午,福州市中醫院第七黨支部成員走進福建省博物院。', null, 2021],
    ['a garbled opening date', '为推动党史学习教育走深走实,20211229日,医院医技第一党支部与泸州市卫生健康委机关第一党支部共同举办共建党日活动。', null, 2021],
    ['a year in the URL path', '2008年,市妇保院党委认真领会、全面贯彻党的十七大精神。', 'http://www.meihong-info.example/a/2008/3581.html', 2008],
  ])('%s', (_label, text, url, expected) => {
    expect(dates(text, url).year).toBe(expected);
  });

  it.each([
    ['only the history of the hospital is dated', '贵州省人民医院是一所三级甲等大型综合医院,自建院起58年间,为全省人民健康事业作出了重要贡献。2002年4月,医院组建了新一届领导班子,2004年荣膺“全国纪检监察工作先进集体”。'],
    ['a department founded long ago', '日前,全国医院党建工作指导委员会发布通报,襄阳市第一人民医院康复医学科党支部成功入选。康复医学科2015年单独建科,现开放床位150张。'],
    ['no date at all', '太和医院坚持用党建统揽改革发展全局,凝聚人心、汇聚力量,在守正中求创新。'],
  ])('none when %s', (_label, text) => {
    expect(dates(text).year).toBeNull();
  });

  it('a given publication date wins and sets the year', () => {
    const text = normaliseText('发布时间:2022-08-22 10:14\n8月9日,我院党建工作再迎喜讯');
    expect(extractDates({ title: '', body: text, fullText: text, url: null }, '2021/7/1')).toEqual({
      publishedAt: '2021-07-01',
      year: 2021,
      yearSource: 'published',
    });
  });

  it.each([
    ['召开2023年度党建工作会议', '1月18日,医院党委召开2023年度党建工作会议暨党风廉政建设工作会议,总结工作,部署任务。', 2023],
    ['获评 + year of the honour', '近日,好消息传来,我院心血管内科党支部获评2024年全省卫生健康系统“样板党支部”。', 2024],
    ['a 年度 honour', '日前,县委组织部下发通报,县人民医院党总支被表彰为2019年度“先进基层党组织”。', 2019],
    ['the latest of several 年度 years', '继2021年度获评之后,我院党委再次被评为2022年度全市“五好党组织”。', 2022],
    ['新中国成立70周年', '为庆祝新中国成立70周年,医院党委举办“我和我的祖国”歌咏比赛,各支部踊跃参加。', 2019],
    ['中华人民共和国成立七十五周年 in Chinese numerals', '在庆祝中华人民共和国成立七十五周年之际,医院党委组织开展主题党日活动。', 2024],
    ['改革开放40周年', '在纪念改革开放40周年之际,我院党委组织党员干部参观成就展。', 2018],
    ['抗战胜利80周年', '为纪念中国人民抗日战争胜利80周年,医院党委开展“铭记历史”主题教育。', 2025],
    ['建院60周年 with the founding year in the text', '医院始建于1958年,是一所三级甲等综合医院。在建院60周年之际,医院党委举办院史展。', 2018],
  ])('inferred: %s', (_label, text, expected) => {
    expect(dates(text)).toEqual({ publishedAt: null, year: expected, yearSource: 'inferred' });
  });

  it('a title taken from the opening sentence leaves the opening year in place', () => {
    const text = '2021年是我市争创第七届全国文明城市全面启动之年,医院党委积极行动。';
    expect(dates(text, null, '2021年是我市争创第七届全国文明城市全面启动之年')).toMatchObject({ year: 2021, yearSource: 'inferred' });
  });

  it('a year from the publication date or the URL is published; none is null', () => {
    expect(dates('发布时间:2022-08-22 10:14\n我院党委召开2021年度组织生活会').yearSource).toBe('published');
    expect(dates('市妇保院党委认真领会党的十七大精神。', 'http://www.meihong-info.example/a/2008/3581.html')).toMatchObject({ year: 2008, yearSource: 'published' });
    expect(dates('太和医院坚持用党建统揽改革发展全局。')).toEqual({ publishedAt: null, year: null, yearSource: null });
  });

  it.each([
    ['a year before the verb is history', '医院2004年荣膺“全国纪检监察工作先进集体”,多年来坚持党建引领。'],
    ['建院60周年 without a founding year', '在建院60周年之际,医院党委举办院史展,回顾发展历程。'],
  ])('not inferred: %s', (_label, text) => {
    expect(dates(text).year).toBeNull();
  });

  it.each([
    ['九十八', 98],
    ['一百零三', 103],
    ['百', 100],
    ['103', 103],
    ['九十', 90],
  ])('parseChineseNumber(%s)', (text, n) => {
    expect(parseChineseNumber(text)).toBe(n);
  });
});
