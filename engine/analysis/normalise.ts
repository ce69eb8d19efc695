/**
 * The one text normaliser shared by documents and queries: whatever is done to
 * an article here is done to a query too, so both meet in the same form.
 *
 * Order matters: glued pinyin is stripped first (it would otherwise survive
 * conversion and split words), then Traditional → Simplified, then width,
 * whitespace and punctuation repairs.
 */
import { toSimplified } from './to-simplified.js';

// A pinyin syllable as scrapers glue it: lowercase letters, at least one tone
// mark or a trailing tone digit, e.g. wèi, guān, xīnwén, wei4. Requiring a tone
// keeps real Latin in brackets (MDT, DIP, covid) untouched.
const toned = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü';
const syllables = `(?:[a-z${toned}]*[${toned}][a-z${toned}]*|[a-z]+[1-5])(?:\\s?(?:[a-z${toned}]*[${toned}][a-z${toned}]*|[a-z]+[1-5]))*`;
const gluedPinyin = new RegExp(
  `([\\u3400-\\u9fff\\uf900-\\ufaff])(?:[(（]${syllables}[)）])+`,
  'gu',
);

export function stripGluedPinyin(text: string): string {
  return text.replace(gluedPinyin, '$1');
}

/** Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) to half-width; CJK punctuation is kept. */
export function toHalfWidthAlnum(text: string): string {
  return text.replace(/[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]/gu, (ch) =>
    String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

const punct = ',，、。；;：:！!？?';

const commaAfterPunct = new RegExp(`([${punct}])[,，]+`, 'gu');
const commaBeforePunct = new RegExp(`[,，]+([、。；;：:！!？?])`, 'gu');

/** Scraped pages double their commas: `,,` `，，` `。,` `,、`. */
export function repairPunctuation(text: string): string {
  return text.replace(commaAfterPunct, '$1').replace(commaBeforePunct, '$1');
}

/**
 * Line breaks to `\n`, exotic spaces to ASCII, runs of spaces to one, lines
 * trimmed and runs of blank lines collapsed to a single paragraph break.
 */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/gu, '\n')
    .replace(/[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]/gu, ' ')
    .replace(/[\u200b-\u200d\u2060]/gu, '')
    .replace(/ {2,}/gu, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

export function normaliseText(text: string): string {
  let out = stripGluedPinyin(text);
  out = toSimplified(out);
  out = toHalfWidthAlnum(out);
  out = normaliseWhitespace(out);
  out = repairPunctuation(out);
  return out;
}
