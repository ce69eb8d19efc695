/**
 * Boilerplate rules (config/data/noise.json): loaded once, validated with zod
 * and compiled, so a bad regular expression fails at start-up with the rule's
 * name instead of silently matching nothing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { dataDir } from './data.js';

const patternSchema = z.string().min(1);

const lineRuleSchema = z.object({
  name: z.string().min(1),
  pattern: patternSchema,
  ignoreCase: z.boolean().default(false),
  /** Lines longer than this are never tested: real paragraphs stay safe from short-line rules. */
  maxLength: z.number().int().positive().default(120),
  where: z.enum(['anywhere', 'header', 'footer', 'edges']).default('anywhere'),
  comment: z.string().optional(),
});

const inlineRuleSchema = z.object({
  name: z.string().min(1),
  pattern: patternSchema,
  ignoreCase: z.boolean().default(false),
  comment: z.string().optional(),
});

const trailingListMarkerSchema = z.object({
  name: z.string().min(1),
  pattern: patternSchema,
  ignoreCase: z.boolean().default(false),
  /** Every line after the marker must be at most this long for the tail to count as a list. */
  maxItemLength: z.number().int().positive(),
  comment: z.string().optional(),
});

export const noiseFileSchema = z.object({
  lineRules: z.array(lineRuleSchema),
  inlineRules: z.array(inlineRuleSchema),
  trailingListMarkers: z.array(trailingListMarkerSchema),
  uiPhrases: z.array(z.string().min(1)),
  metaLabels: z.array(z.string().min(1)).min(1),
  metaLineMaxLength: z.number().int().positive(),
  menu: z.object({
    maxItemLength: z.number().int().positive(),
    minLeadingRun: z.number().int().min(2),
    minTrailingRun: z.number().int().min(2),
  }),
  title: z.object({ minLength: z.number().int().positive(), maxLength: z.number().int().positive() }),
});
export type NoiseFile = z.infer<typeof noiseFileSchema>;

export type LineZone = 'anywhere' | 'header' | 'footer' | 'edges';

export interface CompiledLineRule {
  name: string;
  regex: RegExp;
  maxLength: number;
  where: LineZone;
}

export interface CompiledInlineRule {
  name: string;
  regex: RegExp;
}

export interface CompiledListMarker {
  name: string;
  regex: RegExp;
  maxItemLength: number;
}

export interface NoiseRules {
  lineRules: CompiledLineRule[];
  inlineRules: CompiledInlineRule[];
  trailingListMarkers: CompiledListMarker[];
  /** UI words compared after removing whitespace, brackets and trailing colons/arrows. */
  uiPhrases: Set<string>;
  /** A metadata label followed by a colon at the start of a line or after a space/date: 来源：, 编辑： */
  metaLine: RegExp;
  metaLineMaxLength: number;
  menu: NoiseFile['menu'];
  title: NoiseFile['title'];
}

/** Exported for the tests: the same key the cleaner compares against uiPhrases. */
export function toUiKey(line: string): string {
  return line.replace(/[\s【】[\]:：!！>》»]/gu, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

function compile(source: string, ignoreCase: boolean, global: boolean, where: string): RegExp {
  try {
    return new RegExp(source, `u${ignoreCase ? 'i' : ''}${global ? 'g' : ''}`);
  } catch (err) {
    throw new Error(`config/data/noise.json: ${where} has an invalid pattern: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

export function compileNoiseRules(file: NoiseFile): NoiseRules {
  // Longest labels first so 浏览次数 is tried before 浏览; typesetters space out
  // two-character labels (编 辑：), so a space may sit between characters.
  const labels = [...file.metaLabels]
    .sort((a, b) => b.length - a.length)
    .map((label) => [...label].map(escapeRegExp).join('\\s?'));
  return {
    lineRules: file.lineRules.map((r) => ({
      name: r.name,
      regex: compile(r.pattern, r.ignoreCase, false, `lineRules.${r.name}`),
      maxLength: r.maxLength,
      where: r.where,
    })),
    inlineRules: file.inlineRules.map((r) => ({ name: r.name, regex: compile(r.pattern, r.ignoreCase, true, `inlineRules.${r.name}`) })),
    trailingListMarkers: file.trailingListMarkers.map((r) => ({
      name: r.name,
      regex: compile(r.pattern, r.ignoreCase, false, `trailingListMarkers.${r.name}`),
      maxItemLength: r.maxItemLength,
    })),
    uiPhrases: new Set(file.uiPhrases.map(toUiKey)),
    metaLine: new RegExp(`^(?!.*[。！？；])(.{0,40}?[\\s(（)）[\\]【】|｜\\d])?(${labels.join('|')})\\s*[:：]`, 'u'),
    metaLineMaxLength: file.metaLineMaxLength,
    menu: file.menu,
    title: file.title,
  };
}

export function parseNoiseFile(value: unknown): NoiseFile {
  const result = noiseFileSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`config/data/noise.json is invalid: ${problems}`);
  }
  return result.data;
}

let rules: NoiseRules | undefined;
export function loadNoiseRules(): NoiseRules {
  rules ??= compileNoiseRules(parseNoiseFile(JSON.parse(readFileSync(join(dataDir, 'noise.json'), 'utf8'))));
  return rules;
}
