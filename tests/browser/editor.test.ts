/**
 * What editors and visitors do beyond the basic box, in Debian Chromium
 * against the real service: results while typing, the article page, the
 * editors' controls on /search, export, analytics, themes and accessibility.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  browserAvailable,
  launchChromium,
  readTotal,
  skipReason,
  startService,
  waitForSearch,
  type RunningService,
} from './harness.js';

describe.skipIf(!browserAvailable)(`editors and visitors in Chromium${skipReason}`, () => {
  let service: RunningService;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await mkdir(artifactsDir, { recursive: true });
    service = await startService({ extraArticles: [], siteKeys: [], corsOrigins: [] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function openPage(
    url: string,
    options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
  ): Promise<Page> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 900 },
      locale: 'zh-CN',
      colorScheme: options.colorScheme ?? 'light',
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  it('gives every result a title and a link that opens the article page', async () => {
    const page = await openPage(`${service.origin}/search?q=${encodeURIComponent('先锋党支部')}`);
    await page.locator('.hit').first().waitFor();
    const titles = await page.locator('.hit a.t').evaluateAll((links) =>
      links.map((link) => ({ text: link.textContent ?? '', href: link.getAttribute('href') ?? '' })),
    );
    expect(titles.length).toBe(await page.locator('.hit').count());
    for (const title of titles) {
      expect(title.text.trim()).not.toBe('');
      expect(title.text).not.toContain('无标题');
      expect(title.href).toMatch(/\/articles\/[^?]+\?q=/);
    }
    await Promise.all([page.waitForURL(/\/articles\//), page.locator('.hit a.t').first().click()]);
    await page.locator('article h1').waitFor();
    expect(await page.locator('article mark').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(artifactsDir, 'article-light.png'), fullPage: true });
  });
});
