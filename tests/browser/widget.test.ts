/**
 * The search box and the service's pages in a real browser (Debian Chromium via
 * playwright-core) against the real service on a random port. Nothing here is
 * mocked: the index is built from the seed corpus plus a fixture article whose
 * text contains a <script> tag.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  browserAvailable,
  findFreePort,
  launchChromium,
  readTotal,
  repoRoot,
  skipReason,
  startHostSite,
  startService,
  waitForSearch,
  type RunningService,
} from './harness.js';

const siteKey = 'mengyin-2022-portal';
const scopedHospital = '蒙阴县人民医院';

describe.skipIf(!browserAvailable)(`search box in Chromium${skipReason}`, () => {
  let service: RunningService;
  let host: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await mkdir(artifactsDir, { recursive: true });
    host = await startHostSite();
    service = await startService({
      extraArticles: [join(repoRoot, 'tests/fixtures/browser/xss-article.html')],
      siteKeys: [{ key: siteKey, hospital: scopedHospital, name: '蒙阴县人民医院官网' }],
      corsOrigins: [host.origin],
    });
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

  /** A fresh browser profile per test; fails the test if any dialog (alert) ever opens. */
  async function openPage(url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; apiCalls: string[]; dialogs: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    const apiCalls: string[] = [];
    const dialogs: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/v1/')) apiCalls.push(`${url.pathname}${url.search}`);
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(url);
    return { page, apiCalls, dialogs };
  }

  function hostPage(name: string, attributes: string, css = ''): string {
    const html = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>蒙阴县人民医院</title><style>${css}</style></head>
<body><h1>蒙阴县人民医院</h1><p id="host-text">医院动态 · 党建园地</p>
<div id="search"><a href="${service.origin}/search">搜索党建文章</a></div>
<script src="${service.origin}/widget.js" data-target="#search" ${attributes} async></script>
</body></html>`;
    host.pages.set(`/${name}.html`, html);
    return `${host.origin}/${name}.html`;
  }

  /** Resolves once the suggestions for `q` have arrived (set up before typing). */
  function suggestionsFor(page: Page, q: string): Promise<unknown> {
    return page.waitForResponse((response) => {
      const url = new URL(response.url());
      return url.pathname === '/v1/suggest' && url.searchParams.get('q') === q;
    });
  }

  /** Two animation frames: what the widget renders on an answer is on the page by then. */
  async function nextFrames(page: Page): Promise<void> {
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  }

  async function typeInBox(page: Page, text: string): Promise<void> {
    const input = page.getByRole('combobox');
    await input.click();
    await input.pressSequentially(text, { delay: 30 });
  }

  it('suggests as the visitor types 党建, without any request before that', async () => {
    const { page, apiCalls } = await openPage(`${service.origin}/`);
    await page.getByRole('combobox').waitFor();
    await page.waitForTimeout(300);
    expect(apiCalls).toEqual([]);

    await typeInBox(page, '党建');
    const options = page.getByRole('option');
    await options.first().waitFor();
    expect(await options.count()).toBeGreaterThan(0);
    expect(await page.getByRole('combobox').getAttribute('aria-expanded')).toBe('true');
    const optionTexts = await options.allInnerTexts();
    expect(optionTexts.some((text) => text.includes('党建'))).toBe(true);
    // Debounced: one request per pause, not one per character.
    expect(apiCalls.filter((call) => call.startsWith('/v1/suggest')).length).toBeLessThanOrEqual(2);
  });

  it('shows highlighted results on Enter, and a year chip narrows them', async () => {
    const { page, apiCalls } = await openPage(`${service.origin}/`);
    await typeInBox(page, '党建');
    await waitForSearch(page, () => page.getByRole('combobox').press('Enter'));

    const hits = page.locator('.hit');
    expect(await hits.count()).toBeGreaterThan(1);
    const marks = await page.locator('.hit .sn mark').allInnerTexts();
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((mark) => /党|建/.test(mark))).toBe(true);
    const total = await readTotal(page);
    await page.screenshot({ path: join(artifactsDir, 'demo-desktop.png'), fullPage: true });

    // Pick a year that holds some but not all of the results.
    const chips = page.locator('button.chip[data-facet=year]');
    const years = await chips.evaluateAll((buttons) =>
      buttons.map((b) => ({ year: b.getAttribute('data-value') ?? '', count: Number(b.querySelector('.n')?.textContent) })),
    );
    const narrower = years.find((y) => y.count > 0 && y.count < total);
    expect(narrower, JSON.stringify(years)).toBeDefined();
    const searchesBefore = apiCalls.filter((call) => call.startsWith('/v1/search')).length;
    await waitForSearch(page, () => page.locator(`button.chip[data-facet=year][data-value="${narrower?.year}"]`).click());
    expect(await readTotal(page)).toBe(narrower?.count);
    // One request per change: the year counts come back disjunctive, not from a second search without the year.
    const searches = apiCalls.filter((call) => call.startsWith('/v1/search')).slice(searchesBefore);
    expect(searches).toHaveLength(1);
    expect(new URLSearchParams(searches[0]?.split('?')[1]).get('disjunctiveFacets')).toBe('true');
    expect(await page.locator(`button.chip[data-facet=year][data-value="${narrower?.year}"]`).getAttribute('aria-pressed')).toBe('true');
    // The other years stay on offer (with their own counts) so the visitor can add or switch.
    expect(await chips.count()).toBe(years.length);
    const dates = await page.locator('.hit .m span:first-child').allInnerTexts();
    expect(dates.length).toBe(narrower?.count);
    expect(dates.every((date) => date.startsWith(narrower?.year ?? '?'))).toBe(true);

    // Clicking the chip again removes the filter.
    await waitForSearch(page, () => page.locator(`button.chip[data-facet=year][data-value="${narrower?.year}"]`).click());
    expect(await readTotal(page)).toBe(total);
  });

  it('moves through suggestions with ↑/↓, closes them with Esc and picks one with Enter', async () => {
    const { page } = await openPage(`${service.origin}/`);
    // On a busy machine the keys can come more than the debounce apart, and the list for 党
    // would then be replaced by the one for 党建 between the keys below: wait for the last one.
    const last = suggestionsFor(page, '党建');
    await typeInBox(page, '党建');
    const input = page.getByRole('combobox');
    const options = page.getByRole('option');
    await last;
    await nextFrames(page);
    await options.first().waitFor();
    const count = await options.count();

    await input.press('ArrowDown');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.nth(0).getAttribute('id'));
    if (count > 1) {
      await input.press('ArrowDown');
      expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
      expect(await options.nth(0).getAttribute('aria-selected')).toBe('false');
      await input.press('ArrowUp');
    }
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    // Focus never leaves the input, and the focused element shows a ring.
    expect(await input.evaluate((el) => el.matches(':focus'))).toBe(true);

    await input.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await input.inputValue()).toBe('党建');

    const again = suggestionsFor(page, '党建');
    await input.press('Space');
    await input.press('Backspace');
    await again;
    await nextFrames(page);
    await options.first().waitFor();
    await input.press('ArrowDown');
    const chosen = await options.nth(0).locator('span').first().innerText();
    await waitForSearch(page, () => input.press('Enter'));
    expect(await input.inputValue()).toBe(chosen);
    expect(await page.locator('.hit').count()).toBeGreaterThan(0);
  });

  it('never lets a slow answer for older text replace the suggestions for newer text', async () => {
    const { page } = await openPage(`${service.origin}/`);
    let delayed = 0;
    // The real API answers; only its first answer (for 蒙阴) is held back on the wire.
    await page.route(
      (url) => url.pathname === '/v1/suggest' && url.searchParams.get('q') === '蒙阴',
      async (route) => {
        delayed++;
        await new Promise((resolve) => setTimeout(resolve, 1500));
        await route.continue().catch(() => undefined);
      },
    );
    const input = page.getByRole('combobox');
    await typeInBox(page, '蒙阴');
    await page.waitForTimeout(400);
    await input.fill('荆州');
    await page.getByRole('option', { name: /荆州/ }).first().waitFor();
    await page.waitForTimeout(1800);
    const texts = await page.getByRole('option').allInnerTexts();
    expect(delayed).toBe(1);
    expect(texts.some((text) => text.includes('荆州'))).toBe(true);
    expect(texts.some((text) => text.includes('蒙阴'))).toBe(false);
  });

  it('sends nothing while an input method is composing, and suggests on compositionend', async () => {
    const { page, apiCalls } = await openPage(`${service.origin}/`);
    const input = page.getByRole('combobox');
    await input.click();
    const cdp = await page.context().newCDPSession(page);
    for (const text of ['d', 'da', 'dan', 'dang', 'dangj', 'dangji', 'dangjia', 'dangjian']) {
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(400);
    expect(apiCalls).toEqual([]);

    await Promise.all([
      page.waitForRequest((request) => new URL(request.url()).pathname === '/v1/suggest'),
      cdp.send('Input.insertText', { text: '党建' }),
    ]);
    await page.getByRole('option').first().waitFor();
    const suggestCalls = apiCalls.filter((call) => call.startsWith('/v1/suggest'));
    expect(suggestCalls).toHaveLength(1);
    expect(new URLSearchParams(suggestCalls[0]?.split('?')[1]).get('q')).toBe('党建');
  });

  it('accepts full pinyin and initials: dangjian suggests 党建, djpp leads to 党建品牌', async () => {
    const { page } = await openPage(`${service.origin}/`);
    const input = page.getByRole('combobox');
    await typeInBox(page, 'dangjian');
    await page.getByRole('option', { name: /^党建/ }).first().waitFor();
    expect((await page.getByRole('option').allInnerTexts())[0]).toMatch(/^党建/);
    await input.press('ArrowDown');
    await waitForSearch(page, () => input.press('Enter'));
    expect(await input.inputValue()).toMatch(/^党建/);
    expect(await readTotal(page)).toBeGreaterThan(0);

    // Submitting the initials searches what they spell, and the box says how it read them.
    await input.fill('');
    await typeInBox(page, 'djpp');
    await waitForSearch(page, () => page.getByRole('button', { name: '搜索', exact: true }).click());
    const status = page.locator('[role=status]');
    expect(await status.innerText()).toContain('已为你显示“党建品牌”的结果');
    expect(await readTotal(page)).toBeGreaterThan(0);
  });

  it('stays usable on a host page with hostile CSS, and leaves that page alone', async () => {
    const hostileCss = `* { display: inline !important; font-size: 40px !important; color: transparent !important; line-height: 0.4 !important; box-sizing: content-box !important; }`;
    const { page } = await openPage(hostPage('hostile', 'data-page-size="2"', hostileCss));
    const input = page.getByRole('combobox');
    await input.waitFor();
    const box = await input.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThanOrEqual(40);
    const inputStyle = await input.evaluate((el) => {
      const style = getComputedStyle(el);
      return { display: style.display, fontSize: style.fontSize, color: style.color };
    });
    expect(inputStyle).toMatchObject({ display: 'block', fontSize: '16px' });
    expect(inputStyle.color).not.toBe('rgba(0, 0, 0, 0)');

    await typeInBox(page, '党建');
    const options = page.getByRole('option');
    // Results arrive while typing and move the page under the list: measure once both are in.
    await page.locator('.hit').first().waitFor();
    await options.nth(1).waitFor();
    const first = await options.nth(0).boundingBox();
    const second = await options.nth(1).boundingBox();
    // Options stack vertically, as a list, instead of running inline.
    expect((second?.y ?? 0) - (first?.y ?? 0)).toBeGreaterThanOrEqual(first?.height ?? 1);

    await waitForSearch(page, () => input.press('Enter'));
    const hits = page.locator('.hit');
    expect(await hits.count()).toBe(2);
    const firstHit = await hits.nth(0).boundingBox();
    const secondHit = await hits.nth(1).boundingBox();
    expect(secondHit?.y).toBeGreaterThan((firstHit?.y ?? 0) + (firstHit?.height ?? 0) - 1);
    // "加载更多" appends the next page.
    await waitForSearch(page, () => page.getByRole('button', { name: '加载更多' }).click());
    expect(await hits.count()).toBe(Math.min(4, await readTotal(page)));

    // The host page's own elements keep the host page's styles; no stylesheet leaked into the document.
    const hostText = await page.locator('#host-text').evaluate((el) => {
      const style = getComputedStyle(el);
      return { display: style.display, fontSize: style.fontSize };
    });
    expect(hostText).toEqual({ display: 'inline', fontSize: '40px' });
    expect(await page.evaluate(() => document.styleSheets.length)).toBe(1);
  });

  it('shows an article containing <script> as text, and never runs it', async () => {
    const { page, dialogs } = await openPage(`${service.origin}/`);
    await typeInBox(page, '网站留言框');
    await waitForSearch(page, () => page.getByRole('combobox').press('Enter'));
    const snippet = page.locator('.hit .sn', { hasText: '<script>alert(1)</script>' });
    await snippet.first().waitFor();
    expect(await snippet.first().isVisible()).toBe(true);
    expect(await page.locator('.hit script, .hit img').count()).toBe(0);
    await page.locator('.hit .rb').first().click();
    await page.waitForTimeout(500);
    expect(dialogs).toEqual([]);
  });

  it('opens related articles for a result', async () => {
    const { page } = await openPage(`${service.origin}/`);
    await typeInBox(page, '党建品牌');
    await waitForSearch(page, () => page.getByRole('combobox').press('Enter'));
    const button = page.locator('.hit .rb').first();
    await Promise.all([
      page.waitForResponse((response) => /\/v1\/articles\/[^/]+\/related/.test(response.url())),
      button.click(),
    ]);
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const related = page.locator('.hit .rel li');
    await related.first().waitFor();
    expect(await related.count()).toBeGreaterThan(0);
    expect(await page.locator('.hit .rel').first().innerText()).toContain('共同关键词');
  });

  it('only shows the site-key hospital’s articles on that hospital’s site', async () => {
    const { page, apiCalls } = await openPage(hostPage('scoped', `data-site-key="${siteKey}" data-facets="year,hospital"`));
    await typeInBox(page, '党建');
    await waitForSearch(page, () => page.getByRole('combobox').press('Enter'));
    expect(apiCalls.every((call) => call.includes(`key=${siteKey}`))).toBe(true);
    const total = await readTotal(page);
    expect(total).toBeGreaterThan(0);
    const hospitals = await page.locator('.hit .m').allInnerTexts();
    expect(hospitals.every((meta) => meta.includes(scopedHospital))).toBe(true);
    const hospitalChips = await page.locator('button.chip[data-facet=hospital]').evaluateAll((b) => b.map((x) => x.getAttribute('data-value')));
    expect(hospitalChips).toEqual([scopedHospital]);
  });

  it('tells the webmaster when the site key is wrong, without offering a pointless retry', async () => {
    const { page } = await openPage(hostPage('bad-key', 'data-site-key="revoked-key-2021"'));
    await typeInBox(page, '党建');
    await waitForSearch(page, () => page.getByRole('combobox').press('Enter'));
    const status = page.locator('[role=status]');
    expect(await status.innerText()).toContain('站点密钥无效');
    expect(await status.getByRole('button', { name: '重试' }).count()).toBe(0);
    expect(await page.locator('.hit').count()).toBe(0);
  });

  it('degrades to a plain link to the service’s search page when the API is unreachable', async () => {
    const closedPort = await findFreePort();
    const { page } = await openPage(hostPage('offline', `data-api="http://127.0.0.1:${closedPort}" data-search-page="${service.origin}/search"`));
    await typeInBox(page, '党建');
    await page.getByRole('combobox').press('Enter');
    const link = page.getByRole('link', { name: '到搜索页查找“党建”' });
    await link.waitFor();
    expect(await page.locator('[role=status]').innerText()).toContain('暂时无法连接搜索服务');
    expect(await link.getAttribute('href')).toBe(`${service.origin}/search?q=%E5%85%9A%E5%BB%BA`);
    await Promise.all([page.waitForURL(/\/search\?q=/), link.click()]);
    await page.locator('.hit').first().waitFor();
  });

  it('is readable on a 360 px wide phone', async () => {
    const { page } = await openPage(`${service.origin}/`, { width: 360, height: 740 });
    await typeInBox(page, '党建');
    await waitForSearch(page, () => page.getByRole('combobox').press('Enter'));
    await page.locator('.hit').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const submit = await page.getByRole('button', { name: '搜索', exact: true }).boundingBox();
    expect((submit?.x ?? 999) + (submit?.width ?? 0)).toBeLessThanOrEqual(360);
    await page.locator('#search').screenshot({ path: join(artifactsDir, 'widget-phone-360.png') });
    await page.screenshot({ path: join(artifactsDir, 'demo-phone-360.png'), fullPage: true });
  });

  it('gives editors every facet on /search, with the state in a shareable URL', async () => {
    const { page } = await openPage(`${service.origin}/search?q=${encodeURIComponent('党建')}`);
    await page.locator('.hit').first().waitFor();
    const groups = await page.locator('[role=group]').evaluateAll((g) => g.map((x) => x.getAttribute('aria-label')));
    for (const facet of ['省份', '城市', '医院', '年份']) expect(groups).toContain(facet);
    const total = await readTotal(page);

    const province = page.locator('button.chip[data-facet=province]').first();
    const provinceName = (await province.getAttribute('data-value')) ?? '';
    await waitForSearch(page, () => province.click());
    expect(new URL(page.url()).searchParams.get('province')).toBe(provinceName);
    const narrowed = await readTotal(page);
    expect(narrowed).toBeLessThan(total);
    expect(await page.locator('button.chip[data-facet=province]').count()).toBeGreaterThan(1);

    // Back returns to the unfiltered results.
    const shared = page.url();
    await waitForSearch(page, () => page.goBack());
    expect(new URL(page.url()).searchParams.has('province')).toBe(false);
    expect(await readTotal(page)).toBe(total);
    expect(await page.locator('button.chip[aria-pressed=true]').count()).toBe(0);

    // The URL alone reproduces the view.
    const { page: second } = await openPage(shared);
    await second.locator('.hit').first().waitFor();
    expect(await readTotal(second)).toBe(narrowed);
    expect(await second.getByRole('combobox').inputValue()).toBe('党建');
    expect(await second.locator(`button.chip[data-facet=province][data-value="${provinceName}"]`).getAttribute('aria-pressed')).toBe('true');
    await second.screenshot({ path: join(artifactsDir, 'search-page-desktop.png'), fullPage: true });
  });

  it('renders a hostile query in /search as text', async () => {
    const { page, dialogs } = await openPage(`${service.origin}/search?q=${encodeURIComponent('<img src=x onerror=alert(1)>党建')}`);
    await page.locator('[role=status]').filter({ hasText: /篇|没有找到/ }).waitFor();
    expect(await page.title()).toBe('<img src=x onerror=alert(1)>党建 - 党建文章检索');
    expect(await page.getByRole('combobox').inputValue()).toBe('<img src=x onerror=alert(1)>党建');
    expect(dialogs).toEqual([]);
  });
});
