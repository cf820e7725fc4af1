/**
 * The owner's day in the console, against any running stack reached over HTTP only (the
 * `npm start` test runs it on the stack a newcomer gets): sign in, the dashboard with the demo
 * history's charts, a new product with a 2 × 2 SKU matrix and an uploaded image published and
 * then found in the H5 storefront, a paid order shipped, a refund approved with restock, the
 * shop renamed. A buyer signs in through the sandbox and pays there, as in the mini-program.
 * Screenshots: test-results/e2e/journey-*.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { api } from '../server/test/support/people';
import { phonePage, screenshot } from './browser';
import { png } from './images';

export interface JourneyStack {
  apiUrl: string;
  sandboxUrl: string;
  ownerPassword: string;
}

interface Buyer {
  auth: { authorization: string };
  addressId: string;
}

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const by = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > by) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A buyer signed in through the sandbox, with an address. */
async function signInBuyer(s: JourneyStack): Promise<Buyer> {
  const openid = `oJourney${Date.now().toString(36)}`;
  const login = await api(s.sandboxUrl, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {});
  const session = await api(s.apiUrl, 'POST', '/api/auth/login', {}, { code: login.body.code });
  expect(session.status).toBe(200);
  const auth = { authorization: `Bearer ${session.body.accessToken as string}` };
  const address = await api(s.apiUrl, 'POST', '/api/addresses', auth, {
    recipient: '赵六',
    phone: '13700137000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '龙井路 1 号',
  });
  expect(address.status).toBe(200);
  return { auth, addressId: address.body.id as string };
}

/** An order placed by the buyer and paid at the sandbox's cashier. */
async function paidOrder(s: JourneyStack, buyer: Buyer, skuId: string) {
  const placed = await api(s.apiUrl, 'POST', '/api/orders', buyer.auth, {
    clientKey: `journey-${skuId}-${Date.now()}`,
    items: [{ skuId, quantity: 1 }],
    addressId: buyer.addressId,
  });
  expect(placed.status).toBe(200);
  const id = placed.body.id as string;
  const pay = await api(s.apiUrl, 'POST', `/api/orders/${id}/pay`, buyer.auth);
  expect(pay.status).toBe(200);
  expect((await api(s.sandboxUrl, 'POST', `/sandbox/pay/prepay/${pay.body.prepayId as string}/pay`)).status).toBe(200);
  await until(
    'the order to be paid',
    () => api(s.apiUrl, 'GET', `/api/orders/${id}`, buyer.auth),
    (r) => r.body?.status === 'PAID',
  );
  return placed.body as { id: string; orderNo: string; lines: { id: string }[] };
}

export async function ownerJourney(browser: Browser, s: JourneyStack): Promise<void> {
  const buyer = await signInBuyer(s);
  const toShip = await paidOrder(s, buyer, 'sku_longjing1');
  const toRefund = await paidOrder(s, buyer, 'sku_jinjunmei1');
  const asked = await api(s.apiUrl, 'POST', `/api/orders/${toRefund.id}/refunds`, buyer.auth, {
    lines: [{ orderLineId: toRefund.lines[0].id, quantity: 1 }],
    reasonCode: 'DAMAGED',
    reason: '包装破损',
  });
  expect(asked.status).toBe(200);

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const shot = async (name: string, settleMs = 500) => {
    await page.waitForTimeout(settleMs);
    await screenshot(page, `journey-${name}`);
  };
  try {
    await page.goto(`${s.apiUrl}/console/`);
    await page.locator('#username').fill('owner');
    await page.locator('#password').fill(s.ownerPassword);
    await page.getByRole('button', { name: '登录 Sign in' }).click();
    const menu = page.locator('.console-menu');

    // The dashboard, with the demo history drawn (not its empty state).
    await page.waitForURL(/\/console\/dashboard$/);
    await page.locator('.dashboard-kpis').waitFor({ timeout: 30_000 });
    await page.locator('.chart-daily canvas').waitFor();
    expect(await page.locator('.state-empty, .state-error').count()).toBe(0);
    await shot('01-dashboard', 1200);

    await newProductInStorefront(page, menu, s, shot);

    // Ship the buyer's paid order from its page.
    await menu.getByText('订单管理').click();
    await page.locator('.order-link', { hasText: toShip.orderNo }).click();
    await page.locator('.ship-order').click();
    await page.locator('.field-carrier input').fill('顺丰速运');
    await page.locator('input.field-tracking-no').fill('SF2026113000001');
    await page.locator('.confirm-ship').click();
    await page.locator('.order-status', { hasText: '已发货 Shipped' }).waitFor();
    await shot('05-order-shipped');
    expect((await api(s.apiUrl, 'GET', `/api/orders/${toShip.id}`, buyer.auth)).body.status).toBe('SHIPPED');

    // Approve the refund request with the unit back in stock.
    await menu.getByText('退款售后').click();
    const row = page.locator('.refunds-table tr', { hasText: toRefund.orderNo });
    await row.locator('.approve-refund').click();
    await shot('06-approve-refund');
    await page.locator('.confirm-approve').click();
    await page.getByText('已同意退款 · Refund approved').waitFor();
    await until(
      'the refund to reach the buyer',
      () => api(s.apiUrl, 'GET', `/api/orders/${toRefund.id}`, buyer.auth),
      // The goods' money back; shipping stays with the shop unless the merchant refunds it too.
      (r) => ['PARTIALLY_REFUNDED', 'REFUNDED'].includes(r.body?.status),
      60_000,
    );
    await shot('07-refund-approved');

    // Rename the shop; the storefront's header follows.
    await menu.getByText('店铺设置').click();
    const name = page.locator('input.field-name');
    await name.waitFor();
    await name.fill('山间茶舍');
    await page.locator('.save-settings').click();
    await page.getByText('已保存 · Saved').waitFor();
    await shot('08-shop-renamed');
    const shop = await api(s.apiUrl, 'GET', '/api/client-config');
    expect(shop.body.shop.name).toBe('山间茶舍');
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
}

/** Catalog: a product with colour × size (4 SKUs) and an uploaded image, published, seen by buyers. */
async function newProductInStorefront(
  page: Page,
  menu: Locator,
  s: JourneyStack,
  shot: (name: string, settleMs?: number) => Promise<void>,
): Promise<void> {
  await menu.getByText('商品管理').click();
  await page.locator('.new-product').click();
  await page.locator('input.field-name').fill('山茶花礼盒');
  await page.locator('input.field-name-en').fill('Camellia Gift Box');
  await page.locator('.field-category').click();
  await page.locator('.ant-select-item-option', { hasText: '绿茶' }).click();
  await page
    .locator('.image-list input[type=file]')
    .setInputFiles([{ name: 'camellia.png', mimeType: 'image/png', buffer: png(120, 120, [214, 69, 80]) }]);
  await page.locator('.image-item').first().waitFor();
  const image = await page.locator('.image-item').first().getAttribute('data-url');
  expect(image).toMatch(/^\/media\/uploads\//);
  for (const [index, name, nameEn, values] of [
    [0, '颜色', 'Colour', ['粉', '白']],
    [1, '规格', 'Size', ['小盒', '大盒']],
  ] as const) {
    await page.locator('.add-spec').click();
    const dim = page.locator('.spec-dimension').nth(index);
    await dim.locator('input.spec-name').fill(name);
    await dim.locator('input.spec-name-en').fill(nameEn);
    for (const v of values) {
      await dim.locator('input.spec-value-input').fill(v);
      await dim.locator('input.spec-value-input').press('Enter');
      await dim.locator('.spec-value', { hasText: v }).waitFor();
    }
  }
  expect(await page.locator('.sku-matrix-table tbody tr').count()).toBe(4);
  await page.locator(':is(input.fill-price, .fill-price input)').fill('68');
  await page.locator('input.fill-stock').fill('20');
  await page.locator('.fill-all').click();
  await page.locator('.sku-matrix').scrollIntoViewIfNeeded();
  await shot('02-new-product-matrix');
  await page.locator('.save-product').click();
  await page.waitForURL(/\/catalog\/products\/prod_[0-9a-z]+$/);
  const productId = /\/(prod_[0-9a-z]+)$/.exec(page.url())![1];
  await page.locator('.publish-product').click();
  await page.locator('.product-status', { hasText: '已上架' }).waitFor();
  await shot('03-product-published');

  // The buyer's storefront (H5, phone size) shows it with its picture and four choices.
  const seen = await api(s.apiUrl, 'GET', `/api/products/${productId}`);
  expect(seen.status).toBe(200);
  expect(seen.body.skus).toHaveLength(4);
  expect(seen.body.cover).toBe(image);
  const phone = await phonePage(page.context().browser()!);
  try {
    await phone.goto(`${s.apiUrl}/#/pages/product/index?id=${productId}`);
    await phone.locator('.product-title', { hasText: '山茶花礼盒' }).waitFor({ timeout: 30_000 });
    await phone.locator('.product-price .price__now').waitFor();
    await screenshot(phone, 'journey-04-storefront-product');
  } finally {
    await phone.context().close();
  }
}
