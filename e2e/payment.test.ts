/**
 * End to end: paying for an order in the H5 storefront, in Chromium. The sandbox plays
 * WeChat and WeChat Pay (in-process, retries compressed by `timeScale`); its cashier page
 * stands in for wx.requestPayment and sends the buyer back to the order page. The API
 * marks the order PAID only when WeChat Pay's signed notification arrives: the test holds
 * that notification back for a moment to see the page wait for it ("Confirming payment")
 * instead of trusting the cashier's word. An abandoned payment leaves the order payable.
 */
import type { Browser, Page } from 'playwright-core';
import { orderStatusLabel } from '../shared/src/orders';
import { formatChinaTime } from '../shared/src/time';
import type { TestStack } from '../server/test/support/harness';
import { launchBrowser, phonePage, screenshot } from './browser';
import { startSandboxPayStorefront, type SandboxPayStorefront } from './sandbox-pay-storefront';

let shop: SandboxPayStorefront;
let sandboxUrl: string;
let stack: TestStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

let hold: Promise<void> | null = null;
let release: () => void = () => undefined;
const notifications: string[] = [];

beforeAll(async () => {
  // The API as the sandbox reaches it, with WeChat Pay's notifications held while `hold` is set.
  shop = await startSandboxPayStorefront({
    name: 'pay',
    front: (req, pass) => {
      if (req.url === '/api/pay/notify') {
        notifications.push(req.method ?? '');
        if (hold) return void hold.then(pass);
      }
      pass();
    },
  });
  ({ sandboxUrl, stack } = shop);
  browser = await launchBrowser();
  page = await phonePage(browser);
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 60_000);

afterAll(async () => {
  release();
  await browser?.close();
  await shop?.close();
});

/** A screenshot once the page's slide-in transition (and any toast) has settled. */
async function shot(name: string, settleMs = 600): Promise<void> {
  await page.waitForTimeout(settleMs);
  await screenshot(page, name);
}

const field = (cls: string) => page.locator(`.${cls} input, input.${cls}, .${cls} textarea`).first();

async function orderRow(orderNo: string): Promise<{ id: string; status: string; paid_at: unknown; created_at: Date }> {
  const rows: { id: string; status: string; paid_at: unknown; created_at: Date }[] = await stack.db.query(
    'SELECT id, status, paid_at, created_at FROM orders WHERE order_no = ?',
    [orderNo],
  );
  expect(rows).toHaveLength(1);
  return rows[0];
}

/** Buy one of a product now (product page → checkout → place order) and land on the unpaid order. */
async function placeOrder(productName: string, shotPrefix?: string): Promise<string> {
  await page.goto(stack.baseUrl + '/');
  await page.locator('.product-card', { hasText: productName }).first().click({ timeout: 30_000 });
  await page.locator('.product-price .price__now').waitFor({ timeout: 20_000 });
  await page.locator('.buy-now').click();
  // The first time there is no address: the form, inside checkout.
  await page.locator('.checkout-address__chosen, .address-form').first().waitFor({ timeout: 20_000 });
  if (await page.locator('.address-form').count()) {
    await field('address-form__input--recipient').fill('林小茶');
    await field('address-form__input--phone').fill('13800138000');
    await page.locator('.address-form__region').click();
    for (const place of ['浙江省', '杭州市', '西湖区'])
      await page
        .locator('.region-sheet__item')
        .filter({ hasText: new RegExp(`^${place}$`) })
        .click();
    await field('address-form__input--detail').fill('龙井路 18 号');
    await page.locator('.address-form__save').click();
    await page.locator('.checkout-address__chosen').waitFor();
  }
  await page.locator('.checkout-breakdown__note').waitFor({ state: 'detached' });
  if (shotPrefix) await shot(`${shotPrefix}-checkout`);
  await page.locator('.checkout-submit').click();
  await page.locator('.order-detail .order-status').waitFor({ timeout: 20_000 });
  await expect(page.locator('.order-status').textContent()).resolves.toContain('待付款');
  await page.locator('.order-pay', { hasText: '立即支付' }).waitFor();
  return (await page.locator('.order-no').textContent())!.trim();
}

describe('paying in the browser', () => {
  it('checkout → Pay → the sandbox cashier → pay → back on the order page, Paid once the server is told', async () => {
    const orderNo = await placeOrder('龙井', 'pay-01');
    await expect(page.locator('.order-payby').textContent()).resolves.toMatch(/请在 \d{2}:\d{2}/);
    await shot('pay-02-order-unpaid');

    // Pay now: the API prepares the payment, the browser goes to the cashier with the signed parameters.
    const prepared = page.waitForResponse((r) => /\/api\/orders\/[^/]+\/pay$/.test(r.url()));
    await page.locator('.order-pay').click();
    expect((await prepared).status()).toBe(200);
    await page.waitForURL((u) => u.href.startsWith(`${sandboxUrl}/sandbox/pay/cashier?`), { timeout: 20_000 });
    const cashier = new URL(page.url());
    expect(cashier.searchParams.get('paySign')).toBeTruthy();
    expect(cashier.searchParams.get('redirect')).toMatch(/#\/pkg-order\/pages\/order\/index\?id=ord_/);
    await page.locator('.amount').waitFor();
    await expect(page.locator('body').textContent()).resolves.toContain(orderNo);
    await expect(page.locator('.problem').count()).resolves.toBe(0); // paySign verified
    await shot('pay-03-cashier', 200);

    // Pay, with WeChat Pay's notification held back: the page must not take the cashier's word.
    hold = new Promise<void>((r) => (release = r));
    await page.locator('button', { hasText: '确认支付' }).click();
    await page.waitForURL((u) => u.href.startsWith(stack.baseUrl) && u.hash.includes('wxpay=pay'), {
      timeout: 20_000,
    });
    await page.locator('.order-status', { hasText: '支付确认中' }).waitFor({ timeout: 20_000 });
    await page.locator('.order-pay--confirming').waitFor();
    expect(notifications.length).toBeGreaterThan(0);
    expect((await orderRow(orderNo)).status).toBe('PENDING_PAYMENT');
    await shot('pay-04-confirming', 300);

    // The notification lands: the order is PAID on the server, and the page (polling) says so.
    release();
    hold = null;
    await page.locator('.order-status', { hasText: orderStatusLabel.PAID }).waitFor({ timeout: 20_000 });
    await page.locator('.order-paid').waitFor();
    await expect(page.locator('.order-pay').count()).resolves.toBe(0);
    await expect(page.locator('.order-payby').count()).resolves.toBe(0);
    const row = await orderRow(orderNo);
    expect(row.status).toBe('PAID');
    expect(row.paid_at).toBeTruthy();
    await page.locator('.order-meta__row', { hasText: '付款时间' }).waitFor();
    // Times in China time: the paid time reads as WeChat Pay's own success_time (+08:00) does.
    const atWechat = (await (await fetch(`${sandboxUrl}/sandbox/pay/orders/${orderNo}`)).json()) as {
      success_time: string;
    };
    expect(atWechat.success_time).toMatch(/\+08:00$/);
    await expect(
      page.locator('.order-meta__row', { hasText: '付款时间' }).locator('text=/\\d{4}-/').textContent(),
    ).resolves.toBe(atWechat.success_time.slice(0, 16).replace('T', ' '));
    await expect(
      page.locator('.order-meta__row', { hasText: '下单时间' }).locator('text=/\\d{4}-/').textContent(),
    ).resolves.toBe(formatChinaTime(row.created_at));
    await shot('pay-05-paid', 1800); // the "支付成功" toast has gone

    // Exactly once: one payment row, paid, whatever the retries did.
    const payments: { status: string }[] = await stack.db.query(
      'SELECT p.status FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.order_no = ?',
      [orderNo],
    );
    expect(payments).toHaveLength(1);
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('an abandoned payment leaves the order unpaid, with Pay now and the time left', async () => {
    const orderNo = await placeOrder('每日坚果');
    await page.locator('.order-pay').click();
    await page.waitForURL((u) => u.href.startsWith(`${sandboxUrl}/sandbox/pay/cashier?`), { timeout: 20_000 });
    await page.locator('.amount').waitFor();
    await page.locator('button', { hasText: '取消' }).click();
    await page.waitForURL((u) => u.href.startsWith(stack.baseUrl) && u.hash.includes('wxpay=abandon'), {
      timeout: 20_000,
    });
    await page.locator('.order-detail .order-status').waitFor({ timeout: 20_000 });
    await expect(page.locator('.order-status').textContent()).resolves.toContain('待付款');
    await page.locator('.order-pay', { hasText: '立即支付' }).waitFor();
    await expect(page.locator('.order-payby').textContent()).resolves.toMatch(/请在 \d{2}:\d{2}/);
    await shot('pay-06-abandoned', 300); // with the "cancelled" toast
    expect((await orderRow(orderNo)).status).toBe('PENDING_PAYMENT');

    // Still payable: Pay now opens the cashier again, for the same order.
    await page.locator('.order-pay').click();
    await page.waitForURL((u) => u.href.startsWith(`${sandboxUrl}/sandbox/pay/cashier?`), { timeout: 20_000 });
    await expect(page.locator('body').textContent()).resolves.toContain(orderNo);
    await expect(page.locator('.problem').count()).resolves.toBe(0);
    await page.goBack();
    await page.locator('.order-pay', { hasText: '立即支付' }).waitFor({ timeout: 20_000 });
    await shot('pay-07-still-payable', 2600);
    expect((await orderRow(orderNo)).status).toBe('PENDING_PAYMENT');
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
