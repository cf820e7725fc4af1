/**
 * End to end, in Chromium against the H5 build: a buyer's after-sales (售后) and reviews.
 * The sandbox plays WeChat and WeChat Pay (orders are paid through its cashier API and
 * refunds settle by its notifications); the merchant acts through the admin API as owner.
 *
 * 1. (390 × 844) A partial refund of one line with a reason and a photo → pending in the 售后
 *    tab → approved → the order page shows the refunded amount and date; a second request is
 *    rejected and the buyer sees the reason; a pending request is withdrawn.
 * 2. (320 × 640) The unpaid order page of a ¥12,345.67 (and a ¥99,999.99) order keeps its
 *    bottom bar on one row: the amount and the buttons do not overlap or wrap.
 * 3. The buyer confirms receipt, reviews a product with two photos, and the product page
 *    shows the review under 有图.
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatChinaTime } from '../shared/src/time';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OrderEntity } from '../server/src/modules/orders/order.entity';
import { RefundEntity } from '../server/src/modules/payments/refund.entity';
import { api, makeStaff } from '../server/test/support/people';
import { startPayStack, waitFor, type PayStack } from '../server/test/support/pay-stack';
import { launchBrowser, screenshot } from './browser';

const h5Dir = path.resolve(__dirname, '../miniapp/dist/h5');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
/** Distinct bytes (a trailing byte after IEND), so each upload is its own photo. */
const png = (n: number) => Buffer.concat([PNG, Buffer.from([n])]);

let p: PayStack;
let owner: { auth: { authorization: string } };
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(h5Dir, 'index.html')))
    throw new Error('build the H5 storefront first (npm run build:h5 -w @chatmall/miniapp)');
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
  browser = await launchBrowser();
  context = await phone(390, 844);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

/** A phone-sized context whose H5 buyer is the pay stack's buyer (the same simulated WeChat user). */
async function phone(width: number, height: number): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 2, locale: 'zh-CN' });
  await ctx.addInitScript((openid) => {
    localStorage.setItem('chatmall.h5.openid', JSON.stringify({ data: openid }));
  }, p.buyer.openid);
  return ctx;
}

async function shot(name: string, on: Page = page, settleMs = 700): Promise<void> {
  await on.waitForTimeout(settleMs);
  await screenshot(on, name);
}
const open = (route: string, on: Page = page) => on.goto(`${p.stack.baseUrl}/#/${route}`);
const orderOf = (id: string) => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id });
const refundOf = (id: string) => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id });
/** Taro H5's showModal: its confirm button. */
const confirmModal = (on: Page = page) => on.locator('.taro-model__confirm').click();

let n = 0;
/** An order placed (and paid, and shipped) for the pay stack's buyer through the API. */
async function order(items: { skuId: string; quantity: number }[], opts: { pay?: boolean; ship?: boolean } = {}) {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `e2e-aftersales-${++n}-${Date.now()}`,
    items,
    addressId: p.buyer.addressId,
  });
  expect(placed.status).toBe(200);
  const id = placed.body.id as string;
  if (opts.pay !== false) {
    const pay = await api(p.apiUrl, 'POST', `/api/orders/${id}/pay`, p.buyer.auth);
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
    await waitFor(
      () => orderOf(id),
      (o) => o.status === 'PAID',
    );
  }
  if (opts.ship)
    expect(
      (
        await api(p.apiUrl, 'POST', `/api/admin/orders/${id}/ship`, owner.auth, {
          carrier: '顺丰',
          trackingNo: 'SF2025112901',
        })
      ).status,
    ).toBe(200);
  return placed.body as { id: string; orderNo: string; lines: { id: string; skuId: string; productId: string }[] };
}

/** Chooses photos through Taro's file input (chooseImage in H5). */
async function addPhotos(buffers: Buffer[]): Promise<void> {
  const before = await page.locator('.photo-picker__image').count();
  const chooser = page.waitForEvent('filechooser');
  await page.locator('.photo-picker__add').click();
  await (
    await chooser
  ).setFiles(buffers.map((buffer, i) => ({ name: `photo-${i}.png`, mimeType: 'image/png', buffer })));
  await page
    .locator('.photo-picker__image')
    .nth(before + buffers.length - 1)
    .waitFor({ timeout: 20_000 });
}

describe('after-sales in the browser (390 × 844)', () => {
  it('asks for one line back with a reason and a photo, sees it pending, approved, refunded with the date; a rejection shows its reason; a pending request is withdrawn', async () => {
    const o = await order(
      [
        { skuId: 'sku_longjing1', quantity: 1 },
        { skuId: 'sku_jinjunmei1', quantity: 2 },
      ],
      { ship: true },
    );
    const jinjunmei = o.lines.find((l) => l.skuId === 'sku_jinjunmei1')!;

    // The order page → 申请售后 → choose the 金骏眉 line, one of two units, a reason, words and a photo.
    await open(`pkg-order/pages/order/index?id=${o.id}`);
    await page.locator('.order-refund-ask').click({ timeout: 30_000 });
    await page.locator('.after-sales__line').first().waitFor({ timeout: 20_000 });
    await page.locator('.after-sales__line', { hasText: '金骏眉' }).click();
    await page.locator('.after-sales__line--on .qty-stepper__minus').click();
    await expect(page.locator('.after-sales__line--on .qty-stepper__value').textContent()).resolves.toBe('1');
    await expect(page.locator('.after-sales__total-amount').textContent()).resolves.toBe('¥88.00');
    await page.locator('.after-sales__reason--DAMAGED').click();
    await page.locator('.after-sales__text textarea').fill('罐身压扁了一个');
    await addPhotos([png(1)]);
    await shot('aftersales-01-form');
    const asked = page.waitForResponse(
      (r) => r.url().endsWith(`/api/orders/${o.id}/refunds`) && r.request().method() === 'POST',
    );
    await page.locator('.after-sales__submit').click();
    const first = (await (await asked).json()) as { id: string; amount: number; photos: string[]; lines: unknown[] };
    expect(first).toMatchObject({ amount: 8800, lines: [{ orderLineId: jinjunmei.id, quantity: 1 }] });
    expect(first.photos).toHaveLength(1);

    // Back on the order page: the request, pending. Then the 售后 tab of the orders list.
    await page
      .locator('.order-refund--REQUESTED .order-refund__status', { hasText: '待处理' })
      .waitFor({ timeout: 20_000 });
    await shot('aftersales-02-order-pending');
    await open('pkg-order/pages/orders/index');
    await page.locator('.order-tab--REFUNDS').click();
    const card = page.locator('.refund-card--REQUESTED', { hasText: o.orderNo });
    await card.waitFor({ timeout: 20_000 });
    await expect(card.textContent()).resolves.toContain('待处理');
    await expect(card.textContent()).resolves.toContain('金骏眉');
    await shot('aftersales-03-tab-pending');

    // The merchant approves (owner, through the API), putting the unit back; WeChat Pay settles it.
    const approved = await api(p.apiUrl, 'POST', `/api/admin/refunds/${first.id}/approve`, owner.auth, {
      restock: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
    });
    expect(approved.status).toBe(200);
    const settled = await waitFor(
      () => refundOf(first.id),
      (r) => r.status === 'SUCCESS',
    );
    expect(settled.status).toBe('SUCCESS');
    await open(`pkg-order/pages/order/index?id=${o.id}`);
    await page.locator('.order-refunded').waitFor({ timeout: 20_000 });
    await expect(page.locator('.order-refunded__amount').textContent()).resolves.toBe('−¥88.00');
    await expect(page.locator('.order-refunded__date').first().textContent()).resolves.toBe(
      formatChinaTime(settled.succeededAt!),
    );
    const payable = (await orderOf(o.id)).payable;
    await expect(page.locator('.order-net__amount').textContent()).resolves.toBe(
      `¥${((payable - 8800) / 100).toFixed(2)}`,
    );
    await page.locator('.order-refund--SUCCESS', { hasText: '已退款' }).waitFor();
    await page.locator('.order-refunded').scrollIntoViewIfNeeded();
    await shot('aftersales-04-refunded');

    // A second request, by amount; the merchant rejects it and the buyer reads why.
    await page.locator('.order-refund-ask').click();
    await page.locator('.after-sales__mode--amount').click({ timeout: 20_000 });
    await page.locator('.after-sales__amount-input input').fill('20');
    await page.locator('.after-sales__reason--QUALITY').click();
    const second = page.waitForResponse(
      (r) => r.url().endsWith(`/api/orders/${o.id}/refunds`) && r.request().method() === 'POST',
    );
    await page.locator('.after-sales__submit').click();
    const secondId = ((await (await second).json()) as { id: string }).id;
    await page.locator('.order-refund--REQUESTED').waitFor({ timeout: 20_000 });
    const rejected = await api(p.apiUrl, 'POST', `/api/admin/refunds/${secondId}/reject`, owner.auth, {
      reason: '茶叶无质量问题 The tea is fine',
    });
    expect(rejected.status).toBe(200);
    await page.reload();
    const rejection = page.locator('.order-refund--REJECTED');
    await rejection.waitFor({ timeout: 20_000 });
    await expect(rejection.textContent()).resolves.toContain('已拒绝');
    await expect(rejection.locator('.order-refund__rejected').textContent()).resolves.toContain(
      '茶叶无质量问题 The tea is fine',
    );
    await rejection.scrollIntoViewIfNeeded();
    await shot('aftersales-05-rejected');

    // A third, then withdrawn from the 售后 tab before anyone decides it.
    const third = await api(p.apiUrl, 'POST', `/api/orders/${o.id}/refunds`, p.buyer.auth, {
      amount: 500,
      reasonCode: 'CHANGED_MIND',
    });
    expect(third.status).toBe(200);
    await open('pkg-order/pages/orders/index?tab=refunds');
    const pending = page.locator('.refund-card--REQUESTED', { hasText: o.orderNo });
    await pending.waitFor({ timeout: 20_000 });
    await pending.locator('.refund-card__withdraw').click();
    await confirmModal();
    await page.locator(`.refund-card--WITHDRAWN`, { hasText: '已撤销' }).first().waitFor({ timeout: 20_000 });
    expect((await refundOf(third.body.id)).status).toBe('WITHDRAWN');
    await expect(
      page.locator('.refund-card--REJECTED .refund-card__rejected').first().textContent(),
    ).resolves.toContain('茶叶无质量问题');
    await expect(page.locator('.orders__end').textContent()).resolves.toBe('没有更多了 · No more');
    await shot('aftersales-06-tab-withdrawn');
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('shows one row per product on the orders list, the status beside (not over) the order number, and China time', async () => {
    const o = await order(
      [
        { skuId: 'sku_longjing1', quantity: 1 },
        { skuId: 'sku_longjing2', quantity: 1 },
      ],
      { pay: false },
    );
    await open('pkg-order/pages/orders/index');
    const card = page.locator('.order-card', { hasText: o.orderNo });
    await card.waitFor({ timeout: 20_000 });
    await expect(card.locator('.order-card__product').count()).resolves.toBe(1); // two SKUs of one tea
    await expect(card.locator('.order-card__qty').textContent()).resolves.toBe('× 2');
    const placedAt = (await orderOf(o.id)).createdAt;
    await expect(card.locator('.order-card__date').textContent()).resolves.toBe(formatChinaTime(placedAt));
    const no = await card.locator('.order-card__no').boundingBox();
    const status = await card.locator('.order-card__status').boundingBox();
    expect(no!.x + no!.width).toBeLessThanOrEqual(status!.x);
    await card.locator('.order-card__pay').waitFor();
    await shot('aftersales-07-orders-list');
  }, 120_000);
});

describe('the unpaid order page on a 320 px screen', () => {
  it('keeps ¥12,345.67 (and ¥99,999.99) and both buttons on one row, not overlapping', async () => {
    const small = await phone(320, 640);
    const narrow = await small.newPage();
    narrow.on('pageerror', (err) => pageErrors.push(err.message));
    for (const [price, shown] of [
      [1234567, '¥12,345.67'],
      [9999999, '¥99,999.99'],
    ] as const) {
      expect((await api(p.apiUrl, 'PUT', '/api/admin/skus/sku_maofeng1/price', owner.auth, { price })).status).toBe(
        200,
      );
      const o = await order([{ skuId: 'sku_maofeng1', quantity: 1 }], { pay: false });
      await open(`pkg-order/pages/order/index?id=${o.id}`, narrow);
      const due = narrow.locator('.order-actions__due');
      const cancel = narrow.locator('.order-actions .order-cancel');
      const payBtn = narrow.locator('.order-actions .order-pay');
      await payBtn.waitFor({ timeout: 30_000 });
      await expect(due.locator('.price__now').textContent()).resolves.toBe(shown);
      await shot(`aftersales-08-narrow-${price}`, narrow);
      const boxes = await Promise.all([due, cancel, payBtn].map((l) => l.boundingBox()));
      const [d, c, b] = boxes.map((x) => x!);
      // One row: each button is one line high and they share a vertical centre with the amount's block.
      expect(Math.abs(c.y + c.height / 2 - (b.y + b.height / 2))).toBeLessThan(2);
      expect(Math.abs(d.y + d.height / 2 - (b.y + b.height / 2))).toBeLessThan(12);
      expect(c.height).toBeLessThan(34);
      expect(b.height).toBeLessThan(34);
      // Left to right, no overlap, all on screen.
      expect(d.x + d.width).toBeLessThanOrEqual(c.x);
      expect(c.x + c.width).toBeLessThanOrEqual(b.x);
      expect(b.x + b.width).toBeLessThanOrEqual(320);
      expect(d.x).toBeGreaterThanOrEqual(0);
      // The amount itself is not cut or wrapped: its text fits its box on one line.
      const amount = await due.locator('.price__now').boundingBox();
      expect(amount!.x + amount!.width).toBeLessThanOrEqual(c.x);
      expect(amount!.height).toBeLessThan(30);
    }
    await small.close();
  }, 120_000);
});

describe('reviews in the browser', () => {
  it('confirms receipt, reviews a product with two photos, and the product page shows it under 有图', async () => {
    const o = await order([{ skuId: 'sku_dahongpao1', quantity: 1 }], { ship: true });
    await open(`pkg-order/pages/order/index?id=${o.id}`);
    await page.locator('.order-confirm').click({ timeout: 30_000 });
    await confirmModal();
    await page.locator('.order-status', { hasText: '已完成' }).waitFor({ timeout: 20_000 });
    await page.locator('.order-line__review-btn', { hasText: '评价' }).click();

    await page.locator('.review-star--4').click({ timeout: 20_000 });
    await page.locator('.review-page__text textarea').fill('岩韵明显，焙火恰好，第五泡仍有回甘。');
    await addPhotos([png(11), png(12)]);
    await expect(page.locator('.photo-picker__image').count()).resolves.toBe(2);
    await page.locator('.review-page__name-input input').fill('武夷茶客');
    await shot('aftersales-09-review-form');
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/reviews') && r.request().method() === 'POST');
    await page.locator('.review-page__submit').click();
    expect((await posted).status()).toBe(200);
    await page.locator('.order-line__rated', { hasText: '已评价' }).waitFor({ timeout: 20_000 });
    await shot('aftersales-10-order-reviewed');

    await open(`pages/product/index?id=${o.lines[0].productId}`);
    await page.locator('.reviews .review').first().waitFor({ timeout: 30_000 });
    await page.locator('.review-filter--photos').click();
    const review = page.locator('.review', { hasText: '武夷茶客' });
    await review.waitFor({ timeout: 20_000 });
    await expect(review.locator('.review__photo').count()).resolves.toBe(2);
    await expect(review.locator('.review__stars').textContent()).resolves.toBe('★★★★☆');
    await expect(page.locator('.review-filter--photos').textContent()).resolves.toContain('有图');
    await review.scrollIntoViewIfNeeded();
    await shot('aftersales-11-product-with-photos');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
