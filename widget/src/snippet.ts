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
 * Text nodes and <mark> elements only: the one way article text reaches the DOM.
 * `convert` rewrites each run's text (the script conversion of zh-TW/zh-HK
 * boxes); runs are converted apart so the highlights stay on the same words.
 */
export function renderSnippet(doc: Document, snippet: string, convert: (text: string) => string = (text) => text): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const part of parseSnippet(snippet)) {
    if (part.marked) {
      const mark = doc.createElement('mark');
      mark.textContent = convert(part.text);
      fragment.append(mark);
    } else {
      fragment.append(doc.createTextNode(convert(part.text)));
    }
  }
  return fragment;
}
