/**
 * Subscribe-message campaigns: only to holders of an unused consent for the template, and a
 * consent is spent once — the audience's segment on consent, and WeChat's 43101 for a consent
 * the read model did not know was spent (skipped with the reason).
 */
import { startJobs, type RunningJobs } from '../src/main/jobs';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';
import { until } from './support/redpack';
import { startSandbox, type RunningSandbox } from './support/sandbox';

let sandbox: RunningSandbox;
let stack: TestStack;
let jobs: RunningJobs;

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    config: testConfig({ WECHAT_API_BASE: sandbox.url, CAMPAIGN_QUIET_HOURS: 'off' }),
  });
  jobs = await startJobs(stack.app, { only: ['campaigns'] });
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await stack?.close();
  await sandbox?.close();
});

it('sends once per unused consent: the segment leaves out spent consents, and a spent one WeChat refuses is skipped', async () => {
  const audience = stack.app.services.audience;
  const users = ['o_sub_a', 'o_sub_b', 'o_sub_c'];
  for (const openid of users) {
    await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {});
    await audience.applyFollowers({}, [
      { openid, unionid: null, buyerId: null, city: null, tagIds: [801], followedAt: new Date().toISOString() },
    ]);
  }
  // a and b accepted the prompt once (WeChat and the read model know it); c never did.
  for (const openid of ['o_sub_a', 'o_sub_b']) {
    await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/subscribe-consent`, {}, { templateId: 'TPL_ARRIVAL' });
    await audience.consentGranted({}, openid, 'TPL_ARRIVAL');
  }
  const marketer = await makeStaff(stack.db, 'marketer');
  const run = async (audienceOf: object) => {
    const c = await api(stack.baseUrl, 'POST', '/api/admin/campaigns', marketer.auth, {
      name: '到货提醒',
      content: {
        channel: 'subscribe',
        templateId: 'TPL_ARRIVAL',
        fields: { thing1: '您关注的商品到货了' },
        page: 'pages/index/index',
      },
      audience: audienceOf,
    });
    expect(c.status).toBe(200);
    await api(stack.baseUrl, 'POST', `/api/admin/campaigns/${c.body.id}/schedule`, marketer.auth, {});
    return until(
      async () => (await api(stack.baseUrl, 'GET', `/api/admin/campaigns/${c.body.id}`, marketer.auth)).body,
      (x) => x.status === 'DONE',
      30_000,
    );
  };
  const seg = await api(stack.baseUrl, 'POST', '/api/admin/segments', marketer.auth, {
    name: '到货订阅',
    rules: { combine: 'and', conditions: [{ field: 'subscribeConsent', templateId: 'TPL_ARRIVAL' }] },
  });
  expect(seg.body.count).toBe(2);

  const first = await run({ kind: 'segment', segmentId: seg.body.id });
  expect(first.counts).toMatchObject({ targeted: 2, sent: 2, skipped: 0 });
  // Each consent sent once: nobody is left in the segment.
  expect(
    (await api(stack.baseUrl, 'POST', '/api/admin/segments/count', marketer.auth, { rules: seg.body.rules })).body
      .count,
  ).toBe(0);

  // To the tag instead: WeChat refuses all three (a and b spent, c never accepted): skipped with the reason.
  const second = await run({ kind: 'tag', tagId: 801 });
  expect(second.counts).toMatchObject({ targeted: 3, sent: 0, skipped: 3, reasons: { NO_CONSENT: 3 } });
  for (const openid of ['o_sub_a', 'o_sub_b']) {
    const inbox = (await api(sandbox.url, 'GET', `/sandbox/oa/users/${openid}/inbox`)).body.messages as {
      via: string;
    }[];
    expect(inbox.filter((m) => m.via === 'subscribe-message')).toHaveLength(1);
  }
}, 90_000);
