import { describe, expect, it } from 'vitest';
import { loadConcepts, loadHospitalKinds } from '../../config/data.js';
import { buildConceptExpansions } from '../../engine/analysis/concepts.js';
import { analyseQuery } from '../../engine/analysis/query.js';

/** The alternatives of the query's only clause, as the engines receive them. */
function alternativesOf(query: string): string[] {
  const clauses = analyseQuery(`${query} `).clauses;
  expect(clauses).toHaveLength(1);
  return clauses[0]!.alternatives.map((a) => a.text);
}

describe('concept expansions (pure)', () => {
  const built = buildConceptExpansions(
    {
      graded: [{ marker: '星级', grades: ['五星级', '三星级'], nouns: ['党支部', '党组织'] }],
      collectives: [{ term: '医联体', members: ['医共体', '专科联盟'] }],
      activityFamilies: [{ words: ['共建', '联建'], compounds: ['结对共建'] }],
    },
    { kinds: [{ kind: '肿瘤', marks: ['肿瘤'], names: ['肿瘤医院', '癌症中心'] }, { kind: '综合', marks: [], names: [] }], generalMarks: ['医院'] },
  );
  const oneWay = (term: string): string[] | undefined => built.oneWay.find((o) => o.term === term)?.alsoMatches;

  it.each([
    ['三星级党支部', ['三星级党组织']],
    ['星级党支部', ['星级党组织', '五星级党支部', '三星级党支部']],
    ['医联体', ['医共体', '专科联盟']],
    ['结对共建', ['共建', '联建']],
  ])('%s also finds %j, in that order', (term, expected) => {
    expect(oneWay(term)).toEqual(expected);
  });

  it('a grade finds the family and the other grades only in part, through the family', () => {
    expect(built.broader.find((b) => b.term === '三星级党支部')).toEqual({
      term: '三星级党支部',
      broaderForm: '星级党支部',
      broader: ['星级党支部', '星级党组织', '五星级党支部'],
    });
    expect(built.broader.find((b) => b.term === '星级党支部')).toBeUndefined();
  });

  it('a member never widens to its collective', () => {
    expect(oneWay('医共体')).toBeUndefined();
  });

  it('activity words and hospital-kind names are interchangeable groups; a kind without names adds none', () => {
    expect(built.groups).toEqual([
      ['共建', '联建'],
      ['肿瘤医院', '癌症中心'],
    ]);
  });
});

describe('concepts from config/data in the analysed query', () => {
  it.each([
    ['精神卫生中心', ['精神病医院', '康宁医院']],
    ['康宁医院', ['精神卫生中心', '精神病医院']],
    ['肿瘤医院', ['肿瘤防治中心', '癌症中心']],
    ['传染病医院', ['公共卫生临床中心']],
    ['医联体', ['医共体', '专科联盟', '城市医疗集团']],
    ['共建', ['联建', '结对', '联盟']],
    ['三星级党支部', ['三星级基层党组织', '三星级党组织']],
    ['民主党派', ['农工党', '九三学社']],
  ])('%s expands to include %j', (query, expected) => {
    const alternatives = alternativesOf(query);
    for (const form of expected) expect(alternatives).toContain(form);
  });

  it.each(['三星级党支部', '医联体', '精神卫生中心', '结对共建'])('the user’s own words come first (%s)', (query) => {
    expect(alternativesOf(query)[0]).toBe(query);
  });

  it('a grade finds the same grade exactly, and the family and the other grades as broader forms', () => {
    const clause = analyseQuery('三星级党支部 ').clauses[0]!;
    expect(clause.alternatives.map((a) => a.text)).not.toContain('星级党支部');
    expect(clause.broader?.form).toBe('星级党支部');
    const broader = clause.broader?.alternatives.map((a) => a.text) ?? [];
    for (const form of ['星级党支部', '五星级党支部', '四星级党支部']) expect(broader).toContain(form);
    expect(broader).not.toContain('三星级党支部');
    // The family itself is not graded: every grade is an exact match for it.
    expect(analyseQuery('星级党支部 ').clauses[0]?.broader).toBeUndefined();
    expect(alternativesOf('星级党支部')).toContain('三星级党支部');
  });

  it('a member of a collective does not expand to the collective', () => {
    expect(alternativesOf('专科联盟')).not.toContain('医联体');
  });

  it('the shipped files are valid and every kind is named once', () => {
    expect(loadConcepts().graded.length).toBeGreaterThan(0);
    const kinds = loadHospitalKinds().kinds.map((k) => k.kind);
    expect(kinds).toEqual(['口腔', '肿瘤', '精神', '传染病', '妇幼', '儿童', '中医', '卫生院', '社区', '综合']);
  });
});
