/**
 * Accessibility of the search box and the service's pages in Chromium, light
 * and dark: axe-core (injected into the page, so it also sees inside the
 * widget's shadow root) must find nothing; touch targets hold 32 px at a
 * 360 px wide viewport; on a phone the facets fold away so the first result
 * is on the first screen. Screenshots of every view go to tests/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  browserAvailable,
  launchChromium,
  skipReason,
  startHostSite,
  startService,
  waitForSearch,
  type RunningService,
} from './harness.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const adminToken = 'a11y-admin-token-0123456789';
/** README's theming example, as a hospital site would paste it. */
const readmeAccentCss = '#search { --dj-accent: #0b5cad; --dj-radius: 4px; }';
const schemes = ['light', 'dark'] as const;
type Scheme = (typeof schemes)[number];
const phone = { width: 360, height: 740 };
const desktop = { width: 1280, height: 900 };

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Every axe violation on the page, one line per failing element (readable in a failed expect). */
async function runAxe(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id} (${violation.impact}): ${JSON.stringify(node.target)} ${node.failureSummary?.replace(/\s+/g, ' ') ?? ''}`),
  );
}

/**
 * Visible buttons, links and inputs smaller than 32×32 px inside the widget,
 * and with `wholePage` in the rest of the page as well (links inside running
 * text are exempt there, as in WCAG 2.5.8, and the demo page has some).
 */
function findSmallTargets(page: Page, wholePage: boolean): Promise<string[]> {
  return page.evaluate((wholePage) => {
    const small: string[] = [];
    const visit = (root: Document | ShadowRoot): void => {
      for (const element of root.querySelectorAll<HTMLElement>('button, a[href], input, select, [role=option]')) {
        const rect = element.getBoundingClientRect();
        const style = getComputedStyle(element);
        if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden') continue;
        if (rect.width < 32 || rect.height < 32) {
          small.push(`${element.tagName.toLowerCase()}.${element.className} "${element.textContent?.trim().slice(0, 20)}" ${Math.round(rect.width)}×${Math.round(rect.height)}`);
        }
      }
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
    };
    if (wholePage) visit(document);
    else for (const element of document.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
    return small;
  }, wholePage);
}

describe.skipIf(!browserAvailable)(`accessibility in Chromium${skipReason}`, () => {
  let service: RunningService;
  let host: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Browser;
  let articleId = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await mkdir(artifactsDir, { recursive: true });
    host = await startHostSite();
    service = await startService({ extraArticles: [], siteKeys: [], corsOrigins: [host.origin], env: { ADMIN_TOKEN: adminToken } });
    browser = await launchChromium();
    const response = await fetch(`${service.origin}/v1/search?q=${encodeURIComponent('党建品牌')}&pageSize=1&facets=false`);
    const data = (await response.json()) as { hits: { id: string }[] };
    articleId = data.hits[0]?.id ?? '';
    expect(articleId).not.toBe('');
    host.pages.set(
      '/hospital.html',
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>蒙阴县人民医院</title>
<style>body{margin:0;padding:16px;font-family:sans-serif;background:#fff;color:#222}@media (prefers-color-scheme:dark){body{background:#15181d;color:#e6e8eb}}${readmeAccentCss}</style></head>
<body><main><h1>蒙阴县人民医院</h1><div id="search"><a href="${service.origin}/search">搜索党建文章</a></div></main>
<script src="${service.origin}/widget.js" data-target="#search" data-theme="auto" data-facets="year,awardType,hospital" async></script>
</body></html>`,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await host?.close();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function openPage(url: string, colorScheme: Scheme, viewport = desktop): Promise<Page> {
    // bypassCSP: the pages forbid inline script, and axe arrives as one.
    const context = await browser.newContext({ viewport, colorScheme, locale: 'zh-CN', bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  /** Type a query into the box and wait for its results. */
  async function searchInBox(page: Page, text: string): Promise<void> {
    const input = page.getByRole('combobox');
    await input.fill(text);
    await waitForSearch(page, () => input.press('Enter'));
    await page.locator('.hit').first().waitFor();
  }

  /** The views axe checks, each brought to the state worth checking (results shown, highlights on). */
  const views: { name: string; open: (scheme: Scheme, viewport?: typeof desktop) => Promise<Page> }[] = [
    {
      name: 'demo',
      open: async (scheme, viewport) => {
        const page = await openPage(`${service.origin}/`, scheme, viewport);
        await searchInBox(page, '党建');
        return page;
      },
    },
    {
      name: 'search',
      open: async (scheme, viewport) => {
        const page = await openPage(`${service.origin}/search?q=${encodeURIComponent('党建')}`, scheme, viewport);
        await page.locator('.hit').first().waitFor();
        return page;
      },
    },
    {
      name: 'article',
      open: async (scheme, viewport) => {
        const page = await openPage(`${service.origin}/articles/${encodeURIComponent(articleId)}?q=${encodeURIComponent('党建品牌')}`, scheme, viewport);
        expect(await page.locator('article mark').count()).toBeGreaterThan(0);
        return page;
      },
    },
    {
      name: 'hospital-box',
      open: async (scheme, viewport) => {
        const page = await openPage(`${host.origin}/hospital.html`, scheme, viewport);
        await searchInBox(page, '党建');
        return page;
      },
    },
    {
      name: 'admin',
      open: async (scheme, viewport) => {
        const page = await openPage(`${service.origin}/admin`, scheme, viewport);
        await page.fill('#token', adminToken);
        await page.click('#load');
        await page.locator('#editor').waitFor();
        return page;
      },
    },
    {
      name: 'admin-analytics',
      open: async (scheme, viewport) => {
        const page = await openPage(`${service.origin}/admin/analytics`, scheme, viewport);
        await page.fill('#token', adminToken);
        await Promise.all([page.waitForURL(/\/admin\/analytics/), page.click('button[type=submit]')]);
        await page.locator('h2#top').waitFor();
        return page;
      },
    },
  ];

  describe.each(schemes)('%s', (scheme) => {
    it.each(views.map((view) => [view.name, view] as const))('axe finds no violations on %s', async (name, view) => {
      const page = await view.open(scheme);
      await page.screenshot({ path: join(artifactsDir, `a11y-${name}-${scheme}.png`), fullPage: true });
      expect(await runAxe(page)).toEqual([]);
    });
  });

  it('follows the system colour scheme on the service’s own pages and in their boxes', async () => {
    const paths = ['/', '/search?q=党建', `/articles/${encodeURIComponent(articleId)}`, '/admin', '/admin/analytics'];
    const colours = async (scheme: Scheme) => {
      const result: Record<string, string> = {};
      for (const path of paths) {
        const page = await openPage(`${service.origin}${path}`, scheme);
        result[path] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        if (path.startsWith('/search')) {
          await page.locator('.hit').first().waitFor();
          result['box'] = await page.evaluate(() => {
            const widget = document.querySelector('#search div')?.shadowRoot?.querySelector('.dj');
            return widget ? getComputedStyle(widget).backgroundColor : 'no widget';
          });
        }
      }
      return result;
    };
    const light = await colours('light');
    const dark = await colours('dark');
    for (const key of [...paths, 'box']) expect(dark[key], key).not.toBe(light[key]);
    // Dark means dark: every channel of the background well below the middle.
    for (const key of [...paths, 'box']) {
      const channels = (dark[key]?.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      expect(Math.max(...channels), `${key}: ${dark[key]}`).toBeLessThan(64);
    }
  });

  it.each(['demo', 'search', 'hospital-box'])('keeps every touch target at least 32 px on a 360 px phone (%s)', async (name) => {
    const view = views.find((candidate) => candidate.name === name)!;
    for (const scheme of schemes) {
      const page = await view.open(scheme, phone);
      // Open the folded parts too, so their buttons are measured as well.
      const toggle = page.locator('button.ft');
      if (await toggle.isVisible()) await toggle.click();
      await page.locator('.hit .rb').first().click();
      await page.locator('.hit .rel li, .hit .rel p').first().waitFor();
      await page.screenshot({ path: join(artifactsDir, `a11y-${name}-${scheme}-360.png`), fullPage: true });
      expect(await findSmallTargets(page, name === 'search')).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    }
  });

  it('folds the facets away on a phone, so the first result is on the first screen', async () => {
    const page = await views[1]!.open('light', phone);
    await page.screenshot({ path: join(artifactsDir, 'a11y-search-light-360-first-screen.png') });
    const firstHit = await page.locator('.hit').first().boundingBox();
    expect(firstHit?.y).toBeLessThan(phone.height);
    const chips = page.locator('button.chip');
    expect(await chips.first().isVisible()).toBe(false);
    const toggle = page.locator('button.ft');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await chips.first().isVisible()).toBe(true);
    // The panel still filters: a chip narrows the results and the toggle counts it.
    await waitForSearch(page, () => chips.first().click());
    expect(await page.locator('button.chip[aria-pressed=true]').count()).toBe(1);
    expect(await toggle.innerText()).toContain('1');

    // On a wide screen the facets are simply there, with no toggle.
    const wide = await views[1]!.open('light', desktop);
    expect(await wide.locator('button.ft').isVisible()).toBe(false);
    expect(await wide.locator('button.chip').first().isVisible()).toBe(true);
  });
});
