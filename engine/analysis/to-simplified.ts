/**
 * Traditional → Simplified conversion and script detection.
 *
 * Conversion runs after glued pinyin is stripped (see normalise.ts) and before
 * segmentation: jieba's dictionary is Simplified, so unconverted Traditional
 * text falls apart into single characters and never matches a query.
 */
import * as openccModule from 'opencc-js';
import type { Script } from '../document.js';

// opencc-js's declarations re-export from a `./core` file the package does not
// ship, so its types resolve to errors; the one function used is typed here.
type Convert = (text: string) => string;
type DictGroups = ReadonlyArray<ReadonlyArray<string | ReadonlyArray<readonly [string, string]>>>;
const OpenCC = openccModule as unknown as {
  Converter(options: { from: string; to: string }): Convert;
  Locale: { from: Record<string, DictGroups>; to: Record<string, DictGroups> };
};

// `tw` carries phrase-level rules that `t` lacks (著力 → 着力 but 著名 stays);
// `hk` then catches Hong Kong variant characters that `tw` leaves alone.
const fromTaiwan = OpenCC.Converter({ from: 'tw', to: 'cn' });
const fromHongKong = OpenCC.Converter({ from: 'hk', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const cjk = /[\u3400-\u9fff\uf900-\ufaff]/u;

// opencc's Taiwan table reads a lone 么 as Taiwan's form of 幺, so Simplified 么
// outside a listed phrase (and the 么 that 麼 becomes) turned into 幺 and a second
// conversion differed from the first. 么 is hidden from that table behind a
// private-use placeholder.
const yaoPlaceholder = '\u{F0000}';

/**
 * Characters that convert on their own (Traditional-only forms). Most input is
 * already Simplified: a text with none of them is returned as it is instead of
 * going through two converters, which is a sixth of indexing time otherwise.
 * Phrase-only rules (著力 → 着力) are not a reason to convert such a text:
 * Simplified pages write 着力.
 */
let traditionalOnly: Set<string> | undefined;
function getTraditionalOnly(): Set<string> {
  if (traditionalOnly) return traditionalOnly;
  const chars = new Set<string>();
  const addPairs = (key: string, value: string): void => {
    if ([...key].length === 1 && value.split(' ')[0] !== key) chars.add(key);
  };
  const groups = [OpenCC.Locale.from['tw'], OpenCC.Locale.from['hk'], OpenCC.Locale.to['cn']];
  for (const group of groups) {
    for (const dicts of group ?? []) {
      for (const dict of dicts) {
        if (typeof dict === 'string') {
          for (const entry of dict.split('|')) {
            const at = entry.indexOf(' ');
            if (at > 0) addPairs(entry.slice(0, at), entry.slice(at + 1));
          }
        } else {
          for (const [key, value] of dict) addPairs(key, value);
        }
      }
    }
  }
  traditionalOnly = chars;
  return chars;
}

// CJK compatibility ideographs are folded to unified ones by opencc outside
// its dictionaries, so they always go through conversion.
const compatibilityIdeograph = /[\uf900-\ufaff\u{2f800}-\u{2fa1f}]/u;

function hasTraditionalOnly(text: string): boolean {
  if (compatibilityIdeograph.test(text)) return true;
  const chars = getTraditionalOnly();
  for (const ch of text) if (chars.has(ch)) return true;
  return false;
}

export function toSimplified(text: string): string {
  if (text === '' || !hasTraditionalOnly(text)) return text;
  if (!text.includes('么')) return fromHongKong(fromTaiwan(text));
  return fromHongKong(fromTaiwan(text.replaceAll('么', yaoPlaceholder))).replaceAll(yaoPlaceholder, '么');
}

function countChanged(a: string, b: string): number {
  // opencc-js maps character for character (phrases of equal length), so
  // positions line up; fall back to a bag comparison if they ever do not.
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
    const asTraditional = toTraditional(line);
    if (toSimplified(line) === line && countChanged(line, asTraditional) >= 2) return 'mixed';
  }
  return 'traditional';
}
