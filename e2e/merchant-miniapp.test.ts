/**
 * End to end (acceptance 8): a clerk gets a one-time code, the sandbox plays their phone
 * scanning the console's QR code, the H5 mini-program binds that WeChat, "me" shows
 * 商家后台 Merchant, and the clerk ships a paid order with carrier and tracking number from the
 * merchant pages; a refund request shows without answer buttons (only the owner answers). An
 * owner's bound WeChat rejects a refund request with a reason. A different buyer's "me" never
 * shows the entry and the merchant home says it is not bound. A bound clerk opens 会员收银 from
 * the merchant home, types a member's code, records a ¥58 purchase (58 points, once in the
 * member's ledger); the same code a second time is refused in Chinese; with a fresh code, more
 * than the balance is refused on the phone and ¥30 is taken from it.
 * At 375 × 812; screenshots merchant-*.png in test-results/e2e/.
 */
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { newId } from '@chatmall/shared';
import { LoginService } from '../server/src/modules/auth/login.service';
import { SessionService } from '../server/src/modules/auth/session.service';
import { MemberEntity } from '../server/src/modules/membership/membership.entity';
import { defaultProgramme } from '../server/src/modules/membership/programme.service';
import { OrderEntity } from '../server/src/modules/orders/order.entity';
import { RefundEntity } from '../server/src/modules/payments/refund.entity';
import type { TestStack } from '../server/test/support/harness';
import { api, makeBuyer, makeStaff, type TestBuyer } from '../server/test/support/people';
import { screenshot } from './browser';
import { defaultH5Dir, startStorefront, type StorefrontStack } from './storefront-stack';

const h5Dir = process.env.E2E_H5_DIR ?? defaultH5Dir;
// E2E_CONSOLE_DIR: a console build made elsewhere; the API serves console/dist by default.
if (process.env.E2E_CONSOLE_DIR) process.env.CONSOLE_DIR = process.env.E2E_CONSOLE_DIR;
const PASSWORD = 'counter password 1';
const CLERK_PHONE = 'oH5clerkphone0001';
const OTHER_PHONE = 'oH5plainbuyer0001';
const OWNER_PHONE = 'oH5ownerphone0001';
const TILL_PHONE = 'oH5tillphone00001';

let storefront: StorefrontStack;
let stack: TestStack;
let browser: Browser;
let customer: TestBuyer;

beforeAll(async () => {
  storefront = await startStorefront(h5Dir);
  ({ stack, browser } = storefront);
  customer = await makeBuyer(stack.db, 'customer');
}, 60_000);
afterAll(async () => storefront?.close());

/** A phone whose simulated WeChat user is `openid`, recording page errors and API calls. */
async function phone(openid: string) {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  await context.addInitScript((id) => localStorage.setItem('chatmall.h5.openid', JSON.stringify({ data: id })), openid);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const calls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/')) calls.push(`${req.method()} ${new URL(req.url()).pathname}`);
  });
  return { page, errors, calls };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(600);
  await screenshot(page, name);
}

const field = (page: Page, cls: string) => page.locator(`.${cls} input, input.${cls}`).first();
const open = (page: Page, route: string) => page.goto(`${stack.baseUrl}/#/${route.replace(/^\//, '')}`);

let n = 0;
/** A paid order of the customer's (placed through the API, paid as WeChat Pay's notification would). */
async function paidOrder(): Promise<{ id: string; orderNo: string }> {
  const placed = await api(stack.baseUrl, 'POST', '/api/orders', customer.auth, {
    clientKey: `e2e-merchant-${++n}-${Date.now()}`,
    items: [{ skuId: 'sku_maofeng1', quantity: 1 }],
    addressId: customer.addressId,
  });
  expect(placed.status).toBe(200);
  const paid = await stack.app.services.orders.markPaid({}, placed.body.orderNo, placed.body.price.payable, new Date());
  expect(paid).toEqual({ ok: true });
  return placed.body;
}

it('a clerk binds their WeChat from the console code, sees 商家后台 in "me", and ships a paid order with carrier and tracking number', async () => {
  const toShip = await paidOrder();
  const refunded = await paidOrder();
  const request = await api(stack.baseUrl, 'POST', `/api/orders/${refunded.id}/refunds`, customer.auth, {
    amount: 100,
    reasonCode: 'OTHER',
    reason: '少了一包',
  });
  expect(request.status).toBe(200);

  // The clerk signs in to the console and opens 我的账号 My account (its WeChat card) from the header.
  const logins = new LoginService(stack.db, new SessionService(stack.db), {
    exchange: () => Promise.reject(new Error('unused')),
  });
  await logins.createStaff({ username: 'counter', displayName: '小李', role: 'clerk', password: PASSWORD });
  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  const consolePage = await desk.newPage();
  await consolePage.goto(`${stack.baseUrl}/console/`);
  await consolePage.locator('#username').fill('counter');
  await consolePage.locator('#password').fill(PASSWORD);
  await consolePage.getByRole('button', { name: '登录 Sign in' }).click();
  await consolePage.locator('.my-wechat').click();
  await consolePage.locator('.wechat-binding__unbound').waitFor({ timeout: 15_000 });
  await consolePage.locator('.wechat-binding__issue').click();
  const qr = consolePage.locator('.wechat-binding__code');
  await qr.waitFor();
  const code = ((await consolePage.locator('.wechat-binding__digits').textContent()) ?? '').replace(/\D/g, '');
  expect(code).toMatch(/^\d{8}$/);
  const qrContent = await qr.getAttribute('data-qr');
  expect(qrContent).toBe(`pkg-merchant/pages/bind/index?code=${code}`);
  await expect(consolePage.locator('.wechat-binding__countdown').textContent()).resolves.toMatch(
    /^(10:00|9:5\d) 后失效/,
  );
  await consolePage.waitForTimeout(400);
  await screenshot(consolePage, 'merchant-console-code');

  // The sandbox plays the clerk's phone scanning the QR code: the bind page it opens.
  const scanned = await fetch(`${storefront.sandbox.url}/sandbox/mp/users/${CLERK_PHONE}/scan`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ content: qrContent }),
  });
  const scan = (await scanned.json()) as { opens: string };
  expect(scan.opens).toBe(`/pkg-merchant/pages/bind/index?code=${code}`);

  const { page, errors, calls } = await phone(CLERK_PHONE);
  await open(page, scan.opens);
  await page.locator('.merchant-bind__submit').waitFor({ timeout: 30_000 });
  await expect(field(page, 'merchant-bind__code').inputValue()).resolves.toBe(code);
  await shot(page, 'merchant-bind');
  await page.locator('.merchant-bind__submit').click();
  await page.locator('.merchant-today').waitFor({ timeout: 15_000 });
  await expect(page.locator('.merchant-head__title').first().textContent()).resolves.toBe('小李');
  // The console card turns to bound by itself.
  await consolePage.locator('.wechat-binding__bound').waitFor({ timeout: 15_000 });
  expect(await consolePage.locator('.wechat-binding__code').count()).toBe(0);
  await screenshot(consolePage, 'merchant-console-bound');
  // A clerk sees what needs doing: orders to ship and refund requests.
  await page.locator('.merchant-link--merchantShipQueue').waitFor();
  await page.locator('.merchant-link--merchantRefundRequests').waitFor();
  await shot(page, 'merchant-home');

  // The "me" tab now carries the entry.
  await open(page, 'pages/me/index');
  const entry = page.locator('.me-link--merchant');
  await entry.waitFor({ timeout: 15_000 });
  await expect(entry.textContent()).resolves.toContain('商家后台 Merchant');
  await shot(page, 'merchant-me-entry');

  // Orders to ship: the paid order, shipped with the default carrier and a typed tracking number.
  await entry.click();
  await page.locator('.merchant-link--merchantShipQueue').click();
  const card = page.locator(`#order-${toShip.id}`);
  await card.waitFor({ timeout: 15_000 });
  await expect(card.textContent()).resolves.toContain(toShip.orderNo);
  await card.locator('.merchant-order__ship').click();
  const tracking = field(page, 'merchant-ship-form__tracking');
  await tracking.fill('no');
  const shipCalls = () => calls.filter((c) => c.endsWith(`/api/merchant/orders/${toShip.id}/ship`)).length;
  await card.locator('.merchant-ship-form__submit').click();
  await card.locator('.merchant-field__error').waitFor();
  expect(shipCalls()).toBe(0); // refused on the phone, nothing sent
  await tracking.fill('SF1234567890');
  await expect(card.locator('.merchant-ship-form__carrier').textContent()).resolves.toContain('顺丰速运');
  await shot(page, 'merchant-ship-form');
  await card.locator('.merchant-ship-form__submit').click();
  await card.waitFor({ state: 'detached', timeout: 15_000 });
  expect(shipCalls()).toBe(1);
  const shipped = await stack.db.getRepository(OrderEntity).findOneByOrFail({ id: toShip.id });
  expect([shipped.status, shipped.carrier, shipped.trackingNo]).toEqual(['SHIPPED', '顺丰速运', 'SF1234567890']);
  await shot(page, 'merchant-ship-after');

  // Refund requests: listed, but a clerk is told the owner answers (no buttons).
  await open(page, 'pkg-merchant/pages/refunds/index');
  const refundCard = page.locator(`#refund-${request.body.id}`);
  await refundCard.waitFor({ timeout: 15_000 });
  await expect(refundCard.locator('.merchant-refund__owner').textContent()).resolves.toContain('需店主处理');
  expect(await refundCard.locator('.merchant-refund__approve').count()).toBe(0);
  await shot(page, 'merchant-refunds');

  // The clerk unbinds in the console (confirmed): the phone's "me" loses the entry, its merchant pages say so.
  await consolePage.locator('.wechat-binding__unbind').click();
  await consolePage.getByRole('button', { name: '解绑 Unbind' }).last().click();
  await consolePage.locator('.wechat-binding__unbound').waitFor({ timeout: 15_000 });
  const askedAgain = page.waitForResponse((r) => r.url().endsWith('/api/merchant/me'), { timeout: 15_000 });
  await open(page, 'pages/me/index');
  await page.locator('.me-links').waitFor();
  await askedAgain;
  await page.waitForTimeout(300);
  expect(await page.locator('.me-link--merchant').count()).toBe(0);
  await open(page, 'pkg-merchant/pages/ship/index');
  await page.locator('.merchant-ship--refused').waitFor({ timeout: 15_000 });
  await shot(page, 'merchant-ship-refused');

  expect(errors).toEqual([]);
  await desk.close();
}, 120_000);

it('a buyer whose WeChat is not bound never sees the merchant entry, and the merchant home says so', async () => {
  const { page, errors } = await phone(OTHER_PHONE);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/merchant/me'), { timeout: 30_000 });
  await open(page, 'pages/me/index');
  expect((await answered).status()).toBe(200);
  await page.locator('.me-links').waitFor();
  await page.waitForTimeout(300);
  expect(await page.locator('.me-link--merchant').count()).toBe(0);
  await shot(page, 'merchant-me-unbound');

  await open(page, 'pkg-merchant/pages/home/index');
  await page.locator('.merchant-home--unbound').waitFor({ timeout: 15_000 });
  await shot(page, 'merchant-unbound');
  await open(page, 'pkg-merchant/pages/counter/index');
  await page.locator('.merchant-counter--refused').waitFor({ timeout: 15_000 });
  // And the API refuses it anything merchant.
  const buyer = await page.evaluate(() => localStorage.getItem('chatmall.session'));
  const token = (JSON.parse(buyer ?? '{}') as { data?: { accessToken?: string } }).data?.accessToken;
  expect(token).toBeTruthy();
  const refused = await api(stack.baseUrl, 'GET', '/api/merchant/orders/to-ship', { authorization: `Bearer ${token}` });
  expect(refused.status).toBe(403);
  expect(errors).toEqual([]);
}, 120_000);

it('an owner’s bound WeChat rejects a refund request with a reason', async () => {
  const order = await paidOrder();
  const request = await api(stack.baseUrl, 'POST', `/api/orders/${order.id}/refunds`, customer.auth, {
    amount: 200,
    reasonCode: 'OTHER',
    reason: '不想要了',
  });
  expect(request.status).toBe(200);
  const owner = await makeStaff(stack.db, 'owner');
  const { body: issued } = await api(stack.baseUrl, 'POST', '/api/admin/me/wechat-binding', owner.auth);

  const { page, errors } = await phone(OWNER_PHONE);
  await open(page, `pkg-merchant/pages/bind/index`);
  await field(page, 'merchant-bind__code').fill('1234');
  await page.locator('.merchant-bind__submit').click();
  await page.locator('.merchant-bind__error').waitFor({ timeout: 30_000 }); // 8 digits, checked on the phone
  await field(page, 'merchant-bind__code').fill(issued.code);
  await page.locator('.merchant-bind__submit').click();
  await page.locator('.merchant-today').waitFor({ timeout: 15_000 });

  await open(page, 'pkg-merchant/pages/refunds/index');
  const card = page.locator(`#refund-${request.body.id}`);
  await card.locator('.merchant-refund__approve').waitFor({ timeout: 15_000 });
  await card.locator('.merchant-refund__reject').click();
  await card.locator('.merchant-refund__reject-confirm').click();
  await card.locator('.merchant-field__error').waitFor(); // a reason first
  await field(page, 'merchant-refund__reason').fill('已与买家电话确认');
  await shot(page, 'merchant-refund-reject');
  await card.locator('.merchant-refund__reject-confirm').click();
  await card.waitFor({ state: 'detached', timeout: 15_000 });
  const refund = await stack.db.getRepository(RefundEntity).findOneByOrFail({ id: request.body.id });
  expect([refund.status, refund.rejectReason]).toEqual(['REJECTED', '已与买家电话确认']);
  expect(errors).toEqual([]);
}, 120_000);

it('a bound clerk records a ¥58 purchase at 会员收银 with a member’s code; the code works once', async () => {
  const owner = await makeStaff(stack.db, 'owner');
  const saved = await api(stack.baseUrl, 'PUT', '/api/admin/membership/programme', owner.auth, {
    ...defaultProgramme,
    enabled: true,
  });
  expect(saved.status).toBe(200);
  // A member (the row joining makes; joining itself is e2e/member-centre) shows a fresh code.
  const buyer = await makeBuyer(stack.db, 'member');
  await stack.db.getRepository(MemberEntity).insert({
    id: newId('member'),
    buyerId: buyer.id,
    memberNo: String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)),
    phone: '13912345678',
    name: '林小茶',
    levelIndex: 0,
    codeSecret: randomBytes(32).toString('hex'),
    cardStatus: 'NONE',
  });
  const shown = await api(stack.baseUrl, 'POST', '/api/membership/me/code', buyer.auth);
  expect(shown.status).toBe(200);
  const memberCode = shown.body.code as string;

  // The clerk binds this phone with a code from the console, then opens 会员收银 from the merchant home.
  const clerk = await makeStaff(stack.db, 'clerk');
  const { body: issued } = await api(stack.baseUrl, 'POST', '/api/admin/me/wechat-binding', clerk.auth);
  const { page, errors, calls } = await phone(TILL_PHONE);
  await open(page, `pkg-merchant/pages/bind/index?code=${issued.code}`);
  await page.locator('.merchant-bind__submit').waitFor({ timeout: 30_000 });
  await page.locator('.merchant-bind__submit').click();
  await page.locator('.merchant-link--merchantCounterLookup').waitFor({ timeout: 15_000 });
  await page.locator('.merchant-link--merchantCounterLookup').click();
  const codeField = field(page, 'merchant-counter__code');
  await codeField.waitFor({ timeout: 15_000 });
  await expect(page.locator('.merchant-counter__hint').textContent()).resolves.toContain('会员码');
  await shot(page, 'merchant-counter-start');

  // A forged code (one digit changed) is refused in Chinese.
  const forged = memberCode.slice(0, 5) + String((Number(memberCode[5]) + 1) % 10) + memberCode.slice(6);
  await codeField.fill(forged);
  await page.locator('.merchant-counter__lookup').click();
  const codeError = page.locator('.merchant-counter__scan .merchant-counter__error');
  await expect(codeError.textContent({ timeout: 15_000 })).resolves.toContain('会员码无效');

  // The real code: the member, then ¥58 recorded.
  await codeField.fill(memberCode);
  await page.locator('.merchant-counter__lookup').click();
  const card = page.locator('.merchant-counter__member');
  await card.waitFor({ timeout: 15_000 });
  await expect(card.locator('.merchant-counter__name').textContent()).resolves.toBe('林小茶');
  await expect(card.locator('.merchant-counter__phone').textContent()).resolves.toContain('139****5678');
  await expect(card.locator('.merchant-counter__points').textContent()).resolves.toBe('0');
  await expect(card.locator('.merchant-counter__balance').textContent()).resolves.toBe('¥0.00');
  await field(page, 'merchant-counter__amount').fill('58');
  await shot(page, 'merchant-counter-member');
  await card.locator('.merchant-counter__submit').click();
  const done = page.locator('.merchant-counter__done');
  await done.waitFor({ timeout: 15_000 });
  await expect(done.locator('.merchant-counter__done-line').textContent()).resolves.toContain('积分 +58');
  await expect(done.locator('.merchant-counter__points').textContent()).resolves.toBe('58');
  await shot(page, 'merchant-counter-done');
  expect(calls.filter((c) => c === 'POST /api/merchant/counter/purchases')).toHaveLength(1);

  // The member's points ledger holds the sale once.
  const ledger = await api(stack.baseUrl, 'GET', '/api/membership/me/points', buyer.auth);
  expect(ledger.body.items).toEqual([expect.objectContaining({ kind: 'OFFLINE', delta: 58, balanceAfter: 58 })]);

  // The next member… with the same code: refused, it was used.
  await done.locator('.merchant-counter__next').click();
  await codeField.fill(memberCode);
  await page.locator('.merchant-counter__lookup').click();
  await expect(codeError.textContent({ timeout: 15_000 })).resolves.toContain('会员码已使用');
  expect(await page.locator('.merchant-counter__member').count()).toBe(0);
  await shot(page, 'merchant-counter-used');
  const again = await api(stack.baseUrl, 'GET', '/api/membership/me/points', buyer.auth);
  expect(again.body.items).toHaveLength(1);

  // 余额收款 with a fresh code: more than the balance is refused on the phone, ¥30 is taken.
  const member = await stack.db.getRepository(MemberEntity).findOneByOrFail({ buyerId: buyer.id });
  await stack.app.services.wallet.apply({}, member.id, {
    kind: 'TOP_UP',
    principal: 10_000,
    bonus: 0,
    sourceKey: `e2e-top-up:${member.id}`,
    record: '充值 ¥100.00',
  });
  const fresh = await api(stack.baseUrl, 'POST', '/api/membership/me/code', buyer.auth);
  await codeField.fill(fresh.body.code);
  await page.locator('.merchant-counter__lookup').click();
  await card.waitFor({ timeout: 15_000 });
  await expect(card.locator('.merchant-counter__balance').textContent()).resolves.toBe('¥100.00');
  await card.locator('.merchant-counter__mode--payment').click();
  await field(page, 'merchant-counter__amount').fill('200');
  await card.locator('.merchant-counter__submit').click();
  await expect(card.locator('.merchant-counter__error').textContent()).resolves.toContain('会员余额不足');
  await shot(page, 'merchant-counter-payment-short');
  expect(calls.filter((c) => c === 'POST /api/merchant/counter/payments')).toHaveLength(0);
  await field(page, 'merchant-counter__amount').fill('30');
  await card.locator('.merchant-counter__submit').click();
  await done.waitFor({ timeout: 15_000 });
  await expect(done.locator('.merchant-counter__done-line').textContent()).resolves.toContain('余额剩 ¥70.00');
  await shot(page, 'merchant-counter-payment-done');
  expect(calls.filter((c) => c === 'POST /api/merchant/counter/payments')).toHaveLength(1);
  const after = await stack.db.getRepository(MemberEntity).findOneByOrFail({ id: member.id });
  expect([after.balancePrincipal, after.points]).toEqual([7_000, 58]);
  expect(errors).toEqual([]);
}, 120_000);
