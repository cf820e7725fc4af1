/**
 * End to end: what a buyer sees around the order pages, in the H5 storefront at phone size.
 * The home page's search entry finds a category by its name; the H5 top bar goes back and
 * home; the cart tab's badge follows add, change and checkout; checkout takes a note and says
 * how much more ships free; the address form picks province, city and district, refuses an
 * empty or malformed phone before sending anything, and edits a saved address; the "me" page
 * shows the member-since date in China time. Screenshots go to test-results/e2e/.
 */
import type { Browser, Page } from 'playwright-core';
import { chinaDate } from '../shared/src/time';
import type { TestStack } from '../server/test/support/harness';
import { phonePage, screenshot } from './browser';
import { defaultH5Dir, startStorefront, type StorefrontStack } from './storefront-stack';

// E2E_H5_DIR: a build made elsewhere (another checkout of the storefront); the workspace's by default.
const h5Dir = process.env.E2E_H5_DIR ?? defaultH5Dir;

let stack: TestStack;
let browser: Browser;
let storefront: StorefrontStack;

beforeAll(async () => {
  storefront = await startStorefront(h5Dir);
  ({ stack, browser } = storefront);
}, 60_000);
afterAll(async () => storefront?.close());

/** A screenshot once the page's slide-in transition has settled. */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600);
  await screenshot(page, name);
}

/** Taro H5 renders <Input> as a custom element around a native input. */
const field = (page: Page, cls: string) => page.locator(`.${cls} input, input.${cls}, .${cls} textarea`).first();

/** A page that records its errors and the API calls it makes. */
async function buyerPage() {
  const page = await phonePage(browser);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const calls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/')) calls.push(`${req.method()} ${new URL(req.url()).pathname}`);
  });
  return { page, errors, calls };
}

const cartBadge = (page: Page) =>
  page.locator('.weui-tabbar__item', { hasText: '购物车' }).locator('.taro-tabbar-badge');

/** Province, city and district through the H5 cascader. */
async function pickRegion(
  page: Page,
  province: string,
  city: string,
  district: string,
  screenshotName?: string,
): Promise<void> {
  await page.locator('.address-form__region').click();
  const sheet = page.locator('.region-sheet');
  await sheet.waitFor();
  // A saved address opens at its district; the first tab goes back to the provinces.
  await sheet.locator('.region-sheet__tab').first().click();
  for (const name of [province, city, district]) {
    if (name === district && screenshotName) await shot(page, screenshotName);
    await sheet
      .locator('.region-sheet__item')
      .filter({ hasText: new RegExp(`^${name}✓?$`) })
      .click();
  }
  await sheet.waitFor({ state: 'detached' });
}

it('searches from home by category name, goes back and home from the top bar, and keeps the cart badge in step through checkout', async () => {
  const { page, errors, calls } = await buyerPage();
  await page.goto(stack.baseUrl + '/');
  await page.locator('.product-card').first().waitFor({ timeout: 30_000 });
  // Opening the shop signs no one in just for the badge.
  expect(calls.filter((c) => c.endsWith('/api/auth/login'))).toEqual([]);

  // The search entry; the input stops at the API's 50 characters.
  await page.locator('.home-search').click();
  const input = field(page, 'search-bar__input');
  await input.waitFor();
  await page.locator('.h5-nav').waitFor();
  await expect(input.getAttribute('maxlength')).resolves.toBe('50');
  await input.fill('茶'.repeat(60));
  expect((await input.inputValue()).length).toBeLessThanOrEqual(50);

  // 绿茶 is a category: every green tea is found, not only those with 绿茶 in their names.
  const greenTeas: { name: string }[] = await stack.db.query(
    "SELECT name FROM products WHERE category_id = 'cat_greentea' AND published = 1",
  );
  expect(greenTeas.length).toBeGreaterThan(2);
  await input.fill('绿茶');
  const searched = page.waitForResponse((res) => res.url().includes('/api/products?') && res.url().includes('q='));
  await page.locator('.search-bar__submit').click();
  expect((await searched).status()).toBe(200);
  await page.locator('.search-result').first().waitFor();
  const found = await page.locator('.search-result .product-row__name').allTextContents();
  expect(found.sort()).toEqual(greenTeas.map((p) => p.name).sort());
  await expect(page.locator('.search-results .list-footer').textContent()).resolves.toBe('没有更多了 · No more');
  await shot(page, 'buyer-01-search-category');

  // 返回 Back: home again.
  await page.locator('.h5-nav__back').click();
  await page.locator('.home-search').waitFor();

  // A product: 首页 Home from its top bar, then back to it and into the cart.
  await page.locator('.product-card', { hasText: '明前西湖龙井' }).click();
  await page.locator('.product-price .price__now').waitFor({ timeout: 20_000 });
  await expect(page.locator('.h5-nav').isVisible()).resolves.toBe(true);
  await shot(page, 'buyer-02-product-top-bar');
  await page.locator('.h5-nav__home').click();
  await page.locator('.home-search').waitFor();
  // Tab pages have no top bar (the tab bar is their way around).
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.h5-nav')].every((bar) => (bar as HTMLElement).offsetParent === null),
  );
  await page.locator('.product-card', { hasText: '明前西湖龙井' }).click();
  await page.locator('.product-price .price__now').waitFor({ timeout: 20_000 });
  const added = page.waitForResponse(
    (res) => res.url().endsWith('/api/cart/items') && res.request().method() === 'POST',
  );
  await page.locator('.add-to-cart').click(); // 50g, ¥68.00
  expect((await added).status()).toBe(200);
  await page.locator('.h5-nav__back').click();
  await page.locator('.home-search').waitFor();
  await expect(cartBadge(page).textContent({ timeout: 10_000 })).resolves.toBe('1');

  // Switching a home tab starts the new list at its top.
  // (H5 scrolls each page in its own .taro_page box.)
  const homeScroll = (to?: number) =>
    page.evaluate((y) => {
      const box = document.querySelector('.home')!.closest('.taro_page')!;
      if (y !== undefined) box.scrollTop = y;
      return box.scrollTop;
    }, to);
  expect(await homeScroll(2000)).toBeGreaterThan(1000);
  await page.waitForTimeout(300);
  expect((await page.locator('.product-card').first().boundingBox())!.y).toBeLessThan(0);
  await page.locator('.category-tab', { hasText: '红茶' }).click();
  await page.locator('.product-card').first().waitFor();
  await page.waitForTimeout(300);
  expect(await homeScroll()).toBe(0);
  const top = (await page.locator('.product-card').first().boundingBox())!;
  expect(top.y).toBeGreaterThan(0);
  expect(top.y).toBeLessThan(844 / 2);
  await shot(page, 'buyer-03-home-tab-top-badge');

  // The cart: the badge follows the stepper.
  await page.locator('.weui-tabbar__item', { hasText: '购物车' }).click();
  await page.locator('.cart-line').first().waitFor({ timeout: 20_000 });
  await page.locator('.cart-line .qty-stepper__plus').click();
  await page.locator('.cart-line .qty-stepper__value', { hasText: '2' }).waitFor();
  await page.locator('.taro-tabbar-badge', { hasText: '2' }).waitFor();
  await page.locator('.cart-line .qty-stepper__minus').click();
  await page.locator('.taro-tabbar-badge', { hasText: /^1$/ }).waitFor();

  // Checkout: ¥68 of ¥99 — ¥31 more ships free, under the shipping line; a note goes with the order.
  await page.locator('.cart-checkout').click();
  await page.locator('.address-form').waitFor({ timeout: 20_000 });
  await page.locator('.h5-nav').waitFor();
  await field(page, 'address-form__input--recipient').fill('林小茶');
  await field(page, 'address-form__input--phone').fill('13800138000');
  await pickRegion(page, '浙江省', '杭州市', '西湖区');
  await field(page, 'address-form__input--detail').fill('龙井路 18 号');
  await page.locator('.address-form__save').click();
  await page.locator('.checkout-address__chosen .address-card__where', { hasText: '浙江省 杭州市 西湖区' }).waitFor();
  await page.locator('.checkout-breakdown__note').waitFor({ state: 'detached' });
  await expect(page.locator('.checkout-free-shipping').textContent()).resolves.toBe(
    '再买 ¥31.00 免运费 · ¥31.00 more ships free',
  );
  await field(page, 'checkout-note__input').fill('请用礼盒包装，谢谢');
  await shot(page, 'buyer-04-checkout-note-nudge');
  const placed = page.waitForResponse((res) => res.url().endsWith('/api/orders') && res.request().method() === 'POST');
  await page.locator('.checkout-submit').click();
  expect((await placed).status()).toBe(200);
  await page.locator('.order-detail').waitFor({ timeout: 20_000 });
  const orders: { note: string }[] = await stack.db.query('SELECT note FROM orders');
  expect(orders).toEqual([{ note: '请用礼盒包装，谢谢' }]);

  // The ordered line left the cart, and the badge with it.
  await page.goBack();
  await page.locator('.cart--empty').waitFor({ timeout: 20_000 });
  await expect(cartBadge(page).count()).resolves.toBe(0);

  expect(errors).toEqual([]);
}, 180_000);

it('the address form picks a region, checks the phone before sending, and edits a saved address; "me" shows China time', async () => {
  const { page, errors, calls } = await buyerPage();
  await page.goto(stack.baseUrl + '/');
  await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();
  await page.locator('.me-header__since').waitFor({ timeout: 30_000 });

  // Joined at 01:30 on 2 March in Beijing, which is still 1 March in UTC.
  const buyers: { id: string }[] = await stack.db.query('SELECT id FROM buyers ORDER BY created_at DESC LIMIT 1');
  await stack.db.query("UPDATE buyers SET created_at = '2026-03-01 17:30:00' WHERE id = ?", [buyers[0].id]);
  const me = page.waitForResponse((res) => res.url().endsWith('/api/me'));
  await page.reload();
  const body = (await (await me).json()) as { createdAt: string };
  expect(body.createdAt).toBe('2026-03-01T17:30:00.000Z');
  await expect(page.locator('.me-header__since').textContent({ timeout: 20_000 })).resolves.toBe(
    `${chinaDate(body.createdAt)} 加入 · Member since`,
  );
  expect(chinaDate(body.createdAt)).toBe('2026-03-02');

  await page.locator('.me-link--addresses').click();
  await page.locator('.address-form').waitFor({ timeout: 20_000 });
  const sent = () => calls.filter((c) => /^(POST|PATCH) \/api\/addresses/.test(c));

  // Nothing filled: each field says what it needs, in Chinese first, and nothing is sent.
  await page.locator('.address-form__save').click();
  await expect(page.locator('.address-form__error--phone').textContent()).resolves.toContain('请填写手机号');
  await expect(page.locator('.address-form__error--recipient').textContent()).resolves.toContain('请填写收货人');
  await expect(page.locator('.address-form__error--region').textContent()).resolves.toContain('请选择省 / 市 / 区');
  await expect(page.locator('.address-form__error--detail').textContent()).resolves.toContain('请填写');

  await field(page, 'address-form__input--recipient').fill('周一茶');
  await pickRegion(page, '浙江省', '杭州市', '西湖区', 'buyer-05-region-picker');
  await expect(page.locator('.address-form__region').textContent()).resolves.toContain('浙江省 杭州市 西湖区');
  await field(page, 'address-form__input--detail').fill('梅家坞 8 号');
  // Too short, then the right length but not a mobile prefix (12…).
  for (const phone of ['1380013', '12800138000']) {
    await field(page, 'address-form__input--phone').fill(phone);
    await page.locator('.address-form__save').click();
    await expect(page.locator('.address-form__error--phone').textContent()).resolves.toContain(
      '手机号应为 1 开头的 11 位数字',
    );
  }
  await expect(page.locator('.address-form__error--region').count()).resolves.toBe(0);
  await shot(page, 'buyer-06-address-phone-error');
  expect(sent()).toEqual([]);

  await field(page, 'address-form__input--phone').fill('13900139000');
  await page.locator('.address-form__save').click();
  await page.locator('.address-item .address-card__recipient', { hasText: '周一茶' }).waitFor({ timeout: 20_000 });
  expect(sent()).toEqual(['POST /api/addresses']);
  await expect(page.locator('.address-item .address-card__where').textContent()).resolves.toBe(
    '浙江省 杭州市 西湖区 梅家坞 8 号',
  );

  // Edit it: the form starts from what was saved; a new recipient and region are PATCHed.
  await page.locator('.address-item__edit').click();
  await expect(field(page, 'address-form__input--recipient').inputValue()).resolves.toBe('周一茶');
  await expect(page.locator('.address-form__region').textContent()).resolves.toContain('浙江省 杭州市 西湖区');
  await field(page, 'address-form__input--recipient').fill('周二茶');
  await pickRegion(page, '广东省', '深圳市', '南山区');
  await shot(page, 'buyer-07-address-edit');
  await page.locator('.address-form__save').click();
  await page.locator('.address-item .address-card__recipient', { hasText: '周二茶' }).waitFor({ timeout: 20_000 });
  expect(sent()).toEqual(['POST /api/addresses', expect.stringMatching(/^PATCH \/api\/addresses\/\w+$/)]);
  await expect(page.locator('.address-item .address-card__where').textContent()).resolves.toBe(
    '广东省 深圳市 南山区 梅家坞 8 号',
  );
  const rows: { recipient: string; province: string; city: string; district: string }[] = await stack.db.query(
    'SELECT recipient, province, city, district FROM addresses WHERE buyer_id = ?',
    [buyers[0].id],
  );
  expect(rows).toEqual([{ recipient: '周二茶', province: '广东省', city: '深圳市', district: '南山区' }]);
  await shot(page, 'buyer-08-addresses');

  expect(errors).toEqual([]);
}, 120_000);

it('a link to a missing product offers back and home; back with no history goes home', async () => {
  const { page, errors } = await buyerPage();
  await page.goto(`${stack.baseUrl}/#/pages/product/index?id=prod_nosuchthing`);
  await page.locator('.product--not-found').waitFor({ timeout: 30_000 });
  await page.locator('.not-found__home').waitFor();
  await page.locator('.h5-nav__home').waitFor();
  await shot(page, 'buyer-09-product-not-found');
  await page.locator('.not-found__back').click();
  await page.locator('.home-search').waitFor({ timeout: 20_000 });
  expect(errors).toEqual([]);
}, 60_000);
