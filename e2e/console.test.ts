/**
 * End to end, in Chromium at 1440 × 900 against the console build served by the API at
 * /console/ (console/dist; scripts/test.mjs builds it before e2e). The sandbox plays WeChat
 * Pay: orders are placed and paid through the buyer's API, as in the storefront.
 *
 * 1. The owner signs in (a wrong password says so first), sees the dashboard (charts or its
 *    empty state), changes the shop name (a blank name is refused on the field before
 *    sending), opens the orders list, ships a paid order from its detail page, approves a
 *    refund with restock, and reads the audit log (with its loading and error states).
 * 2. A session that cannot be refreshed returns to sign-in with the page remembered; a 429
 *    shows the Retry-After countdown.
 * 3. A clerk signs in: no settings in the menu, the settings page says no, and the settings
 *    API answers 403.
 *
 * Screenshots: test-results/e2e/console-*.png.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { OrderEntity } from '../server/src/modules/orders/order.entity';
import { api } from '../server/test/support/people';
import { startPayStack, waitFor, type PayStack } from '../server/test/support/pay-stack';
import { launchBrowser } from './browser';
import {
  createStaff,
  desktop as openDesktop,
  failOnPageErrors,
  requireConsoleBuild,
  sessionAuth,
  shots,
  submitSignIn,
} from './console-stack';

const consoleDir = path.resolve(__dirname, '../console/dist');

let p: PayStack;
let browser: Browser;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  requireConsoleBuild(consoleDir);
  p = await startPayStack();
  await createStaff(p.stack.db, [
    { username: 'boss', displayName: '王老板', role: 'owner' },
    { username: 'counter', displayName: '小李', role: 'clerk' },
  ]);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await p?.close();
});

const desktop = () => openDesktop(browser, pageErrors);

const consoleUrl = (route = '') => `${p.stack.baseUrl}/console/${route}`;

const shot = shots('console-');

let n = 0;
/** An order placed and paid by the pay stack's buyer, as the storefront does it. */
async function paidOrder(items: { skuId: string; quantity: number }[]) {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: `e2e-console-${++n}-${Date.now()}`,
    items,
    addressId: p.buyer.addressId,
  });
  expect(placed.status).toBe(200);
  const id = placed.body.id as string;
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  const paid = await waitFor(
    () => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id }),
    (o) => o.status === 'PAID',
  );
  expect(paid.status).toBe('PAID');
  return placed.body as { id: string; orderNo: string; lines: { id: string; skuId: string }[] };
}

it('the owner signs in, sees the dashboard, renames the shop, ships a paid order and approves a refund with restock', async () => {
  const toShip = await paidOrder([{ skuId: 'sku_longjing1', quantity: 2 }]);
  const toRefund = await paidOrder([{ skuId: 'sku_jinjunmei1', quantity: 1 }]);
  const asked = await api(p.apiUrl, 'POST', `/api/orders/${toRefund.id}/refunds`, p.buyer.auth, {
    lines: [{ orderLineId: toRefund.lines[0].id, quantity: 1 }],
    reasonCode: 'DAMAGED',
    reason: '包装破损',
  });
  expect(asked.status).toBe(200);

  const { context, page } = await desktop();
  await page.goto(consoleUrl());
  await page.waitForURL(/\/console\/sign-in$/);
  await page.locator('#username').waitFor();
  await shot(page, '01-sign-in');

  await submitSignIn(page, 'boss', 'not the password');
  await page.locator('.sign-in-error', { hasText: '用户名或密码错误 · Wrong username or password' }).waitFor();
  await shot(page, '02-sign-in-wrong-password');

  await submitSignIn(page, 'boss');
  const staff = page.locator('.console-staff');
  await staff.getByText('王老板').waitFor();
  await expect(staff.textContent()).resolves.toContain('店主 Owner');

  // The dashboard (the owner's first page): its charts, or its empty state.
  const menu = page.locator('.console-menu');
  if ((await menu.getByText('经营概况').count()) > 0) {
    await page.waitForURL(/\/console\/dashboard$/);
    await page.locator('.dashboard-kpis, .state-empty, .state-error').first().waitFor({ timeout: 20_000 });
    await expect(page.locator('.state-error').count()).resolves.toBe(0);
    await page.locator('.chart-daily canvas, .state-empty').first().waitFor();
    await shot(page, '03-dashboard', 1200);
  }

  // Shop settings: a blank name is refused on its field before anything is sent.
  await menu.getByText('店铺设置').click();
  const name = page.locator('input.field-name');
  await name.waitFor();
  await expect(name.inputValue()).resolves.toBe('茶与点心');
  await shot(page, '04-settings');
  let patches = 0;
  page.on('request', (r) => void (r.method() === 'PATCH' && r.url().endsWith('/api/admin/shop-settings') && patches++));
  await name.fill('  ');
  await page.locator('.save-settings').click();
  await page.getByText('不能为空 · must not be blank').waitFor();
  expect(patches).toBe(0);
  await shot(page, '05-settings-invalid');
  await name.fill('山间茶舍');
  await page.locator('.save-settings').click();
  await page.getByText('已保存 · Saved').waitFor();
  expect(patches).toBe(1);
  await shot(page, '06-settings-saved', 200);
  const settings = await api(p.apiUrl, 'GET', '/api/admin/shop-settings', await sessionAuth(page));
  expect(settings.body.name).toBe('山间茶舍');

  // Orders: the list, filtered to paid, then the order's page; ship it.
  await menu.getByText('订单管理').click();
  await page.locator('.orders-table').getByText(toShip.orderNo).waitFor();
  await shot(page, '07-orders');
  await page.locator('.order-status-filter').getByText('待发货 Paid').click();
  await page.waitForURL(/status=PAID/);
  await page.locator('.order-link', { hasText: toShip.orderNo }).click();
  await page.locator('.order-lines').waitFor();
  await page.locator('.order-timeline').getByText('付款 Paid').waitFor();
  await shot(page, '08-order-detail');
  await page.locator('.ship-order').click();
  await page.locator('.confirm-ship').click();
  await page
    .getByText(/必填|格式不正确|不能为空/)
    .first()
    .waitFor(); // nothing filled in: refused before sending
  await page.locator('.field-carrier input').fill('顺丰速运');
  await page.locator('input.field-tracking-no').fill('SF1234567890');
  await shot(page, '09-ship-dialog');
  await page.locator('.confirm-ship').click();
  await page.getByText('已发货 · Shipped').waitFor();
  await page.locator('.order-status', { hasText: '已发货 Shipped' }).waitFor();
  await page.locator('.tracking-no', { hasText: 'SF1234567890' }).waitFor();
  await shot(page, '10-order-shipped');
  const shipped = await p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id: toShip.id });
  expect(shipped.status).toBe('SHIPPED');

  // Refunds: the buyer's request waits; approve it with the unit back in stock.
  await menu.getByText('退款售后').click();
  const row = page.locator('.refunds-table tr', { hasText: toRefund.orderNo });
  await row.waitFor();
  await shot(page, '11-refunds');
  await row.locator('.approve-refund').click();
  await page.locator('.ant-modal').getByText('金骏眉', { exact: false }).first().waitFor();
  await shot(page, '12-approve-refund');
  await page.locator('.confirm-approve').click();
  await page.getByText('已同意退款 · Refund approved').waitFor();
  await page.getByText('没有待处理的退款').waitFor();
  await shot(page, '13-refunds-empty', 300);

  // Audit log: its rows, then its loading and error states.
  await menu.getByText('操作日志').click();
  await page.locator('.audit-table').getByText('shop_settings', { exact: false }).first().waitFor();
  await shot(page, '14-audit');
  await page.route('**/api/admin/audit*', (route) => route.fulfill({ status: 500, body: '' }));
  await page.reload();
  await page.locator('.state-error').waitFor({ timeout: 20_000 });
  await shot(page, '15-audit-error');
  await page.unroute('**/api/admin/audit*');
  await page.route('**/api/admin/audit*', async (route) => {
    await new Promise((r) => setTimeout(r, 3000));
    await route.continue().catch(() => undefined);
  });
  await page.reload();
  await page.locator('.console-menu').waitFor();
  await page.locator('.ant-layout-content .state-loading').waitFor();
  await shot(page, '16-loading', 100);
  await page.unroute('**/api/admin/audit*');
  await context.close();
}, 180_000);

it('a session that cannot be refreshed returns to sign-in with the page remembered; a 429 counts down', async () => {
  const { context, page } = await desktop();
  await page.goto(consoleUrl('sign-in'));
  await submitSignIn(page, 'boss');
  await page.locator('.console-staff').waitFor();

  // Both tokens are dead: the orders call gets 401, the refresh gets 401 → sign-in, ?next= kept.
  await page.evaluate(() => {
    const s = JSON.parse(localStorage.getItem('chatmall.console.session') as string);
    localStorage.setItem(
      'chatmall.console.session',
      JSON.stringify({
        ...s,
        accessToken: 'at_dead',
        refreshToken: 'rt_dead',
        accessExpiresAt: '2099-01-01T00:00:00Z',
      }),
    );
  });
  await page.goto(consoleUrl('orders?status=PAID'));
  await page.waitForURL(/\/console\/sign-in\?next=%2Forders%3Fstatus%3DPAID$/);
  await page.getByText('请重新登录').waitFor();
  await shot(page, '17-session-ended');

  // A locked account: the server's Retry-After is counted down, the button held.
  await page.route('**/api/admin/login', (route) =>
    route.fulfill({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '42' },
      body: JSON.stringify({ code: 'RATE_LIMITED', message: 'Too many failed sign-in attempts; try again later.' }),
    }),
  );
  await submitSignIn(page, 'boss');
  await page
    .locator('.sign-in-throttled', { hasText: /尝试次数过多，请 4[12] 秒后再试 · Too many attempts/ })
    .waitFor();
  await expect(page.getByRole('button', { name: '登录 Sign in' }).isDisabled()).resolves.toBe(true);
  await shot(page, '18-sign-in-throttled', 100);
  await page.unroute('**/api/admin/login');

  // Signed in again, the remembered page opens.
  await page.evaluate(() => localStorage.clear());
  await page.goto(consoleUrl('sign-in?next=%2Forders%3Fstatus%3DPAID'));
  await submitSignIn(page, 'boss');
  await page.waitForURL(/\/console\/orders\?status=PAID$/);
  await page.locator('.orders-table, .state-empty').first().waitFor();
  await context.close();
}, 90_000);

it('a clerk sees no settings in the menu, the settings page refuses, and the settings API answers 403', async () => {
  const { context, page } = await desktop();
  await page.goto(consoleUrl('sign-in'));
  await submitSignIn(page, 'counter');
  const staff = page.locator('.console-staff');
  await staff.getByText('小李').waitFor();
  await expect(staff.textContent()).resolves.toContain('店员 Clerk');
  const menu = page.locator('.console-menu');
  await menu.getByText('订单管理').waitFor();
  await expect(menu.getByText('店铺设置').count()).resolves.toBe(0);
  await expect(menu.getByText('操作日志').count()).resolves.toBe(0);
  // The clerk's dashboard is today's numbers (the counter's view).
  if ((await menu.getByText('经营概况').count()) > 0) {
    await page.locator('.dashboard-kpis, .state-empty').first().waitFor({ timeout: 20_000 });
    await expect(page.locator('.dashboard-range').count()).resolves.toBe(0);
    await shot(page, '19-clerk-dashboard', 1000);
  }
  await menu.getByText('订单管理').click();
  await page.locator('.orders-table, .state-empty').first().waitFor();
  await shot(page, '20-clerk-orders');

  const status = await page.evaluate(async () => {
    const s = JSON.parse(localStorage.getItem('chatmall.console.session') as string);
    const res = await fetch('/api/admin/shop-settings', { headers: { authorization: `Bearer ${s.accessToken}` } });
    return res.status;
  });
  expect(status).toBe(403);

  await page.goto(consoleUrl('settings'));
  await page.getByText('没有权限').waitFor();
  await shot(page, '21-clerk-settings-refused');

  await page.locator('.sign-out').click();
  await page.waitForURL(/\/console\/sign-in$/);
  await context.close();
}, 90_000);
