/**
 * Query analysis shared by every engine: the user's text goes through the same
 * normaliser and segmenter as documents, is split into clauses (all must
 * match), and each clause is expanded with aliases and synonyms (any may
 * match). Engines translate this structure into their own syntax; user text
 * never reaches an engine as syntax.
 */
import { loadConcepts, loadHospitalKinds, loadHospitals, loadOneWaySynonyms, loadStopwords, loadSynonymGroups } from '../../config/data.js';
import { buildConceptExpansions } from './concepts.js';
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
  /**
   * Broader forms (the other grades of an honour) that satisfy the clause
   * only in part: an article with nothing but these is a partial match.
   * `form` expands to them as `alternatives` do to the clause (concepts.ts).
   */
  broader?: { form: string; alternatives: QueryAlternative[] };
}

export interface AnalysedQuery {
  raw: string;
  normalised: string;
  clauses: QueryClause[];
  /** Every form worth highlighting, longest first (alternatives and their tokens). */
  highlightTerms: string[];
}

/**
 * At most this many clauses are searched; the rest of a longer query is
 * ignored, as Meilisearch considers only a query's first ten words. Every
 * clause is one more pass over its words' position lists, so without a cap
 * a pasted paragraph costs seconds on a long article.
 */
export const maxQueryClauses = 10;

let expansionIndex: Map<string, string[]> | undefined;
let broaderIndex: Map<string, { form: string; forms: string[] }> | undefined;

/** Forget the expansion tables after the synonyms changed at run time; they are rebuilt on next use. */
export function resetExpansions(): void {
  expansionIndex = undefined;
  broaderIndex = undefined;
  formsByFirstToken = undefined;
}

/**
 * form → every form a query for it should also find (itself first): hospital
 * aliases and synonym groups both ways, one-way expansions from their term
 * only; concepts (concepts.ts) after them, in the same two shapes. Shared
 * with the Meilisearch settings so both engines expand alike.
 */
export function getExpansions(): ReadonlyMap<string, readonly string[]> {
  if (expansionIndex) return expansionIndex;
  const index = new Map<string, string[]>();
  const add = (form: string, others: readonly string[]): void => {
    const existing = index.get(form) ?? [form];
    index.set(form, [...new Set([...existing, ...others])]);
  };
  const addGroup = (group: readonly string[]): void => {
    const forms = [...new Set(group.map((f) => normaliseText(f)).filter((f) => f !== ''))];
    for (const form of forms) add(form, forms);
  };
  for (const h of loadHospitals()) addGroup([h.name, ...h.aliases]);
  for (const group of loadSynonymGroups()) addGroup(group);
  const concepts = buildConceptExpansions(loadConcepts(), loadHospitalKinds());
  for (const group of concepts.groups) addGroup(group);
  for (const { term, alsoMatches } of [...loadOneWaySynonyms(), ...concepts.oneWay]) {
    const from = normaliseText(term);
    if (from !== '') add(from, alsoMatches.map((f) => normaliseText(f)).filter((f) => f !== ''));
  }
  expansionIndex = index;
  return index;
}

/** form → the broader form and forms that match a query for it only in part (graded honours). */
export function getBroaderExpansions(): ReadonlyMap<string, { form: string; forms: string[] }> {
  if (broaderIndex) return broaderIndex;
  const index = new Map<string, { form: string; forms: string[] }>();
  for (const { term, broaderForm, broader } of buildConceptExpansions(loadConcepts(), loadHospitalKinds()).broader) {
    const exact = new Set(getExpansions().get(normaliseText(term)) ?? []);
    const forms = [...new Set(broader.map((f) => normaliseText(f)))].filter((f) => f !== '' && !exact.has(f));
    if (forms.length > 0) index.set(normaliseText(term), { form: normaliseText(broaderForm), forms });
  }
  broaderIndex = index;
  return index;
}

/** Known forms as token sequences, keyed by their first token, longest first. */
let formsByFirstToken: Map<string, Array<{ form: string; tokens: string[] }>> | undefined;
function getFormsByFirstToken(): Map<string, Array<{ form: string; tokens: string[] }>> {
  if (formsByFirstToken) return formsByFirstToken;
  const index = new Map<string, Array<{ form: string; tokens: string[] }>>();
  for (const form of getExpansions().keys()) {
    const tokens = segmentWords(form);
    const first = tokens[0];
    if (first === undefined) continue;
    const list = index.get(first) ?? [];
    list.push({ form, tokens });
    index.set(first, list);
  }
  for (const list of index.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  formsByFirstToken = index;
  return index;
}

function alternative(text: string): QueryAlternative {
  return { text, tokens: segmentWords(text) };
}

/**
 * Split an unquoted chunk into clauses: its words, where a run of words that
 * spells a known form (alias, synonym) becomes one clause with all its forms.
 * Forms are matched on word boundaries, so 党建 inside the word 党建引领 is
 * not expanded on its own.
 */
function clausesOfChunk(chunk: string, stopwords: Set<string>): QueryClause[] {
  const out: QueryClause[] = [];
  const tokens = segmentWords(chunk);
  const forms = getFormsByFirstToken();
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    const known = forms
      .get(token)
      ?.find((f) => f.tokens.every((t, j) => tokens[i + j] === t));
    if (known) {
      const expansions = getExpansions().get(known.form) ?? [known.form];
      const clause: QueryClause = { text: known.form, alternatives: expansions.map(alternative), phrase: false, prefix: false };
      const broader = getBroaderExpansions().get(known.form);
      if (broader) clause.broader = { form: broader.form, alternatives: broader.forms.map(alternative) };
      out.push(clause);
      i += known.tokens.length;
      continue;
    }
    if (!stopwords.has(token)) {
      out.push({ text: token, alternatives: [{ text: token, tokens: [token] }], phrase: false, prefix: false });
    }
    i++;
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

  dedupeAndCap(clauses);

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
    // A broader form is marked whole: its words alone (党支部) are not what was asked for.
    for (const alt of clause.broader?.alternatives ?? []) terms.add(alt.text);
  }
  const highlightTerms = [...terms].filter((t) => t !== '').sort((a, b) => b.length - a.length);
  return { raw, normalised: normaliseText(raw), clauses, highlightTerms };
}

/**
 * Repeating a word adds nothing to what must match (党 党 党 is 党), but each
 * copy would be matched and scored again; only the first of each is kept,
 * then the first `maxQueryClauses`.
 */
function dedupeAndCap(clauses: QueryClause[]): void {
  const seen = new Set<string>();
  const kept = clauses.filter((clause) => {
    const key = `${clause.phrase ? 'p' : 'w'}\u0000${clause.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  clauses.splice(0, clauses.length, ...kept.slice(0, maxQueryClauses));
}

/** True when the query has nothing to search for (empty or punctuation only). */
export function isEmptyQuery(query: AnalysedQuery): boolean {
  return query.clauses.length === 0;
}
