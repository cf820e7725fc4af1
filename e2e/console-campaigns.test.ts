/**
 * Push campaigns in the console, end to end (issue 16, acceptance 6), in Chromium at
 * 1440 × 900 against the console build served by the API at /console/ (build it first:
 * `npm run build -w @chatmall/console`; CONSOLE_DIR names another build). The sandbox plays
 * WeChat in-process with 300 followers; the worker's campaign and event queues run in this
 * process at 60 sends a second, so the progress bar is seen moving.
 *
 * The marketer makes a segment (followers of the last 30 days) and watches its live count,
 * composes a service notice to it, reads it in the phone-frame preview, test-sends it to a
 * staff member's openid (it reaches their WeChat), sends it now, watches the progress bar
 * reach done (once the owner approved it: 300 recipients is above the approval threshold), and
 * reads the funnel; every follower got exactly one message.
 *
 * Screenshots: test-results/e2e/console-campaign-*.png.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startJobs, type RunningJobs } from '../server/src/main/jobs';
import { received, seedFollowers } from '../server/test/support/campaigns';
import { getJson, startStack, testConfig, type TestStack } from '../server/test/support/harness';
import { api, makeBuyer } from '../server/test/support/people';
import { startSandbox, type RunningSandbox } from '../server/test/support/sandbox';
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
const shot = shots('console-campaign-');
const FOLLOWERS = 300;

let sandbox: RunningSandbox;
let stack: TestStack;
let jobs: RunningJobs;
let browser: Browser;
let page: Page;
const pageErrors = failOnPageErrors();

beforeAll(async () => {
  requireConsoleBuild(consoleDir);
  sandbox = await startSandbox();
  stack = await startStack({
    seed: false,
    config: testConfig({
      WECHAT_API_BASE: sandbox.url,
      CONSOLE_DIR: consoleDir,
      CAMPAIGN_SENDS_PER_SECOND: '60',
      // 300 recipients is above it: the owner approves the marketer's campaign.
      CAMPAIGN_APPROVAL_ABOVE: '200',
      CAMPAIGN_QUIET_HOURS: 'off',
    }),
  });
  sandbox.sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  jobs = await startJobs(stack.app, { only: ['campaigns', 'events'], relayIdleMs: 50 });
  await seedFollowers(sandbox, stack.app.services.audience, { prefix: 'oCmp', count: FOLLOWERS });
  await createStaff(stack.db, [
    { username: 'yunying', displayName: '陈运营', role: 'marketer' },
    { username: 'laoban', displayName: '王老板', role: 'owner' },
  ]);
  browser = await launchBrowser();
  ({ page } = await desktop(browser, pageErrors));
  await signIn(page, stack.baseUrl, 'yunying');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await jobs?.stop();
  await stack?.close();
  await sandbox?.close();
});

it('makes a segment with a live count, composes, previews, test-sends and sends a campaign, watches it reach done and reads the funnel', async () => {
  // 人群: followers of the last 30 days.
  await page.goto(`${stack.baseUrl}/console/segments`);
  await page.locator('.state-empty').waitFor();
  await page.locator('.new-segment').first().click();
  const drawer = page.locator('.ant-drawer');
  await drawer.locator('.segment-name').fill('近 30 天新粉丝');
  await drawer.locator('.condition-field').click();
  await page.locator('.ant-select-item-option', { hasText: '关注时间' }).click();
  await drawer.locator('.condition-days input').fill('30');
  await drawer.locator('.segment-live-count', { hasText: String(FOLLOWERS) }).waitFor({ timeout: 15_000 });
  // A second condition the other way round: the count follows the rules.
  await drawer.locator('.add-condition').click();
  await drawer.locator('.condition-field').nth(1).click();
  await page.locator('.ant-select-item-option:visible', { hasText: '累计消费' }).click();
  await drawer.locator('.condition-amount input').fill('100');
  await drawer
    .locator('.segment-live-count .ant-statistic-content-value', { hasText: /^0$/ })
    .waitFor({ timeout: 15_000 });
  await drawer.locator('.segment-combine').click();
  await page.locator('.ant-select-item-option:visible', { hasText: '任一条件' }).click();
  await drawer.locator('.segment-live-count', { hasText: String(FOLLOWERS) }).waitFor({ timeout: 15_000 });
  await shot(page, 'segment');
  await drawer.locator('.save-segment').click();
  await page
    .locator('.segment-row', { hasText: '近 30 天新粉丝' })
    .locator('.segment-count', { hasText: String(FOLLOWERS) })
    .waitFor();

  // 推送: a service notice to that segment.
  await page.goto(`${stack.baseUrl}/console/campaigns/new`);
  const form = page.locator('.campaign-form');
  await form.waitFor();
  // Nothing named yet: refused on the form before anything is sent.
  await page.locator('.save-campaign').click();
  await form.locator('.ant-form-item-explain-error').first().waitFor();
  await form.locator('.campaign-name').fill('春季新品通知');
  await form.locator('.campaign-template').fill('TPL_CAMPAIGN_NOTICE');
  await form.locator('.field-value').first().fill('春季新品上架');
  await form.getByText('添加字段').click();
  await form.locator('.field-key').nth(1).fill('thing2');
  await form.locator('.field-value').nth(1).fill('会员九折');
  await form.locator('.campaign-page').fill('pages/index/index');
  await form.locator('.campaign-segment').click();
  await page.locator('.ant-select-item-option', { hasText: '近 30 天新粉丝' }).click();
  await shot(page, 'compose');
  await page.locator('.save-campaign').click();
  await page.waitForURL(/\/console\/campaigns\/cmp_/);

  // Preview in the phone frame, with its recipients now.
  const preview = page.locator('.campaign-preview');
  await preview.locator('.preview-line', { hasText: '春季新品上架' }).waitFor();
  await preview.locator('.preview-recipients', { hasText: String(FOLLOWERS) }).waitFor();

  // Test send to a staff member's openid: it reaches their WeChat, and is not counted.
  const staffOpenid = 'oCmp0000007';
  await page.locator('.test-openid').fill(staffOpenid);
  await page.locator('.test-send').click();
  await page.locator('.test-send-ok').waitFor();
  const inbox = await getJson(`${sandbox.url}/sandbox/oa/campaigns/inbox/${staffOpenid}`);
  expect(JSON.stringify(inbox.body)).toContain('春季新品上架');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'preview');

  // Send now and watch the progress bar to done.
  await page.locator('.schedule-campaign').click();
  await page.locator('.confirm-schedule').click();
  // Above the approval threshold: it waits for the owner, and the marketer is told so.
  await page.locator('.campaign-status-AWAITING_APPROVAL').waitFor();
  await page.locator('.campaign-awaiting', { hasText: '等待店主审批' }).waitFor();
  expect(await page.locator('.approve-campaign').count()).toBe(0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'awaiting-approval');
  const owner = await desktop(browser, pageErrors);
  await signIn(owner.page, stack.baseUrl, 'laoban');
  await owner.page.goto(page.url());
  await owner.page.locator('.approve-campaign').click();
  await owner.page.locator('.campaign-status-SENDING, .campaign-status-DONE').first().waitFor({ timeout: 20_000 });
  await owner.context.close();
  await page.locator('.campaign-progress-bar').waitFor();
  await page.locator('.campaign-status-SENDING, .campaign-status-DONE').first().waitFor({ timeout: 20_000 });
  if (await page.locator('.campaign-status-SENDING').count()) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'sending', 200);
  }
  await page.locator('.campaign-status-DONE').waitFor({ timeout: 60_000 });
  await page.locator('.campaign-progress-bar.is-done', { hasText: `${FOLLOWERS} / ${FOLLOWERS}` }).waitFor();

  // The funnel as the chart draws it, from the same numbers the sandbox counts.
  await page.locator('.campaign-funnel canvas').waitFor();
  const got = await received(sandbox, 'oCmp', 'template');
  // Each follower once, and the staff member's test send besides.
  expect(got).toMatchObject({ recipients: FOLLOWERS, messages: FOLLOWERS + 1, moreThanOnce: 1 });
  const id = page.url().split('/').pop()!;
  const auth = await sessionAuth(page);

  // Two buyers open the message's tracked link (the mini-program reports the open with cmp=<id>).
  for (const name of ['xiaoli', 'xiaozhou']) {
    const buyer = await makeBuyer(stack.db, name);
    expect((await api(stack.baseUrl, 'POST', `/api/campaigns/${id}/click`, buyer.auth, {})).status).toBe(200);
  }
  // Receipts come after the sends: the funnel catches up, and the chart (polling) with it.
  let funnel: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    funnel = (await getJson(`${stack.baseUrl}/api/admin/campaigns/${id}/funnel`, { headers: auth })).body;
    if (funnel.delivered === FOLLOWERS && funnel.clicked === 2) break;
    await page.waitForTimeout(250);
  }
  expect(funnel).toMatchObject({ targeted: FOLLOWERS, sent: FOLLOWERS, delivered: FOLLOWERS, clicked: 2 });
  // The progress card follows the receipts too.
  await page.locator('.campaign-progress .ant-statistic', { hasText: '已送达' }).getByText(String(FOLLOWERS)).waitFor();
  await page.waitForTimeout(2500);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'done', 800);
}, 120_000);
