/**
 * End to end in the H5 storefront at phone size (390 × 844), Chromium: group red envelopes and
 * coupons as buyers meet them (issue 14, acceptance 6). The sandbox plays WeChat in-process:
 * sign-in, the group chats (a card shared into a group, a member's open with a shareTicket,
 * getGroupEnterInfo sealed with that member's session key) and WeChat Pay's cashier. The
 * red-envelope jobs run, so a grab's coupon is issued as in production.
 *
 * 1. A marketer makes a group-only pack in the console (desktop).
 *    A member opens its link outside a chat (请从群聊中打开) and shares it into 茶友群 through
 *    the share sheet; two members open the card from the group (scene 1044), tap 開 and grab:
 *    amounts shown, the luckiest marked, the coupon with 立即使用; reopening says 已抢过; the last
 *    share makes the luckiest final and the next member finds 已抢完.
 * 2. A friend gets the card in a single chat (no ticket), shares it into a group the pack was
 *    never shared into by a member; someone there sees 仅限该群成员. So does a member who left
 *    the group between tapping the card and the page asking WeChat (65206).
 * 3. The claim centre, the wallet's tabs, the product page's coupon sheet; at checkout the
 *    pack's coupon is preselected as the best, the others listed with their reasons, none can
 *    be chosen; the order is placed with the pack's coupon and paid at the sandbox cashier. The
 *    marketer's console then shows the pack's grabs, the coupon used, the order's GMV and the
 *    share tree.
 * 4. A marketer with a bound WeChat creates a pack on the phone (发红包) and shares it.
 * 5. Loading, not-found, expired, error and empty states.
 * Screenshots: test-results/e2e/redpack-*.png and coupons-*.png.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { formatFen } from '../shared/src/money';
import { startJobs, type RunningJobs } from '../server/src/main/jobs';
import { seedDemoCoupons } from '../server/src/modules/coupons/seed/demo-coupons';
import type { TestStack } from '../server/test/support/harness';
import { makeStaff } from '../server/test/support/people';
import { packKeys } from '../server/src/modules/red-envelopes/red-envelope.pool';
import { createPack } from '../server/test/support/redpack';
import { launchBrowser, screenshot } from './browser';
import { createStaff, desktop, signIn } from './console-stack';
import { startSandboxPayStorefront, type SandboxPayStorefront } from './sandbox-pay-storefront';

let shop: SandboxPayStorefront;
let sandboxUrl: string;
/** The API as browsers and the sandbox reach it (the stack's app behind a plain listener). */
let frontUrl: string;
let stack: TestStack;
let jobs: RunningJobs;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  shop = await startSandboxPayStorefront({ name: 'redpack' });
  ({ sandboxUrl, frontUrl, stack } = shop);
  await seedDemoCoupons(stack.db);
  jobs = await startJobs(stack.app, { only: ['redEnvelopes', 'events'] });
  browser = await launchBrowser();
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

/** A phone with its own simulated WeChat user (the H5 build's buyer is this openid). */
async function phone(openid: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
  });
  await context.addInitScript((id) => {
    if (location.protocol.startsWith('http')) localStorage.setItem('chatmall.h5.openid', JSON.stringify({ data: id }));
  }, openid);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${openid}: ${err.message}`));
  return page;
}

/** A fresh load of a storefront URL (a hash change alone would stack the page on the last one). */
async function visit(page: Page, url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(url);
}

async function shot(page: Page, name: string, settleMs = 700): Promise<void> {
  await page.waitForTimeout(settleMs);
  await screenshot(page, name);
}

const sb = async (p: string, body?: unknown) => {
  const res = await fetch(`${sandboxUrl}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
};

async function buyerId(openid: string): Promise<string> {
  const rows: { id: string }[] = await stack.db.query('SELECT id FROM buyers WHERE openid = ?', [openid]);
  expect(rows).toHaveLength(1);
  return rows[0].id;
}

/** Waits until the locator matches exactly `n` elements. */
async function hasCount(locator: Locator, n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const count = await locator.count();
    if (count === n) return;
    if (Date.now() > deadline) throw new Error(`expected ${n} of ${locator.toString()}, found ${count}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const field = (page: Page, cls: string) => page.locator(`.${cls} input, input.${cls}, .${cls} textarea`).first();

/** The member taps the card in a chat: the sandbox's launch, and the page it opens in H5. */
async function openCard(page: Page, openid: string, messageId: string) {
  const opened = await sb(`/sandbox/mp/users/${openid}/open`, { messageId });
  expect(opened.status).toBe(200);
  const view = page.waitForResponse((r) => /\/api\/red-envelopes\/[^/]+\/open$/.test(r.url()));
  await visit(page, opened.body.h5Url);
  const res = await view;
  expect(res.status()).toBe(200);
  return { launch: opened.body, view: await res.json() };
}

/** Taps 開 and waits for the amount; the grab's answer. */
async function grab(page: Page, name?: string) {
  const answered = page.waitForResponse((r) => /\/api\/red-envelopes\/[^/]+\/grab$/.test(r.url()));
  // The 開 button pulses (never "stable" to Playwright): tap it where it is.
  await page.locator('.rp-open-btn').click({ force: true });
  await page.locator('.rp-open-btn--spinning').waitFor();
  if (name) await screenshot(page, name);
  const res = await answered;
  expect(res.status()).toBe(200);
  const body = await res.json();
  await page.locator('.rp-result__value').waitFor();
  return body as { outcome: string; amount: number };
}

const A = 'oH5rpMemberAlice';
const B = 'oH5rpMemberBob';
const C = 'oH5rpFriendCarol';
const D = 'oH5rpOutsiderDan';
const E = 'oH5rpFormerEve';
let packId = '';
/** The marketer's console, where the pack is made and its results are read. */
let desk: Page;
let pageB: Page;
let bobShare = 0;

it('a member shares a group-only pack into a group; two members grab (amounts, luckiest); an outsider is refused', async () => {
  // The marketer makes the pack in the console, as a shop does (desktop, 1440 × 900).
  await createStaff(stack.db, [{ username: 'rpmarket', displayName: '小王', role: 'marketer' }]);
  desk = (await desktop(browser, pageErrors)).page;
  await signIn(desk, frontUrl, 'rpmarket');
  await desk.goto(`${frontUrl}/console/marketing/red-envelopes/new`);
  const input = (cls: string) => desk.locator(`:is(input.${cls}, .${cls} input)`);
  await input('field-pack-title').fill('店庆红包，手慢无');
  await input('field-budget').fill('30');
  await input('field-shares').fill('3');
  await input('field-minimum-share').fill('6');
  await input('field-coupon-title').fill('群红包券');
  await desk.locator('.field-threshold-kind').getByText('无门槛 None').click();
  await desk.locator('.save-pack').click();
  await desk.waitForURL(/\/marketing\/red-envelopes\/rp_[0-9a-z]+$/);
  const pack = { id: /\/(rp_[0-9a-z]+)$/.exec(desk.url())![1] };
  await desk.locator('.pack-title', { hasText: '店庆红包，手慢无' }).waitFor();
  await shot(desk, 'redpack-00-console-created');
  packId = pack.id;
  const group = (await sb('/sandbox/mp/groups', { name: '茶友群', members: [A, B] })).body;
  const other = (await sb('/sandbox/mp/groups', { name: '邻居群', members: [C, D] })).body;

  // Alice has the pack's link (the marketer's own card): outside a chat it cannot be grabbed.
  const pageA = await phone(A);
  await visit(pageA, `${frontUrl}/#/pkg-redpack/pages/red-envelope/index?id=${pack.id}`);
  await pageA.locator('.rp-state--NOT_FROM_GROUP').waitFor({ timeout: 30_000 });
  await expect(pageA.locator('.rp-state__title').textContent()).resolves.toBe(
    '请从群聊中打开 · Open it from the group chat',
  );
  await expect(pageA.locator('.rp-open-btn').count()).resolves.toBe(0);
  // She shares it into 茶友群 through the share sheet (WeChat's, played by the sandbox).
  await pageA.locator('.rp-share').click();
  await pageA.locator('.rp-sheet__group', { hasText: '茶友群' }).waitFor();
  await shot(pageA, 'redpack-01-share-sheet', 300);
  await pageA.locator('.rp-sheet__group', { hasText: '茶友群' }).click();
  await pageA.locator('.rp-sheet').waitFor({ state: 'detached' });
  const alice = await buyerId(A);
  const [card] = (await sb(`/sandbox/mp/groups/${group.id}`)).body.messages;
  expect(card).toMatchObject({
    from: A,
    title: '店庆红包，手慢无',
    path: `/pkg-redpack/pages/red-envelope/index?id=${pack.id}&from=${alice}`,
    withShareTicket: true,
  });

  // Alice opens the card from the group (scene 1044, a shareTicket): she may grab.
  const a = await openCard(pageA, A, card.id);
  expect(a.launch.scene).toBe(1044);
  expect(a.view.state).toBe('CAN_GRAB');
  await pageA.locator('.rp-open-btn').waitFor();
  await shot(pageA, 'redpack-02-closed');
  const aGrab = await grab(pageA, 'redpack-03-opening');
  expect(aGrab.outcome).toBe('GRABBED');
  await expect(pageA.locator('.rp-result__value').textContent()).resolves.toBe(formatFen(aGrab.amount, ''));
  await expect(pageA.locator('.rp-result__tag').textContent()).resolves.toBe('恭喜抢到 · You got it');
  // The coupon follows the grab (the job issues it): 立即使用 once it is there.
  await pageA
    .locator('.rp-coupon__use:not(.rp-coupon__use--off)', { hasText: '立即使用' })
    .waitFor({ timeout: 20_000 });
  await expect(pageA.locator('.rp-coupon__benefit').textContent()).resolves.toContain(
    `无门槛减${formatFen(aGrab.amount, '').replace(/\.00$/, '')}`,
  );
  await shot(pageA, 'redpack-04-grabbed', 900);

  // Bob opens the same card from the group and grabs too.
  pageB = await phone(B);
  const b = await openCard(pageB, B, card.id);
  expect(b.view.state).toBe('CAN_GRAB');
  expect(b.view.grabbedCount).toBe(1);
  const bGrab = await grab(pageB);
  expect(bGrab.outcome).toBe('GRABBED');
  bobShare = bGrab.amount;
  await pageB
    .locator('.rp-coupon__use:not(.rp-coupon__use--off)', { hasText: '立即使用' })
    .waitFor({ timeout: 20_000 });
  // Both grabs listed with their amounts; the larger is the luckiest (so far: one share is left).
  await hasCount(pageB.locator('.rp-grab'), 2);
  const amounts = (await pageB.locator('.rp-grab__amount').allTextContents()).sort();
  expect(amounts).toEqual([formatFen(aGrab.amount), formatFen(bGrab.amount)].sort());
  const luckiest = pageB.locator('.rp-grab', { has: pageB.locator('.rp-grab__luckiest') });
  await hasCount(luckiest, 1);
  await expect(luckiest.locator('.rp-grab__amount').textContent()).resolves.toBe(
    formatFen(Math.max(aGrab.amount, bGrab.amount)),
  );
  await expect(luckiest.locator('.rp-grab__luckiest').textContent()).resolves.toContain('手气最佳 Luckiest');
  await expect(pageB.locator('.rp-grab--me .rp-grab__amount').textContent()).resolves.toBe(formatFen(bGrab.amount));
  await expect(pageB.locator('.rp-grabs__head').textContent()).resolves.toContain('已领取 2/3 个');
  await shot(pageB, 'redpack-05-two-grabs', 900);

  // Alice opens the card again: 已抢过, with her own amount; nothing more to grab.
  await openCard(pageA, A, card.id);
  await expect(pageA.locator('.rp-result__tag').textContent()).resolves.toBe('已抢过 · Already grabbed');
  await expect(pageA.locator('.rp-result__value').textContent()).resolves.toBe(formatFen(aGrab.amount, ''));
  await expect(pageA.locator('.rp-open-btn').count()).resolves.toBe(0);
  await shot(pageA, 'redpack-06-already-grabbed');

  // Alice forwards her card to Carol in a single chat: no shareTicket, so not from a group.
  const single = (await sb(`/sandbox/mp/users/${A}/share`, { to: C, path: card.path, title: card.title })).body;
  const pageC = await phone(C);
  const c = await openCard(pageC, C, single.id);
  expect(c.launch).toMatchObject({ scene: 1007, shareTicket: null });
  expect(c.view.state).toBe('NOT_FROM_GROUP');
  await pageC.locator('.rp-state--NOT_FROM_GROUP').waitFor();
  await shot(pageC, 'redpack-07-single-chat');
  // Carol (no member of the pack's group) shares it into 邻居群; Dan opens it there: members only.
  await pageC.locator('.rp-share').click();
  await pageC.locator('.rp-sheet__group', { hasText: '邻居群' }).click();
  await pageC.locator('.rp-sheet').waitFor({ state: 'detached' });
  const [forwarded] = (await sb(`/sandbox/mp/groups/${other.id}`)).body.messages;
  const pageD = await phone(D);
  const d = await openCard(pageD, D, forwarded.id);
  expect(d.launch.scene).toBe(1044);
  expect(d.view.state).toBe('GROUP_ONLY');
  await pageD.locator('.rp-state--GROUP_ONLY').waitFor();
  await expect(pageD.locator('.rp-state__title').textContent()).resolves.toBe(
    '仅限该群成员 · Only for members of that group',
  );
  await expect(pageD.locator('.rp-open-btn').count()).resolves.toBe(0);
  await shot(pageD, 'redpack-08-outsider');
  // The server refuses Dan's grab too, whatever the page shows.
  const dGrab = await pageD.evaluate(async (id) => {
    const s = JSON.parse(localStorage.getItem('chatmall.session') ?? '{}') as { data?: { accessToken?: string } };
    const res = await fetch(`/api/red-envelopes/${id}/grab`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.data?.accessToken ?? ''}` },
      body: JSON.stringify({}),
    });
    return { status: res.status, body: (await res.json()) as { outcome?: string } };
  }, pack.id);
  expect(dGrab).toMatchObject({ status: 200, body: { outcome: 'NOT_FROM_GROUP' } });

  // Eve was in 茶友群 when she tapped the card and left before the page asked WeChat for the
  // group: getGroupEnterInfo answers 65206, and the page says members only (nothing is sent as a group).
  await sb(`/sandbox/mp/groups/${group.id}/members`, { openid: E });
  const launchE = (await sb(`/sandbox/mp/users/${E}/open`, { messageId: card.id })).body;
  await sb(`/sandbox/mp/groups/${group.id}/members/${E}/remove`, {});
  const pageE = await phone(E);
  const enterInfo = pageE.waitForResponse((r) => r.url().endsWith(`/sandbox/mp/users/${E}/group-enter-info`));
  const openedE = pageE.waitForResponse((r) => /\/api\/red-envelopes\/[^/]+\/open$/.test(r.url()));
  await visit(pageE, launchE.h5Url);
  expect((await (await enterInfo).json()).errcode).toBe(65206);
  expect(JSON.parse((await openedE).request().postData() ?? '{}')).toMatchObject({ group: null });
  await pageE.locator('.rp-state--GROUP_ONLY').waitFor();
  await expect(pageE.locator('.rp-open-btn').count()).resolves.toBe(0);
  await shot(pageE, 'redpack-09-left-group');

  // Fay grabs the last share: the luckiest is final now; Gus, opening it after, finds it all gone.
  await sb(`/sandbox/mp/groups/${group.id}/members`, { openid: 'oH5rpMemberFay, oH5rpMemberGus' });
  const pageF = await phone('oH5rpMemberFay');
  await openCard(pageF, 'oH5rpMemberFay', card.id);
  expect((await grab(pageF)).outcome).toBe('GRABBED');
  await hasCount(pageF.locator('.rp-grab'), 3);
  await hasCount(pageF.locator('.rp-grab__luckiest', { hasText: /^手气最佳 Luckiest$/ }), 1);
  const pageG = await phone('oH5rpMemberGus');
  const g = await openCard(pageG, 'oH5rpMemberGus', card.id);
  expect(g.view).toMatchObject({ state: 'ALL_GONE', grabbedCount: 3, grabbedAmount: 3000, luckiestFinal: true });
  await pageG.locator('.rp-state--ALL_GONE').waitFor();
  await expect(pageG.locator('.rp-state__title').textContent()).resolves.toBe('已抢完 · All gone');
  await expect(pageG.locator('.rp-share').count()).resolves.toBe(0); // nothing left to pass on
  await shot(pageG, 'redpack-14-all-gone');

  // Three grabs recorded (their jobs may still be on the way), summing to the budget; Dan's none.
  const deadline = Date.now() + 20_000;
  let recorded: { buyer_id: string; amount: number }[] = [];
  while (recorded.length < 3 && Date.now() < deadline) {
    recorded = await stack.db.query('SELECT buyer_id, amount FROM red_envelope_grabs WHERE pack_id = ?', [pack.id]);
    if (recorded.length < 3) await new Promise((r) => setTimeout(r, 200));
  }
  expect(recorded).toHaveLength(3);
  expect(recorded.reduce((n, r) => n + Number(r.amount), 0)).toBe(3000);
  expect(recorded.map((r) => r.buyer_id)).not.toContain(await buyerId(D));
}, 240_000);

it('claim centre, wallet and the product sheet; checkout preselects the pack’s coupon, lists the others with reasons, and the order is paid with it', async () => {
  const page = pageB;
  const bob = await buyerId(B);

  // 领券中心 from "me": claim 满99减10 (limit 1) and 绿茶9折 (limit 2) once.
  await visit(page, `${frontUrl}/#/pages/me/index`);
  await page.locator('.me-link--coupon-centre').click({ timeout: 30_000 });
  const full99 = page.locator('.centre-coupon', { hasText: '满99减10' });
  await full99.waitFor();
  await full99.locator('.centre-coupon__claim').click();
  await full99.locator('.centre-coupon__claim', { hasText: '已领取 Claimed' }).waitFor();
  const green = page.locator('.centre-coupon', { hasText: '绿茶9折' });
  await green.locator('.centre-coupon__claim').click();
  await green.locator('.centre-coupon__claim', { hasText: '再领一张 Claim again' }).waitFor();
  await expect(green.textContent()).resolves.toContain('已领 1/2');
  // A second tap on a coupon at its limit sends nothing.
  let claims = 0;
  page.on('request', (r) => r.url().includes('/claim') && claims++);
  await full99.locator('.centre-coupon__claim').click();
  await page.waitForTimeout(300);
  expect(claims).toBe(0);
  await shot(page, 'coupons-01-centre', 1800); // after the toast
  const held: { template_id: string; source: string }[] = await stack.db.query(
    'SELECT template_id, source FROM coupons WHERE buyer_id = ? ORDER BY template_id',
    [bob],
  );
  expect(held.filter((h) => h.source === 'claim').map((h) => h.template_id)).toEqual([
    'cpt_demo_full99',
    'cpt_demo_green90',
  ]);

  // 我的优惠券: the pack's coupon and the two claimed, each with its source; the other tabs empty.
  await page.locator('.promo-banner__link').click();
  await page.locator('.wallet-coupon').first().waitFor();
  await hasCount(page.locator('.wallet-coupon'), 3);
  await expect(page.locator('.promo-tab--usable').textContent()).resolves.toContain('可使用 3');
  await expect(page.locator('.wallet-coupon', { hasText: '群红包券' }).textContent()).resolves.toContain(
    '来源 Source · 红包 Red envelope',
  );
  await expect(page.locator('.wallet-coupon', { hasText: '满99减10' }).textContent()).resolves.toContain(
    '来源 Source · 领取 Claimed',
  );
  await expect(page.locator('.wallet-coupon').first().textContent()).resolves.toMatch(
    /有效期至 Valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
  );
  await shot(page, 'coupons-02-wallet');
  await page.locator('.promo-tab--expired').click();
  await page.locator('.my-coupons--ready .state-view--empty').waitFor();
  await expect(page.locator('.state-view__text').textContent()).resolves.toBe('没有过期的优惠券 · No expired coupons');
  await shot(page, 'coupons-03-wallet-empty');

  // The product page: a coupon row opening the sheet; 新客无门槛减5 claimed there.
  await visit(page, `${frontUrl}/#/pages/product/index?id=prod_walnutkernels`);
  const row = page.locator('.product-coupons');
  await row.waitFor({ timeout: 30_000 });
  await expect(row.textContent()).resolves.toContain('领券 Coupons满99减10无门槛减5');
  await row.scrollIntoViewIfNeeded();
  await shot(page, 'coupons-11-product-row');
  await row.click();
  const sheet = page.locator('.coupon-sheet');
  await sheet.locator('.coupon-ticket', { hasText: '满99减10' }).locator('.coupon-btn--done').waitFor();
  await hasCount(sheet.locator('.coupon-ticket', { hasText: '绿茶9折' }), 0); // not for nuts
  await sheet.locator('.coupon-ticket', { hasText: '新客无门槛减5' }).locator('.coupon-btn').click();
  await sheet
    .locator('.coupon-ticket', { hasText: '新客无门槛减5' })
    .locator('.coupon-btn', { hasText: '已领取' })
    .waitFor();
  await shot(page, 'coupons-04-product-sheet', 1600);
  await sheet.locator('.coupon-sheet__close').click();

  // Checkout: the pack's coupon is the best and preselected; the breakdown shows it.
  const firstPreview = page.waitForResponse((r) => r.url().endsWith('/api/checkout/preview'));
  await page.locator('.buy-now').click();
  const preview = await (await firstPreview).json();
  const mine: { id: string }[] = await stack.db.query(
    "SELECT id FROM coupons WHERE buyer_id = ? AND source = 'red_envelope'",
    [bob],
  );
  expect(preview.coupon).toMatchObject({ couponId: mine[0].id, chosenBy: 'best' });
  await page.locator('.checkout-address__chosen, .address-form').first().waitFor({ timeout: 20_000 });
  if (await page.locator('.address-form').count()) {
    await field(page, 'address-form__input--recipient').fill('林小茶');
    await field(page, 'address-form__input--phone').fill('13800138000');
    await page.locator('.address-form__region').click();
    for (const place of ['浙江省', '杭州市', '西湖区'])
      await page
        .locator('.region-sheet__item')
        .filter({ hasText: new RegExp(`^${place}$`) })
        .click();
    await field(page, 'address-form__input--detail').fill('龙井路 18 号');
    await page.locator('.address-form__save').click();
    await page.locator('.checkout-address__chosen').waitFor();
  }
  await page.locator('.checkout-coupon__value--on').waitFor();
  await expect(page.locator('.checkout-coupon__value').textContent()).resolves.toBe(`−${formatFen(bobShare)}`);
  await expect(page.locator('.breakdown').textContent()).resolves.toContain(`优惠券 Coupon · 无门槛减`);

  // The picker: the best marked, 减5 selectable, the others with why they do not apply.
  await page.locator('.checkout-coupon').click();
  const picker = page.locator('.coupon-picker');
  await picker.locator('.coupon-option--on .coupon-option__best').waitFor();
  await expect(picker.locator('.coupon-option--refused', { hasText: '满99减10' }).textContent()).resolves.toContain(
    '差 ¥59.10 可用',
  );
  await expect(picker.locator('.coupon-option--refused', { hasText: '9折' }).textContent()).resolves.toContain(
    '不适用于这些商品',
  );
  await shot(page, 'coupons-05-picker', 400);
  // None: the full price.
  let repriced = page.waitForResponse((r) => r.url().endsWith('/api/checkout/preview'));
  await picker.locator('.coupon-option--none').click();
  expect(JSON.parse((await repriced).request().postData() ?? '{}')).toMatchObject({ coupon: 'none' });
  await page.locator('.checkout-coupon__value', { hasText: '不使用 Not used' }).waitFor();
  await expect(page.locator('.checkout-payable .price__now').textContent()).resolves.toBe(
    formatFen(preview.orderTotal + preview.couponDiscount),
  );
  // 减5 (not the best): the buyer's pick is priced; then back to the pack's coupon.
  await page.locator('.checkout-coupon').click();
  repriced = page.waitForResponse((r) => r.url().endsWith('/api/checkout/preview'));
  await picker.locator('.coupon-option', { hasText: '无门槛减5' }).click();
  const five = await (await repriced).json();
  expect(five.coupon).toMatchObject({ chosenBy: 'buyer', title: '无门槛减5 (¥5 off)' });
  await page.locator('.checkout-coupon__value', { hasText: '−¥5.00' }).waitFor();
  await page.locator('.checkout-coupon').click();
  repriced = page.waitForResponse((r) => r.url().endsWith('/api/checkout/preview'));
  await picker.locator('.coupon-option', { has: page.locator('.coupon-option__best') }).click();
  await repriced;
  await page.locator('.checkout-coupon__value', { hasText: `−${formatFen(bobShare)}` }).waitFor();
  await page.locator('.checkout-breakdown__note').waitFor({ state: 'detached' });
  await shot(page, 'coupons-06-checkout');

  // Placed with the chosen coupon, then paid at the sandbox cashier.
  const placed = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.locator('.checkout-submit').click();
  const placedRes = await placed;
  expect(JSON.parse(placedRes.request().postData() ?? '{}')).toMatchObject({ couponId: mine[0].id });
  expect(placedRes.status()).toBe(200);
  await page.locator('.order-detail .order-status').waitFor({ timeout: 20_000 });
  await expect(page.locator('.breakdown').textContent()).resolves.toContain('优惠券 Coupon');
  const orderNo = (await page.locator('.order-no').textContent())!.trim();
  await page.locator('.order-pay').click();
  await page.waitForURL((u) => u.href.startsWith(`${sandboxUrl}/sandbox/pay/cashier?`), { timeout: 20_000 });
  await page.locator('button', { hasText: '确认支付' }).click();
  await page.waitForURL((u) => u.href.startsWith(frontUrl) && u.hash.includes('wxpay=pay'), { timeout: 20_000 });
  await page.locator('.order-paid').waitFor({ timeout: 30_000 });
  const [order]: { status: string; coupon_id: string; coupon_discount: number; payable: number }[] =
    await stack.db.query('SELECT status, coupon_id, coupon_discount, payable FROM orders WHERE order_no = ?', [
      orderNo,
    ]);
  expect(order).toMatchObject({ status: 'PAID', coupon_id: mine[0].id });
  expect(Number(order.coupon_discount)).toBe(bobShare);
  await shot(page, 'coupons-07-paid', 1800);

  // The pack's coupon leaves the usable tab once the payment's event consumed it.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [c]: { status: string }[] = await stack.db.query('SELECT status FROM coupons WHERE id = ?', [mine[0].id]);
    if (c.status === 'USED') break;
    if (Date.now() > deadline) throw new Error(`coupon still ${c.status}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  await visit(page, `${frontUrl}/#/pkg-promo/pages/my-coupons/index?tab=used`);
  await page.locator('.wallet-coupon--USED', { hasText: '群红包券' }).waitFor({ timeout: 20_000 });
  await expect(page.locator('.wallet-coupon--USED').textContent()).resolves.toMatch(
    /\d{4}-\d{2}-\d{2} \d{2}:\d{2} 已使用/,
  );
  await shot(page, 'coupons-08-wallet-used');

  // The marketer's console: three grabs, Bob's coupon used on one order, its GMV, who brought whom.
  await desk.goto(`${frontUrl}/console/marketing/red-envelopes/${packId}`);
  await desk.locator('.stat-funded').getByText('¥30.00').waitFor({ timeout: 20_000 });
  await desk.locator('.stat-grabbed').getByText('¥30.00').waitFor();
  await desk.locator('.stat-used').getByText(formatFen(bobShare)).waitFor();
  await desk.locator('.stat-orders').getByText('1').waitFor();
  await desk
    .locator('.stat-gmv')
    .getByText(formatFen(Number(order.payable)))
    .waitFor();
  await hasCount(desk.locator('.grabs-table tbody tr.ant-table-row'), 3);
  await hasCount(desk.locator('.grabs-table .luckiest'), 1);
  await desk.locator('.share-tree canvas').waitFor();
  await shot(desk, 'redpack-16-console-results', 1200);
}, 240_000);

it('a marketer whose WeChat is bound creates a pack on the phone (发红包), refused on the budget first, then shares it into a group', async () => {
  const marketer = await makeStaff(stack.db, 'marketer');
  const issued = await fetch(`${frontUrl}/api/admin/me/wechat-binding`, { method: 'POST', headers: marketer.auth });
  const { code } = (await issued.json()) as { code: string };
  const M = 'oH5rpMarketerMay';
  const page = await phone(M);
  await visit(page, `${frontUrl}/#/pkg-merchant/pages/bind/index?code=${code}`);
  await page.locator('.merchant-bind__submit').click({ timeout: 30_000 });
  await page.locator('.merchant-link--merchantCreateRedEnvelopePack').click({ timeout: 15_000 });
  await page.locator('.merchant-redpack__submit').waitFor();

  // ¥1 cannot be 4 shares of at least ¥1: said under the budget, nothing sent.
  await field(page, 'merchant-redpack__budget').fill('1');
  await field(page, 'merchant-redpack__shares').fill('4');
  await page.locator('.merchant-redpack__submit').click();
  await page
    .locator('.merchant-redpack__field--budget .merchant-field__error', {
      hasText: '总金额不能少于 个数 × 每个最少（¥4.00）',
    })
    .waitFor();
  let posts = 0;
  page.on('request', (r) => r.url().endsWith('/api/merchant/red-envelopes') && posts++);
  await page.waitForTimeout(200);
  expect(posts).toBe(0);
  await shot(page, 'redpack-12-merchant-refused', 300);
  await field(page, 'merchant-redpack__budget').fill('20');
  // A coupon valid for 0 days: the server refuses it on that field, in its words after a Chinese lead-in.
  await field(page, 'merchant-redpack__days').fill('0');
  await page.locator('.merchant-redpack__submit').click();
  await page
    .locator('.merchant-redpack__field--days .merchant-field__error', {
      hasText: '请修改 Please fix: must be at least 1',
    })
    .waitFor();
  expect(posts).toBe(1);
  await field(page, 'merchant-redpack__days').fill('7');
  await page.locator('.merchant-redpack__chip', { hasText: '均分 Equal' }).click();
  const created = page.waitForResponse((r) => r.url().endsWith('/api/merchant/red-envelopes'));
  await page.locator('.merchant-redpack__submit').click();
  const pack = (await (await created).json()) as { id: string; budget: number; shares: number; split: string };
  expect(pack).toMatchObject({ budget: 2000, shares: 4, split: 'equal' });
  await page.locator('.merchant-redpack--created').waitFor();
  await shot(page, 'redpack-13-merchant-created');
  const shares: { amount: number }[] = await stack.db.query(
    'SELECT amount FROM red_envelope_shares WHERE pack_id = ?',
    [pack.id],
  );
  expect(shares.map((x) => Number(x.amount))).toEqual([500, 500, 500, 500]);

  // Open it and share it into the team's group: the card carries the pack and the marketer as sharer.
  const group = (await sb('/sandbox/mp/groups', { name: '店铺粉丝群', members: [M, 'oH5rpFan'] })).body;
  await page.locator('.merchant-redpack__share').click();
  await page.locator('.rp-state--NOT_FROM_GROUP').waitFor({ timeout: 20_000 });
  await page.locator('.rp-share').click();
  await page.locator('.rp-sheet__group', { hasText: '店铺粉丝群' }).click();
  await page.locator('.rp-sheet').waitFor({ state: 'detached' });
  const [card] = (await sb(`/sandbox/mp/groups/${group.id}`)).body.messages;
  expect(card.path).toBe(`/pkg-redpack/pages/red-envelope/index?id=${pack.id}&from=${await buyerId(M)}`);
}, 120_000);

it('loading, not-found and error states', async () => {
  const page = await phone('oH5rpStates');
  // Loading: the pack's open held back for a moment.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/red-envelopes/*/open', async (route) => {
    await held;
    await route.continue();
  });
  await visit(page, `${frontUrl}/#/pkg-redpack/pages/red-envelope/index?id=${packId}`);
  await page.locator('.redpack--loading .state-view--loading').waitFor({ timeout: 30_000 });
  await shot(page, 'redpack-10-loading', 200);
  release();
  await page.locator('.rp-envelope').waitFor();
  await page.unroute('**/api/red-envelopes/*/open');

  // A pack past its end: 已过期, nothing to open. (Its end moved into the past in the database and
  // Redis' copy dropped, so the next open loads it closed, as after expiry.)
  const marketer = await makeStaff(stack.db, 'marketer');
  const old = await createPack(frontUrl, marketer.auth, {
    title: '昨日红包',
    budget: 500,
    shares: 5,
    minimumShare: 100,
  });
  await stack.db.query('UPDATE red_envelope_packs SET expires_at = ? WHERE id = ?', [
    new Date(Date.now() - 3600_000),
    old.id,
  ]);
  await stack.redis.del(...packKeys(old.id));
  await visit(page, `${frontUrl}/#/pkg-redpack/pages/red-envelope/index?id=${old.id}`);
  await page.locator('.rp-state--EXPIRED').waitFor({ timeout: 30_000 });
  await expect(page.locator('.rp-state__title').textContent()).resolves.toBe('已过期 · Expired');
  await expect(page.locator('.rp-open-btn').count()).resolves.toBe(0);
  await expect(page.locator('.rp-grabs__ends').textContent()).resolves.toContain('结束 · Ended');
  await expect(page.locator('.rp-share').count()).resolves.toBe(0);
  await shot(page, 'redpack-15-expired');

  // An unknown pack.
  await visit(page, `${frontUrl}/#/pkg-redpack/pages/red-envelope/index?id=rp_nosuchpack`);
  await page.locator('.redpack--not-found').waitFor();
  await expect(page.locator('.redpack--not-found').textContent()).resolves.toContain('红包不存在');
  await shot(page, 'redpack-11-not-found');

  // The claim centre when the API fails: the error with a retry that recovers.
  let fail = true;
  await page.route('**/api/coupon-centre', (route) =>
    fail
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: '{"code":"DEPENDENCY_UNAVAILABLE","message":"down"}',
        })
      : route.continue(),
  );
  await visit(page, `${frontUrl}/#/pkg-promo/pages/coupon-centre/index`);
  await page.locator('.coupon-centre--error .state-view--error').waitFor({ timeout: 30_000 });
  await shot(page, 'coupons-09-centre-error');
  fail = false;
  await page.locator('.state-view__retry').click();
  await page.locator('.centre-coupon').first().waitFor();

  // A new buyer's wallet: nothing usable yet, with the way to the claim centre.
  await visit(page, `${frontUrl}/#/pkg-promo/pages/my-coupons/index`);
  await page.locator('.my-coupons--ready .state-view--empty').waitFor({ timeout: 30_000 });
  await expect(page.locator('.state-view__text').textContent()).resolves.toBe('暂无可用优惠券 · No usable coupons');
  await shot(page, 'coupons-10-wallet-empty-new');
}, 120_000);
