/**
 * Push campaigns in one process against MariaDB and Redis, the sandbox playing WeChat (its
 * inboxes count what each follower received): compose, preview and test send; schedule and
 * the owner's approval; the fan-out to DONE with delivery receipts; pause, resume, cancel;
 * the four-mass-sends-a-month cap skipped before any WeChat call and a customer-service
 * message outside 48 hours refused with its reason (issue 16, acceptance 3).
 */
import { startJobs, type RunningJobs } from '../src/main/jobs';
import { CampaignRecipientEntity } from '../src/modules/campaigns/campaign.entity';
import { inQuietHours, quietHoursEnd } from '../src/modules/campaigns/quiet-hours';
import { received, seedFollowers, templateCampaign } from './support/campaigns';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeStaff } from './support/people';
import { until } from './support/redpack';
import { startSandbox, type RunningSandbox } from './support/sandbox';

let sandbox: RunningSandbox;
let stack: TestStack;
let jobs: RunningJobs;
let marketer: { auth: { authorization: string } };
let owner: { auth: { authorization: string } };

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    config: testConfig({
      WECHAT_API_BASE: sandbox.url,
      CAMPAIGN_SENDS_PER_SECOND: '2000',
      CAMPAIGN_APPROVAL_ABOVE: '400',
      CAMPAIGN_QUIET_HOURS: 'off',
    }),
  });
  sandbox.sandbox.ctx.merchantBaseUrl = stack.baseUrl;
  jobs = await startJobs(stack.app, { only: ['campaigns', 'events'], relayIdleMs: 50 });
  // Receipts only where a test reads them (each is also a push the followers module records).
  await api(sandbox.url, 'POST', '/sandbox/oa/campaigns/settings', {}, { receipts: false });
  marketer = await makeStaff(stack.db, 'marketer');
  owner = await makeStaff(stack.db, 'owner');
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await stack?.close();
  await sandbox?.close();
});

const audience = () => stack.app.services.audience;
const call = (method: string, path: string, who = marketer, body?: unknown) =>
  api(stack.baseUrl, method, path, who.auth, body);
const create = async (body: unknown, who = marketer) => {
  const res = await call('POST', '/api/admin/campaigns', who, body);
  expect(res.status).toBe(200);
  return res.body as { id: string };
};
const campaign = async (id: string) => (await call('GET', `/api/admin/campaigns/${id}`)).body;
const done = (id: string, ms = 60_000) =>
  until(
    () => campaign(id),
    (c) => c.status === 'DONE',
    ms,
  );

describe('a template campaign', () => {
  let openids: string[];
  beforeAll(async () => {
    openids = await seedFollowers(sandbox, audience(), { prefix: 'o_tpl_', count: 300, tags: [301] });
  });

  it('previews as the follower sees it, with the tracked page, and test-sends to one staff openid only', async () => {
    await seedFollowers(sandbox, audience(), { prefix: 'o_prv_', count: 10, tags: [300] });
    const c = await create(templateCampaign({ audience: { kind: 'tag', tagId: 301 } }));
    const preview = (await call('GET', `/api/admin/campaigns/${c.id}/preview`)).body;
    expect(preview).toMatchObject({
      channel: 'template',
      lines: ['thing1: 春季新品上架', 'thing2: 会员九折'],
      page: `pages/index/index?cmp=${c.id}`,
      recipients: 300,
      quietHours: false,
    });
    const test = await call('POST', `/api/admin/campaigns/${c.id}/test-send`, marketer, { openid: 'o_prv_0000007' });
    expect(test.body).toEqual({ ok: true, errcode: null, reason: null });
    const inbox = (await api(sandbox.url, 'GET', '/sandbox/oa/campaigns/inbox/o_prv_0000007')).body.messages;
    expect(inbox).toHaveLength(1);
    expect(inbox[0].content).toContain(`cmp=${c.id}`);
    const refused = await call('POST', `/api/admin/campaigns/${c.id}/test-send`, marketer, { openid: 'o_not_here' });
    expect(refused.body).toEqual({ ok: false, errcode: null, reason: 'INVALID_OPENID' });
    // The test send is no recipient of the campaign.
    expect((await campaign(c.id)).counts.targeted).toBe(0);
  });

  it('sends every follower exactly one message, ends DONE with the right counts, and receipts mark them delivered', async () => {
    await api(sandbox.url, 'POST', '/sandbox/oa/campaigns/settings', {}, { receipts: true });
    const c = await create(templateCampaign({ audience: { kind: 'tag', tagId: 301 } }));
    const scheduled = await call('POST', `/api/admin/campaigns/${c.id}/schedule`, marketer, {});
    expect(scheduled.status).toBe(200);
    expect(['SCHEDULED', 'SENDING', 'DONE']).toContain(scheduled.body.status);
    const end = await done(c.id);
    expect(end.counts).toMatchObject({ targeted: 300, pending: 0, failed: 0, skipped: 0 });
    expect(end.counts.sent + end.counts.delivered).toBe(300);
    const r = await received(sandbox, 'o_tpl_', 'template');
    expect(r).toMatchObject({ recipients: 300, messages: 300, moreThanOnce: 0 });
    const delivered = await until(
      () => campaign(c.id),
      (x) => x.counts.delivered === 300,
      30_000,
    );
    expect(delivered.counts.sent).toBe(0);
    const rows = await stack.db.getRepository(CampaignRecipientEntity).countBy({ campaignId: c.id });
    expect(rows).toBe(openids.length);
  }, 90_000);

  it('a follower who blocked the account: its receipt says so and the recipient fails with the reason', async () => {
    await seedFollowers(sandbox, audience(), { prefix: 'o_blk_', count: 3, tags: [302] });
    await api(sandbox.url, 'POST', '/sandbox/oa/campaigns/users/o_blk_0000001/block', {}, {});
    const c = await create(templateCampaign({ audience: { kind: 'tag', tagId: 302 } }));
    await call('POST', `/api/admin/campaigns/${c.id}/schedule`, marketer, {});
    const end = await until(
      () => campaign(c.id),
      (x) => x.status === 'DONE' && x.counts.delivered === 2,
      30_000,
    );
    expect(end.counts).toMatchObject({ targeted: 3, delivered: 2, failed: 1, reasons: { USER_BLOCKED: 1 } });
    await api(sandbox.url, 'POST', '/sandbox/oa/campaigns/settings', {}, { receipts: false });
  }, 60_000);
});

describe('approval, pause, resume and cancel', () => {
  beforeAll(async () => {
    await seedFollowers(sandbox, audience(), { prefix: 'o_big_', count: 500, tags: [303] });
  });

  it('above the threshold a marketer’s campaign waits for the owner; a marketer cannot approve', async () => {
    const c = await create(templateCampaign({ audience: { kind: 'tag', tagId: 303 } }));
    const s = await call('POST', `/api/admin/campaigns/${c.id}/schedule`, marketer, {});
    expect(s.body).toMatchObject({ status: 'AWAITING_APPROVAL', approvalNeeded: true });
    expect((await call('POST', `/api/admin/campaigns/${c.id}/approve`, marketer)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect((await campaign(c.id)).counts.targeted).toBe(0); // nothing sent while it waits
    const a = await call('POST', `/api/admin/campaigns/${c.id}/approve`, owner);
    expect(a.body.approvedBy).toBeTruthy();
    const end = await done(c.id);
    expect(end.counts.targeted).toBe(500);
    expect(await received(sandbox, 'o_big_', 'template')).toMatchObject({ recipients: 500, moreThanOnce: 0 });
  }, 90_000);

  it('pause holds the rest, resume finishes with no one twice; cancel skips what was not sent', async () => {
    await api(sandbox.url, 'POST', '/sandbox/platform/faults', {}, { latencyMs: 1000 });
    await seedFollowers(sandbox, audience(), { prefix: 'o_pse_', count: 500, tags: [306] });
    try {
      const c = await create(templateCampaign({ audience: { kind: 'tag', tagId: 306 } }), owner);
      await call('POST', `/api/admin/campaigns/${c.id}/schedule`, owner, {});
      await until(
        () => campaign(c.id),
        (x) => x.counts.sent + x.counts.delivered >= 50,
        30_000,
      );
      const paused = await call('POST', `/api/admin/campaigns/${c.id}/pause`, owner);
      expect(paused.body).toMatchObject({ status: 'PAUSED', pauseReason: 'STAFF' });
      await new Promise((r) => setTimeout(r, 2500)); // sends in flight (1 s each here) land
      const held = (await campaign(c.id)).counts;
      await new Promise((r) => setTimeout(r, 700));
      expect((await campaign(c.id)).counts).toEqual(held);
      expect(held.pending).toBeGreaterThan(0);
      expect((await call('POST', `/api/admin/campaigns/${c.id}/resume`, owner)).body.status).toBe('SENDING');
      const end = await done(c.id);
      expect(end.counts.targeted).toBe(500);
      expect(end.counts.sent + end.counts.delivered).toBe(500);
      expect(await received(sandbox, 'o_pse_', 'template')).toMatchObject({
        recipients: 500,
        messages: 500,
        moreThanOnce: 0,
      });

      const d = await create(templateCampaign({ audience: { kind: 'tag', tagId: 303 } }), owner);
      await call('POST', `/api/admin/campaigns/${d.id}/schedule`, owner, {});
      await until(
        () => campaign(d.id),
        (x) => x.counts.sent + x.counts.delivered >= 20,
        30_000,
      );
      expect((await call('POST', `/api/admin/campaigns/${d.id}/cancel`, owner)).body.status).toBe('CANCELLED');
      const cancelled = await until(
        () => campaign(d.id),
        (x) => x.counts.pending === 0,
        15_000,
      );
      expect(cancelled.counts.skipped).toBeGreaterThan(0);
      expect(cancelled.counts.sent + cancelled.counts.skipped).toBe(500);
      expect(cancelled.counts.reasons.CANCELLED).toBe(cancelled.counts.skipped);
      expect((await call('POST', `/api/admin/campaigns/${d.id}/resume`, owner)).status).toBe(409);
    } finally {
      await api(sandbox.url, 'POST', '/sandbox/platform/faults', {}, { latencyMs: 0 });
    }
  }, 120_000);
});

describe('WeChat’s limits (acceptance 3)', () => {
  it('a fifth mass send in a month to the same follower is skipped with the reason before any WeChat call', async () => {
    await seedFollowers(sandbox, audience(), { prefix: 'o_mass_', count: 3, tags: [304] });
    const mass = {
      name: '周末群发',
      content: { channel: 'mass', text: '周末特惠' },
      audience: { kind: 'tag', tagId: 304 },
    };
    for (let i = 0; i < 4; i++) {
      const c = await create(mass);
      await call('POST', `/api/admin/campaigns/${c.id}/schedule`, marketer, {});
      expect((await done(c.id)).counts).toMatchObject({ targeted: 3, skipped: 0 });
    }
    const jobsBefore = (await api(sandbox.url, 'GET', '/sandbox/oa/campaigns/stats')).body.massJobs;
    const fifth = await create(mass);
    await call('POST', `/api/admin/campaigns/${fifth.id}/schedule`, marketer, {});
    const end = await done(fifth.id);
    expect(end.counts).toMatchObject({ targeted: 3, sent: 0, skipped: 3, reasons: { MONTHLY_MASS_LIMIT: 3 } });
    // No mass job reached WeChat for the fifth, and each follower holds four mass messages.
    expect((await api(sandbox.url, 'GET', '/sandbox/oa/campaigns/stats')).body.massJobs).toBe(jobsBefore);
    expect(await received(sandbox, 'o_mass_', 'mass')).toMatchObject({ recipients: 3, messages: 12 });
  }, 90_000);

  it('a customer-service message outside the 48 hours is refused with the reason; inside it is sent', async () => {
    // Followers of the account whose last message is long ago (bulk, never wrote) and one who just wrote.
    await api(sandbox.url, 'POST', '/sandbox/oa/users/bulk', {}, { prefix: 'o_cs_', count: 2 });
    await api(sandbox.url, 'POST', '/sandbox/oa/users/o_cs_talker/follow', {});
    // The follow reaches the read model as events (follower.followed / updated) first; the
    // test's tag goes on after them, or their full state would overwrite it.
    await until(
      () =>
        stack.db.query("SELECT following FROM audience_followers WHERE openid = 'o_cs_talker'") as Promise<
          { following: number }[]
        >,
      (rows) => rows.length === 1 && Number(rows[0].following) === 1,
    );
    await new Promise((r) => setTimeout(r, 500));
    await audience().applyFollowers(
      {},
      ['o_cs_0000000', 'o_cs_0000001', 'o_cs_talker'].map((openid) => ({
        openid,
        unionid: null,
        buyerId: null,
        city: null,
        tagIds: [305],
        followedAt: new Date().toISOString(),
      })),
    );
    // What the read model knows: o_cs_0000001 wrote 49 hours ago (refused before WeChat is asked).
    await audience().messaged({}, { openid: 'o_cs_0000001', at: new Date(Date.now() - 49 * 3_600_000).toISOString() });
    const c = await create({
      name: '客服消息',
      content: { channel: 'custom', text: '您咨询的商品到货了' },
      audience: { kind: 'tag', tagId: 305 },
    });
    await call('POST', `/api/admin/campaigns/${c.id}/schedule`, marketer, {});
    const end = await done(c.id);
    expect(end.counts).toMatchObject({ targeted: 3, sent: 1, skipped: 2, reasons: { OUTSIDE_48H_WINDOW: 2 } });
    const talker = (await api(sandbox.url, 'GET', '/sandbox/oa/users/o_cs_talker/inbox')).body.messages;
    expect(
      talker.some((m: { via: string; content: string }) => m.via === 'customer' && m.content === '您咨询的商品到货了'),
    ).toBe(true);
  }, 60_000);

  it('bad input is refused with the field and changes nothing; a clerk may not send campaigns', async () => {
    const bad = await call('POST', '/api/admin/campaigns', marketer, {
      name: 'x',
      content: {
        channel: 'template',
        templateId: 'T',
        fields: { thing1: '这是一个超过二十个字的字段内容会被拒绝的啊啊啊' },
      },
      audience: { kind: 'all' },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('content.fields.thing1');
    const unknown = await call(
      'POST',
      '/api/admin/campaigns',
      marketer,
      templateCampaign({ audience: { kind: 'segment', segmentId: 'seg_none' } }),
    );
    expect(unknown.status).toBe(400);
    const clerk = await makeStaff(stack.db, 'clerk');
    expect((await call('POST', '/api/admin/campaigns', clerk, templateCampaign())).status).toBe(403);
  });
});

describe('quiet hours (22:00–08:00 China time)', () => {
  it('holds every channel but service notices from 22:00 to 08:00 China time, and ends at 08:00', () => {
    const at = (iso: string) => new Date(iso);
    expect(inQuietHours(at('2026-06-01T13:59:00Z'))).toBe(false); // 21:59 in China
    expect(inQuietHours(at('2026-06-01T14:00:00Z'))).toBe(true); // 22:00
    expect(inQuietHours(at('2026-06-01T23:59:00Z'))).toBe(true); // 07:59 next day
    expect(inQuietHours(at('2026-06-02T00:00:00Z'))).toBe(false); // 08:00
    expect(quietHoursEnd(at('2026-06-01T15:30:00Z')).toISOString()).toBe('2026-06-02T00:00:00.000Z');
    expect(quietHoursEnd(at('2026-06-01T18:00:00Z')).toISOString()).toBe('2026-06-02T00:00:00.000Z'); // 02:00 China
    expect(quietHoursEnd(at('2026-06-01T05:00:00Z')).toISOString()).toBe('2026-06-01T05:00:00.000Z');
  });
});
