/**
 * Traditional → Simplified conversion and script detection.
 *
 * Conversion runs after glued pinyin is stripped (see normalise.ts) and before
 * segmentation: jieba's dictionary is Simplified, so unconverted Traditional
 * text falls apart into single characters and never matches a query.
 *
 * The chains are OpenCC's own (t2s, tw2s, hk2s from opencc-js's tables, plus
 * the TSCharactersExt table opencc-js leaves out), run in ONE pass over a
 * segmentation by OpenCC's phrase table. Converting converted text again, as
 * chaining two converters does, loses the phrase context (畢昇 → 毕昇, then a
 * lone 昇 → 升). Names are protected inside that same segmentation: a place
 * or hospital name (see protected-names.ts) is one segment whose Simplified
 * form is written out as it is, so 乾安县 never becomes 干安县.
 */
import { Trie, type DictGroup, type DictLike } from 'opencc-js/core';
import { configs } from 'opencc-js/preset';
import { loadTraditionalExtCharacters } from '../../config/data.js';
import type { Script } from '../document.js';
import { loadProtectedNames } from './protected-names.js';

/**
 * Which Traditional standard the text follows: `t` (OpenCC's standard
 * Traditional), `tw` (Taiwan), `hk` (Hong Kong), or `auto`, what documents and
 * queries use: their region is unknown, so the Taiwan and Hong Kong variant
 * forms are both folded (裡, 綫, 衞), with Taiwan's phrase rules (著力 → 着力).
 */
export type TraditionalVariant = 'auto' | 't' | 'tw' | 'hk';

type Config = { normalizationChain?: DictGroup[]; conversionChain: readonly DictGroup[] };
function chainOf(name: string): readonly DictGroup[] {
  const config = configs[name] as Config | undefined;
  if (!config) throw new Error(`opencc-js has no ${name} configuration`);
  return config.conversionChain;
}
function stage(name: string, index: number): DictGroup {
  const group = chainOf(name)[index];
  if (!group) throw new Error(`opencc-js ${name} has no conversion stage ${index}`);
  return group;
}

function entries(dict: DictLike): Array<readonly [string, string]> {
  if (typeof dict !== 'string') return [...dict];
  const out: Array<readonly [string, string]> = [];
  for (const entry of dict.split('|')) {
    const at = entry.indexOf(' ');
    if (at > 0) out.push([entry.slice(0, at), entry.slice(at + 1)]);
  }
  return out;
}

function trieOf(group: DictGroup): Trie {
  const trie = new Trie();
  trie.loadDictGroup(group);
  return trie;
}

// Built on first use: the tables cost ~100 ms and tens of MB, and most
// processes that import this module (tests, tools) never convert anything.
interface Tables {
  normalise: Trie;
  /** OpenCC's segmentation (TSPhrases) plus protected names, whose values start with `protectedMark`. */
  segments: Trie;
  traditionalToSimplified: Trie;
  variants: Record<Exclude<TraditionalVariant, 't'>, Trie>;
  traditionalOnly: Set<string>;
  /** Characters that convert on their own yet are Simplified characters too (乾, 昇, 於). */
  dualUse: Set<string>;
  /**
   * The two sets by UTF-16 unit, for the BMP characters nearly every text is
   * made of: every article is scanned for them, and a table read per unit
   * costs a fraction of a one-character string and a set lookup per character.
   */
  classOfUnit: Uint8Array;
}

const traditionalOnlyClass = 1;
const dualUseClass = 2;

function unitClasses(traditionalOnly: ReadonlySet<string>, dualUse: ReadonlySet<string>): Uint8Array {
  const classes = new Uint8Array(65536);
  for (const ch of traditionalOnly) if (ch.length === 1) classes[ch.charCodeAt(0)]! |= traditionalOnlyClass;
  for (const ch of dualUse) if (ch.length === 1) classes[ch.charCodeAt(0)]! |= dualUseClass;
  return classes;
}

/** Whether `text` holds a character of `cls`: BMP characters from the table, the others from their set. */
function hasCharacterOf(text: string, cls: number, astral: ReadonlySet<string>, classes: Uint8Array): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      if (astral.has(text.slice(i, i + 2))) return true;
      i++;
    } else if ((classes[unit]! & cls) !== 0) {
      return true;
    }
  }
  return false;
}

const protectedMark = '\u0000';
let tables: Tables | undefined;

function tsGroup(): DictGroup {
  const [phrases, characters] = stage('t2s', 0);
  if (phrases === undefined || characters === undefined) throw new Error('unexpected opencc-js t2s layout');
  // Upstream order: phrases, then the extension table, then characters.
  return [phrases, loadTraditionalExtCharacters(), characters];
}

function buildTables(): Tables {
  const ts = tsGroup();
  const [twPhrases, twChars] = stage('tw2s', 0);
  const [hkPhrases, hkChars] = stage('hk2s', 0);
  if (!twPhrases || !twChars || !hkPhrases || !hkChars) throw new Error('unexpected opencc-js tw2s/hk2s layout');
  // In `auto` a lone 么 is the Simplified 么 (什么, 怎么) far more often than
  // Taiwan's form of 幺, which is what TWVariantsRev reads it as.
  const twCharsAuto = entries(twChars).filter(([from]) => from !== '么');
  const normalisation = (configs['t2s'] as Config).normalizationChain ?? [];
  const normalise = new Trie();
  for (const group of normalisation) normalise.loadDictGroup(group);

  const traditionalToSimplified = trieOf(ts);
  const variants = {
    tw: trieOf([twPhrases, twChars]),
    hk: trieOf([hkPhrases, hkChars]),
    auto: trieOf([twPhrases, hkPhrases, twCharsAuto, hkChars]),
  };
  const segments = trieOf([ts[0] as DictLike]);
  const { traditionalOnly, dualUse } = classifyCharacters(ts, [twPhrases, twChars, hkPhrases, hkChars], variants.auto, traditionalToSimplified);
  const classOfUnit = unitClasses(traditionalOnly, dualUse);
  const built: Tables = { normalise, segments, traditionalToSimplified, variants, traditionalOnly, dualUse, classOfUnit };
  tables = built;
  protectNames(built);
  return built;
}

/**
 * Characters that exist only in Traditional writing: converting them alone
 * changes them, and OpenCC's phrase tables do not keep them in Simplified
 * text. 乾 (乾隆, 乾安县), 昇 (毕昇) and 於 (a surname) are kept by many
 * phrases, so they are Simplified characters too and do not by themselves make
 * a text Traditional. A character kept by a single phrase is not enough
 * (不可貲計 keeps 計, an everyday Traditional character).
 */
function classifyCharacters(
  ts: DictGroup,
  variantGroups: DictGroup,
  variant: Trie,
  trie: Trie,
): { traditionalOnly: Set<string>; dualUse: Set<string> } {
  const convertChar = (ch: string): string => trie.convert(variant.convert(ch));
  // What a phrase finally becomes: TSPhrases entries are final, a variant
  // phrase (著名 → 著名 in Taiwan's table) still goes through t2s.
  const keptBy = new Map<string, number>();
  const countKept = (from: string, finalForm: string): void => {
    const a = [...from];
    const b = [...finalForm];
    if (a.length < 2 || a.length !== b.length) return;
    a.forEach((ch, i) => {
      if (b[i] === ch) keptBy.set(ch, (keptBy.get(ch) ?? 0) + 1);
    });
  };
  for (const dict of ts) for (const [from, to] of entries(dict)) countKept(from, to);
  for (const dict of variantGroups) for (const [from, to] of entries(dict)) countKept(from, trie.convert(to));
  const traditionalOnly = new Set<string>();
  const dualUse = new Set<string>();
  for (const dict of [...ts, ...variantGroups]) {
    for (const [from] of entries(dict)) {
      if ([...from].length !== 1 || convertChar(from) === from) continue;
      ((keptBy.get(from) ?? 0) >= 2 ? dualUse : traditionalOnly).add(from);
    }
  }
  return { traditionalOnly, dualUse };
}

function convertRun(run: string, variant: TraditionalVariant, t: Tables): string {
  const variantTrie = variant === 't' ? null : t.variants[variant];
  return variantTrie ? t.traditionalToSimplified.convert(variantTrie.convert(run)) : t.traditionalToSimplified.convert(run);
}

/**
 * One pass: segment by OpenCC's phrases and the protected names (longest match
 * first), write protected names as they are, and run every other segment
 * through the variant stage and then the Traditional → Simplified stage.
 * `phrasesOnly` converts the phrase segments and leaves every other character
 * as written: for Simplified text whose only convertible characters are
 * dual-use ones (相剋 → 相克, while a lone 剋 or 乾 stays).
 */
function convertWith(text: string, variant: TraditionalVariant, t: Tables, phrasesOnly = false): string {
  const input = phrasesOnly ? text : t.normalise.convert(text);
  const out: string[] = [];
  let runStart = -1;
  const flush = (end: number): void => {
    if (runStart >= 0) {
      const run = input.slice(runStart, end);
      out.push(phrasesOnly ? run : convertRun(run, variant, t));
    }
    runStart = -1;
  };
  for (let i = 0; i < input.length; ) {
    const match = t.segments.matchPrefix(input, i);
    if (match) {
      flush(i);
      out.push(match.value.startsWith(protectedMark) ? match.value.slice(1) : convertRun(input.slice(i, match.end), variant, t));
      i = match.end;
    } else {
      if (runStart < 0) runStart = i;
      i += (input.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
    }
  }
  flush(input.length);
  return out.join('');
}

// --- Simplified → Traditional, for protected names and script detection ---

let simplifiedToTraditional: { st: Trie; tw: Trie; hk: Trie } | undefined;
function getSimplifiedToTraditional(): { st: Trie; tw: Trie; hk: Trie } {
  simplifiedToTraditional ??= {
    st: trieOf(stage('s2t', 0)),
    tw: trieOf(stage('s2tw', 1)),
    hk: trieOf(stage('s2hk', 1)),
  };
  return simplifiedToTraditional;
}

let characterForms: { st: Trie; tw: Trie; hk: Trie } | undefined;

/**
 * The ways a Simplified name is written on Traditional pages: OpenCC
 * standard, Taiwan and Hong Kong forms. Character tables only (names are not
 * phrases), which spares the large phrase table at start-up.
 */
function traditionalForms(name: string): string[] {
  if (!characterForms) {
    const characters = stage('s2t', 0).at(-1);
    if (characters === undefined) throw new Error('unexpected opencc-js s2t layout');
    characterForms = { st: trieOf([characters]), tw: trieOf(stage('s2tw', 1)), hk: trieOf(stage('s2hk', 1)) };
  }
  const standard = characterForms.st.convert(name);
  return [...new Set([standard, characterForms.tw.convert(standard), characterForms.hk.convert(standard)])];
}

/**
 * Adds to the segmentation every written form of a protected name that the
 * plain conversion would get wrong. Names with no convertible character
 * (most of them) cannot go wrong and are skipped without converting them.
 */
function protectNames(t: Tables): void {
  // A name can only be corrupted through a character that converts on its own
  // and is still a Simplified character; names without one need no entry.
  const atRisk = (name: string): boolean => [...name].some((ch) => t.dualUse.has(ch));
  for (const name of loadProtectedNames(atRisk)) {
    for (const form of [name, ...traditionalForms(name)]) {
      if (convertWith(form, 'auto', t) !== name) t.segments.addWord(form, protectedMark + name);
    }
  }
}

function getTables(): Tables {
  return tables ?? buildTables();
}

// CJK compatibility ideographs are folded to unified ones by OpenCC's
// normalisation, so they always go through conversion.
const compatibilityIdeograph = /[\uf900-\ufaff\u{2f800}-\u{2fa1f}]/u;

function hasTraditionalOnly(text: string, t: Tables): boolean {
  if (compatibilityIdeograph.test(text)) return true;
  return hasCharacterOf(text, traditionalOnlyClass, t.traditionalOnly, t.classOfUnit);
}

/**
 * Simplified text comes back as it is: in `auto`, a text without a
 * Traditional-only character is not converted at all (most input), apart
 * from OpenCC's phrases around dual-use characters. OpenCC's tables are not
 * quite closed under their own output, so normalise.ts converts until stable.
 */
export function toSimplified(text: string, variant: TraditionalVariant = 'auto'): string {
  if (text === '') return text;
  const t = getTables();
  if (variant === 'auto' && !hasTraditionalOnly(text, t)) {
    return hasCharacterOf(text, dualUseClass, t.dualUse, t.classOfUnit) ? convertWith(text, variant, t, true) : text;
  }
  return convertWith(text, variant, t);
}

function toTraditional(text: string): string {
  const s2t = getSimplifiedToTraditional();
  return s2t.tw.convert(s2t.st.convert(text));
}

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u;

function countChanged(a: string, b: string): number {
  // OpenCC maps character for character (phrases of equal length), so
  // positions line up; fall back to a length difference if they ever do not.
  if (a.length !== b.length) return Math.abs(a.length - b.length) + 1;
  let changed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
  return changed;
}

/**
 * The script a text was written in. `mixed` is a Traditional page that also has
 * substantial Simplified-only lines (spam headers and footers, leftovers).
 */
export function detectScript(text: string, simplified = toSimplified(text)): Script {
  const traditionalChars = countChanged(text, simplified);
  if (traditionalChars === 0) return 'simplified';
  let cjkChars = 0;
  for (const ch of text) if (cjk.test(ch)) cjkChars++;
  if (cjkChars === 0 || traditionalChars / cjkChars < 0.02) return 'simplified';
  for (const line of text.split('\n')) {
    let lineCjk = 0;
    for (const ch of line) if (cjk.test(ch)) lineCjk++;
    if (lineCjk < 8) continue;
    if (toSimplified(line) === line && countChanged(line, toTraditional(line)) >= 2) return 'mixed';
  }
  return 'traditional';
}
