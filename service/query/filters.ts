/**
 * Request filter parameters → engine SearchFilters, and the site-key scope
 * that the server imposes on them. Pure: no I/O beyond the data files that
 * config/data.ts loads once.
 */
import { loadHospitals } from '../../config/data.js';
import { normaliseText } from '../../engine/analysis/normalise.js';
import type { AwardLevel } from '../../engine/document.js';
import type { SearchFilters } from '../../engine/port.js';

/** A public site key resolved to the one hospital its searches are confined to. */
export interface SiteScope {
  key: string;
  /** Canonical hospital name. */
  hospital: string;
  name?: string;
}

export interface FilterParams {
  province?: string[] | undefined;
  city?: string[] | undefined;
  hospital?: string[] | undefined;
  awardType?: string[] | undefined;
  awardLevel?: AwardLevel[] | undefined;
  year?: number[] | undefined;
  yearFrom?: number | undefined;
  yearTo?: number | undefined;
  hospitalKind?: string[] | undefined;
}

let canonicalByForm: Map<string, string> | undefined;

/** Normalised hospital name or alias → canonical name, from config/data/hospitals.json. */
function getCanonicalHospitals(): Map<string, string> {
  if (canonicalByForm) return canonicalByForm;
  const map = new Map<string, string>();
  for (const h of loadHospitals()) {
    for (const form of [h.name, ...h.aliases]) map.set(normaliseText(form), h.name);
  }
  canonicalByForm = map;
  return map;
}

/**
 * Documents store canonical Simplified names, so a filter written in
 * Traditional script or with a known alias (荆州一医) must become that name to
 * match; unknown names pass through normalised.
 */
export function canonicaliseHospital(value: string): string {
  const normalised = normaliseText(value);
  return getCanonicalHospitals().get(normalised) ?? normalised;
}

function normaliseValues(values: string[] | undefined, map: (v: string) => string = normaliseText): string[] | undefined {
  if (values === undefined) return undefined;
  const out = [...new Set(values.map(map).filter((v) => v !== ''))];
  return out.length > 0 ? out : undefined;
}

export function buildFilters(params: FilterParams): SearchFilters {
  const filters: SearchFilters = {};
  const province = normaliseValues(params.province);
  const city = normaliseValues(params.city);
  const hospital = normaliseValues(params.hospital, canonicaliseHospital);
  const awardType = normaliseValues(params.awardType);
  if (province) filters.province = province;
  if (city) filters.city = city;
  if (hospital) filters.hospital = hospital;
  if (awardType) filters.awardType = awardType;
  if (params.awardLevel && params.awardLevel.length > 0) filters.awardLevel = [...new Set(params.awardLevel)];
  if (params.year && params.year.length > 0) filters.year = [...new Set(params.year)];
  if (params.yearFrom !== undefined) filters.yearFrom = params.yearFrom;
  if (params.yearTo !== undefined) filters.yearTo = params.yearTo;
  if (params.hospitalKind && params.hospitalKind.length > 0) filters.hospitalKind = [...new Set(params.hospitalKind)];
  return filters;
}

/**
 * Confine filters to a site key's hospital. The client's own hospital values
 * are intersected with the bound one, never added to it: asking for another
 * hospital yields `null` (nothing can match) instead of widening the search.
 */
export function scopeFilters(filters: SearchFilters, scope: SiteScope | null): SearchFilters | null {
  if (scope === null) return filters;
  const requested = filters.hospital;
  if (requested !== undefined && !requested.includes(scope.hospital)) return null;
  return { ...filters, hospital: [scope.hospital] };
}
