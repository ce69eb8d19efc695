/**
 * Concepts from config/data (concepts.json, hospital-kinds.json) as query
 * expansions: the same two shapes synonyms.json has (groups of
 * interchangeable forms, one-way term → narrower forms), so they join the
 * synonym expansion in query.ts and the Meilisearch `synonyms` setting built
 * from it, and rank below the user's own words the same way. Pure.
 */
import type { ConceptVocabulary, HospitalKindVocabulary, OneWaySynonym } from '../../config/data.js';

export interface ConceptExpansions {
  groups: string[][];
  oneWay: OneWaySynonym[];
}

function unique(forms: readonly string[], except: string): string[] {
  return [...new Set(forms)].filter((f) => f !== except);
}

/**
 * Graded honours: a grade (三星级党支部) also finds the same grade of the other
 * nouns, then the family (星级党支部), then the other grades, in that order;
 * the family finds every grade.
 */
function expandGraded(graded: ConceptVocabulary['graded']): OneWaySynonym[] {
  const out: OneWaySynonym[] = [];
  for (const { marker, grades, nouns } of graded) {
    const families = nouns.map((noun) => `${marker}${noun}`);
    for (const noun of nouns) {
      const family = `${marker}${noun}`;
      const gradeForms = grades.map((grade) => `${grade}${noun}`);
      out.push({ term: family, alsoMatches: unique([...families, ...gradeForms], family) });
      for (const grade of grades) {
        const term = `${grade}${noun}`;
        const sameGrade = nouns.map((n) => `${grade}${n}`);
        out.push({ term, alsoMatches: unique([...sameGrade, family, ...families, ...gradeForms], term) });
      }
    }
  }
  return out;
}

export function buildConceptExpansions(concepts: ConceptVocabulary, kinds: HospitalKindVocabulary): ConceptExpansions {
  const groups: string[][] = [];
  const oneWay: OneWaySynonym[] = expandGraded(concepts.graded);
  for (const { term, members } of concepts.collectives) oneWay.push({ term, alsoMatches: unique(members, term) });
  for (const { words, compounds } of concepts.activityFamilies) {
    groups.push([...new Set(words)]);
    for (const compound of compounds) oneWay.push({ term: compound, alsoMatches: unique(words, compound) });
  }
  for (const { names } of kinds.kinds) if (names.length >= 2) groups.push([...new Set(names)]);
  return { groups, oneWay };
}
