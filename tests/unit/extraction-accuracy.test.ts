/**
 * Extraction accuracy on the 112 labelled dev articles, through the real
 * clean → extract steps. Floors sit a few points below what the extractor
 * reached when they were set (see the printed table); a drop below them is a
 * regression, not noise.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateExtraction, formatExtractionReport, type ExtractionReport } from '../../bench/extraction-eval.js';

// Measured when set: province 0.964, city 0.964, county 0.982, hospital 0.991,
// year 1.000, publishedAt 0.991, source 0.991, awardNames 0.984 (precision 0.803),
// awardLevels 0.955, partyBranches 0.983 (precision 0.744).
const floors: Record<string, number> = {
  province: 0.93,
  city: 0.92,
  county: 0.95,
  hospital: 0.95,
  year: 0.96,
  publishedAt: 0.96,
  source: 0.96,
  awardNames: 0.95,
  awardNamesPrecision: 0.75,
  awardLevels: 0.92,
  partyBranches: 0.95,
  partyBranchesPrecision: 0.7,
};

describe('extraction accuracy on the dev corpus', () => {
  let report: ExtractionReport;

  beforeAll(() => {
    report = evaluateExtraction();
    console.log(formatExtractionReport(report));
  });

  it('extracts every labelled article', () => {
    expect(report.articles).toBe(112);
  });

  it.each(Object.entries(floors))('%s stays above its floor %d', (field, floor) => {
    const f = report.fields[field];
    expect(f, field).toBeDefined();
    expect(f?.accuracy).toBeGreaterThanOrEqual(floor);
  });

  it('scores on-topic articles clearly above off-topic ones', () => {
    const { onTopicMean, offTopicMean } = report.topicality;
    // Measured: 0.819 on topic, 0.186 off topic.
    expect(onTopicMean - offTopicMean).toBeGreaterThan(0.5);
  });
});
