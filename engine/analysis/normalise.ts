/**
 * The one text normaliser shared by documents and queries: whatever is done to
 * an article here is done to a query too, so both meet in the same form.
 *
 * Order matters: width and whitespace are normalised first, because full-width
 * letters (（ｗｅｉ４）), zero-width characters and double spaces otherwise hide
 * glued pinyin from the stripper on the first pass and expose it on the second
 * (normalisation must be idempotent). Glued pinyin is stripped before
 * Traditional → Simplified (it would otherwise survive conversion and split
 * words); punctuation is repaired last.
 */
import type { Script } from '../document.js';
import { detectScript, toSimplified } from './to-simplified.js';

// A pinyin syllable as scrapers glue it: lowercase letters, at least one tone
// mark or a trailing tone digit, e.g. wèi, guān, xīnwén, wei4. Requiring a tone
// keeps real Latin in brackets (MDT, DIP, covid) untouched.
const toned = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü';
const syllables = `(?:[a-z${toned}]*[${toned}][a-z${toned}]*|[a-z]+[1-5])(?:\\s?(?:[a-z${toned}]*[${toned}][a-z${toned}]*|[a-z]+[1-5]))*`;
// Supplementary ideographs (U+20000 up, including the compatibility block
// U+2F800) count too: opencc maps some of them onto BMP characters, and pinyin
// glued after one would otherwise survive the first pass and fall on the second.
const gluedPinyin = new RegExp(
  `([\\u3400-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}])(?:[(（]${syllables}[)）])+`,
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

function prepareForConversion(text: string): string {
  return stripGluedPinyin(normaliseWhitespace(toHalfWidthAlnum(text)));
}

const maxConversionPasses = 4;

/**
 * opencc's tables are not closed under their own output (著於 → 著于, yet a lone
 * 著 → 着), so converting converted text can change it again. Normalisation must
 * be idempotent, so the output is converted until it stops changing. Text that
 * the first pass leaves alone (most Simplified input) costs nothing extra.
 */
function convertUntilStable(text: string, firstPass: string): string {
  let previous = text;
  let current = firstPass;
  for (let pass = 1; current !== previous && pass < maxConversionPasses; pass++) {
    previous = current;
    current = toSimplified(current);
  }
  return current;
}

export function normaliseText(text: string): string {
  const prepared = prepareForConversion(text);
  return repairPunctuation(convertUntilStable(prepared, toSimplified(prepared)));
}

/**
 * normaliseText plus the script the text was written in, sharing the
 * Traditional → Simplified conversion (the costliest step) between both.
 */
export function normaliseWithScript(text: string): { text: string; originalScript: Script } {
  const prepared = prepareForConversion(text);
  const simplified = toSimplified(prepared);
  return {
    text: repairPunctuation(convertUntilStable(prepared, simplified)),
    originalScript: detectScript(prepared, simplified),
  };
}
