/**
 * /docs in Chromium against the real server: Scalar's reference renders
 * under the page's Content-Security-Policy, asks nothing of any other host,
 * and its "try it" form sends a search to this API and shows the answer.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../api/helpers.js';
import { browserAvailable, launchChromium, skipReason } from './harness.js';

describe.skipIf(!browserAvailable)(`/docs in Chromium${skipReason}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_IP_BURST: '100000' });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A page whose requests elsewhere are refused and recorded, with its console problems. */
  async function openDocs(): Promise<{ page: Page; elsewhere: string[]; problems: string[] }> {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const problems: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(`${server.url}/`)) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/iu.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${server.url}/docs`);
    await page.getByText('Search articles').first().waitFor({ timeout: 30_000 });
    return { page, elsewhere, problems };
  }

  it('renders every tag of the reference with scripts and requests of this origin only', async () => {
    const { page, elsewhere, problems } = await openDocs();
    const text = await page.locator('body').innerText();
    for (const tag of ['search', 'articles', 'admin', 'operations', 'documentation']) expect(text).toContain(tag);
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('"Test Request" sends the example search to this API and shows the answer', async () => {
    const { page, elsewhere, problems } = await openDocs();
    await page.goto(`${server.url}/docs#tag/search/GET/v1/search`);
    await page.getByRole('button', { name: /Test Request/iu }).first().click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/v1/search', { timeout: 15_000 }),
      page.getByRole('button', { name: /^Send/iu }).first().click(),
    ]);
    expect(response.status()).toBe(200);
    // The documented examples fill the form.
    expect(new URL(response.url()).searchParams.get('q')).toBe('党建品牌');
    await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('200 OK');
    expect(elsewhere).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
