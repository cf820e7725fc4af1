/**
 * Issue 16, acceptance 1: a 10,000-recipient template campaign sent by a worker process (the
 * real entry, as a child) that is killed (SIGKILL) twice in the middle of sending and started
 * again each time. Every recipient gets exactly one message (the sandbox's inboxes count
 * them), and the campaign ends DONE with 10,000 sent.
 */
import { CampaignRecipientEntity } from '../../src/modules/campaigns/campaign.entity';
import { received, seedFollowers, templateCampaign } from '../support/campaigns';
import { startStack, testConfig, type TestStack } from '../support/harness';
import { api, makeStaff } from '../support/people';
import { startWorker, until, type Child } from '../support/redpack';
import { startSandbox, type RunningSandbox } from '../support/sandbox';

const N = 10_000;
let sandbox: RunningSandbox;
let stack: TestStack;
let worker: Child;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  env = {
    WECHAT_API_BASE: sandbox.url,
    CAMPAIGN_SENDS_PER_SECOND: '800',
    CAMPAIGN_QUIET_HOURS: 'off',
    CAMPAIGN_APPROVAL_ABOVE: '1000000',
  };
  stack = await startStack({ config: testConfig(env) });
  sandbox.sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  // Receipts are not what this test is about; without them the worker's work is the sends.
  await api(sandbox.url, 'POST', '/sandbox/oa/campaigns/settings', {}, { receipts: false });
}, 90_000);

afterAll(async () => {
  await worker?.stop('SIGKILL');
  await stack?.close();
  await sandbox?.close();
}, 60_000);

const accepted = async () => {
  const n = (await api(sandbox.url, 'GET', '/sandbox/oa/campaigns/stats')).body.accepted as number;
  if (process.env.CAMPAIGN_DEBUG) console.info(new Date().toISOString(), 'accepted', n);
  return n;
};

it('a worker killed twice mid-send: every follower gets exactly one message and the campaign ends DONE with the right counts', async () => {
  await seedFollowers(sandbox, stack.app.services.audience, { prefix: 'o_k_', count: N, tags: [401] });
  const owner = await makeStaff(stack.db, 'owner');
  const c = (
    await api(
      stack.baseUrl,
      'POST',
      '/api/admin/campaigns',
      owner.auth,
      templateCampaign({ audience: { kind: 'tag', tagId: 401 } }),
    )
  ).body as { id: string };
  const s = await api(stack.baseUrl, 'POST', `/api/admin/campaigns/${c.id}/schedule`, owner.auth, {});
  expect(s.body.status).toBe('SCHEDULED');

  worker = startWorker(stack.config, env);
  await until(accepted, (n) => n >= 1500, 90_000);
  await worker.stop('SIGKILL');
  const first = await accepted();
  expect(first).toBeLessThan(N);

  worker = startWorker(stack.config, env);
  await until(accepted, (n) => n >= first + 2000, 90_000);
  await worker.stop('SIGKILL');
  const second = await accepted();
  expect(second).toBeLessThan(N);
  // Killed mid-send: what a crash leaves is rows still PENDING, some of them already accepted.
  const waiting = await stack.db
    .getRepository(CampaignRecipientEntity)
    .countBy({ campaignId: c.id, status: 'PENDING' });

  worker = startWorker(stack.config, env);
  const end = await until(
    async () => (await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.id}`, owner.auth)).body,
    (x) => {
      if (process.env.CAMPAIGN_DEBUG) console.info(new Date().toISOString(), x.status, JSON.stringify(x.counts));
      return x.status === 'DONE';
    },
    120_000,
  );
  expect(end.counts).toMatchObject({ targeted: N, pending: 0, sent: N, failed: 0, skipped: 0 });
  expect(await received(sandbox, 'o_k_', 'template')).toEqual({
    recipients: N,
    messages: N,
    moreThanOnce: 0,
    examples: [],
  });
  expect(await accepted()).toBe(N);
  // The number the crashes left mid-send, for the log of this run.
  console.info(`killed at ${first} and ${second} accepted; ${waiting} recipients were still waiting at the second kill`);
}, 300_000);
