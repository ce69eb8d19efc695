/**
 * One exported article as a CSV line or a JSON line. Pure: the export route
 * streams these, and tests/unit/export-rows.test.ts pins the format down.
 */
import type { EngineDocument } from '../../engine/document.js';

export const exportColumns = ['title', 'date', 'hospital', 'province', 'city', 'honours', 'levels', 'url', 'article'] as const;

/** Excel needs the byte-order mark to read UTF-8 (otherwise Chinese turns into mojibake). */
export const csvBom = '\uFEFF';

const levelNames: Record<string, string> = { national: '国家级', provincial: '省级', municipal: '市级', county: '县级', internal: '院内' };

export interface ExportRow {
  id: string;
  title: string;
  date: string;
  hospital: string;
  province: string;
  city: string;
  honours: string[];
  levels: string[];
  url: string;
  article: string;
}

export function toExportRow(doc: EngineDocument, articleBase: string): ExportRow {
  return {
    id: doc.id,
    title: doc.title,
    date: doc.publishedAt ?? (doc.year === null ? '' : String(doc.year)),
    hospital: doc.hospital ?? '',
    province: doc.province ?? '',
    city: doc.city ?? '',
    honours: doc.awardNames.length > 0 ? doc.awardNames : doc.awardTypes,
    levels: doc.awardLevels.map((level) => levelNames[level] ?? level),
    url: doc.url ?? '',
    article: `${articleBase}/articles/${encodeURIComponent(doc.id)}`,
  };
}

/**
 * RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run
 * as a formula (=, +, -, @): article titles come from crawled pages.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/u.test(value) ? `'${value}` : value;
  return /[",\r\n]/u.test(safe) ? `"${safe.replace(/"/gu, '""')}"` : safe;
}

export function csvHeader(): string {
  return `${exportColumns.join(',')}\r\n`;
}

export function csvLine(row: ExportRow): string {
  const cells = exportColumns.map((column) => {
    const value = row[column];
    return csvField(Array.isArray(value) ? value.join('；') : value);
  });
  return `${cells.join(',')}\r\n`;
}

export function jsonLine(row: ExportRow): string {
  return `${JSON.stringify(row)}\n`;
}
