/**
 * The parsers of what SQLite's group_concat hands over: a search's rows and
 * bm25 scores arrive as one string each, and a misread row would put the
 * wrong article on the page.
 */
import { describe, expect, it } from 'vitest';
import { parseRowList, parseScores } from '../../engine/sqlite/row-lists.js';

describe('parseRowList', () => {
  it.each([
    [null, []],
    ['', []],
    ['7', [7]],
    ['1,5,9', [1, 5, 9]],
    ['0,10,131071', [0, 10, 131071]],
  ])('%j → %j', (text, rows) => {
    expect([...parseRowList(text)]).toEqual(rows);
  });
});

describe('parseScores', () => {
  it.each([
    { text: null, rows: [], scores: {} },
    { text: '', rows: [], scores: {} },
    { text: '3:1500', rows: [3], scores: { 3: 1.5 } },
    // Rows keep SQLite's order; a zero or negative score is still a match.
    { text: '9:250,2:0,5:-125', rows: [9, 2, 5], scores: { 9: 0.25, 2: 0, 5: -0.125 } },
    { text: '0:1,15:12345678', rows: [0, 15], scores: { 0: 0.001, 15: 12345.678 } },
    // A row past the capacity (written after the columns were sized) is left out.
    { text: '1:1000,40:2000', rows: [1], scores: { 1: 1 } },
  ])('$text', ({ text, rows, scores }) => {
    const parsed = parseScores(text, 32);
    expect([...parsed.rows]).toEqual(rows);
    expect(parsed.scores).toHaveLength(32);
    const nonZero = Object.fromEntries([...parsed.scores].flatMap((score, row) => (score !== 0 ? [[row, score]] : [])));
    expect(nonZero).toEqual(Object.fromEntries(Object.entries(scores).filter(([, score]) => score !== 0)));
  });
});
