/**
 * The official account in the console, end to end (issue 16, acceptance 6's console part), in
 * Chromium at 1440 × 900 against the console build served by the API at /console/ (build it
 * first: `npm run build -w @chatmall/console`; CONSOLE_DIR names another build). The sandbox
 * plays WeChat in-process and its simulated users play the followers.
 *
 * A follower writes; the marketer answers from 消息 Inbox and the answer reaches the follower's
 * WeChat; a follower silent for three days cannot be answered and the page says why. The
 * marketer adds a keyword rule in 自动回复 and a follower's message gets its reply. 粉丝
 * Followers: the sync brings in the sandbox's followers with its progress, a tag is made and
 * put on a follower.
 *
 * Screenshots: test-results/e2e/console-oa-*.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createSandbox, type Sandbox } from '../sandbox/src/app';
import { startJobs, type RunningJobs } from '../server/src/main/jobs';
import { getJson, startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { launchBrowser } from './browser';
import {
  createStaff,
  desktop,
  failOnPageErrors,
  requireConsoleBuild,
  sessionAuth,
  shots,
  signIn,
} from './console-stack';

const consoleDir = path.resolve(process.env.CONSOLE_DIR ?? path.join(__dirname, '../console/dist'));
const shot = shots('console-oa-');

let sandbox: Sandbox;
let sandboxServer: http.Server;
let sb: string;
let stack: TestStack;
let jobs: RunningJobs;
let browser: Browser;
let page: Page;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  requireConsoleBuild(consoleDir);
  sandbox = createSandbox({
    merchantBaseUrl: 'http://127.0.0.1:1',
    selfBaseUrl: 'http://127.0.0.1:0',
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-console-oa-')),
    logLevel: 'silent',
  });
  sandboxServer = http.createServer(sandbox.app.callback());
  await new Promise<void>((r) => sandboxServer.listen(0, '127.0.0.1', r));
  sb = `http://127.0.0.1:${(sandboxServer.address() as AddressInfo).port}`;
  stack = await startStack({ seed: false, config: testConfig({ WECHAT_API_BASE: sb, CONSOLE_DIR: consoleDir }) });
  sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  // The events queue runs the subscribers (a touchpoint's scans and new followers).
  jobs = await startJobs(stack.app, { only: ['events'], relayIdleMs: 50 });
  await createStaff(stack.db, [{ username: 'yunying', displayName: '陈运营', role: 'marketer' }]);
  browser = await launchBrowser();
  ({ page } = await desktop(browser, pageErrors));
  await signIn(page, stack.baseUrl, 'yunying');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await jobs?.stop();
  await stack?.close();
  sandboxServer?.closeAllConnections();
  await new Promise<void>((r) => (sandboxServer ? sandboxServer.close(() => r()) : r()));
  await sandbox?.close();
});

async function sim(p: string, body: unknown = {}) {
  const res = await getJson(`${sb}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.body;
}
const wechatInbox = async (openid: string) =>
  (await getJson(`${sb}/sandbox/oa/users/${openid}/inbox`)).body.messages as { via: string; content: string }[];

const open = async (route: string) => {
  await page.goto(`${stack.baseUrl}/console/${route}`);
};

it('answers a follower from the inbox (the answer reaches their WeChat); past 48 hours the box says why', async () => {
  await sim('/sandbox/oa/users/oFan_li/follow');
  await sim('/sandbox/oa/users/oFan_li/text', { content: '你好，请问周末营业吗？' });
  await sim('/sandbox/oa/users/oFan_old/follow');
  await sim('/sandbox/oa/users/oFan_old/text', { content: '上周的订单什么时候发货' });
  // oFan_old last wrote three days ago.
  await stack.db.query('UPDATE oa_followers SET last_interaction_at = ? WHERE openid = ?', [
    new Date(Date.now() - 72 * 3600_000),
    'oFan_old',
  ]);

  await open('official-account/inbox');
  await page.locator('.inbox-thread-oFan_li').click();
  const convo = page.locator('.inbox-conversation');
  await convo.getByText('你好，请问周末营业吗？').waitFor();
  await convo.locator('.reply-text').fill('周末照常营业，10:00–22:00，欢迎光临！');
  await convo.locator('.send-reply').click();
  await convo.locator('.inbox-message-out', { hasText: '周末照常营业' }).waitFor();
  const got = await wechatInbox('oFan_li');
  expect(got.map((m) => m.content)).toContain('周末照常营业，10:00–22:00，欢迎光临！');
  await shot(page, 'inbox');

  await page.locator('.inbox-thread-oFan_old').click();
  await convo.getByText('上周的订单什么时候发货').waitFor();
  await convo.locator('.reply-window-closed', { hasText: '超过 48 小时' }).waitFor();
  await expect(convo.locator('.send-reply').isDisabled()).resolves.toBe(true);
  await shot(page, 'inbox-48h');
}, 60_000);

it('a keyword rule made in the console answers a follower’s message', async () => {
  await open('official-account/auto-replies');
  await page.locator('.state-empty').waitFor();
  await page.locator('.new-rule').click();
  const dialog = page.locator('.ant-modal', { hasText: '新建关键词规则' });
  // An empty rule is refused on its fields before anything is sent.
  await dialog.locator('.save-rule').click();
  await dialog.locator('.ant-form-item-explain-error').first().waitFor();
  await dialog.locator('.rule-name').fill('营业时间');
  await dialog.locator('.rule-pattern').fill('营业');
  await dialog.locator('.rule-priority input').fill('200');
  await dialog.locator('.reply-text textarea').fill('营业时间：每天 10:00–22:00');
  await shot(page, 'rule-editor');
  await dialog.locator('.save-rule').click();
  const row = page.locator('.rule-row', { hasText: '营业时间' });
  await row.waitFor();
  await expect(row.textContent()).resolves.toContain('包含 Contains');

  const res = await sim('/sandbox/oa/users/oFan_zhao/text', { content: '请问几点营业' });
  expect(res.pushed.reply).toMatchObject({ kind: 'text', content: '营业时间：每天 10:00–22:00' });
  await shot(page, 'auto-replies');
}, 60_000);

it('syncs followers with its progress, makes a tag and tags a follower', async () => {
  await sim('/sandbox/oa/users/bulk', { count: 30, prefix: 'oBulk' });
  await open('official-account/followers');
  await page.locator('.sync-followers').first().click();
  await page.locator('.sync-DONE').waitFor({ timeout: 30_000 });
  await page.locator('.follower-row-oBulk0000000').waitFor();

  await page.locator('.new-tag').click();
  const dialog = page.locator('.ant-modal', { hasText: '新建标签' });
  await dialog.locator('.tag-name').fill('老顾客');
  await dialog.locator('.save-tag').click();
  await page.locator('.tag-item', { hasText: '老顾客' }).waitFor();

  await page.locator('.follower-row-oFan_li .ant-checkbox-input').check();
  await page.locator('.add-tag-to-selected').hover();
  await page.locator('.ant-dropdown-menu-item', { hasText: '老顾客' }).click();
  await page.locator('.follower-row-oFan_li .ant-tag', { hasText: '老顾客' }).waitFor();
  await page.locator('.tag-item', { hasText: '老顾客 · 1' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'followers');
}, 60_000);

it('edits a menu (a click button and a sub-menu with a web page and the mini-program), publishes it and reads it back', async () => {
  await open('official-account/menu');
  await page.locator('.menu-phone').waitFor();
  const ed = page.locator('.menu-item-editor');
  await ed.locator('.button-name').fill('新品上架');
  await ed.locator('.button-key').fill('NEW_ARRIVALS');

  await page.locator('.add-top-button').click();
  await ed.locator('.button-name').fill('逛逛');
  await ed.getByText('子菜单 Sub-menu').click();
  await ed.locator('.pick-sub-0').click();
  await ed.locator('.button-name').fill('附近门店');
  await ed.getByText('跳转网页').click();
  await ed.locator('.button-url').fill('https://shop.example.com/stores');
  await ed.locator('.add-sub-button').click();
  await ed.locator('.button-name').fill('小程序商城');
  await ed.getByText('打开小程序').click();
  await ed.locator('.button-url').fill('https://shop.example.com/');
  await ed.locator('.button-page').fill('pages/index/index');
  await page.locator('.menu-sub-1-1', { hasText: '小程序商城' }).waitFor();

  // A top-level name over WeChat's 16 bytes is refused before anything is sent, on its button.
  await page.locator('.menu-top-0').click();
  await ed.locator('.button-name').fill('新品上架每周更新');
  await page.locator('.save-menu').click();
  await page.locator('.menu-problems', { hasText: '16 字节' }).waitFor();
  await ed.locator('.ant-form-item-explain-error', { hasText: '16 字节' }).waitFor();
  await shot(page, 'menu-problem');
  await ed.locator('.button-name').fill('新品上架');

  await page.locator('.menu-top-1').click();
  await page.locator('.publish-menu').click();
  await page.locator('.confirm-publish-menu').click();
  await page.locator('.menu-published .published-button', { hasText: '附近门店' }).waitFor();
  await shot(page, 'menu');

  // WeChat holds it: the follower's phone shows it, and a tap pushes its click key.
  const held = (await getJson(`${sb}/sandbox/oa/menu`)).body.button as {
    name: string;
    sub_button?: { name: string }[];
  }[];
  expect(held.map((b) => b.name)).toEqual(['新品上架', '逛逛']);
  expect(held[1].sub_button?.map((b) => b.name)).toEqual(['附近门店', '小程序商城']);
  const tap = await sim('/sandbox/oa/users/oFan_li/menu', { button: '0' });
  expect(tap.button).toBe('新品上架');

  // Read back after a reload shows the same.
  await page.reload();
  await page.locator('.read-back-menu').click();
  await page.locator('.menu-published .published-button', { hasText: '新品上架' }).waitFor();
}, 60_000);

it('creates a store touchpoint, downloads its A6 PDF, and shows the follower its QR brought', async () => {
  await open('official-account/touchpoints');
  await page.locator('.state-empty').waitFor();
  await page.locator('.new-touchpoint').first().click();
  const dialog = page.locator('.ant-modal', { hasText: '新建渠道' });
  await dialog.getByText('门店 Store').click();
  await dialog.locator('.touchpoint-name').fill('静安寺店');
  // A store without its address and coordinates is refused on the form.
  await dialog.locator('.create-touchpoint').click();
  await dialog.locator('.ant-form-item-explain-error').first().waitFor();
  await dialog.locator('.store-address').fill('上海市静安区南京西路 1688 号');
  await dialog.locator('.store-lat input').fill('31.2235');
  await dialog.locator('.store-lng input').fill('121.4453');
  await dialog.locator('.store-hours').fill('10:00–22:00');
  await dialog.locator('.store-phone').fill('021-62881234');
  await dialog.locator('.create-touchpoint').click();
  const row = page.locator('.touchpoint-row', { hasText: '静安寺店' });
  await row.waitFor();

  const [pdf] = await Promise.all([page.waitForEvent('download'), row.locator('.download-pdf').click()]);
  const bytes = fs.readFileSync((await pdf.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);

  // A customer scans the store's QR and follows: the touchpoint counts them.
  const auth = await sessionAuth(page);
  const list = await getJson(`${stack.baseUrl}/api/admin/touchpoints`, { headers: auth });
  const tp = (list.body.items as { name: string; qrTicket: string }[]).find((t) => t.name === '静安寺店')!;
  await sim('/sandbox/oa/users/oFan_store/follow', { ticket: tp.qrTicket });
  for (let i = 0; i < 20 && !(await row.locator('td', { hasText: /^1$/ }).count()); i++) {
    await page.waitForTimeout(500);
    await page.reload();
    await row.waitFor();
  }
  await row.locator('td', { hasText: /^1$/ }).first().waitFor();
  await page.locator('.touchpoint-chart canvas').waitFor();
  await shot(page, 'touchpoints', 800);
}, 60_000);
