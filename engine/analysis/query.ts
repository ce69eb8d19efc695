/**
 * Query analysis shared by every engine: the user's text goes through the same
 * normaliser and segmenter as documents, is split into clauses (all must
 * match), and each clause is expanded with aliases and synonyms (any may
 * match). Engines translate this structure into their own syntax; user text
 * never reaches an engine as syntax.
 */
import { loadHospitals, loadStopwords, loadSynonymGroups } from '../../config/data.js';
import { normaliseText } from './normalise.js';
import { segmentWords } from './segment.js';

export interface QueryAlternative {
  /** Normalised surface form, as it would appear in the article text. */
  text: string;
  /** `text` segmented; several tokens must appear together. */
  tokens: string[];
}

export interface QueryClause {
  /** Normalised text of the clause as the user wrote it. */
  text: string;
  /** Any one alternative satisfies the clause (the user's form, then aliases/synonyms). */
  alternatives: QueryAlternative[];
  /** The user quoted it: the text must occur contiguously. */
  phrase: boolean;
  /** As-you-type: the last token of the last clause may be the start of a longer word. */
  prefix: boolean;
}

export interface AnalysedQuery {
  raw: string;
  normalised: string;
  clauses: QueryClause[];
  /** Every form worth highlighting, longest first (alternatives and their tokens). */
  highlightTerms: string[];
}

interface Expansion {
  forms: string[];
}

let expansionIndex: Map<string, Expansion> | undefined;

/** form → all interchangeable forms (itself first), from hospitals.json aliases and synonyms.json. */
function getExpansions(): Map<string, Expansion> {
  if (expansionIndex) return expansionIndex;
  const index = new Map<string, Expansion>();
  const add = (group: string[]): void => {
    const forms = [...new Set(group.map((f) => normaliseText(f)).filter((f) => f !== ''))];
    for (const form of forms) {
      const existing = index.get(form);
      const merged = existing ? [...new Set([...existing.forms, ...forms])] : forms;
      index.set(form, { forms: [form, ...merged.filter((f) => f !== form)] });
    }
  };
  for (const h of loadHospitals()) add([h.name, ...h.aliases]);
  for (const group of loadSynonymGroups()) add(group);
  expansionIndex = index;
  return index;
}

/** Longest expansion forms first, so 荆州市第一人民医院 wins over a shorter form inside it. */
let formsByLength: string[] | undefined;
function getFormsByLength(): string[] {
  formsByLength ??= [...getExpansions().keys()].sort((a, b) => b.length - a.length);
  return formsByLength;
}

function alternative(text: string): QueryAlternative {
  return { text, tokens: segmentWords(text) };
}

/**
 * Split an unquoted chunk into clauses: known forms (aliases, synonyms) become
 * one clause with all their forms; the rest becomes one clause per word.
 */
function clausesOfChunk(chunk: string, stopwords: Set<string>): QueryClause[] {
  const out: QueryClause[] = [];
  let rest = chunk;
  const pieces: Array<{ text: string; known: boolean }> = [];
  while (rest !== '') {
    let earliest: { at: number; form: string } | undefined;
    for (const form of getFormsByLength()) {
      const at = rest.indexOf(form);
      if (at >= 0 && (earliest === undefined || at < earliest.at)) earliest = { at, form };
    }
    if (!earliest) {
      pieces.push({ text: rest, known: false });
      break;
    }
    if (earliest.at > 0) pieces.push({ text: rest.slice(0, earliest.at), known: false });
    pieces.push({ text: earliest.form, known: true });
    rest = rest.slice(earliest.at + earliest.form.length);
  }
  for (const piece of pieces) {
    if (piece.known) {
      const forms = getExpansions().get(piece.text)?.forms ?? [piece.text];
      out.push({ text: piece.text, alternatives: forms.map(alternative), phrase: false, prefix: false });
      continue;
    }
    for (const token of segmentWords(piece.text)) {
      if (stopwords.has(token)) continue;
      out.push({ text: token, alternatives: [{ text: token, tokens: [token] }], phrase: false, prefix: false });
    }
  }
  return out;
}

/** Quoted parts become phrase clauses; the rest is split on whitespace and punctuation. */
export function analyseQuery(raw: string): AnalysedQuery {
  const stopwords = loadStopwords();
  // Quotes are found before normalisation; straight, curly and CJK corner quotes all count.
  const parts: Array<{ text: string; quoted: boolean }> = [];
  const quoteRe = /["“”「」『』]([^"“”「」『』]*)["“”「」『』]?/gu;
  let last = 0;
  for (const m of raw.matchAll(quoteRe)) {
    if (m.index > last) parts.push({ text: raw.slice(last, m.index), quoted: false });
    parts.push({ text: m[1] ?? '', quoted: true });
    last = m.index + m[0].length;
  }
  if (last < raw.length) parts.push({ text: raw.slice(last), quoted: false });

  const clauses: QueryClause[] = [];
  for (const part of parts) {
    const text = normaliseText(part.text);
    if (text === '') continue;
    if (part.quoted) {
      const tokens = segmentWords(text);
      if (tokens.length === 0) continue;
      clauses.push({ text, alternatives: [{ text, tokens }], phrase: true, prefix: false });
      continue;
    }
    for (const chunk of text.split(/[\s,，、。；;：:！!？?()（）《》【】[\]]+/u)) {
      if (chunk !== '') clauses.push(...clausesOfChunk(chunk, stopwords));
    }
  }

  // A query made only of stopwords still searches for them.
  if (clauses.length === 0) {
    for (const token of segmentWords(normaliseText(raw))) {
      clauses.push({ text: token, alternatives: [{ text: token, tokens: [token] }], phrase: false, prefix: false });
    }
  }

  // As-you-type: the last clause's last token may be incomplete, unless the
  // user has finished it with a space or closed a quote.
  const lastClause = clauses.at(-1);
  const typingLastWord = raw !== '' && !/[\s"”」』]$/u.test(raw);
  if (lastClause && typingLastWord && !lastClause.phrase && lastClause.alternatives.length === 1) {
    lastClause.prefix = true;
  }

  const terms = new Set<string>();
  for (const clause of clauses) {
    for (const alt of clause.alternatives) {
      terms.add(alt.text);
      for (const t of alt.tokens) terms.add(t);
    }
  }
  const highlightTerms = [...terms].filter((t) => t !== '').sort((a, b) => b.length - a.length);
  return { raw, normalised: normaliseText(raw), clauses, highlightTerms };
}

/** True when the query has nothing to search for (empty or punctuation only). */
export function isEmptyQuery(query: AnalysedQuery): boolean {
  return query.clauses.length === 0;
}
