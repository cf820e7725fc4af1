/**
 * The member pages of the H5 storefront at phone size (390 × 844), Chromium, with the sandbox
 * playing WeChat (sign-in, the phone-number button) and WeChat Pay (its cashier), the outbox
 * and events worker running (an order's points arrive through `order.paid`). One buyer,
 * toward issue 15's acceptance 7:
 *
 * 1. From 我的 the buyer opens 会员中心, is invited to join, taps the phone-number button and
 *    agrees (the sandbox plays WeChat's dialog): a member at the first level; the member card
 *    goes into the WeChat card pack (the sandbox checks the server's cardExt signature).
 * 2. The buyer buys a product and pays at the cashier; after payment the member centre shows
 *    the points for it and the level it reached (银卡 from ¥1 of spend).
 * 3. The wallet tops up ¥100 at the cashier (tier 充¥100送¥10): ¥110 credited, principal and
 *    bonus apart.
 * 4. The next order is paid from the balance at checkout (余额支付 on): nothing is left for
 *    WeChat Pay, so the order is paid at placement; the wallet shows the payment.
 * 5. The member code page shows the barcode, the digits and a QR code that decodes (jsQR) to
 *    the same digits, with its countdown, and fetches a new code 10 s before the 60 s end; a
 *    clerk types it into the console's counter and records ¥66 in store; the points history
 *    shows the in-store entry.
 * 6. A second top-up (¥500) refunded by the owner in the console: the principal goes back
 *    and the bonus is removed from the balance; a clerk takes ¥20 from the balance at the
 *    counter and the wallet shows it at once; the liability report agrees.
 *
 * Screenshots: test-results/e2e/member-*.png.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { formatFen } from '@chatmall/shared';
import { startJobs, type RunningJobs } from '../server/src/main/jobs';
import type { TestStack } from '../server/test/support/harness';
import { api, makeStaff } from '../server/test/support/people';
import { launchBrowser, screenshot } from './browser';
import { createStaff, desktop, signIn } from './console-stack';
import { startSandboxPayStorefront, type SandboxPayStorefront } from './sandbox-pay-storefront';

let shop: SandboxPayStorefront;
let sandboxUrl: string;
let frontUrl: string;
let stack: TestStack;
let jobs: RunningJobs;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const OPENID = 'oH5memberLin';

beforeAll(async () => {
  shop = await startSandboxPayStorefront({ name: 'member' });
  ({ sandboxUrl, frontUrl, stack } = shop);
  jobs = await startJobs(stack.app, { only: ['events'] });
  const owner = await makeStaff(stack.db, 'owner');
  const saved = await api(stack.baseUrl, 'PUT', '/api/admin/membership/programme', owner.auth, {
    enabled: true,
    levelBasis: 'spend',
    levels: [
      { name: '普通会员', threshold: 0, discountPercent: 0, pointsMultiplierPercent: 100, freeShipping: false },
      { name: '银卡', threshold: 100, discountPercent: 5, pointsMultiplierPercent: 120, freeShipping: false },
      { name: '金卡', threshold: 500_000, discountPercent: 10, pointsMultiplierPercent: 150, freeShipping: true },
    ],
    earning: { pointsPerYuan: 1, when: 'paid' },
    pointsRule: { points: 100, fen: 100, maxSharePercent: 50 },
    expiry: { kind: 'end_of_next_year' },
    topUpTiers: [
      { pay: 10_000, bonus: 1_000 },
      { pay: 50_000, bonus: 8_000 },
    ],
  });
  expect(saved.status).toBe(200);
  await createStaff(stack.db, [{ username: 'mcounter', displayName: '小李', role: 'clerk' }]);
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  await context.addInitScript((id) => {
    if (location.protocol.startsWith('http')) localStorage.setItem('chatmall.h5.openid', JSON.stringify({ data: id }));
  }, OPENID);
  page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await jobs?.stop();
  await shop?.close();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
  pageErrors.length = 0;
});

async function visit(url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
}

async function shot(name: string, settleMs = 700): Promise<void> {
  await page.waitForTimeout(settleMs);
  await screenshot(page, `member-${name}`);
}

const field = (cls: string) => page.locator(`.${cls} input, input.${cls}, .${cls} textarea`).first();

/** At the sandbox cashier: pay, and wait to be back in the storefront. */
async function payAtCashier(): Promise<void> {
  await page.waitForURL((u) => u.href.startsWith(`${sandboxUrl}/sandbox/pay/cashier?`), { timeout: 20_000 });
  await page.locator('button', { hasText: '确认支付' }).click();
  await page.waitForURL((u) => u.href.startsWith(frontUrl) && u.hash.includes('wxpay=pay'), { timeout: 20_000 });
}

async function balanceOf(): Promise<number> {
  const [row]: { p: number; b: number }[] = await stack.db.query(
    'SELECT m.balance_principal AS p, m.balance_bonus AS b FROM members m JOIN buyers b ON b.id = m.buyer_id WHERE b.openid = ?',
    [OPENID],
  );
  return Number(row.p) + Number(row.b);
}

async function myMember() {
  const [row]: { id: string }[] = await stack.db.query('SELECT id FROM buyers WHERE openid = ?', [OPENID]);
  const members: { points: number; spend_total: number; level_index: number }[] = await stack.db.query(
    'SELECT points, spend_total, level_index FROM members WHERE buyer_id = ?',
    [row.id],
  );
  return members[0];
}

it('joins from the member centre with the phone-number button', async () => {
  await visit(`${frontUrl}/#/pages/me/index`);
  await page.locator('.me-link--member').click();
  await page.locator('.member-join-entry').waitFor({ timeout: 30_000 });
  await shot('01-invite');
  await page.locator('.member-join-entry').click();
  await field('member-join__name').fill('林小茶');
  await shot('02-join');
  await page.locator('.member-join__phone').click();
  await page.locator('.taro-model__confirm').click();
  await page.locator('.member-centre--ready .member-level-name', { hasText: '普通会员' }).waitFor({ timeout: 20_000 });
  await expect(page.locator('.member-progress').textContent()).resolves.toContain('升级为 银卡');
  await shot('03-centre');
  expect(await myMember()).toMatchObject({ points: 0, level_index: 0 });

  // 领取到微信卡包: the signed card goes into the sandbox user's card pack.
  await page.locator('.member-card-pack').click();
  await page.locator('.member-card-added').waitFor({ timeout: 20_000 });
  const pack = (await (await fetch(`${sandboxUrl}/sandbox/cards/users/${OPENID}/cards`)).json()) as {
    cards: { cardId: string }[];
  };
  expect(pack.cards).toHaveLength(1);
}, 90_000);

it('buys and pays; the member centre shows the points for it and the level reached', async () => {
  await visit(`${frontUrl}/#/pages/product/index?id=prod_walnutkernels`);
  await page.locator('.buy-now').waitFor({ timeout: 30_000 });
  await page.locator('.buy-now').click();
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
  await page.locator('.checkout-payable').waitFor();
  await page.locator('.checkout-submit:not(.btn--disabled)').waitFor();
  const placed = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.locator('.checkout-submit').click();
  expect((await placed).status()).toBe(200);
  await page.locator('.order-detail .order-status').waitFor({ timeout: 30_000 });
  const orderNo = (await page.locator('.order-no').textContent())!.trim();
  await page.locator('.order-pay').click();
  await payAtCashier();
  await page.locator('.order-paid').waitFor({ timeout: 30_000 });
  const [order]: { payable: number }[] = await stack.db.query('SELECT payable FROM orders WHERE order_no = ?', [
    orderNo,
  ]);
  // Earned at the level the order was placed at (普通会员, 1×): one point per whole yuan paid.
  const earned = Math.floor(Number(order.payable) / 100);
  const deadline = Date.now() + 20_000;
  while ((await myMember()).points !== earned && Date.now() < deadline) await page.waitForTimeout(300);
  expect(await myMember()).toMatchObject({ points: earned, level_index: 1 });

  await visit(`${frontUrl}/#/pkg-member/pages/centre/index`);
  await page.locator('.member-centre--ready .member-level-name', { hasText: '银卡' }).waitFor({ timeout: 20_000 });
  await expect(page.locator('.member-points').textContent()).resolves.toBe(String(earned));
  await shot('04-level-up');
}, 120_000);

it('tops up ¥100 at the sandbox cashier and sees ¥110 credited', async () => {
  await page.locator('.member-wallet-entry').click();
  await page.locator('.wallet-tier-10000').waitFor({ timeout: 20_000 });
  await page.locator('.wallet-tier-10000').click();
  await shot('05-wallet');
  await page.locator('.wallet-pay').click();
  await payAtCashier();
  await page.locator('.wallet-credited').waitFor({ timeout: 30_000 });
  await expect(page.locator('.wallet-credited').textContent()).resolves.toContain(`到账 ${formatFen(11_000)}`);
  await page.locator('.wallet-balance', { hasText: formatFen(11_000) }).waitFor({ timeout: 10_000 });
  await page.locator('.wallet-entry--TOP_UP').waitFor();
  await shot('06-wallet-credited');
}, 90_000);

it('pays the next order from the balance: nothing left for WeChat Pay, paid at placement', async () => {
  await visit(`${frontUrl}/#/pages/product/index?id=prod_walnutkernels`);
  await page.locator('.buy-now').waitFor({ timeout: 30_000 });
  await page.locator('.buy-now').click();
  await page.locator('.checkout-address__chosen').waitFor({ timeout: 20_000 });
  await page.locator('.checkout-member__balance').waitFor();
  await expect(page.locator('.checkout-member__balance').textContent()).resolves.toContain(formatFen(11_000));
  const priced = page.waitForResponse(
    (r) => r.url().endsWith('/api/checkout/preview') && r.request().postData()?.includes('"useBalance":true') === true,
  );
  await page.locator('.checkout-member__balance').click();
  const preview = (await (await priced).json()) as { orderTotal: number; payment: { balance: number; wechat: number } };
  expect(preview.payment).toMatchObject({ balance: preview.orderTotal, wechat: 0 });
  await page
    .locator('.checkout-member__balance .checkout-member__value', { hasText: formatFen(preview.orderTotal) })
    .waitFor();
  await page.locator('.checkout-member__rest-value', { hasText: formatFen(0) }).waitFor();
  await page.locator('.checkout-member').scrollIntoViewIfNeeded();
  await shot('07-checkout-balance');
  const placed = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.locator('.checkout-submit').click();
  expect((await placed).status()).toBe(200);
  await page.locator('.order-paid').waitFor({ timeout: 30_000 });
  await shot('08-order-paid-from-balance');
  expect(await balanceOf()).toBe(11_000 - preview.orderTotal);

  await visit(`${frontUrl}/#/pkg-member/pages/wallet/index`);
  await page.locator('.wallet-entry--ORDER_PAYMENT').waitFor({ timeout: 20_000 });
  await expect(page.locator('.wallet-entry--ORDER_PAYMENT .member-row__delta').textContent()).resolves.toBe(
    `-${formatFen(preview.orderTotal)}`,
  );
}, 120_000);

it('shows the member code (barcode, digits, a QR code that decodes to them) and a clerk records a purchase with it', async () => {
  // The page's clock is ours: the refresh before the 60 s end is checked without waiting it out.
  await page.clock.install();
  await page.clock.resume();
  await visit(`${frontUrl}/#/pkg-member/pages/code/index`);
  const box = page.locator('.member-code');
  await box.waitFor({ timeout: 20_000 });
  const first = (await box.getAttribute('data-code'))!;
  const fresh = page.waitForResponse((r) => r.url().endsWith('/api/membership/me/code'));
  await page.clock.fastForward(51_000);
  expect((await fresh).status()).toBe(200);
  await page.waitForFunction((old) => document.querySelector('.member-code')?.getAttribute('data-code') !== old, first);
  const code = (await box.getAttribute('data-code'))!;
  expect(code).not.toBe(first);
  expect(code).toMatch(/^\d{24}$/);
  await expect(page.locator('.member-code-digits').textContent()).resolves.toBe(code.replace(/(\d{4})(?=\d)/g, '$1 '));
  const png = PNG.sync.read(await page.locator('.member-code__qr').screenshot());
  expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(code);
  const left = Number((await page.locator('.member-code-countdown').textContent())!.match(/^(\d+)/)![1]);
  expect(left).toBeGreaterThan(40);
  expect(left).toBeLessThanOrEqual(60);
  await shot('09-code');

  // The clerk's scanner types the code at the console's counter.
  const before = (await myMember()).points;
  const { page: clerk } = await desktop(browser, pageErrors);
  await signIn(clerk, frontUrl, 'mcounter');
  await clerk.goto(`${frontUrl}/console/membership/counter`);
  await clerk.locator('.counter-code input').pressSequentially(code, { delay: 5 });
  await clerk.locator('.counter-code input').press('Enter');
  await clerk.locator('.counter-member-name', { hasText: '林小茶' }).waitFor();
  await clerk.locator('input.counter-amount, .counter-amount input').first().fill('66');
  await clerk.locator('.counter-purchase').click();
  // 银卡 earns 1.2 points a yuan: 66 → 79.
  await clerk.locator('.counter-done-purchase', { hasText: '获得 79 积分' }).waitFor();
  await screenshot(clerk, 'member-10-console-counter');
  await clerk.context().close();
  expect((await myMember()).points).toBe(before + 79);

  await visit(`${frontUrl}/#/pkg-member/pages/points/index`);
  await page.locator('.points-entry--OFFLINE').waitFor({ timeout: 20_000 });
  await expect(page.locator('.points-entry--OFFLINE .member-row__delta').textContent()).resolves.toBe('+79');
  await shot('11-points');
}, 90_000);

it('the owner refunds a top-up in the console (principal back, bonus removed); a clerk takes a balance payment and the wallet shows it at once', async () => {
  // A second top-up, ¥500 (get ¥80 more), which the owner then refunds whole.
  const base = await balanceOf();
  await visit(`${frontUrl}/#/pkg-member/pages/wallet/index`);
  await page.locator('.wallet-tier-50000').waitFor({ timeout: 20_000 });
  await page.locator('.wallet-tier-50000').click();
  await page.locator('.wallet-pay').click();
  await payAtCashier();
  await page.locator('.wallet-balance', { hasText: formatFen(base + 58_000) }).waitFor({ timeout: 30_000 });

  const [{ id: memberId }]: { id: string }[] = await stack.db.query(
    'SELECT m.id FROM members m JOIN buyers b ON b.id = m.buyer_id WHERE b.openid = ?',
    [OPENID],
  );
  await createStaff(stack.db, [{ username: 'mowner', displayName: '王老板', role: 'owner' }]);
  const { context, page: owner } = await desktop(browser, pageErrors);
  await signIn(owner, frontUrl, 'mowner');
  await owner.goto(`${frontUrl}/console/membership/members/${memberId}`);
  await owner.locator('.member-tabs').getByText('充值记录').click();
  const row = owner.locator('.top-ups tr', { hasText: '¥500.00' });
  await row.locator('.refund-top-up').click();
  const refunded = owner.waitForResponse((r) => r.url().endsWith('/refund'));
  await owner.locator('.ant-popconfirm .ant-btn-primary').click();
  expect((await refunded).status()).toBe(200);
  await row.getByText(/退款中|已退款/).waitFor();
  await owner.locator('.stat-balance', { hasText: formatFen(base) }).waitFor();
  await owner.locator('.member-tabs').getByText('储值明细').click();
  await owner.locator('.wallet-ledger').getByText('充值退款 Top-up refund').waitFor();
  await screenshot(owner, 'member-12-console-top-up-refunded');

  // At the counter: ¥20 from the balance with a fresh code.
  await visit(`${frontUrl}/#/pkg-member/pages/code/index`);
  await page.locator('.member-code').waitFor({ timeout: 20_000 });
  const code = (await page.locator('.member-code').getAttribute('data-code'))!;
  const { page: clerk } = await desktop(browser, pageErrors);
  await signIn(clerk, frontUrl, 'mcounter');
  await clerk.goto(`${frontUrl}/console/membership/counter`);
  await clerk.locator('.counter-code input').pressSequentially(code, { delay: 5 });
  await clerk.locator('.counter-code input').press('Enter');
  await clerk.locator('.counter-member-balance', { hasText: formatFen(base) }).waitFor();
  await clerk.locator('input.counter-amount, .counter-amount input').first().fill('20');
  await clerk.locator('.counter-payment').click();
  await clerk.locator('.counter-done-payment', { hasText: `余额 ${formatFen(base - 2_000)}` }).waitFor();
  await clerk.context().close();

  await visit(`${frontUrl}/#/pkg-member/pages/wallet/index`);
  await page.locator('.wallet-balance', { hasText: formatFen(base - 2_000) }).waitFor({ timeout: 20_000 });
  await expect(page.locator('.wallet-entry').first().textContent()).resolves.toContain(`-${formatFen(2_000)}`);
  await page.locator('.wallet-entry--TOP_UP_REFUND').waitFor();
  await shot('13-wallet-after');

  // The liability report agrees with the balances.
  await owner.goto(`${frontUrl}/console/membership/liability`);
  await owner.locator('.liability-agrees').waitFor();
  await expect(owner.locator('.liability-total').textContent()).resolves.toContain(formatFen(base - 2_000));
  await screenshot(owner, 'member-14-console-liability');
  await context.close();
}, 120_000);
