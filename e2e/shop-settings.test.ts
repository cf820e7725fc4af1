/**
 * End to end: the storefront's header comes from the shop settings. The H5 build shows the
 * seeded shop (name, English name, logo, shipping rule) and, after the owner renames the
 * shop through the settings API, the new name on the next visit: in the header and as the
 * page title. The cart's free-shipping nudge and the "me" page's service phone follow the
 * settings too.
 */
import type { Browser } from 'playwright-core';
import type { TestStack } from '../server/test/support/harness';
import { api, makeStaff } from '../server/test/support/people';
import { phonePage, screenshot } from './browser';
import { defaultH5Dir, startStorefront, type StorefrontStack } from './storefront-stack';

const h5Dir = defaultH5Dir;

let stack: TestStack;
let browser: Browser;
let storefront: StorefrontStack;

beforeAll(async () => {
  storefront = await startStorefront(h5Dir);
  ({ stack, browser } = storefront);
}, 60_000);
afterAll(async () => storefront?.close());

it('the home header shows the shop settings, and a rename through the settings API', async () => {
  const page = await phonePage(browser);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(stack.baseUrl + '/');
  const header = page.locator('.shop-header');
  await header.locator('.shop-header__name').waitFor({ timeout: 30_000 });
  await expect(header.locator('.shop-header__name').textContent()).resolves.toBe('茶与点心');
  await expect(header.locator('.shop-header__name-en').textContent()).resolves.toBe('Tea & Snacks');
  await expect(header.locator('.shop-header__shipping-zh').textContent()).resolves.toBe('满 ¥99 包邮');
  await expect(header.locator('.shop-header__shipping-en').textContent()).resolves.toBe('Free shipping over ¥99');
  await header.locator('.shop-header__logo img, img.shop-header__logo').first().waitFor();
  await page.waitForFunction(() => document.title === '茶与点心');
  await screenshot(page, 'settings-01-seeded-header');

  const owner = await makeStaff(stack.db, 'owner');
  const renamed = await api(stack.baseUrl, 'PATCH', '/api/admin/shop-settings', owner.auth, {
    name: '山间茶舍',
    nameEn: 'Mountain Tea House',
    shipping: { flatFee: 800, freeOver: 12_800 },
  });
  expect(renamed.status).toBe(200);

  await page.reload();
  await page.locator('.shop-header__name', { hasText: '山间茶舍' }).waitFor({ timeout: 30_000 });
  await expect(page.locator('.shop-header__name-en').textContent()).resolves.toBe('Mountain Tea House');
  await expect(page.locator('.shop-header__shipping-zh').textContent()).resolves.toBe('满 ¥128 包邮');
  await page.waitForFunction(() => document.title === '山间茶舍');
  await screenshot(page, 'settings-02-renamed-header');

  expect(pageErrors).toEqual([]);
}, 90_000);

it('the cart says how much more ships free by the shop’s rule, and “me” offers the service phone', async () => {
  // The first test left the rule at ¥8 below ¥128.
  const page = await phonePage(browser);
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  await page.goto(stack.baseUrl + '/');
  await page.locator('.product-name', { hasText: '明前西湖龙井' }).click();
  await page.locator('.product-price .price__now').waitFor({ timeout: 20_000 });
  const added = page.waitForResponse(
    (res) => res.url().endsWith('/api/cart/items') && res.request().method() === 'POST',
  );
  await page.locator('.add-to-cart').click(); // 50g, ¥68.00
  expect((await added).status()).toBe(200);
  await page.locator('.product-actions__cart').click();
  await page.locator('.cart-shipping-hint').waitFor({ timeout: 20_000 });
  await expect(page.locator('.cart-shipping-hint').textContent()).resolves.toBe(
    '再买 ¥60.00 免运费 · ¥60.00 more ships free',
  );
  // The server prices the cart by the same rule: ¥8 below ¥128.
  await expect(page.locator('.cart-bar__detail').textContent()).resolves.toContain('运费 ¥8.00');
  await page.waitForTimeout(600);
  await screenshot(page, 'settings-03-cart-nudge');

  await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();
  await expect(page.locator('.me-link--service').textContent({ timeout: 20_000 })).resolves.toContain('400-800-1234');

  expect(pageErrors).toEqual([]);
}, 90_000);
