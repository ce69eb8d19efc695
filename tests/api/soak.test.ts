/**
 * A short `npm run soak` (scripts/soak.ts): the real server under mixed load
 * with a writer, one rebuild and one SIGKILL restart; no 5xx but the 503s of
 * the restart, no request unanswered while it was up, every acknowledged
 * article found after the restart. The full run (60 s, three restarts) is
 * the script's; its figures are in README ("Hardening").
 */
import { describe, expect, it } from 'vitest';
import { formatReport, runSoak } from '../../scripts/soak.js';

describe('npm run soak, shortened', () => {
  it('loses no acknowledged write and answers no unexpected 5xx across a SIGKILL restart', async () => {
    const report = await runSoak({ seconds: 10, restarts: 1, connections: 8, log: () => undefined });
    expect(report.failures, formatReport(report)).toEqual([]);
    expect(report.restartMs).toHaveLength(1);
    expect(report.acknowledged).toBeGreaterThan(0);
    expect(report.found).toBe(report.acknowledged);
    expect(report.statuses['search 200'] ?? 0).toBeGreaterThan(0);
  }, 240_000);
});
