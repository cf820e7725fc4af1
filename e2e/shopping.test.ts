/**
 * End to end: a buyer shops in the H5 storefront, in Chromium, against the real API on
 * MariaDB and Redis, signing in through the sandbox playing WeChat (the H5 build asks the
 * sandbox for a wx.login code for this browser's simulated buyer). Browse a category,
 * search, favourite, put two SKUs in the cart, check out with a new address, and find the
 * order, unpaid, in the orders list. Screenshots of every page go to test-results/e2e/.
 */
import type { Browser, Page } from 'playwright-core';
import { ProductListQuery } from '../shared/src/catalog';
import type { TestStack } from '../server/test/support/harness';
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

/** A screenshot once the page's slide-in transition has settled. */
async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600);
  await screenshot(page, name);
}

/** Taro H5 renders <Input> as a custom element around a native input. */
const field = (page: Page, cls: string) => page.locator(`.${cls} input, input.${cls}, .${cls} textarea`).first();

describe('shopping in the browser', () => {
  it('signs in through the sandbox, browses, searches, favourites, buys two SKUs and sees the unpaid order', async () => {
    const page = await phonePage(browser);
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const apiCalls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/api/') || req.url().includes('/sandbox/')) apiCalls.push(`${req.method()} ${req.url()}`);
    });

    // Home, then the category tab: categories on the left, that category's products on the right.
    await page.goto(stack.baseUrl + '/');
    await page.locator('.product-card').first().waitFor({ timeout: 30_000 });
    await page.locator('.weui-tabbar__item', { hasText: '分类' }).click();
    await page.locator('.category-side__item').first().waitFor({ timeout: 20_000 });
    await page.locator('.category-product').first().waitFor();
    await page.locator('.category-side__item', { hasText: '坚果零食' }).click();
    await page.locator('.category-product .product-row__name', { hasText: '每日坚果' }).waitFor();
    await expect(page.locator('.category-product', { hasText: '龙井' }).count()).resolves.toBe(0);
    await shot(page, 'shop-01-category');

    // Search by keyword: the server filters (GET /api/products?q=…).
    await page.locator('.search-entry').click();
    await field(page, 'search-bar__input').fill('龙井');
    const searched = page.waitForResponse((res) => res.url().includes('/api/products?') && res.url().includes('q='));
    await page.locator('.search-bar__submit').click();
    expect((await searched).status()).toBe(200);
    await page.locator('.search-result .product-row__name', { hasText: '明前西湖龙井' }).waitFor();
    if ('q' in ProductListQuery.shape)
      await expect(page.locator('.search-result', { hasText: '每日坚果' }).count()).resolves.toBe(0);
    await shot(page, 'shop-02-search');

    // The product: favourite it (this signs the buyer in through the sandbox).
    await page.locator('.search-result', { hasText: '明前西湖龙井' }).click();
    await page.locator('.product-price .price__now').waitFor({ timeout: 20_000 });
    await page.locator('.fav-toggle').click();
    await page.locator('.fav-toggle--on', { hasText: '1' }).waitFor();
    expect(apiCalls.some((c) => /POST .*\/sandbox\/mp\/users\/oH5\w+\/login$/.test(c))).toBe(true);
    expect(apiCalls.some((c) => c.startsWith('POST') && c.endsWith('/api/auth/login'))).toBe(true);

    // Two SKUs: one 100g, two 250g.
    await page.locator('.spec-chip', { hasText: '100g' }).click();
    await page.locator('.spec-chip--active', { hasText: '100g' }).waitFor();
    let added = page.waitForResponse(
      (res) => res.url().endsWith('/api/cart/items') && res.request().method() === 'POST',
    );
    await page.locator('.add-to-cart').click();
    expect((await added).status()).toBe(200);
    await page.locator('.spec-chip', { hasText: '250g' }).click();
    await page.locator('.spec-chip--active', { hasText: '250g' }).waitFor();
    await page.locator('.product-quantity .qty-stepper__plus').click();
    await expect(page.locator('.product-quantity .qty-stepper__value').textContent()).resolves.toBe('2');
    added = page.waitForResponse((res) => res.url().endsWith('/api/cart/items') && res.request().method() === 'POST');
    await page.locator('.add-to-cart').click();
    expect((await added).status()).toBe(200);
    await shot(page, 'shop-03-product');

    // The cart: both lines selected; 128.00 + 2 × 298.00 = 724.00, shipping free over 99.
    await page.locator('.product-actions__cart').click();
    await page.locator('.cart-line').nth(1).waitFor({ timeout: 20_000 });
    expect(await page.locator('.cart-line').count()).toBe(2);
    await expect(page.locator('.cart-total').textContent()).resolves.toBe('¥724.00');
    // The checkout bar sits above the H5 tab bar, not under it.
    const bar = (await page.locator('.cart-bar').boundingBox())!;
    const tabBar = (await page.locator('.taro-tabbar__tabbar').boundingBox())!;
    expect(bar.y + bar.height).toBeLessThanOrEqual(tabBar.y + 1);
    await shot(page, 'shop-04-cart');

    // Checkout: no address yet, so the form; a short phone is refused under its input before sending.
    await page.locator('.cart-checkout').click();
    await page.locator('.address-form').waitFor({ timeout: 20_000 });
    await field(page, 'address-form__input--recipient').fill('林小茶');
    await field(page, 'address-form__input--phone').fill('1380013');
    await page.locator('.address-form__region').click();
    for (const place of ['浙江省', '杭州市', '西湖区'])
      await page
        .locator('.region-sheet__item')
        .filter({ hasText: new RegExp(`^${place}$`) })
        .click();
    await field(page, 'address-form__input--detail').fill('龙井路 18 号');
    await page.locator('.address-form__save').click();
    await page.locator('.address-form__error--phone').waitFor();
    await expect(page.locator('.address-form__error--phone').textContent()).resolves.toContain('11-digit');
    expect(apiCalls.filter((c) => c.startsWith('POST') && c.endsWith('/api/addresses'))).toEqual([]);
    await shot(page, 'shop-05-checkout-address-error');
    await field(page, 'address-form__input--phone').fill('13800138000');
    await page.locator('.address-form__save').click();
    await page.locator('.checkout-address__chosen .address-card__recipient', { hasText: '林小茶' }).waitFor();
    await page.locator('.checkout-breakdown__note').waitFor({ state: 'detached' });
    await expect(page.locator('.checkout-breakdown .breakdown__payable').textContent()).resolves.toBe('¥724.00');
    await expect(page.locator('.checkout-line').count()).resolves.toBe(2);
    await shot(page, 'shop-06-checkout');

    // Place the order: the detail page shows it unpaid, with the time left to pay.
    await page.locator('.checkout-submit').click();
    await page.locator('.order-detail .order-status').waitFor({ timeout: 20_000 });
    await expect(page.locator('.order-status').textContent()).resolves.toContain('待付款');
    await expect(page.locator('.order-payby').textContent()).resolves.toMatch(/请在 \d{2}:\d{2}/);
    await expect(page.locator('.order-line').count()).resolves.toBe(2);
    await page.locator('.order-cancel').waitFor();
    await shot(page, 'shop-07-order');
    const orderNo = (await page.locator('.order-no').textContent())?.trim();

    // Me → awaiting payment: the order is in the list.
    await page.goBack();
    await page.locator('.weui-tabbar__item', { hasText: '我的' }).click();
    await page.locator('.me-orders__item--PENDING_PAYMENT').waitFor({ timeout: 20_000 });
    await shot(page, 'shop-08-me');
    await page.locator('.me-orders__item--PENDING_PAYMENT').click();
    await page.locator('.order-card').first().waitFor({ timeout: 20_000 });
    await page.locator('.order-tab--active', { hasText: '待付款' }).waitFor();
    expect(await page.locator('.order-card').count()).toBe(1);
    await expect(page.locator('.order-card__no').textContent()).resolves.toContain(orderNo);
    await expect(page.locator('.order-card__status').textContent()).resolves.toContain('待付款');
    await expect(page.locator('.order-card__payable').textContent()).resolves.toBe('¥724.00');
    await shot(page, 'shop-09-orders');

    // The favourites page lists the product.
    await page.goBack();
    await page.locator('.me-link--favourites').click();
    await page.locator('.favourite-item', { hasText: '明前西湖龙井' }).waitFor({ timeout: 20_000 });
    await shot(page, 'shop-10-favourites');

    // And in the database: one order for this browser's sandbox buyer, unpaid, two lines.
    const buyers: { id: string; openid: string }[] = await stack.db.query('SELECT id, openid FROM buyers');
    expect(buyers).toHaveLength(1);
    expect(buyers[0].openid).toMatch(/^oH5/);
    const orders: { id: string; status: string; buyer_id: string; order_no: string; payable: number }[] =
      await stack.db.query('SELECT id, status, buyer_id, order_no, payable FROM orders');
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'PENDING_PAYMENT', buyer_id: buyers[0].id, order_no: orderNo });
    expect(Number(orders[0].payable)).toBe(72_400);
    const lines: { quantity: number }[] = await stack.db.query(
      'SELECT quantity FROM order_lines WHERE order_id = ? ORDER BY quantity',
      [orders[0].id],
    );
    expect(lines.map((l) => Number(l.quantity))).toEqual([1, 2]);
    // What was ordered left the cart.
    const cart: unknown[] = await stack.db.query('SELECT * FROM cart_items');
    expect(cart).toHaveLength(0);

    expect(pageErrors).toEqual([]);
  }, 180_000);
});
