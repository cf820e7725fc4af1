/**
 * End to end in Chromium at 1440 × 900 against the console build served by the API (build
 * it first: npm run build -w @chatmall/console), with the sandbox playing WeChat and WeChat
 * Pay. The owner:
 *
 * 1. reads today's reconciliation with a paid order, a refunded one and a payment whose
 *    notification was lost (listed as a difference, its link opens the order), and the Pay
 *    notification log filtered by outcome;
 * 2. lists reviews with photos, previews a photo, replies, edits the reply, hides the review
 *    with a reason (the product page no longer shows it) and shows it again;
 * 3. runs the credential check: every credential OK against the sandbox; then, on the same
 *    shop served with a wrong official-account secret and a wrong APIv3 key, both named in
 *    words and neither secret shown;
 * 4. exports the paid orders as CSV from the orders list (BOM, the orders the list shows).
 *
 * Screenshots: test-results/e2e/console-money.png, console-reviews.png, console-credentials.png
 * (and console-credentials-wrong.png).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OrderEntity } from '../server/src/modules/orders/order.entity';
import { RefundEntity } from '../server/src/modules/payments/refund.entity';
import { compose } from '../server/src/main/compose';
import { getJson, testConfig } from '../server/test/support/harness';
import { api, makeStaff } from '../server/test/support/people';
import { startPayStack, waitFor, type PayStack } from '../server/test/support/pay-stack';
import { launchBrowser, screenshot } from './browser';
import { createStaff, desktop, failOnPageErrors, requireConsoleBuild, submitSignIn } from './console-stack';

jest.setTimeout(120_000);
const consoleDir = path.resolve(__dirname, '../console/dist');

let p: PayStack;
let browser: Browser;
let owner: { auth: { authorization: string } };
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  requireConsoleBuild(consoleDir);
  p = await startPayStack();
  await createStaff(p.stack.db, [{ username: 'boss', displayName: '王老板', role: 'owner' }]);
  owner = await makeStaff(p.stack.db, 'owner');
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

async function signedIn(baseUrl = p.stack.baseUrl): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await desktop(browser, pageErrors, { acceptDownloads: true });
  await page.goto(`${baseUrl}/console/sign-in`);
  await submitSignIn(page, 'boss');
  await page.locator('.console-staff').getByText('王老板').waitFor();
  return { context, page };
}

let n = 0;
async function placeAndPay(skuId: string, quantity = 1) {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `e2e-money-${++n}-${Date.now()}`,
    items: [{ skuId, quantity }],
    addressId: p.buyer.addressId,
  });
  expect(placed.status).toBe(200);
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  return placed.body as { id: string; orderNo: string; lines: { id: string; productId: string }[] };
}
const orderRow = (id: string) => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id });
async function paidOrder(skuId: string, quantity = 1) {
  const o = await placeAndPay(skuId, quantity);
  await waitFor(
    () => orderRow(o.id),
    (r) => r.status === 'PAID',
  );
  return o;
}

it('money: today’s reconciliation with a refund and a lost notification, and the notification log', async () => {
  const paid = await paidOrder('sku_longjing1', 2);
  const refunded = await paidOrder('sku_jinjunmei1', 1);
  const asked = await api(p.apiUrl, 'POST', `/api/orders/${refunded.id}/refunds`, p.buyer.auth, {
    amount: 8800,
    reason: '不想要了',
  });
  expect(asked.status).toBe(200);
  expect(
    (await api(p.apiUrl, 'POST', `/api/admin/refunds/${asked.body.id}/approve`, owner.auth, { restock: [] })).status,
  ).toBe(200);
  await waitFor(
    () => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id: asked.body.id }),
    (r) => r.status === 'SUCCESS',
  );
  // WeChat takes this payment, but its notification never reaches us.
  await p.sandboxCall('POST', '/sandbox/pay/settings', { dropNextNotifications: 1 });
  const lost = await placeAndPay('sku_mixednuts1');
  await new Promise((r) => setTimeout(r, 500));
  expect((await orderRow(lost.id)).status).toBe('PENDING_PAYMENT');

  const { context, page } = await signedIn();
  await page.locator('.console-menu').getByText('资金对账').click();
  await page.waitForURL(/\/console\/money$/);
  const totals = page.locator('.reconciliation-totals');
  await totals.waitFor();
  await expect(totals.textContent()).resolves.toContain('¥88.00');
  await page.locator('.reconciliation-differences').waitFor();
  const mismatch = page.locator('.mismatch-table tbody tr');
  await expect(mismatch.count()).resolves.toBe(1);
  await expect(mismatch.first().textContent()).resolves.toMatch(/待支付 Open.*成功 Success/);

  // The notification log: every applied one, then only the refused (none here).
  const log = page.locator('.notification-table');
  await log.waitFor();
  await expect(log.textContent()).resolves.toContain(paid.orderNo);
  await page.locator('.notification-outcome-filter').getByText('退款成功 Refund succeeded').click();
  await page.waitForURL(/outcome=REFUND_SUCCESS/);
  await page.locator('.notification-table').getByText('REFUND.SUCCESS').first().waitFor();
  await page.locator('.notification-outcome-filter').getByText('已拒收 Refused').click();
  await page.locator('.notification-log .state-empty').waitFor();
  await page.locator('.notification-outcome-filter').getByText('全部 All').click();
  await page.locator('.notification-table').waitFor();
  await page.mouse.move(700, 880);
  await page.waitForTimeout(300);
  await screenshot(page, 'console-money');

  // A day without business says both sides agree; the difference's link opens its order.
  await page.getByRole('button', { name: '‹ 前一天 Previous day' }).click();
  await page.locator('.reconciliation-ok').waitFor();
  await page.getByRole('button', { name: '今天 Today' }).click();
  await page.locator('.mismatch-order-link', { hasText: lost.orderNo }).click();
  await page.waitForURL(new RegExp(`/console/orders/${lost.id}$`));
  await page.getByText(lost.orderNo).first().waitFor();
  await context.close();
});

/** A real PNG (a tea-coloured tile with a number), drawn by the browser, uploaded as the buyer's photo. */
async function buyerPhoto(label: string, colour: string): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 240, height: 240 } });
  await page.setContent(
    `<body style="margin:0"><div style="width:240px;height:240px;background:${colour};color:#fff;font:bold 64px sans-serif;display:flex;align-items:center;justify-content:center">${label}</div></body>`,
  );
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  const res = await getJson(`${p.apiUrl}/api/media`, {
    method: 'POST',
    headers: { ...p.buyer.auth, 'content-type': 'image/png' },
    body: new Uint8Array(png),
  });
  expect(res.status).toBe(200);
  return res.body.url as string;
}

it('reviews: photos previewed, a reply written and edited, hidden with a reason and shown again', async () => {
  const o = await paidOrder('sku_dianhong1');
  expect(
    (
      await api(p.apiUrl, 'POST', `/api/admin/orders/${o.id}/ship`, owner.auth, {
        carrier: '顺丰',
        trackingNo: 'SF1234567890',
      })
    ).status,
  ).toBe(200);
  expect((await api(p.apiUrl, 'POST', `/api/orders/${o.id}/confirm-receipt`, p.buyer.auth)).status).toBe(200);
  const photos = [await buyerPhoto('茶 1', '#8b5a2b'), await buyerPhoto('茶 2', '#3f7d4e')];
  const written = await api(p.apiUrl, 'POST', '/api/reviews', p.buyer.auth, {
    orderLineId: o.lines[0].id,
    rating: 4,
    content: '汤色红亮，香气不错，包装也很用心。',
    photos,
    displayName: '爱喝茶的小王',
  });
  expect(written.status).toBe(200);
  const productId = o.lines[0].productId;
  const visible = async () =>
    (await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews`)).body.items.map((r: { id: string }) => r.id);

  const { context, page } = await signedIn();
  await page.locator('.console-menu').getByText('评价管理').click();
  await page.locator('.review-photos-filter').getByText('有图 With photos').click();
  await page.waitForURL(/photos=1/);
  const row = page.locator('.review-row', { hasText: '汤色红亮' });
  await row.waitFor();
  // The row can render from the list before its photo thumbnails mount: wait for the second one.
  await row.locator('.review-photos img').nth(1).waitFor();
  await expect(row.locator('.review-photos img').count()).resolves.toBe(2);
  await row.locator('.review-photos .ant-image').first().click(); // the hover mask opens the preview
  await page.locator('.ant-image-preview-img').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('.ant-image-preview-img').waitFor({ state: 'hidden' });

  await row.locator('.reply-review').click();
  await page.locator('textarea#reply').fill('感谢支持！Thank you!');
  await page.locator('.confirm-reply').click();
  await row.locator('.review-reply', { hasText: '感谢支持！Thank you!' }).waitFor();
  await row.getByRole('button', { name: '修改回复 Edit reply' }).click();
  await expect(page.locator('textarea#reply').inputValue()).resolves.toBe('感谢支持！Thank you!');
  await page.locator('textarea#reply').fill('感谢支持，欢迎再来！Thanks, come again!');
  await page.locator('.confirm-reply').click();
  await row.locator('.review-reply', { hasText: '欢迎再来' }).waitFor();
  expect((await api(p.apiUrl, 'GET', `/api/products/${productId}/reviews`)).body.items[0].reply).toBe(
    '感谢支持，欢迎再来！Thanks, come again!',
  );

  await row.locator('.hide-review').click();
  await page.locator('input#reason').fill('测试隐藏 Test hide');
  await page.locator('.confirm-hide').click();
  await row.getByText('已隐藏 Hidden').waitFor();
  expect(await visible()).not.toContain(written.body.id);
  await page.mouse.move(700, 880);
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), undefined, { timeout: 10_000 });
  await screenshot(page, 'console-reviews');

  await row.locator('.unhide-review').click();
  await row.getByText('展示中 Shown').waitFor();
  expect(await visible()).toContain(written.body.id);
  await context.close();
});

it('credential check: every credential OK against the sandbox; a wrong OA secret and APIv3 key named in words', async () => {
  const { context, page } = await signedIn();
  await page.locator('.console-menu').getByText('凭证检查').click();
  await page.waitForURL(/\/console\/credentials$/);
  await page.getByText('尚未检查').waitFor();
  await page.locator('.run-credential-check').click();
  await page.locator('.credential-summary', { hasText: '全部凭证正常' }).waitFor();
  await expect(page.locator('.credential-results .credential-ok').count()).resolves.toBe(5);
  await page.locator('.credential-officialAccount', { hasText: p.stack.config.wechat.oa.appId }).waitFor();
  await expect(page.locator('.credential-results').textContent()).resolves.not.toContain(
    p.stack.config.wechat.oa.secret,
  );
  await page.mouse.move(700, 880);
  await screenshot(page, 'console-credentials');
  await context.close();

  // The same shop with a wrong official-account secret and a wrong APIv3 key configured.
  const wrong = { oaSecret: 'not-the-oa-secret-0123456789abcd', apiV3Key: 'NotTheApiV3KeyOfThisShop1234567!' };
  const config = testConfig({
    WECHAT_API_BASE: p.stack.config.wechat.apiBase,
    WECHAT_OA_SECRET: wrong.oaSecret,
    WECHATPAY_API_BASE: p.stack.config.wechatPay.apiBase,
    WECHATPAY_APIV3_KEY: wrong.apiV3Key,
    WECHATPAY_MERCHANT_SERIAL: p.stack.config.wechatPay.merchantSerial,
    WECHATPAY_MERCHANT_PRIVATE_KEY: p.stack.config.wechatPay.merchantPrivateKey,
    WECHATPAY_PUBLIC_KEY_ID: p.stack.config.wechatPay.publicKeyId,
    WECHATPAY_PUBLIC_KEY: p.stack.config.wechatPay.publicKey,
    WECHATPAY_NOTIFY_URL: p.stack.config.wechatPay.notifyUrl,
  });
  const app = compose({ config, db: p.stack.db, redis: p.stack.redis, log: p.stack.log });
  const server = http.createServer(app.app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const other = await signedIn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await other.page.locator('.console-menu').getByText('凭证检查').click();
    await other.page.locator('.run-credential-check').click();
    await other.page.locator('.credential-summary', { hasText: '2 项凭证有误' }).waitFor();
    await other.page
      .locator('.credential-officialAccount.credential-error', { hasText: 'AppSecret 错误 (40125)' })
      .waitFor();
    await other.page
      .locator('.credential-payApiV3Key.credential-error', { hasText: 'APIv3 密钥错误：平台证书解密失败' })
      .waitFor();
    const shown = await other.page.locator('.credential-results').textContent();
    expect(shown).not.toContain(wrong.oaSecret);
    expect(shown).not.toContain(wrong.apiV3Key);
    await other.page.mouse.move(700, 880);
    await screenshot(other.page, 'console-credentials-wrong');
    await other.context.close();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await app.close();
  }
});

it('export: 导出 CSV on the orders list downloads the filtered orders with a BOM', async () => {
  const { context, page } = await signedIn();
  await page.locator('.console-menu').getByText('订单管理').click();
  await page.locator('.order-status-filter').getByText('待发货 Paid').click();
  await page.waitForURL(/status=PAID/);
  await page.locator('.orders-table').waitFor();
  const listed = await page.locator('.orders-table .order-link').allTextContents();
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('.export-orders').click()]);
  expect(file.suggestedFilename()).toMatch(/^orders-PAID-\d{4}-\d{2}-\d{2}\.csv$/);
  const bytes = fs.readFileSync((await file.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString('utf8');
  expect(text.split('\n')[0]).toContain('订单号 Order no.');
  for (const orderNo of listed) expect(text).toContain(orderNo);
  await page.getByText('已导出').waitFor();
  await context.close();
});
