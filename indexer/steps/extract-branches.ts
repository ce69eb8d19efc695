/**
 * Party branches named in the text, verbatim as the label convention writes
 * them: the branch's own name without the hospital in front
 * (广元市妇幼保健院妇女保健党支部 → 妇女保健党支部), unless the hospital is the
 * whole name (夏河县人民医院党支部). Honours shaped like branches (标杆党支部),
 * generic mentions (各党支部, 2个党支部, 学习型党支部), Youth League branches
 * (团支部) and democratic-party branches (农工党…支部) are not branches.
 */
import { loadAwardVocabulary } from '../../config/data.js';

export interface BranchInput {
  title: string;
  body: string;
  /** Hospital names as written in the text, stripped off the front of branch names. */
  hospitalNames?: readonly string[];
}

const vocab = loadAwardVocabulary();

const branchWord = /(?:党支部|支部)/gu;
// 与 and 及 stay inside names (呼吸与危重症医学科, 检验及输血科); 和 separates branches.
const stopChars = new Set([...'的了在和或并为是到赴对向由将把被从于也都等让给同跟经以获评授派往去至又还即就已我该本其这那各每共率携约近任兼召、，,。；;：:！？!?（）()“”"‘’《》【】[]|/\\ \n\t']);
// Verbs in front of a branch name (成立临时党支部, 走进基层党支部, 带领行政党支部): the name starts after them.
const leadingVerb = /^.*(?:成立|组建|建立|设立|召开|开展|举行|举办|组织|参加|参观|走进|走访|带领|联合|共同|签署|来到|前往|深入|围绕|依托|发挥|打造|强化|加强|增强|提升|提高|推进|推动|引导|建强|规范|建设|作为|担任|隶属|下设|获评|荣获|入选|指导|督导|考核|表彰|对接|结对|共建|慰问|所谓|纳入|融入|展现出?|夯实|设置|代表|凝聚|联系|简称|今后|此次|首个|第一个|一个|两个|多个|每个|问一问|要求|希望|落实|切实|贯彻|充分|不断|持续|积极|全面|深化|完善|健全|坚持|按照|根据|通过|利用|实现|促进|确保|做好|抓好|抓实|压实|推行|实行|执行|明确|选派|派出|协助|解决|支持|帮助|鼓励|号召|动员|带动|激励|\d+个)/u;
// 呼吸与危重症医学科 is one department; 副书记刘欣民与临时党支部 is two parties.
const conjoined = /^(.*)[与](.{2,})$/u;
// A bare 支部 (without 党) must be named like a department or numbered: 临床三支部, 学生支部, 门诊支部.
const bareBranchName = /(?:[一二三四五六七八九十\d]|科|室|处|区|组|中心|门诊|行政|后勤|学生|教工|离退休|退休|医技|临床|护理|医护|诊断|机关)$/u;
const nameChar = /[\u3400-\u9fff0-9A-Za-z]/u;
const qualifier = new RegExp(vocab.qualifiers.join('|'), 'u');
const democraticParty = new RegExp([...vocab.democraticParties, '民主党派'].join('|'), 'u');
const genericName = /^(?:[一二两三四五六七八九十\d]+个?|[\d]+|个|所在|所属|基层|临床科室|科室|医院|院|机关|全院|全体|各级|下属|相关|部分|多个|若干|新|老|本|该|各|直属|公立医院|公立|学科|教师|在职|退休干部|离退休干部)$/u;
const adjectiveName = /(?:型|式|化|性|级|个|名|家|批|类)$/u;
const hospitalTail = /^(.{2,}?(?:医院|卫生院|保健院))(.{2,})$/u;
const leadingOrgans = /^(?:中共|我院|本院|该院|我校|本校|院|校党委|医院)/u;
const upperUnit = /^.*(?:党总支|总支|党委|支部)(?=.{2,}$)/u;
const leadingConjunction = /^[与及和]/u;

function stripPrefixes(name: string, hospitalNames: readonly string[]): string {
  let out = name;
  for (let i = 0; i < 4; i++) {
    const before = out;
    out = out.replace(leadingVerb, '').replace(leadingOrgans, '').replace(leadingConjunction, '');
    const pair = conjoined.exec(out);
    if (pair && !((pair[1] as string).length <= 3 && /科$/u.test(pair[2] as string))) out = pair[2] as string;
    // A branch under a general branch or committee: 第六党总支第四党支部 → 第四党支部.
    out = out.replace(upperUnit, '');
    for (const h of hospitalNames) {
      if (h.length >= 3 && out.startsWith(h) && out.length - h.length >= 2) out = out.slice(h.length);
    }
    // An unknown hospital in front (…第966医院西部帮建医疗队临时): drop it when it reads like a hospital name.
    const tail = hospitalTail.exec(out);
    if (tail && (tail[1] as string).length >= 6) out = tail[2] as string;
    if (out === before) break;
  }
  return out;
}

export function extractPartyBranches(input: BranchInput): string[] {
  const text = `${input.title}\n${input.body}`;
  const hospitalNames = [...new Set(input.hospitalNames ?? [])].sort((a, b) => b.length - a.length);
  const out: string[] = [];
  for (const m of text.matchAll(branchWord)) {
    const word = m[0];
    const at = m.index;
    const before = text[at - 1] ?? '';
    // 团支部, 党总支部 and the 支部 inside 党支部 are not bare branches.
    if (word === '支部' && /[党团总]/u.test(before)) continue;
    if (text.startsWith('委员会', at + word.length)) continue;
    let start = at;
    while (start > 0 && at - start < 30 && nameChar.test(text[start - 1] as string) && !stopChars.has(text[start - 1] as string)) start--;
    const context = text.slice(Math.max(0, start - 12), at);
    if (democraticParty.test(context)) continue;
    const raw = text.slice(start, at);
    const name = stripPrefixes(raw, hospitalNames);
    if (name.length < 2 || genericName.test(name) || adjectiveName.test(name) || qualifier.test(name)) continue;
    if (/^\d+$/u.test(name) || /^[A-Za-z]/u.test(name)) continue;
    // A bare 支部 needs a department-like or numbered name (临床三支部, 学生支部), never a lone qualifier.
    if (word === '支部' && (name.length > 8 || !bareBranchName.test(name))) continue;
    const branch = `${name}${word}`;
    if (!out.includes(branch)) out.push(branch);
  }
  return out;
}
