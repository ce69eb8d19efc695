/**
 * The kind of a hospital (综合, 中医, 妇幼, 儿童, 肿瘤, 精神, 口腔, 传染病,
 * 卫生院, 社区), read from its name with the marks in
 * config/data/hospital-kinds.json. Shared by the indexer (the document's
 * `hospitalKinds`, its facet and filter) and by queries that name a kind.
 */
import { loadHospitalKinds } from '../../config/data.js';
import { normaliseText } from './normalise.js';

/** The kind of one hospital name, or null when the name does not look like a hospital. */
export function classifyHospital(name: string): string | null {
  const text = normaliseText(name);
  if (text === '') return null;
  const { kinds, generalMarks } = loadHospitalKinds();
  // Marks are tried kind by kind in file order: 妇女儿童医院 is 妇幼 before it can be 儿童.
  for (const { kind, marks } of kinds) if (marks.some((mark) => text.includes(mark))) return kind;
  const general = kinds.find((k) => k.marks.length === 0)?.kind ?? null;
  return general !== null && generalMarks.some((mark) => text.includes(mark)) ? general : null;
}

/** The kinds of the hospitals an article is about, in the order of `hospitals`, each once. */
export function classifyHospitals(hospitals: readonly string[]): string[] {
  return [...new Set(hospitals.map(classifyHospital).filter((k): k is string => k !== null))];
}

/** The common names of a kind (中医 → 中医院, 中医医院, …), as written in hospital-kinds.json. */
export function namesOfHospitalKind(kind: string): readonly string[] {
  return loadHospitalKinds().kinds.find((k) => k.kind === kind)?.names ?? [];
}

/** The common names of the kinds of these hospitals, each once: what an article's metadata carries for its kinds. */
export function namesOfHospitalKinds(hospitals: readonly string[]): string[] {
  return [...new Set(classifyHospitals(hospitals).flatMap((kind) => namesOfHospitalKind(kind)))];
}

/** Every kind, in the order of the file (the facet's closed vocabulary). */
export function listHospitalKinds(): string[] {
  return loadHospitalKinds().kinds.map((k) => k.kind);
}
