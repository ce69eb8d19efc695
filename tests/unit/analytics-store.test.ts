import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AnalyticsStore, normaliseQuery, otherQueries } from '../../service/analytics/store.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dj-analytics-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('AnalyticsStore', () => {
  it.each([
    ['  党建  品牌 ', '党建 品牌'],
    ['DangJian', 'dangjian'],
    ['衛健委', '卫健委'],
    ['ＡＢＣ', 'abc'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(normaliseQuery(raw)).toBe(expected);
  });

  it('aggregates per day and survives a restart', async () => {
    const dir = await tempDir();
    let now = Date.parse('2026-03-01T10:00:00Z');
    const store = new AnalyticsStore(dir, { now: () => now });
    store.recordSearch('党建', 5);
    store.recordSearch(' 党建', 3);
    store.recordSearch('无人机', 0);
    store.recordClick('党建');
    now += 86_400_000;
    store.recordSearch('党建', 4);
    store.close();
    const again = new AnalyticsStore(dir, { now: () => now });
    const report = again.report('2026-03-01', '2026-03-02');
    expect(report.topQueries[0]).toEqual({ query: '党建', searches: 3, noExactMatch: 0, clicks: 1, clickThrough: 0.333, lastTotal: 4 });
    expect(report.noExactMatchQueries.map((q) => q.query)).toEqual(['无人机']);
    expect(again.report('2026-03-02', '2026-03-02').searches).toBe(1);
    again.close();
  });

  it('keeps at most maxQueriesPerDay distinct queries a day and forgets days past the retention', async () => {
    const dir = await tempDir();
    let now = Date.parse('2026-03-01T10:00:00Z');
    const store = new AnalyticsStore(dir, { now: () => now, maxQueriesPerDay: 3, retentionDays: 10 });
    for (const q of ['一', '二', '三', '四', '五']) store.recordSearch(q, 1);
    store.flush();
    store.recordSearch('一', 1);
    store.recordSearch('六', 1);
    const day = store.report('2026-03-01', '2026-03-01');
    expect(day.distinctQueries).toBe(4);
    expect(day.topQueries.find((q) => q.query === otherQueries)?.searches).toBe(3);
    expect(day.topQueries.find((q) => q.query === '一')?.searches).toBe(2);
    now += 30 * 86_400_000;
    store.recordSearch('新', 1);
    store.flush();
    expect(store.report('2026-03-01', '2026-03-01').searches).toBe(0);
    store.close();
  });
});
