import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseQuery, type AnalysedQuery, type QueryClause } from '../../engine/analysis/query.js';
import { alternativesAddingRows, buildFtsQuery, buildKeywordQuery, quoteFtsString } from '../../engine/sqlite/fts-query.js';
import { ftsTableOptions } from '../../engine/sqlite/schema.js';

interface ClauseSpec {
  alternatives: string[][];
  phrase?: boolean;
  prefix?: boolean;
}

function makeQuery(specs: ClauseSpec[]): AnalysedQuery {
  const clauses: QueryClause[] = specs.map((spec) => ({
    text: (spec.alternatives[0] ?? []).join(''),
    alternatives: spec.alternatives.map((tokens) => ({ text: tokens.join(''), tokens })),
    phrase: spec.phrase ?? false,
    prefix: spec.prefix ?? false,
  }));
  return { raw: '', normalised: '', clauses, highlightTerms: [] };
}

describe('quoteFtsString', () => {
  it.each([
    ['党建', '"党建"'],
    ['a"b', '"a""b"'],
    ['""', '""""""'],
    ['\\', '"\\"'],
  ])('%s → %s', (token, expected) => {
    expect(quoteFtsString(token)).toBe(expected);
  });
});

describe('buildFtsQuery', () => {
  it.each<[string, ClauseSpec[], string | null]>([
    ['one word', [{ alternatives: [['党建']] }], '"党建"'],
    ['all clauses must match', [{ alternatives: [['党建']] }, { alternatives: [['引领']] }], '"党建" AND "引领"'],
    [
      'aliases are alternatives of one clause',
      [{ alternatives: [['荆州一医'], ['荆州市第一人民医院']] }],
      '("荆州一医" OR "荆州市第一人民医院")',
    ],
    [
      'a multi-word alternative stays together',
      [{ alternatives: [['卫健委'], ['卫生', '健康', '委员会']] }],
      '("卫健委" OR NEAR("卫生" "健康" "委员会", 4))',
    ],
    ['the last word as you type is a prefix', [{ alternatives: [['党建']] }, { alternatives: [['品'], []], prefix: true }], '"党建" AND "品"*'],
    ['a quoted phrase', [{ alternatives: [['先锋', '党支部']], phrase: true }], 'NEAR("先锋" "党支部", 3)'],
    ['nothing searchable', [{ alternatives: [['，'], ['']] }], null],
  ])('%s', (_name, specs, expected) => {
    expect(buildFtsQuery(makeQuery(specs)).strict).toBe(expected);
  });

  it('relaxes to any clause only when there are several', () => {
    expect(buildFtsQuery(makeQuery([{ alternatives: [['党建']] }])).relaxed).toBeNull();
    expect(buildFtsQuery(makeQuery([{ alternatives: [['党建']] }, { alternatives: [['火星']] }])).relaxed).toBe(
      '"党建" OR "火星"',
    );
  });

  it('drops an unsearchable clause instead of letting it match nothing', () => {
    const plan = buildFtsQuery(makeQuery([{ alternatives: [['党建']] }, { alternatives: [['！？']] }]));
    expect(plan.strict).toBe('"党建"');
    expect(plan.clauses).toEqual(['"党建"']);
  });

  it('records quoted clauses of several words as texts that must occur contiguously', () => {
    const plan = buildFtsQuery(
      makeQuery([
        { alternatives: [['先锋', '党支部']], phrase: true },
        { alternatives: [['主题党日']], phrase: true },
        { alternatives: [['浙江']] },
      ]),
    );
    expect(plan.phraseTexts).toEqual(['先锋党支部']);
    expect(plan.clausePhrases).toEqual(['先锋党支部', null, null]);
  });

  it('builds the exact-query and original-form bonus queries', () => {
    const plan = buildFtsQuery(makeQuery([{ alternatives: [['卫健委'], ['卫生健康委员会']] }, { alternatives: [['通知']] }]));
    expect(plan.original).toBe('"卫健委" AND "通知"');
    expect(plan.exactText).toBe('卫健委通知');
    expect(plan.clauseForms).toEqual([['卫健委', '卫生健康委员会'], ['通知']]);
  });

  it.each([
    ['黨建品牌', /党建品牌/u],
    ['荆州一医', /"荆州一医" OR "荆州市第一人民医院"/u],
    ['卫健委', /"卫生健康委员会"/u],
  ])('%s analysed and built → %s', (raw, pattern) => {
    expect(buildFtsQuery(analyseQuery(raw)).strict).toMatch(pattern);
  });
});

describe('buildKeywordQuery', () => {
  it('searches any keyword in the article text columns only', () => {
    expect(
      buildKeywordQuery([
        { text: '双带头人', tokens: ['双带头人'] },
        { text: 'x"y', tokens: ['x"y'] },
      ]),
    ).toBe('{title_tokens body_tokens} : ("双带头人" OR "x""y")');
  });

  it('is null without keywords', () => {
    expect(buildKeywordQuery([])).toBeNull();
  });
});

describe('hostile input against a real FTS5 table', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE fts USING fts5(title_tokens, body_tokens, meta_tokens, ${ftsTableOptions})`);
  const insert = db.prepare('INSERT INTO fts (rowid, title_tokens, body_tokens, meta_tokens) VALUES (?, ?, ?, ?)');
  const rows: Array<[number, string, string, string]> = [
    [1, '党建 品牌 党建品牌', '医院 党委 召开 会议', '山东'],
    [2, '先锋 党支部', '浙江 医院 AND OR NOT', '浙江'],
    [3, '年度 总结', 'title_tokens 医院 near', '山西'],
  ];
  for (const row of rows) insert.run(...row);
  const match = db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid').pluck();
  afterAll(() => db.close());

  const hostile = [
    '"',
    '""',
    'a"b',
    '" OR "医院',
    '医院" OR "党建',
    '\\',
    '\\"',
    'AND',
    'OR',
    'NOT',
    'NEAR',
    'NEAR(医院',
    '*',
    '党*',
    '^党建',
    ':',
    'title_tokens:党建',
    'title_tokens : 医院',
    '{title_tokens body_tokens}:医院',
    '(',
    ')',
    '医院)',
    '- 医院',
    '+',
    'rank MATCH',
    "'; DROP TABLE fts; --",
  ];

  // What unicode61 makes of a string: its runs of letters and digits, lower-cased.
  const wordsOf = (text: string): string[] => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);
  const containsSequence = (haystack: string[], needle: string[]): boolean =>
    needle.length > 0 &&
    haystack.some((_, i) => needle.every((word, j) => haystack[i + j] === word));

  it.each(hostile)('%j as a token matches exactly the rows holding its words in order', (token) => {
    const plan = buildFtsQuery(makeQuery([{ alternatives: [[token]] }]));
    const expected = rows
      .filter(([, ...columns]) => columns.some((column) => containsSequence(wordsOf(column), wordsOf(token))))
      .map(([row]) => row);
    // Operators, column names and punctuation in the token are inert: only its words count.
    expect(plan.strict === null ? [] : match.all(plan.strict)).toEqual(expected);
  });

  it.each(hostile)('%j as the prefix of an as-you-type query never throws', (token) => {
    const plan = buildFtsQuery(makeQuery([{ alternatives: [['医院']] }, { alternatives: [[token]], prefix: true }]));
    expect(() => match.all(plan.strict ?? '"医院"')).not.toThrow();
  });

  it.each(hostile)('%j typed by a user goes through analysis and never throws', (raw) => {
    const plan = buildFtsQuery(analyseQuery(raw));
    for (const expression of [plan.strict, plan.relaxed, plan.original, ...plan.clauses]) {
      if (expression !== null) expect(() => match.all(expression)).not.toThrow();
    }
  });

  it('treats operator words as plain tokens', () => {
    expect(match.all(buildFtsQuery(makeQuery([{ alternatives: [['AND']] }])).strict)).toEqual([2]);
    expect(match.all(buildFtsQuery(makeQuery([{ alternatives: [['near']] }])).strict)).toEqual([3]);
  });

  it('does not let a column name in the text act as a column filter', () => {
    // As a filter, title_tokens:医院 would match nothing (no title says 医院);
    // as text it is the tokens "title" and "医院", which row 3 has in its body.
    expect(match.all(buildFtsQuery(makeQuery([{ alternatives: [['title_tokens:医院']] }])).strict)).toEqual([3]);
  });

  it('finds a word by its prefix as you type', () => {
    expect(match.all(buildFtsQuery(makeQuery([{ alternatives: [['党建品']], prefix: true }])).strict)).toEqual([1]);
  });

  it('keeps a multi-word alternative together', () => {
    const plan = buildFtsQuery(makeQuery([{ alternatives: [['先锋', '党支部']] }]));
    expect(match.all(plan.strict)).toEqual([2]);
  });
});

describe('alternativesAddingRows', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE fts USING fts5(title_tokens, body_tokens, meta_tokens, ${ftsTableOptions})`);
  const insert = db.prepare('INSERT INTO fts (rowid, title_tokens, body_tokens, meta_tokens) VALUES (?, ?, ?, ?)');
  const texts = ['入党 宣誓', '宣誓 入党 仪式', '入党积极分子 培训', '预备党员 宣誓', '不忘初心 牢记使命', '不忘初心牢记使命', '党员 宣誓词'];
  texts.forEach((text, i) => insert.run(i + 1, '', text, ''));
  const match = db.prepare('SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid').pluck();
  afterAll(() => db.close());
  const rowsOf = (alternatives: readonly (readonly string[])[], prefix: boolean): number[] => {
    const expression = buildFtsQuery(makeQuery([{ alternatives: alternatives.map((a) => [...a]), prefix }])).strict ?? '';
    return match.all(expression) as number[];
  };
  const union = (alternatives: readonly (readonly string[])[], prefix: boolean): number[] =>
    [...new Set(alternatives.flatMap((a) => rowsOf([a], prefix)))].sort((a, b) => a - b);

  it.each([
    { alternatives: [['入党'], ['入党', '宣誓'], ['预备党员']], kept: [['入党'], ['预备党员']] },
    { alternatives: [['宣誓'], ['入党', '宣誓']], kept: [['宣誓']] },
    { alternatives: [['不忘初心牢记使命'], ['不忘初心', '牢记使命']], kept: [['不忘初心牢记使命'], ['不忘初心', '牢记使命']] },
    { alternatives: [['党员', '宣誓'], ['入党', '宣誓']], kept: [['党员', '宣誓'], ['入党', '宣誓']] },
  ])('keeps $kept of $alternatives, which list the same rows as the whole clause', ({ alternatives, kept }) => {
    expect(alternativesAddingRows(alternatives)).toEqual(kept);
    for (const prefix of [false, true]) {
      expect(union(kept, prefix), `prefix ${prefix}`).toEqual(rowsOf(alternatives, prefix));
      expect(rowsOf(alternatives, prefix).length).toBeGreaterThan(0);
    }
  });
});
