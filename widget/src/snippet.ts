/**
 * The API sends snippets as HTML-escaped text whose only markup is <mark>.
 * We still never hand that string to innerHTML: a server bug or an article
 * that slipped through unescaped must not become script on a hospital's site.
 * Only the exact tags <mark> and </mark> are honoured; everything else,
 * including anything that looks like a tag, ends up in a text node.
 */

export interface SnippetPart {
  text: string;
  marked: boolean;
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decode the entities an HTML escaper produces; unknown ones stay literal. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      // Lone surrogates and out-of-range values would throw or render as garbage.
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

/** Split an API snippet into plain and highlighted runs of decoded text. */
export function parseSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let marked = false;
  for (const piece of snippet.split(/(<\/?mark>)/i)) {
    const tag = piece.toLowerCase();
    if (tag === '<mark>') marked = true;
    else if (tag === '</mark>') marked = false;
    else if (piece !== '') {
      const text = decodeEntities(piece);
      const last = parts[parts.length - 1];
      if (last && last.marked === marked) last.text += text;
      else parts.push({ text, marked });
    }
  }
  return parts;
}

/**
 * The runs with their text passed through `convert` (the script conversion of
 * zh-TW/zh-HK boxes). The whole text is converted at once, since a phrase can
 * straddle a highlight (<mark>头</mark>发 is 頭髮, not 頭發), and cut back
 * into the same runs; should a conversion change the length, which would move
 * the highlights, each run is converted on its own instead.
 */
export function convertParts(parts: SnippetPart[], convert: (text: string) => string): SnippetPart[] {
  const whole = [...convert(parts.map((part) => part.text).join(''))];
  const lengths = parts.map((part) => [...part.text].length);
  if (whole.length !== lengths.reduce((sum, length) => sum + length, 0)) {
    return parts.map((part) => ({ text: convert(part.text), marked: part.marked }));
  }
  let start = 0;
  return parts.map((part, index) => {
    const end = start + (lengths[index] ?? 0);
    const text = whole.slice(start, end).join('');
    start = end;
    return { text, marked: part.marked };
  });
}

/** Text nodes and <mark> elements only: the one way article text reaches the DOM. */
export function renderSnippet(doc: Document, snippet: string, convert?: (text: string) => string): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  const parts = parseSnippet(snippet);
  for (const part of convert ? convertParts(parts, convert) : parts) {
    if (part.marked) {
      const mark = doc.createElement('mark');
      mark.textContent = part.text;
      fragment.append(mark);
    } else {
      fragment.append(doc.createTextNode(part.text));
    }
  }
  return fragment;
}
