/**
 * Concepts from config/data (concepts.json, hospital-kinds.json) as query
 * expansions: the same two shapes synonyms.json has (groups of
 * interchangeable forms, one-way term → narrower forms), so they join the
 * synonym expansion in query.ts and the Meilisearch `synonyms` setting built
 * from it, and rank below the user's own words the same way; broader forms
 * (the other grades of an honour) are partial matches. Pure.
 */
import type { ConceptVocabulary, HospitalKindVocabulary, OneWaySynonym } from '../../config/data.js';

export interface ConceptExpansions {
  groups: string[][];
  oneWay: OneWaySynonym[];
  broader: BroaderExpansion[];
}

function unique(forms: readonly string[], except: string): string[] {
  return [...new Set(forms)].filter((f) => f !== except);
}

/**
 * A form that also finds broader forms as partial matches: an article that
 * has only those matches the query in part (`exact: false`). `broaderForm` is
 * the form whose own expansion is exactly `broader` plus the exact forms, so
 * an engine that expands by synonyms can ask for it (Meilisearch).
 */
export interface BroaderExpansion {
  term: string;
  broaderForm: string;
  broader: string[];
}

/**
 * Graded honours: a grade (三星级党支部) finds the same grade of the other
 * nouns exactly, and the family (星级党支部, the other nouns' families) and
 * the other grades only in part; the family finds every grade exactly.
 */
function expandGraded(graded: ConceptVocabulary['graded']): { oneWay: OneWaySynonym[]; broader: BroaderExpansion[] } {
  const oneWay: OneWaySynonym[] = [];
  const broader: BroaderExpansion[] = [];
  for (const { marker, grades, nouns } of graded) {
    const families = nouns.map((noun) => `${marker}${noun}`);
    for (const noun of nouns) {
      const family = `${marker}${noun}`;
      const gradeForms = grades.map((grade) => `${grade}${noun}`);
      const familyFinds = unique([...families, ...gradeForms], family);
      oneWay.push({ term: family, alsoMatches: familyFinds });
      for (const grade of grades) {
        const term = `${grade}${noun}`;
        const sameGrade = unique(nouns.map((n) => `${grade}${n}`), term);
        oneWay.push({ term, alsoMatches: sameGrade });
        broader.push({ term, broaderForm: family, broader: [family, ...familyFinds].filter((f) => f !== term && !sameGrade.includes(f)) });
      }
    }
  }
  return { oneWay, broader };
}

export function buildConceptExpansions(concepts: ConceptVocabulary, kinds: HospitalKindVocabulary): ConceptExpansions {
  const groups: string[][] = [];
  const graded = expandGraded(concepts.graded);
  const oneWay: OneWaySynonym[] = graded.oneWay;
  for (const { term, members } of concepts.collectives) oneWay.push({ term, alsoMatches: unique(members, term) });
  for (const { words, compounds } of concepts.activityFamilies) {
    groups.push([...new Set(words)]);
    for (const compound of compounds) oneWay.push({ term: compound, alsoMatches: unique(words, compound) });
  }
  for (const { names } of kinds.kinds) if (names.length >= 2) groups.push([...new Set(names)]);
  return { groups, oneWay, broader: graded.broader };
}
