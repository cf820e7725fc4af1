/**
 * Staff management end to end, in Chromium at 1440 × 900 against the console build served by
 * the API at /console/ (build it first: `npm run build -w @chatmall/console`).
 *
 * The owner opens 设置 → 员工, is told in Chinese what is wrong with an empty form before it is
 * sent and that a username is taken (the server's 409, on the field), adds a clerk; the clerk
 * signs in in their own browser; the owner disables the clerk and the clerk's open console
 * returns to sign-in on its next call; the owner enables the clerk, resets the password (a
 * short one refused on the field first), and the clerk signs in with the new one only. A
 * locked marketer shows 锁定 and the owner unlocks them; a role change asks first.
 *
 * Screenshot: test-results/e2e/console-staff.png (and console-staff-*.png along the way).
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStack, type TestStack } from '../server/test/support/harness';
import { api } from '../server/test/support/people';
import { launchBrowser, screenshot } from './browser';
import {
  createStaff,
  desktop as openDesktop,
  failOnPageErrors,
  requireConsoleBuild,
  submitSignIn,
} from './console-stack';

// CONSOLE_DIR (as the server reads it) lets a run use another build of the console.
const consoleDir = path.resolve(process.env.CONSOLE_DIR ?? path.join(__dirname, '../console/dist'));
const OWNER_PASSWORD = 'owner-password-2026';
const CLERK_PASSWORD = 'clerk-first-password';

let stack: TestStack;
let browser: Browser;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  requireConsoleBuild(consoleDir);
  stack = await startStack({ seed: false });
  await createStaff(stack.db, [
    { username: 'laoban', displayName: '王老板', role: 'owner', password: OWNER_PASSWORD },
    { username: 'yunying', displayName: '陈运营', role: 'marketer', password: OWNER_PASSWORD },
  ]);
  browser = await launchBrowser();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const desktop = () => openDesktop(browser, pageErrors);

const consoleUrl = (route = '') => `${stack.baseUrl}/console/${route}`;

const row = (page: Page, username: string) => page.locator(`.staff-row-${username.replace('.', '\\.')}`);

it('the owner adds a clerk, disables them (their open console returns to sign-in), enables them, resets the password, unlocks a locked marketer', async () => {
  const owner = await desktop();
  const o = owner.page;
  await o.goto(consoleUrl('sign-in'));
  await submitSignIn(o, 'laoban', OWNER_PASSWORD);
  await o.locator('.console-staff').getByText('王老板').waitFor();
  await o.locator('.console-menu').getByText('员工').click();
  await o.waitForURL(/\/console\/staff$/);
  await row(o, 'laoban').waitFor();
  await row(o, 'laoban').getByText('店主 Owner').waitFor();
  // The owner's own row offers no disable and no role change.
  await expect(row(o, 'laoban').locator('.disable-staff').isDisabled()).resolves.toBe(true);
  await expect(row(o, 'laoban').locator('.change-role').isDisabled()).resolves.toBe(true);

  // Add: an empty form is refused on its fields before anything is sent.
  let creates = 0;
  o.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/admin/staff')) creates++;
  });
  await o.locator('.add-staff').click();
  const dialog = o.locator('.ant-modal', { hasText: '添加员工' });
  await dialog.locator('#staff-username').waitFor();
  await dialog.locator('.add-staff-submit').click();
  await dialog.locator('.ant-form-item-explain-error', { hasText: '3–32 位小写字母、数字或 _ . -' }).waitFor();
  await dialog.locator('.ant-form-item-explain-error', { hasText: '不能为空' }).waitFor();
  await dialog.locator('.ant-form-item-explain-error', { hasText: '至少 10 个字符' }).waitFor();
  expect(creates).toBe(0);
  await screenshot(o, 'console-staff-add-refused');

  // A taken username: the server's 409 lands on the username field.
  await dialog.locator('#staff-username').fill('yunying');
  await dialog.locator('#staff-display-name').fill('小李');
  await dialog.locator('#staff-password').fill(CLERK_PASSWORD);
  await dialog.locator('.add-staff-submit').click();
  await dialog.locator('.ant-form-item-explain-error', { hasText: '用户名已被占用' }).waitFor();
  expect(creates).toBe(1);

  await dialog.locator('#staff-username').fill('xiao.li');
  await dialog.locator('.add-staff-submit').click();
  await dialog.waitFor({ state: 'hidden' });
  await row(o, 'xiao.li').getByText('店员 Clerk').waitFor();
  await row(o, 'xiao.li').getByText('启用 Enabled').waitFor();
  await row(o, 'xiao.li').getByText('从未登录 Never').waitFor();

  // The clerk signs in in their own browser.
  const clerk = await desktop();
  const c = clerk.page;
  await c.goto(consoleUrl('sign-in'));
  await submitSignIn(c, 'xiao.li', CLERK_PASSWORD);
  await c.locator('.console-staff').getByText('小李').waitFor();
  await expect(c.locator('.console-menu').getByText('员工').count()).resolves.toBe(0);

  // The owner disables the clerk (confirmed first).
  await o.reload();
  await row(o, 'xiao.li').locator('.disable-staff').click();
  await o.locator('.confirm-disable').click();
  await row(o, 'xiao.li').getByText('停用 Disabled').waitFor();

  // The clerk's open console: its next call is refused and it returns to sign-in.
  await c.locator('.console-menu').getByText('订单管理').click();
  await c.waitForURL(/\/console\/sign-in\?next=%2Forders$/);
  await c.getByText('请重新登录').waitFor();
  await submitSignIn(c, 'xiao.li', CLERK_PASSWORD);
  await c.locator('.sign-in-error', { hasText: '用户名或密码错误' }).waitFor();

  // Enabled again, and a new password: a short one is refused on the field first.
  await row(o, 'xiao.li').locator('.enable-staff').click();
  await o.locator('.confirm-enable').click();
  await row(o, 'xiao.li').getByText('启用 Enabled').waitFor();
  await row(o, 'xiao.li').locator('.reset-password').click();
  const reset = o.locator('.ant-modal', { hasText: '重置密码' });
  await reset.locator('#reset-password').fill('short');
  await reset.locator('.reset-password-submit').click();
  await reset.locator('.ant-form-item-explain-error', { hasText: '至少 10 个字符' }).waitFor();
  await reset.getByRole('button', { name: '生成 Generate' }).click();
  const fresh = await reset.locator('#reset-password').inputValue();
  expect(fresh).toMatch(/^[A-Za-z2-9]{14}$/);
  await reset.locator('.reset-password-submit').click();
  await reset.waitFor({ state: 'hidden' });
  await o.getByText('请当面告知', { exact: false }).waitFor();

  await submitSignIn(c, 'xiao.li', CLERK_PASSWORD);
  await c.locator('.sign-in-error', { hasText: '用户名或密码错误' }).waitFor();
  await submitSignIn(c, 'xiao.li', fresh);
  await c.waitForURL(/\/console\/orders$/);
  await c.locator('.console-staff').getByText('小李').waitFor();
  await clerk.context.close();

  // A marketer locked by wrong passwords shows 锁定; the owner unlocks them.
  let locked = 0;
  for (let i = 0; i < 10; i++)
    locked = (await api(stack.baseUrl, 'POST', '/api/admin/login', {}, { username: 'yunying', password: 'wrong' }))
      .status;
  expect(locked).toBe(429);
  await o.reload();
  await row(o, 'yunying').getByText('锁定 Locked').waitFor();
  await row(o, 'xiao.li')
    .getByText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
    .waitFor();
  await o.waitForTimeout(500);
  await screenshot(o, 'console-staff');

  await row(o, 'yunying').locator('.unlock-staff').click();
  await row(o, 'yunying').getByText('启用 Enabled').waitFor();
  expect(
    (await api(stack.baseUrl, 'POST', '/api/admin/login', {}, { username: 'yunying', password: OWNER_PASSWORD }))
      .status,
  ).toBe(200);

  // The list's loading and error states, then a retry that loads it.
  await o.route('**/api/admin/staff', async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.fulfill({
      status: 503,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'The database is unavailable; try again shortly.',
      }),
    });
  });
  await o.reload();
  await o.locator('.state-loading').waitFor();
  await o.locator('.state-error', { hasText: '服务暂时不可用' }).waitFor();
  await screenshot(o, 'console-staff-error');
  await o.unroute('**/api/admin/staff');
  await o.locator('.state-error').getByRole('button', { name: /重试/ }).click();
  await row(o, 'xiao.li').waitFor();

  // A role change asks first, then shows the new tag.
  await row(o, 'xiao.li').locator('.change-role').click();
  await o.locator('.ant-dropdown-menu-item', { hasText: '运营 Marketer' }).click();
  await o.locator('.confirm-role').click();
  await row(o, 'xiao.li').getByText('运营 Marketer').waitFor();
  await screenshot(o, 'console-staff-after');
  await owner.context.close();
}, 180_000);

it('a marketer changes their own password from 我的账号: a wrong current one is refused on its field, then the new one signs in and the old one does not', async () => {
  const me = await desktop();
  const p = me.page;
  await p.goto(consoleUrl('sign-in'));
  await submitSignIn(p, 'yunying', OWNER_PASSWORD);
  await p.locator('.console-staff').getByText('陈运营').waitFor();
  await p.locator('.my-wechat').click();
  await p.waitForURL(/\/console\/account$/);
  const card = p.locator('.change-password');
  await card.locator('#current-password').fill('not-my-password');
  await card.locator('#new-password').fill('marketer-new-password');
  await card.locator('#repeat-password').fill('marketer-new-password');
  await card.locator('.change-password-submit').click();
  await card.locator('.ant-form-item-explain-error', { hasText: '当前密码不正确' }).waitFor();
  await screenshot(p, 'console-account-refused');

  await card.locator('#current-password').fill(OWNER_PASSWORD);
  await card.locator('.change-password-submit').click();
  await p.locator('.ant-message-notice', { hasText: '密码已修改' }).waitFor();
  // This browser stays signed in.
  await p.reload();
  await p.locator('.change-password').waitFor();
  expect(p.url()).toMatch(/\/console\/account$/);
  await screenshot(p, 'console-account');
  const signIn = (password: string) =>
    api(stack.baseUrl, 'POST', '/api/admin/login', {}, { username: 'yunying', password });
  expect((await signIn('marketer-new-password')).status).toBe(200);
  expect((await signIn(OWNER_PASSWORD)).status).toBe(401);
  await me.context.close();
}, 90_000);
