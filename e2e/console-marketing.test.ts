/**
 * End to end, in Chromium at 1440 × 900 against the console build served by the API at
 * /console/ (console/dist), on the seeded demo shop with its demo coupons, the sandbox playing
 * WeChat (buyer sign-in and group payloads) and the red-envelope jobs running.
 *
 * 1. A marketer creates a coupon template: a blank form and a per-buyer limit above 100 are
 *    refused on their fields before anything is sent; 满99减10 on one product picked by
 *    search, saved as a draft and published after a confirmation (the API agrees on every
 *    term). Giving it to an unknown buyer id is refused by the server on the buyer field.
 * 2. The marketer creates a red-envelope pack: a budget below shares × minimum is flagged as
 *    typed and refused on the budget field before sending; then ¥100 in 10 random shares,
 *    group members only; it is in the list. Four buyers open and grab through the API from
 *    group payloads (alice in group A; bob from alice's card; dave from alice's; carol from
 *    bob's card in group C). The pack page shows the numbers, the grabs with the luckiest
 *    marked (the same buyer the buyer's page marks), who brought whom, and the share tree
 *    drawn; alice's coupon used on a paid order shows as used, one order and its GMV. The
 *    coupon list marks the pack's own template and its page is read-only.
 * 3. The owner turns off 全额退款退回优惠券 in shop settings; the API reads it back.
 * 4. A clerk has no marketing menu, the pages say no access, and the API answers 403.
 *
 * Screenshots: test-results/e2e/console-marketing-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { formatChinaTime, newId } from '@chatmall/shared';
import { startJobs, type RunningJobs } from '../server/src/main/jobs';
import { AddressEntity } from '../server/src/modules/addresses/address.entity';
import { seedDemoCoupons } from '../server/src/modules/coupons/seed/demo-coupons';
import { RedEnvelopeGrabEntity } from '../server/src/modules/red-envelopes/red-envelope.entity';
import { startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { api } from '../server/test/support/people';
import { startSandbox, type RunningSandbox } from '../server/test/support/sandbox';
import { launchBrowser, screenshot } from './browser';
import {
  createStaff,
  desktop as openDesktop,
  failOnPageErrors,
  requireConsoleBuild,
  sessionAuth,
  signIn as signInAt,
} from './console-stack';

let sandbox: RunningSandbox;
let stack: TestStack;
let jobs: RunningJobs;
let browser: Browser;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ config: testConfig({ WECHAT_API_BASE: sandbox.url }) });
  requireConsoleBuild(stack.config.consoleDir);
  await seedDemoCoupons(stack.db);
  jobs = await startJobs(stack.app, { only: ['redEnvelopes'] });
  await createStaff(stack.db, [
    { username: 'boss', displayName: '王老板', role: 'owner' },
    { username: 'market', displayName: '小周', role: 'marketer' },
    { username: 'counter', displayName: '小李', role: 'clerk' },
  ]);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await jobs?.stop();
  await stack?.close();
  await sandbox?.close();
});

const desktop = () => openDesktop(browser, pageErrors);

const consoleUrl = (route = '') => `${stack.baseUrl}/console/${route}`;

async function shot(page: Page, name: string, settleMs = 500, top = true): Promise<void> {
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  // Toasts pass; the screenshot shows the page under them.
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), undefined, { timeout: 8000 });
  await page.waitForTimeout(settleMs);
  await screenshot(page, `console-marketing-${name}`);
}

const signIn = (page: Page, username: string) => signInAt(page, stack.baseUrl, username);

/** An input by its class, whether antd put the class on the input or on its prefix wrapper. */
const inp = (cls: string) => `:is(input.${cls}, .${cls} input)`;
const field = (page: Page, input: string) => page.locator('.ant-form-item', { has: page.locator(input) });

/** A buyer signed in through WeChat (the sandbox), so the server holds their session key. */
async function wechatBuyer(openid: string) {
  const code = (await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {})).body.code;
  const res = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
  expect(res.status).toBe(200);
  const auth = { authorization: `Bearer ${res.body.accessToken}` };
  const me = await api(stack.baseUrl, 'GET', '/api/me', auth);
  return { openid, auth, id: me.body.id as string };
}

/** What wx.getGroupEnterInfo gives this user in this group chat, encrypted. */
async function groupInfo(openid: string, groupId: string) {
  const res = await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/group-share`, {}, { groupId });
  expect(res.status).toBe(200);
  return { iv: res.body.iv as string, encryptedData: res.body.encryptedData as string };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let packId = '';

it('a marketer creates a coupon template, refused on its fields first, and publishes it', async () => {
  const { context, page } = await desktop();
  await signIn(page, 'market');
  const auth = await sessionAuth(page);
  const menu = page.locator('.console-menu');
  await menu.getByText('营销').waitFor();
  await menu.getByText('优惠券').click();
  await page.waitForURL(/\/console\/marketing\/coupons$/);
  await page.locator('.coupons-table').getByText('满99减10 (¥10 off ¥99+)').first().waitFor();
  await shot(page, '01-coupons');

  // Nothing filled in: refused on the fields, nothing sent.
  let posts = 0;
  page.on('request', (r) => void (r.method() === 'POST' && r.url().endsWith('/api/admin/coupon-templates') && posts++));
  await page.locator('.new-coupon').click();
  await page.waitForURL(/\/marketing\/coupons\/new$/);
  await page.locator('.save-coupon').click();
  await field(page, inp('field-title')).getByText('不能为空').waitFor();
  await field(page, inp('field-threshold')).getByText('必填').waitFor();
  await field(page, inp('field-amount-off')).getByText('必填').waitFor();
  expect(posts).toBe(0);

  await page.locator(inp('field-title')).fill('中秋满减');
  await page.locator(inp('field-threshold')).fill('99');
  await page.locator(inp('field-amount-off')).fill('10');
  await page.locator('.coupon-preview').getByText('满99减10 (¥10 off ¥99+)').waitFor();
  await page.locator(inp('field-per-buyer')).fill('101');
  await page.locator('.save-coupon').click();
  await field(page, inp('field-per-buyer')).getByText('数值过大 · must be at most 100').waitFor();
  expect(posts).toBe(0);
  await shot(page, '02-coupon-refused', 500, false);

  // 折扣: 8.25 折 is refused on its field; 8.5 折 reads 15% off. A fixed window in China time.
  await page.locator('.field-kind').getByText('折扣').click();
  await page.locator(inp('field-zhe')).fill('8.25');
  await page.locator('.save-coupon').click();
  await field(page, inp('field-zhe')).getByText('请填写 1 到 9.9 折').waitFor();
  await page.locator(inp('field-zhe')).fill('8.5');
  await page.locator(inp('field-max-off')).fill('20');
  await page.locator('.coupon-preview').getByText('满99享8.5折 最高减20 (15% off ¥99+, up to ¥20)').waitFor();
  await page.locator('.field-validity-kind').getByText('固定时间段').click();
  await page.locator('.field-window').waitFor();
  expect(posts).toBe(0);
  await page.locator('.coupon-form').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, '02b-coupon-percent-window', 500, false);
  await page.locator('.field-validity-kind').getByText('领取后 N 天').click();
  await page.locator('.field-kind').getByText('满减').click();

  // Products picked by search; stock, limit, validity.
  await page.locator(inp('field-per-buyer')).fill('2');
  await page.locator(inp('field-total-stock')).fill('500');
  await page.locator('.field-scope-type').getByText('指定商品').click();
  await page.locator('.field-products').click();
  await page.locator('.field-products input').fill('龙井');
  await page.locator('.ant-select-item-option', { hasText: '明前西湖龙井' }).click();
  await page.locator(inp('field-days')).fill('14');
  await page.locator('.coupon-form').click({ position: { x: 5, y: 5 } });
  await shot(page, '03-coupon-form');
  await page.locator('.save-coupon').click();
  await page.waitForURL(/\/marketing\/coupons\/cpt_[0-9a-z]+$/);
  expect(posts).toBe(1);
  const templateId = /\/(cpt_[0-9a-z]+)$/.exec(page.url())![1];
  await page.locator('.coupon-status', { hasText: '未发布 Draft' }).waitFor();

  // Publish, after the confirmation.
  await page.locator('.publish-coupon').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: '发布 Publish' }).click();
  await page.locator('.coupon-status', { hasText: '发放中 Issuing' }).waitFor();
  await shot(page, '04-coupon-published');

  const products = await api(stack.baseUrl, 'GET', '/api/admin/products?q=%E9%BE%99%E4%BA%95', auth);
  const longjing = products.body.items.find((p: { name: string }) => p.name === '明前西湖龙井');
  const saved = await api(stack.baseUrl, 'GET', `/api/admin/coupon-templates/${templateId}`, auth);
  expect(saved.body).toMatchObject({
    title: '中秋满减',
    status: 'PUBLISHED',
    benefit: { kind: 'amount_off', amountOff: 1000, threshold: 9900 },
    scope: { type: 'products', productIds: [longjing.id] },
    validity: { kind: 'days', days: 14 },
    totalStock: 500,
    perBuyerLimit: 2,
    stacksWithMemberDiscount: true,
    claimable: true,
  });

  // The list: give it to a buyer who does not exist → the server's 400 on the buyer field.
  await page.goto(consoleUrl('marketing/coupons'));
  const row = page.locator('.coupons-table tr', { hasText: '中秋满减' });
  await row.locator('.coupon-status', { hasText: '发放中' }).waitFor();
  await row.getByText('指定 1 件商品').waitFor();
  await row.locator('.coupon-issued', { hasText: '0 / 500' }).waitFor();
  await row.locator('.issue-coupon').click();
  await page.locator(inp('field-buyer-id')).fill('buyer_nosuchbuyer');
  await page.getByRole('button', { name: '发放 Give' }).click();
  await field(page, inp('field-buyer-id')).getByText('没有这个买家').waitFor();
  await shot(page, '05-issue-refused');
  await page.getByRole('button', { name: '取消 Cancel' }).click();
  await context.close();
}, 120_000);

it('a marketer creates a ¥100 pack of 10; grabs through the API show with the luckiest and the share tree', async () => {
  const { context, page } = await desktop();
  await signIn(page, 'market');
  const auth = await sessionAuth(page);
  await page.locator('.console-menu').getByText('群红包').click();
  await page.waitForURL(/\/marketing\/red-envelopes$/);
  await page.locator('.state-empty').waitFor();
  await shot(page, '06-packs-empty');

  let posts = 0;
  page.on('request', (r) => void (r.method() === 'POST' && r.url().endsWith('/api/admin/red-envelopes') && posts++));
  await page.locator('.state-empty').getByRole('button', { name: '新建红包 New pack' }).click();
  await page.waitForURL(/\/marketing\/red-envelopes\/new$/);
  await page.locator(inp('field-pack-title')).fill('店庆红包，手慢无！');
  await page.locator(inp('field-budget')).fill('100');
  await page.locator(inp('field-shares')).fill('10');
  await page.locator(inp('field-minimum-share')).fill('20');
  // As typed: 10 × ¥20 = ¥200 is more than the budget.
  await page.locator('.budget-short').getByText('¥200.00').waitFor();
  await page.locator('.save-pack').click();
  await field(page, inp('field-budget')).getByText('总金额不能少于 个数 × 每份最少金额').waitFor();
  expect(posts).toBe(0);
  await shot(page, '07-pack-refused');

  await page.locator(inp('field-minimum-share')).fill('1');
  await page.locator('.budget-ok').getByText('平均每份 ¥10.00').waitFor();
  await shot(page, '08-pack-form');
  await page.locator('.save-pack').click();
  await page.waitForURL(/\/marketing\/red-envelopes\/rp_[0-9a-z]+$/);
  expect(posts).toBe(1);
  packId = /\/(rp_[0-9a-z]+)$/.exec(page.url())![1];
  await page.locator('.pack-title', { hasText: '店庆红包，手慢无！' }).waitFor();
  await page.getByText('还没有人打开这个红包').waitFor();

  const created = await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${packId}`, auth);
  expect(created.body.pack).toMatchObject({
    budget: 10_000,
    shares: 10,
    split: 'random',
    minimumShare: 100,
    groupOnly: true,
    newBuyersOnly: false,
    coupon: { title: '群红包券', threshold: { kind: 'multiple', multiple: 5 }, scope: { type: 'shop' } },
  });
  const hours = (Date.parse(created.body.pack.expiresAt) - Date.parse(created.body.pack.createdAt)) / 3_600_000;
  expect(Math.round(hours)).toBe(24);

  await page.locator('.console-menu').getByText('群红包').click();
  const listed = page.locator('.packs-table tr', { hasText: '店庆红包，手慢无！' });
  await listed.locator('.pack-budget', { hasText: '¥100.00' }).waitFor();
  await listed.locator('.pack-grabbed', { hasText: '0 / 10' }).waitFor();
  await listed.locator('.pack-status', { hasText: '进行中' }).waitFor();
  await shot(page, '09-packs-list');

  // Four buyers from group payloads: alice (group A) → bob, dave (A, alice's card); bob → carol (group C).
  const [alice, bob, carol, dave] = await Promise.all(
    ['alice', 'bob', 'carol', 'dave'].map((n) => wechatBuyer(`o_mkt_${n}`)),
  );
  const openAndGrab = async (b: typeof alice, groupId: string, sharer: string | null) => {
    const body = async () => ({ sharer, group: await groupInfo(b.openid, groupId) });
    const opened = await api(stack.baseUrl, 'POST', `/api/red-envelopes/${packId}/open`, b.auth, await body());
    expect(opened.body.state).toBe('CAN_GRAB');
    const grabbed = await api(stack.baseUrl, 'POST', `/api/red-envelopes/${packId}/grab`, b.auth, await body());
    expect(grabbed.body.outcome).toBe('GRABBED');
    return grabbed.body.amount as number;
  };
  const amounts = new Map<string, number>();
  amounts.set(alice.id, await openAndGrab(alice, 'mktGroupA', null));
  amounts.set(bob.id, await openAndGrab(bob, 'mktGroupA', alice.id));
  amounts.set(dave.id, await openAndGrab(dave, 'mktGroupA', alice.id));
  amounts.set(carol.id, await openAndGrab(carol, 'mktGroupC', bob.id));
  const detail = await until(
    'four grabs recorded',
    async () => (await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${packId}`, auth)).body,
    (d) => d.stats.grabbed.count === 4,
  );
  const total = [...amounts.values()].reduce((a, b) => a + b, 0);
  expect(detail.stats.grabbed.amount).toBe(total);
  const parent = new Map(detail.stats.tree.map((n: { id: string; parentId: string }) => [n.id, n.parentId]));
  expect(parent.get(alice.id)).toBe('origin');
  expect(parent.get(bob.id)).toBe(alice.id);
  expect(parent.get(dave.id)).toBe(alice.id);
  expect(parent.get(carol.id)).toBe(bob.id);

  // Alice uses her coupon on an order that is paid: the pack's use, orders and GMV.
  const addressId = newId('address');
  await stack.db.getRepository(AddressEntity).insert({
    id: addressId,
    buyerId: alice.id,
    recipient: '张三',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '龙井路 1 号',
    isDefault: true,
  });
  const aliceGrab = await until(
    "alice's coupon issued",
    () => stack.db.getRepository(RedEnvelopeGrabEntity).findOneBy({ packId, buyerId: alice.id }),
    (g) => Boolean(g?.couponId),
  );
  const orders = stack.app.services.orders;
  const order = await orders.place({}, alice.id, {
    clientKey: 'mkt-alice-1',
    items: [{ skuId: 'sku_dianhong2', quantity: 2 }],
    addressId,
    coupon: { couponId: aliceGrab!.couponId! },
  });
  expect(order.coupon).toEqual({ couponId: aliceGrab!.couponId, discount: amounts.get(alice.id) });
  expect(await orders.markPaid({}, order.orderNo, order.price.payable, new Date())).toEqual({ ok: true });
  // The order.paid subscriber's effect (the events relay is not running in this file).
  expect(await stack.app.services.redEnvelopes.attributeOrder(order.orderNo)).toBe(true);
  const used = (await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${packId}`, auth)).body.stats;
  expect(used).toMatchObject({
    orders: 1,
    gmv: order.price.payable,
    used: { count: 1, amount: amounts.get(alice.id) },
  });
  const yuan = (fen: number) =>
    `¥${Math.floor(fen / 100).toLocaleString('en-US')}.${String(fen % 100).padStart(2, '0')}`;

  // The luckiest as the buyer's page marks it.
  const view = await api(stack.baseUrl, 'GET', `/api/red-envelopes/${packId}`, alice.auth);
  const best = view.body.grabs.find((g: { luckiest: boolean }) => g.luckiest);
  const bestAmount = Math.max(...amounts.values());
  expect(best.amount).toBe(bestAmount);
  const nameOf = (id: string) => `微信用户${id.slice(-4).toUpperCase()}`;

  await listed.locator('.pack-link').click();
  await page.waitForURL(/\/marketing\/red-envelopes\/rp_/);
  await page
    .locator('.stat-grabbed')
    .getByText(`¥${(total / 100).toFixed(2)}`)
    .waitFor();
  await page.locator('.stat-funded').getByText('¥100.00').waitFor();
  await page
    .locator('.stat-used')
    .getByText(yuan(amounts.get(alice.id)!))
    .waitFor();
  await page.locator('.stat-gmv').getByText(yuan(order.price.payable)).waitFor();
  await page.locator('.stat-orders').getByText('1').waitFor();
  await page.locator('.pack-funnel canvas').waitFor();
  await page.locator('.share-tree canvas').waitFor();
  const rows = page.locator('.grabs-table tbody tr.ant-table-row');
  await expect(rows.count()).resolves.toBe(4);
  const rowOf = (id: string) => rows.filter({ has: page.locator('.grab-name', { hasText: nameOf(id) }) });
  // The console's grab list (newest first), each with when it was grabbed (China time); one
  // luckiest: the largest amount, of equal amounts the earliest grab.
  const listedGrabs = (await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${packId}`, auth)).body.grabs as {
    buyerId: string;
    amount: number;
    grabbedAt: string;
    luckiest: boolean;
  }[];
  expect(listedGrabs.map((g) => g.buyerId).sort()).toEqual([...amounts.keys()].sort());
  expect(listedGrabs.filter((g) => g.luckiest)).toHaveLength(1);
  expect(listedGrabs.find((g) => g.luckiest)!.amount).toBe(bestAmount);
  for (const g of listedGrabs) {
    const r = rowOf(g.buyerId);
    await r.locator('.grab-amount', { hasText: `¥${(amounts.get(g.buyerId)! / 100).toFixed(2)}` }).waitFor();
    await r.locator('.grab-time', { hasText: formatChinaTime(g.grabbedAt, 'second') }).waitFor();
    expect(await r.locator('.luckiest').count()).toBe(g.luckiest ? 1 : 0);
  }
  await rowOf(alice.id)
    .getByText(`1 · ${yuan(order.price.payable)}`)
    .waitFor();
  // Who brought whom, in the grabs list: carol by bob, bob and dave by alice.
  await rows
    .filter({ hasText: nameOf(carol.id) })
    .getByText(nameOf(bob.id))
    .waitFor();
  await rows
    .filter({ hasText: nameOf(dave.id) })
    .getByText(nameOf(alice.id))
    .waitFor();
  // The tree is drawn: its canvas is not blank.
  const inked = await page.locator('.share-tree canvas').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(500);
  await shot(page, '10-pack-detail', 900);
  await page.locator('.share-tree').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, '11-pack-tree', 600, false);
  await page.locator('.grabs-table').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, '12-pack-grabs', 300, false);

  // The list, after the grabs and the order.
  await page.locator('.console-menu').getByText('群红包').click();
  await listed.locator('.pack-grabbed', { hasText: `4 / 10 · ${yuan(total)}` }).waitFor();
  await listed.locator('.pack-orders', { hasText: '1 单' }).waitFor();
  await shot(page, '13-packs-list-grabbed');

  // The pack's own template: marked in the coupon list, read-only on its page.
  await page.locator('.console-menu').getByText('优惠券').click();
  const packRow = page.locator('.coupons-table tr', { has: page.locator('.pack-template-tag') });
  await packRow.locator('.open-pack').waitFor();
  await expect(packRow.count()).resolves.toBe(1);
  expect(await packRow.locator('.edit-coupon, .stop-coupon, .publish-coupon').count()).toBe(0);
  await shot(page, '14-coupons-with-pack');
  await packRow.locator('.coupon-link').click();
  await page.locator('.pack-template-note').waitFor();
  expect(await page.locator('.save-coupon').count()).toBe(0);
  await expect(page.locator(inp('field-title')).isDisabled()).resolves.toBe(true);
  await shot(page, '15-pack-template');
  await context.close();
}, 120_000);

it('the owner turns off giving coupons back on a full refund', async () => {
  const { context, page } = await desktop();
  await signIn(page, 'boss');
  const auth = await sessionAuth(page);
  expect((await api(stack.baseUrl, 'GET', '/api/admin/shop-settings', auth)).body.restoreCouponOnFullRefund).toBe(true);
  await page.locator('.console-menu').getByText('店铺设置').click();
  const toggle = page.locator('.field-restore-coupon');
  await page.locator('.field-restore-coupon[aria-checked="true"]').waitFor();
  await toggle.click();
  await page.locator('.field-restore-coupon[aria-checked="false"]').waitFor();
  await page.locator('.save-settings').click();
  await page.getByText('已保存 · Saved').waitFor();
  expect((await api(stack.baseUrl, 'GET', '/api/admin/shop-settings', auth)).body.restoreCouponOnFullRefund).toBe(
    false,
  );
  await shot(page, '16-settings');
  await context.close();
}, 60_000);

it('a clerk has no marketing menu, the pages say no access and the API answers 403', async () => {
  const { context, page } = await desktop();
  await signIn(page, 'counter');
  const auth = await sessionAuth(page);
  const menu = page.locator('.console-menu');
  await menu.getByText('商品管理').waitFor();
  expect(await menu.getByText('营销').count()).toBe(0);
  expect(await menu.getByText('优惠券').count()).toBe(0);
  expect(await menu.getByText('群红包').count()).toBe(0);
  await page.goto(consoleUrl(`marketing/red-envelopes/${packId}`));
  await page.locator('.ant-result-title', { hasText: '没有权限' }).waitFor();
  await shot(page, '17-clerk');
  for (const p of ['/api/admin/coupon-templates', '/api/admin/red-envelopes', `/api/admin/red-envelopes/${packId}`])
    expect((await api(stack.baseUrl, 'GET', p, auth)).status).toBe(403);
  await context.close();
}, 60_000);
