/**
 * The operators' page in Chromium against the real server: log in with the
 * admin token, add a synonym group, and see the editors' search page find an
 * article by the new form, without a restart.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, postJson, startTestServer, type TestServer } from '../api/helpers.js';
import { browserAvailable, launchChromium, skipReason, waitForSearch } from './harness.js';

const droneArticle = {
  url: 'https://www.binjiang-hospital.example/news/2024/0315.html',
  title: '滨江县人民医院“党建+无人机急救”项目启动',
  text: [
    '滨江县人民医院党委开展“党建+无人机急救”创新项目。',
    '2024年3月，医院第一党支部联合急诊科，利用无人机向偏远山村配送急救药品，打通急救服务“最后一公里”。',
  ].join('\n'),
  publishedAt: '2024-03-15',
};

describe.skipIf(!browserAvailable)(`/admin synonyms page in Chromium${skipReason}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer({ ADMIN_TOKEN: adminToken, RATE_LIMIT_IP_BURST: '100000' });
    expect((await postJson(`${server.url}/v1/articles`, droneArticle)).status).toBe(201);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a wrong token is refused on the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/admin`);
    await page.fill('#token', 'not-the-admin-token-0000');
    await page.click('#load');
    await expect.poll(() => page.locator('#login-status').innerText()).toContain('not valid');
    expect(await page.locator('#editor').isHidden()).toBe(true);
    await page.close();
  });

  it('adding a synonym on the page makes a search find the article by the new form', async () => {
    const page = await browser.newPage();
    // The results render inside the widget (a shadow root, which locators pierce).
    const searchTitles = async (q: string): Promise<{ total: number; titles: string }> => {
      const search = await browser.newPage();
      await waitForSearch(search, () => search.goto(`${server.url}/search?q=${encodeURIComponent(q)}`));
      const status = await search.locator('[role=status]').first().innerText();
      const total = Number(/共找到 (\d+) 篇/u.exec(status)?.[1] ?? 0);
      const titles = total > 0 ? await search.locator('.dj').first().innerText() : '';
      await search.close();
      return { total, titles };
    };
    expect(await searchTitles('飞行器')).toEqual({ total: 0, titles: '' });

    await page.goto(`${server.url}/admin`);
    await page.fill('#token', adminToken);
    await page.click('#load');
    await page.locator('#editor').waitFor({ state: 'visible' });
    expect(await page.inputValue('#synonyms')).toBe('');
    await page.fill('#synonyms', '无人机，飞行器');
    await page.click('#save-synonyms');
    await expect.poll(() => page.locator('#synonyms-status').innerText(), { timeout: 30_000 }).toContain('已生效');

    const after = await searchTitles('飞行器');
    expect(after.total).toBe(1);
    expect(after.titles).toContain('无人机急救');
    // The page lists what was stored.
    await page.reload();
    await page.locator('#editor').waitFor({ state: 'visible' });
    expect(await page.inputValue('#synonyms')).toBe('无人机, 飞行器');
    await page.close();
  }, 120_000);
});
