/**
 * End to end: the H5 build of the storefront, served by the real API against MariaDB and
 * Redis, in Chromium. A buyer sees the seeded shop, opens a product and switches SKU.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { launchBrowser, phonePage, screenshot } from './browser';

const h5Dir = path.resolve(__dirname, '../miniapp/dist/h5');

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(path.join(h5Dir, 'index.html')))
    throw new Error('build the H5 storefront first (npm run build:h5 -w @chatmall/miniapp)');
  stack = await startStack({ config: testConfig({ STOREFRONT_DIR: h5Dir }) });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('storefront in the browser', () => {
  it('shows the seeded products, opens one, and changes the price when the buyer picks another SKU', async () => {
    const page = await phonePage(browser);
    const consoleErrors: string[] = [];
    page.on('pageerror', (err) => consoleErrors.push(err.message));

    await page.goto(stack.baseUrl + '/');
    await page.locator('.product-card').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.product-card').count()).toBeGreaterThanOrEqual(10);
    await page.locator('.product-name', { hasText: '明前西湖龙井' }).waitFor();
    await screenshot(page, '01-home');

    // Filter by a category: only its products stay on the shelf.
    await page.locator('.category-tab', { hasText: '坚果零食' }).click();
    await page.locator('.product-name', { hasText: '每日坚果' }).waitFor();
    await expect(page.locator('.product-name', { hasText: '明前西湖龙井' }).count()).resolves.toBe(0);
    await screenshot(page, '02-category');

    await page.locator('.category-tab', { hasText: '全部' }).click();
    await page.locator('.product-name', { hasText: '明前西湖龙井' }).click();

    const price = page.locator('.product-price .price__now');
    await price.waitFor({ timeout: 20_000 });
    expect((await price.textContent())?.trim()).toBe('¥68.00');
    await screenshot(page, '03-product-50g');

    await page.locator('.spec-chip', { hasText: '100g' }).click();
    await page.locator('.spec-chip--active', { hasText: '100g' }).waitFor();
    await expect(price.textContent()).resolves.toContain('¥128.00');
    await expect(page.locator('.product-price .price__was').textContent()).resolves.toContain('¥148.00');
    await screenshot(page, '04-product-100g');

    await page.locator('.spec-chip', { hasText: '250g' }).click();
    await expect(price.textContent()).resolves.toContain('¥298.00');

    expect(consoleErrors).toEqual([]);
  }, 90_000);
});
