/**
 * A search box on a Traditional-script hospital site (data-lang="zh-TW" /
 * "zh-HK") in Chromium against the real service: its own text and the
 * results read in Traditional, converted in the browser by widget-zh-hant.js,
 * which boxes without data-lang never load.
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
  startHostSite,
  startService,
  waitForSearch,
  type RunningService,
} from './harness.js';

describe.skipIf(!browserAvailable)(`Traditional-script search box in Chromium${skipReason}`, () => {
  let service: RunningService;
  let host: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await mkdir(artifactsDir, { recursive: true });
    host = await startHostSite();
    service = await startService({ extraArticles: [], siteKeys: [], corsOrigins: [host.origin] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await host?.close();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  /** A hospital page; `containerLang` goes on the box's container, `scriptAttributes` on the script tag. */
  function hostPage(name: string, containerLang: string | null, scriptAttributes = ''): string {
    host.pages.set(
      `/${name}.html`,
      `<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>醫院</title></head>
<body><main><h1>醫院黨建</h1><div id="search"${containerLang ? ` data-lang="${containerLang}"` : ''}><a href="${service.origin}/search">搜索黨建文章</a></div></main>
<script src="${service.origin}/widget.js" data-target="#search" data-facets="hospital,awardLevel" ${scriptAttributes} async></script>
</body></html>`,
    );
    return `${host.origin}/${name}.html`;
  }

  async function openPage(url: string): Promise<{ page: Page; scripts: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-TW' });
    contexts.push(context);
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(url);
    await page.getByRole('combobox').waitFor();
    return { page, scripts };
  }

  async function search(page: Page, text: string): Promise<void> {
    const input = page.getByRole('combobox');
    await input.fill(text);
    await waitForSearch(page, () => input.press('Enter'));
    await page.locator('.hit').first().waitFor();
  }

  it('shows its own text, titles, snippets and facet labels in Taiwan forms with data-lang="zh-TW"', async () => {
    const { page, scripts } = await openPage(hostPage('taiwan', 'zh-TW'));
    expect(scripts).toContain('/widget-zh-hant.js');
    const input = page.getByRole('combobox');
    expect(await input.getAttribute('placeholder')).toBe('搜索黨建案例、醫院…');
    expect(await page.locator('.dj').getAttribute('lang')).toBe('zh-TW');

    // A Simplified query works, and everything shown comes back Traditional.
    await search(page, '医院');
    const titles = (await page.locator('.hit .t').allInnerTexts()).join('');
    expect(titles).toContain('醫院');
    expect(titles).not.toContain('医院');
    expect((await page.locator('.hit .sn').allInnerTexts()).join('')).not.toMatch(/医院|党建/);
    // The highlight survives the conversion, on the converted word.
    expect(await page.locator('.hit mark').allInnerTexts()).toContain('醫院');
    const groups = await page.locator('[role=group]').evaluateAll((g) => g.map((x) => x.getAttribute('aria-label')));
    expect(groups).toEqual(['醫院', '榮譽級別']);
    expect(await page.locator('[role=status]').first().innerText()).toMatch(/共找到 \d+ 篇文章/);
    await page.screenshot({ path: join(artifactsDir, 'traditional-zh-tw.png'), fullPage: true });

    // A chip shows 醫院 but filters by the value the API knows.
    const chip = page.locator('button.chip[data-facet=hospital]').first();
    const value = (await chip.getAttribute('data-value')) ?? '';
    expect(value).toContain('医院');
    expect(await chip.innerText()).toContain('醫院');
    const total = await readTotal(page);
    await waitForSearch(page, () => chip.click());
    expect(await readTotal(page)).toBeLessThanOrEqual(total);
    expect(await page.locator('button.chip[aria-pressed=true]').innerText()).toContain('醫院');

    // A Traditional query finds the same articles as its Simplified form.
    await search(page, '醫院');
    const traditionalTotal = await readTotal(page);
    await search(page, '医院');
    expect(await readTotal(page)).toBe(traditionalTotal);
  });

  it('uses Hong Kong forms with data-lang="zh-HK" on the script tag', async () => {
    const { page } = await openPage(hostPage('hong-kong', null, 'data-lang="zh-HK"'));
    expect(await page.locator('.dj').getAttribute('lang')).toBe('zh-HK');
    await search(page, '党建');
    expect((await page.locator('.hit .t').allInnerTexts()).join('')).toContain('黨建');
  });

  it('stays Simplified without data-lang, and never loads the converter', async () => {
    const { page, scripts } = await openPage(hostPage('simplified', null));
    expect(await page.getByRole('combobox').getAttribute('placeholder')).toBe('搜索党建案例、医院…');
    await search(page, '医院');
    expect((await page.locator('.hit .t').allInnerTexts()).join('')).toContain('医院');
    expect(await page.locator('[role=group]').first().getAttribute('aria-label')).toBe('医院');
    expect(scripts).not.toContain('/widget-zh-hant.js');
  });

  it('falls back to a Simplified box when the converter cannot be loaded', async () => {
    const context = await browser.newContext({ locale: 'zh-TW' });
    contexts.push(context);
    const page = await context.newPage();
    await page.route((url) => url.pathname === '/widget-zh-hant.js', (route) => route.abort());
    await page.goto(hostPage('no-converter', 'zh-TW'));
    const input = page.getByRole('combobox');
    await input.waitFor();
    expect(await input.getAttribute('placeholder')).toBe('搜索党建案例、医院…');
    await search(page, '医院');
    expect(await page.locator('.hit').count()).toBeGreaterThan(0);
  });
});
