/**
 * Highlights and snippets, rendered the same way for every engine from the
 * terms the engine says it matched.
 *
 * Marks are placed on the ORIGINAL Simplified text by substring search, not
 * on the segmented form: jieba's tokens are an indexing device (党建品牌 is
 * indexed as 党建 品牌 党建品牌) and mapping token offsets back to text is
 * both engine-specific and wrong whenever sub-words overlap. Cropping counts
 * characters, because Chinese has no spaces for a word-based crop (which is
 * what Meilisearch does) to work with.
 */

export interface SnippetOptions {
  /** Target length in characters (UTF-16 units, which is characters for CJK). */
  length?: number;
}

const defaultLength = 120;
const ellipsis = '…';
const sentenceEnd = /[。！？；!?;\n]/u;

interface Mark {
  start: number;
  end: number;
  term: number;
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (ch) => escapes[ch] ?? ch);
}

// Terms arrive lower-cased (the segmenter lower-cases Latin); only ASCII is
// folded here so that positions in the folded text equal positions in `text`.
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/gu, (ch) => ch.toLowerCase());
}

/**
 * Non-overlapping occurrences of the terms, longest term first: 荆州市第一人民医院
 * is marked whole rather than as 荆州 + 医院. Sorted by position.
 */
function findMarks(text: string, terms: readonly string[]): Mark[] {
  const unique = [...new Set(terms.map((t) => foldAscii(t.trim())).filter((t) => t !== ''))].sort(
    (a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  if (unique.length === 0 || text === '') return [];
  const folded = foldAscii(text);
  const covered = new Uint8Array(text.length);
  const marks: Mark[] = [];
  unique.forEach((term, termIndex) => {
    let from = 0;
    for (;;) {
      const at = folded.indexOf(term, from);
      if (at < 0) break;
      const end = at + term.length;
      let free = true;
      for (let i = at; i < end; i++) {
        if (covered[i] === 1) {
          free = false;
          break;
        }
      }
      if (free) {
        covered.fill(1, at, end);
        marks.push({ start: at, end, term: termIndex });
        from = end;
      } else {
        from = at + 1;
      }
    }
  });
  return marks.sort((a, b) => a.start - b.start);
}

function renderRange(text: string, marks: readonly Mark[], start: number, end: number): string {
  let out = '';
  let at = start;
  for (const mark of marks) {
    if (mark.start < start || mark.end > end) continue;
    out += escapeHtml(text.slice(at, mark.start));
    out += `<mark>${escapeHtml(text.slice(mark.start, mark.end))}</mark>`;
    at = mark.end;
  }
  out += escapeHtml(text.slice(at, end));
  return out;
}

/** The whole text, HTML-escaped, with `<mark>` around every matched term (for titles). */
export function highlight(text: string, terms: readonly string[]): string {
  return renderRange(text, findMarks(text, terms), 0, text.length);
}

/** The run of marks that fits in `length` characters with the most distinct terms, then the most marks. */
function findDensestCluster(marks: readonly Mark[], length: number): { start: number; end: number } | null {
  let best: { start: number; end: number; score: number } | null = null;
  for (let i = 0; i < marks.length; i++) {
    const first = marks[i]!;
    const terms = new Set<number>();
    let count = 0;
    let end = first.end;
    for (let j = i; j < marks.length; j++) {
      const mark = marks[j]!;
      if (mark.end - first.start > length) break;
      terms.add(mark.term);
      count++;
      end = mark.end;
    }
    const score = terms.size * 1000 + count;
    if (!best || score > best.score) best = { start: first.start, end, score };
  }
  return best && { start: best.start, end: best.end };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Moves a cut so it never falls between the halves of a surrogate pair. */
function alignToCodePoint(text: string, at: number): number {
  return at > 0 && at < text.length && isLowSurrogate(text.charCodeAt(at)) ? at - 1 : at;
}

/**
 * Chooses [start, end) of about `length` characters containing the cluster,
 * starting just after a sentence end when one lies before the cluster within
 * the spare room, and ending on a sentence end when that keeps most of the
 * length.
 */
function chooseWindow(text: string, cluster: { start: number; end: number }, length: number): { start: number; end: number } {
  const spare = Math.max(0, length - (cluster.end - cluster.start));
  // Context before the match: up to half the spare room, more if a sentence starts there.
  let start = Math.max(0, cluster.start - Math.floor(spare / 2));
  const earliest = Math.max(0, cluster.start - spare);
  for (let i = cluster.start - 1; i >= earliest; i--) {
    if (sentenceEnd.test(text[i] ?? '')) {
      start = i + 1;
      break;
    }
    if (i === 0) start = 0;
  }
  while (start < cluster.start && /\s/u.test(text[start] ?? '')) start++;

  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const minimumEnd = Math.max(cluster.end, start + Math.floor(length * 0.6));
    for (let i = end - 1; i >= minimumEnd; i--) {
      if (sentenceEnd.test(text[i] ?? '')) {
        end = text[i] === '\n' ? i : i + 1;
        break;
      }
    }
  }
  end = Math.max(end, cluster.end);
  return { start: alignToCodePoint(text, start), end: alignToCodePoint(text, end) };
}

/**
 * About `length` characters of `text` around its densest cluster of matched
 * terms, HTML-escaped, terms in `<mark>`, `…` where the text was cut. With no
 * terms, or none found, the start of the text.
 */
export function renderSnippet(text: string, terms: readonly string[], options: SnippetOptions = {}): string {
  const length = Math.max(10, options.length ?? defaultLength);
  const marks = findMarks(text, terms);
  if (text.length <= length) return renderRange(text, marks, 0, text.length);

  const cluster = findDensestCluster(marks, length) ?? { start: 0, end: 0 };
  let { start, end } = chooseWindow(text, cluster, length);
  // Never cut through a mark at either edge.
  for (const mark of marks) {
    if (mark.start < start && mark.end > start) start = mark.start;
    if (mark.start < end && mark.end > end) end = mark.end;
  }
  let out = renderRange(text, marks, start, end).replace(/^\s+|\s+$/gu, '');
  if (start > 0) out = ellipsis + out;
  if (end < text.length) out += ellipsis;
  return out;
}
