import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { computeFingerprint } from '../../indexer/steps/near-duplicates.js';
import { containsTextSql } from '../../engine/sqlite/read-context.js';
import {
  bodyPattern,
  decodeBody,
  decodeFingerprint,
  encodeBody,
  encodeFingerprint,
  foldAscii,
  registerTextFunctions,
} from '../../engine/sqlite/stored-text.js';

describe('stored body', () => {
  it.each([
    ['Chinese text', '医院党委召开党建工作推进会。\n全体党员参加。'],
    ['Latin, digits and emoji', 'COVID-19 疫情防控 3.5% 🚩'],
    ['a character outside the BMP', '𠀀𪚥党建'],
    ['nothing', ''],
  ])('gives back %s exactly, in fewer bytes than UTF-8 when Chinese', (_, text) => {
    const stored = encodeBody(text);
    expect(decodeBody(stored)).toBe(text);
    if (/^[\u4e00-\u9fff。\n]+$/u.test(text)) expect(stored.length).toBeLessThan(Buffer.byteLength(text));
  });

  it('reads a body stored as text by an older layout', () => {
    expect(decodeBody('旧版正文')).toBe('旧版正文');
  });
});

describe('stored fingerprint', () => {
  const body = '为深入推进清廉医院建设，医院党委召开党风廉政建设工作会议，全面部署年度重点任务，要求各党支部压实责任。';
  it.each([
    ['with a hospital', computeFingerprint(body, '荆州市第一人民医院')],
    ['without a hospital', computeFingerprint(body)],
    ['a hospital only', computeFingerprint('短文', '荆州市第一人民医院')],
    ['nothing', ''],
  ])('packs a real fingerprint %s and gives it back exactly', (_, fingerprint) => {
    const stored = encodeFingerprint(fingerprint);
    expect(decodeFingerprint(stored)).toBe(fingerprint);
    if (fingerprint.length > 20) expect(stored.length).toBeLessThan(fingerprint.length * 0.6);
  });

  it.each([
    ['a leading zero', 'a0 0f'],
    ['upper case', 'ABC 10'],
    ['two spaces', 'a0  b0'],
    ['more than 32 bits', '123456789'],
    ['a short hospital key', '@abc a0'],
    ['free text', 'fp-1'],
  ])('keeps a string with %s as text, since it would not pack back the same', (_, fingerprint) => {
    const stored = encodeFingerprint(fingerprint);
    expect(stored).toBe(fingerprint);
    expect(decodeFingerprint(stored)).toBe(fingerprint);
  });
});

describe('phrase check on a stored body', () => {
  const db = new Database(':memory:');
  registerTextFunctions(db);
  db.exec('CREATE TABLE docs (doc INTEGER PRIMARY KEY, title TEXT, body BLOB)');
  afterAll(() => db.close());
  const contains = (title: string, body: string, phrase: string): boolean => {
    db.prepare('DELETE FROM docs').run();
    db.prepare('INSERT INTO docs VALUES (1, ?, ?)').run(title, encodeBody(body));
    const sql = `SELECT count(*) FROM docs WHERE ${containsTextSql('docs', '@p')}`;
    return db.prepare(sql).pluck().get({ p: phrase, p_body: bodyPattern(phrase), p_folded: foldAscii(phrase) }) === 1;
  };
  // The UTF-16LE bytes of 党建引领 (5A 51 FA 5E 15 5F 86 98) one byte off a
  // character boundary: the halves of U+5A00 U+FA51 U+155E U+865F U+4E98.
  const offBoundary = '\u5a00\ufa51\u155e\u865f\u4e98';

  it.each([
    ['in the body', '标题', '坚持党建引领发展', '党建引领', true],
    ['in the title', '党建引领发展', '正文', '党建引领', true],
    ['across a line break and a space', '标题', '坚持党建\n引 领发展', '党建引领', true],
    ['in other ASCII case', '标题', '推进 PDCA 循环', 'pdca循环', true],
    ['split by punctuation', '标题', '党建，引领', '党建引领', false],
    ['only as bytes off a character boundary', '标题', `${offBoundary}党建，引领`, '党建引领', false],
    ['off a boundary first, then for real', '标题', `${offBoundary}坚持党建引领`, '党建引领', true],
  ])('finds a phrase %s: %s', (_, title, body, phrase, expected) => {
    expect(contains(title, body, phrase)).toBe(expected);
  });
});
