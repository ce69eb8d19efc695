/**
 * Metadata extraction: composes the per-field modules (extract-*.ts) over a
 * cleaned article. Fields given by a JSON article or an API client win over
 * extracted ones, after the same normalisation (山东省 → 山东, an alias → the
 * canonical hospital name, Traditional → Simplified).
 *
 * Which text each field reads: metadata lines (来源, 发布时间, footers) live in
 * `fullText`, so dates, sources, hospitals and places read it; honours,
 * branches, keywords and topicality read the cleaned `body`, where
 * boilerplate (related-article lists, navigation) can no longer mislead them.
 */
import { normaliseText } from '../../engine/analysis/normalise.js';
import type { ArticleMetadata, ExtractionInput } from '../types.js';
import { extractAwards } from './extract-awards.js';
import { extractPartyBranches } from './extract-branches.js';
import { extractDates } from './extract-date.js';
import { canonicaliseHospital, extractHospitals, type HospitalExtraction } from './extract-hospital.js';
import { extractArticleKeywords } from './extract-keywords.js';
import { extractPlace, normaliseProvince, type HospitalPlace, type PlaceResult } from './extract-place.js';
import { extractSource } from './extract-source.js';
import { scoreTopicality } from './extract-topic.js';

function given(value: string | undefined): string | null {
  if (value === undefined) return null;
  const v = normaliseText(value).trim();
  return v === '' ? null : v;
}

interface HospitalDecision {
  hospital: string | null;
  hospitals: string[];
  hospitalAliases: string[];
  place: HospitalPlace | null;
  /** How the main hospital is written in the text. */
  written: string[];
  otherCities: (string | null)[];
}

function decideHospital(found: HospitalExtraction, givenHospital: string | null): HospitalDecision {
  const placeOf = new Map(found.mentions.map((m) => [m.name, m.place]));
  let hospital = found.hospital;
  let place = found.place;
  let hospitals = found.hospitals;
  if (givenHospital !== null) {
    const canonical = canonicaliseHospital(givenHospital);
    hospital = canonical.name;
    place = canonical.place ?? placeOf.get(canonical.name) ?? null;
    hospitals = [canonical.name, ...found.hospitals.filter((h) => h !== canonical.name)];
  }
  const written = found.mentions.filter((m) => m.name === hospital).map((m) => m.written);
  return {
    hospital,
    hospitals,
    hospitalAliases: found.hospitalAliases.filter((a) => a !== hospital),
    place,
    written,
    otherCities: givenHospital === null ? found.peers.map((h) => placeOf.get(h)?.city ?? null) : [],
  };
}

function decidePlace(input: ExtractionInput, found: HospitalExtraction, h: HospitalDecision, givenProvince: string | null): PlaceResult {
  const extracted = extractPlace({
    title: input.title,
    text: found.text,
    mentions: found.places,
    hospital: h.place && h.place.province !== '' ? h.place : null,
    mainHospital: h.hospital,
    hospitalNames: h.written,
    otherHospitalCities: h.otherCities,
  });
  if (givenProvince === null) return extracted;
  const province = normaliseProvince(givenProvince);
  // A given province that disagrees with what was found leaves city and county unknown.
  if (province === extracted.province) return extracted;
  return { province, city: null, county: null };
}

export function extractMetadata(input: ExtractionInput): ArticleMetadata {
  const fullText = input.fullText !== '' ? input.fullText : input.body;
  const givenHospital = given(input.given.hospital);
  const givenProvince = given(input.given.province);
  const givenSource = given(input.given.source);

  const found = extractHospitals({ title: input.title, text: fullText });
  const h = decideHospital(found, givenHospital);
  const place = decidePlace(input, found, h, givenProvince);
  const dates = extractDates({ title: input.title, body: input.body, fullText, url: input.url }, input.given.publishedAt);
  const credit = extractSource({ fullText });
  const hospitalNames = [...new Set([...h.hospitals, ...h.hospitalAliases, ...h.written])];
  const awards = extractAwards({
    title: input.title,
    body: input.body,
    province: place.province,
    hospitalNames,
    countyLevelCity: place.county?.endsWith('市') ?? false,
  });

  return {
    publishedAt: dates.publishedAt,
    year: dates.year,
    yearSource: dates.yearSource,
    source: givenSource ?? credit.source,
    authors: credit.authors,
    hospital: h.hospital,
    hospitals: h.hospitals,
    hospitalAliases: h.hospitalAliases,
    province: place.province,
    city: place.city,
    county: place.county,
    awardNames: awards.awardNames,
    awardTypes: awards.awardTypes,
    awardLevels: awards.awardLevels,
    partyBranches: extractPartyBranches({ title: input.title, body: input.body, hospitalNames }),
    keywords: extractArticleKeywords({ title: input.title, body: input.body, ...(input.segmented ? { segmented: input.segmented } : {}) }),
    topicality: scoreTopicality({ title: input.title, body: input.body, fullText }),
  };
}
