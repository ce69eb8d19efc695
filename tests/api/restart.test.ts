/**
 * Restarting on an existing index: the service is ready at once and brings
 * the index in line with the corpus behind it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getJson, makeTempDirs, startTestServer, waitFor, type TempDirs } from './helpers.js';

interface SearchBody {
  total: number;
  hits: Array<{ title: string }>;
}

describe('restart on an existing index', () => {
  let dirs: TempDirs | undefined;
  afterAll(async () => {
    await dirs?.remove();
  });

  it('serves the existing index first, then picks up articles added to the corpus', async () => {
    dirs = await makeTempDirs();
    const first = await startTestServer({}, { dirs });
    await first.stop();

    await writeFile(
      join(dirs.corpusDir, 'added-while-down.txt'),
      '鄂尔多斯市中心医院实验诊断支部开展廉政教育\n2025年7月18日上午，鄂尔多斯市中心医院实验诊断支部组织党员走进廉政教育基地，接受警示教育。',
    );
    const second = await startTestServer({}, { dirs, waitReady: false });
    try {
      await waitFor('readiness', async () => ((await getJson(`${second.url}/readyz`)).status === 200 ? true : undefined));
      expect(second.logs().some((line) => line.includes('ready (existing index)'))).toBe(true);
      const found = await waitFor('the added article', async () => {
        const { body } = await getJson<SearchBody>(`${second.url}/v1/search?q=${encodeURIComponent('鄂尔多斯 实验诊断支部')}`);
        return body.hits.find((hit) => hit.title === '鄂尔多斯市中心医院实验诊断支部开展廉政教育');
      });
      expect(found).toBeDefined();
    } finally {
      await second.stop();
    }
  }, 120_000);
});
