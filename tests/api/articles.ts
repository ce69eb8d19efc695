/** Generated articles for write-path tests: distinct URLs and wording, so each is its own article. */
const hospitals = ['滨江县人民医院', '清河市中医院', '东湖区妇幼保健院', '南山县第二人民医院', '西岭市肿瘤医院', '北塘县中心医院'];
const projects = ['无人机急救', '流动诊疗车', '健康小屋', '家庭医生签约', '远程会诊', '义诊进社区', '慢病随访', '互联网医院'];

export interface GeneratedArticle {
  url: string;
  title: string;
  text: string;
  publishedAt: string;
  source: string;
}

export function makeArticle(i: number): GeneratedArticle {
  const hospital = hospitals[i % hospitals.length] ?? '滨江县人民医院';
  const project = projects[Math.floor(i / hospitals.length) % projects.length] ?? '健康小屋';
  const month = (i % 12) + 1;
  return {
    url: `https://www.example-hospital-${i}.example/news/2024/${String(month).padStart(2, '0')}${i}.html`,
    title: `${hospital}“党建+${project}”项目第${i}期启动`,
    text: [
      `${hospital}党委开展“党建+${project}”创新项目第${i}期。`,
      `2024年${month}月，医院第${(i % 9) + 1}党支部联合相关科室，服务群众${100 + i * 7}人次，打通服务“最后一公里”。`,
      `党员突击队坚持每周开展活动，累计服务${i * 13 + 50}批次，受到群众好评。编号${i}。`,
      '医院党委书记表示，将继续深化党建与业务融合，打造特色党建品牌。',
    ].join('\n'),
    publishedAt: `2024-${String(month).padStart(2, '0')}-15`,
    source: `${hospital}党委办公室`,
  };
}
