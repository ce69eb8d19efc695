/**
 * `tsx bench/extraction-leave-out.ts [--json]`: extraction accuracy on the dev
 * corpus with every dev-set hospital and alias left out of config/data, so
 * the hospitals are found by their shape alone, as on articles nobody has
 * tabled. `npm run eval` runs it in a child process: the table is read when
 * the extractors are imported, so leaving names out needs a fresh process.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { leaveOutHospitals } from '../config/data.js';
import type { ExtractionReport } from './extraction-eval.js';

/** Every hospital name and alias the dev labels give, as written there. */
export function devHospitalNames(file: string): string[] {
  const names = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const labels = (JSON.parse(line) as { labels: { hospitals: string[]; hospital_aliases_in_text: string[] } }).labels;
    for (const name of [...labels.hospitals, ...labels.hospital_aliases_in_text]) names.add(name);
  }
  return [...names];
}

/** Only in a process that has not loaded the hospital table yet. */
export async function evaluateLeaveOut(): Promise<ExtractionReport> {
  const { devArticlesFile } = await import('./dev-articles.js');
  leaveOutHospitals(devHospitalNames(devArticlesFile));
  const { evaluateExtraction } = await import('./extraction-eval.js');
  return evaluateExtraction();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const report = await evaluateLeaveOut();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    const { formatExtractionReport } = await import('./extraction-eval.js');
    console.log(formatExtractionReport(report));
    for (const m of report.misses) console.log(`  ${m}`);
  }
}
