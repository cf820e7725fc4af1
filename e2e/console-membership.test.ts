/**
 * The membership pages of the console, end to end in Chromium at 1440 × 900 against the
 * console build, the sandbox playing WeChat (the phone-number codes buyers join with):
 *
 * 1. The owner sets the programme (会员规则): a fourth level whose threshold is not above the
 *    third is refused on its field before anything is sent; then four levels by spend, 2
 *    points per yuan, points that never expire, two top-up tiers; the API reads back exactly
 *    what was typed (yuan → fen).
 * 2. Two buyers join; the owner finds one by the last digits of the phone (and nobody at the
 *    second level), opens the member, is refused an adjustment without a reason (on the
 *    field), adjusts +200 with a reason, and the points ledger shows the entry with its
 *    reason; the liability report agrees with the balances.
 * 3. A clerk (no members list in the menu, only the counter) takes the member code the buyer's
 *    member centre shows, as a scanner types it, records an offline purchase of ¥88.50 (176
 *    points: 88 whole yuan at 2 a yuan); the same code again, and one with a changed digit,
 *    are refused in words; a payment from a balance that does not cover it is refused on the
 *    amount.
 *
 * Screenshots: test-results/e2e/console-membership-*.png.
 */
import type { Browser, Page } from 'playwright-core';
import { startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { api, makeBuyer } from '../server/test/support/people';
import { startSandbox, type RunningSandbox } from '../server/test/support/sandbox';
import { launchBrowser, screenshot } from './browser';
import {
  createStaff,
  desktop as openDesktop,
  failOnPageErrors,
  requireConsoleBuild,
  sessionAuth,
  signIn,
} from './console-stack';

let sandbox: RunningSandbox;
let stack: TestStack;
let browser: Browser;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({ config: testConfig({ WECHAT_API_BASE: sandbox.url }) });
  requireConsoleBuild(stack.config.consoleDir);
  await createStaff(stack.db, [
    { username: 'mboss', displayName: '王老板', role: 'owner' },
    { username: 'mclerk', displayName: '小李', role: 'clerk' },
  ]);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  await sandbox?.close();
});

const consoleUrl = (route = '') => `${stack.baseUrl}/console/${route}`;

async function shot(page: Page, name: string, settleMs = 500): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(() => !document.querySelector('.ant-message-notice'), undefined, { timeout: 8000 });
  await page.waitForTimeout(settleMs);
  await screenshot(page, `console-membership-${name}`);
}

/** A buyer who joins with the sandbox's phone-number code for `phone`. */
async function joinedBuyer(name: string, phone: string) {
  const buyer = await makeBuyer(stack.db, name);
  const [{ openid }]: { openid: string }[] = await stack.db.query('SELECT openid FROM buyers WHERE id = ?', [buyer.id]);
  const res = await fetch(`${sandbox.url}/sandbox/mp/users/${openid}/phone-code`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  const { code } = (await res.json()) as { code: string };
  const joined = await api(stack.baseUrl, 'POST', '/api/membership/join', buyer.auth, { phoneCode: code, name });
  expect(joined.status).toBe(200);
  return { buyer, member: joined.body as { id: string; memberNo: string } };
}

/** A text or number input by its class, wherever antd puts the class (the input, or its wrapper). */
function field(scope: Page | ReturnType<Page['locator']>, cls: string, within?: string) {
  const root = within ? scope.locator(within) : scope;
  return root.locator(`input.${cls}, .${cls} input`).first();
}

let owner: Page;
let alice: Awaited<ReturnType<typeof joinedBuyer>>;

it('the owner sets the programme: levels by spend, earning, points value and cap, expiry, top-up tiers', async () => {
  ({ page: owner } = await openDesktop(browser, pageErrors));
  await signIn(owner, stack.baseUrl, 'mboss');
  await owner.locator('.ant-menu-item', { hasText: '会员规则' }).click();
  await owner.locator('.programme-form').waitFor();
  await expect(owner.locator('.programme-version').textContent()).resolves.toContain('默认');

  await owner.locator('.field-enabled').click();
  // A fourth level below the third is refused on its field before anything is sent.
  await owner.locator('.add-level').click();
  const row = (i: number) => owner.locator(`.level-row-${i}`);
  await field(row(3), 'field-level-name').fill('钻石卡');
  await field(row(3), 'field-level-threshold').fill('1000');
  let sent = 0;
  owner.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes('/membership/programme')) sent++;
  });
  await owner.locator('.save-programme').click();
  await row(3).locator('.ant-form-item-explain-error', { hasText: 'previous level' }).waitFor();
  expect(sent).toBe(0);
  await shot(owner, '01-programme-refused');

  await field(row(3), 'field-level-threshold').fill('5000');
  await field(row(3), 'field-level-discount').fill('15');
  await field(row(3), 'field-level-multiplier').fill('200');
  // A new level starts with the benefits of the one below it (金卡 ships free).
  await row(3).locator('.field-level-free-shipping.ant-switch-checked').waitFor();
  await field(row(1), 'field-level-discount').fill('5');
  await field(owner, 'field-points-per-yuan').fill('2');
  await field(owner, 'field-rule-cap').fill('30');
  await owner.locator('.field-expiry').getByText('永久有效').click();
  await field(owner, 'field-tier-pay', '.tier-row-1').fill('300');
  await field(owner, 'field-tier-bonus', '.tier-row-1').fill('40');
  const saved = owner.waitForResponse(
    (r) => r.request().method() === 'PUT' && r.url().includes('/membership/programme'),
  );
  await owner.locator('.save-programme').click();
  expect((await saved).status()).toBe(200);
  await owner.locator('.programme-version', { hasText: '第 1 版' }).waitFor();
  await shot(owner, '02-programme-saved');

  const read = await api(stack.baseUrl, 'GET', '/api/admin/membership/programme', await sessionAuth(owner));
  expect(read.body.settings).toMatchObject({
    enabled: true,
    levelBasis: 'spend',
    levels: [
      { name: '普通会员', threshold: 0 },
      { name: '银卡', threshold: 50_000, discountPercent: 5 },
      { name: '金卡', threshold: 200_000, discountPercent: 5, pointsMultiplierPercent: 150, freeShipping: true },
      { name: '钻石卡', threshold: 500_000, discountPercent: 15, pointsMultiplierPercent: 200, freeShipping: true },
    ],
    earning: { pointsPerYuan: 2 },
    pointsRule: { points: 100, fen: 100, maxSharePercent: 30 },
    expiry: { kind: 'never' },
    topUpTiers: [
      { pay: 10_000, bonus: 1000 },
      { pay: 30_000, bonus: 4000 },
    ],
  });
}, 90_000);

it('the owner finds a member by phone, adjusts points with a required reason, and the ledger shows it', async () => {
  alice = await joinedBuyer('爱丽丝', '13911112222');
  await joinedBuyer('鲍勃', '13722223333');

  await owner.goto(consoleUrl('membership/members'));
  await owner.locator('.members-table .member-link').nth(1).waitFor();
  await owner.locator('.member-search input').fill('1111');
  await owner.locator('.member-search input').press('Enter');
  await owner.waitForURL((u) => u.search.includes('q=1111'));
  // The old page of two rows stays until the search's answer replaces it.
  await owner.waitForFunction(() => document.querySelectorAll('.members-table .member-link').length === 1);
  await owner.locator('.members-table .member-link', { hasText: '爱丽丝' }).waitFor();
  await expect(owner.locator('.members-table').textContent()).resolves.toContain('139****2222');
  await shot(owner, '03-members');
  // Both members are at the first level: filtering by 银卡 finds nobody, and says so.
  await owner.goto(consoleUrl('membership/members?level=1'));
  await owner.locator('.state-empty', { hasText: '没有符合条件的会员' }).waitFor();
  await owner.goto(consoleUrl('membership/members?level=0'));
  await owner.locator('.members-table .member-link').nth(1).waitFor();
  await expect(owner.locator('.member-level-filter').textContent()).resolves.toContain('普通会员');
  await owner.locator('.members-table .member-link', { hasText: '爱丽丝' }).click();
  await owner.locator('.member-summary .member-phone', { hasText: '13911112222' }).waitFor();
  await owner.locator('.member-summary').getByText('还差').waitFor();

  // No reason: refused on the field, nothing sent.
  await field(owner, 'field-delta', '.adjust-form').fill('200');
  await owner.locator('.adjust-submit').click();
  await owner.locator('.adjust-form .ant-form-item-explain-error').first().waitFor();
  await field(owner, 'field-reason', '.adjust-form').fill('线下活动补发');
  const adjusted = owner.waitForResponse((r) => r.url().includes('/points-adjustments'));
  await owner.locator('.adjust-submit').click();
  expect((await adjusted).status()).toBe(200);
  await owner.locator('.stat-points', { hasText: '200' }).waitFor();
  await owner.locator('.points-ledger .points-reason', { hasText: '线下活动补发' }).waitFor();
  await expect(owner.locator('.points-ledger .points-delta').first().textContent()).resolves.toBe('+200');
  await shot(owner, '04-member-detail');

  await owner.locator('.ant-menu-item', { hasText: '储值负债' }).click();
  await owner.locator('.liability-agrees').waitFor();
  await expect(owner.locator('.liability-points').textContent()).resolves.toBe('200');
  await shot(owner, '05-liability');
}, 90_000);

it('a clerk records an offline purchase at the counter from the member code; the same code again is refused in words', async () => {
  const { page: clerk } = await openDesktop(browser, pageErrors);
  await signIn(clerk, stack.baseUrl, 'mclerk');
  await clerk.locator('.ant-menu-item', { hasText: '门店核销' }).waitFor();
  expect(await clerk.locator('.ant-menu-item', { hasText: '会员规则' }).count()).toBe(0);
  await clerk.locator('.ant-menu-item', { hasText: '门店核销' }).click();
  await clerk.locator('.counter-code input').waitFor();

  // The buyer's member centre shows a code; the scanner types its digits and Enter.
  const mine = await api(stack.baseUrl, 'POST', '/api/membership/me/code', alice.buyer.auth);
  expect(mine.status).toBe(200);
  const code = mine.body.code as string;
  await clerk.locator('.counter-code input').pressSequentially(code, { delay: 5 });
  await clerk.locator('.counter-code input').press('Enter');
  await clerk.locator('.counter-member-name', { hasText: '爱丽丝' }).waitFor();
  await field(clerk, 'counter-amount').fill('88.50');
  await shot(clerk, '06-counter-member');
  const recorded = clerk.waitForResponse((r) => r.url().endsWith('/counter/purchases'));
  await clerk.locator('.counter-purchase').click();
  expect((await recorded).status()).toBe(200);
  await clerk.locator('.counter-done-purchase', { hasText: '获得 176 积分' }).waitFor();
  await shot(clerk, '07-counter-recorded');

  const me = await api(stack.baseUrl, 'GET', '/api/membership/me', alice.buyer.auth);
  expect(me.body.member).toMatchObject({ points: 376, spendTotal: 8850 });

  // The same code again: refused on the field, in words.
  await clerk.locator('.counter-code input').fill(code);
  await clerk.locator('.counter-code input').press('Enter');
  await clerk.locator('.ant-form-item-explain-error', { hasText: '已使用' }).waitFor();
  // A changed digit: not a member code.
  const forged = `${code.slice(0, 23)}${(Number(code[23]) + 1) % 10}`;
  await clerk.locator('.counter-code input').fill(forged);
  await clerk.locator('.counter-code input').press('Enter');
  await clerk.locator('.ant-form-item-explain-error', { hasText: '无效' }).waitFor();
  await shot(clerk, '08-counter-refused');

  // A payment from a balance that does not cover it: refused on the amount.
  const fresh = await api(stack.baseUrl, 'POST', '/api/membership/me/code', alice.buyer.auth);
  await clerk.locator('.counter-code input').fill(fresh.body.code as string);
  await clerk.locator('.counter-code input').press('Enter');
  await clerk.locator('.counter-member-name', { hasText: '爱丽丝' }).waitFor();
  await field(clerk, 'counter-amount').fill('20');
  await clerk.locator('.counter-payment').click();
  await clerk.locator('.ant-form-item-explain-error', { hasText: '余额不足' }).waitFor();
  expect((await api(stack.baseUrl, 'GET', '/api/membership/me', alice.buyer.auth)).body.member.points).toBe(376);
}, 90_000);
