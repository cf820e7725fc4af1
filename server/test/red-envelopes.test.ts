/**
 * Red-envelope packs in one process against MariaDB and Redis, with the sandbox playing
 * WeChat (sign-in and group payloads): the split persisted before any grab, the grab and its
 * coupon, the group rule (issue 14, acceptance 3), expiry returning what is left, new buyers
 * only, the rate limit, attribution of a paid order, and the page and console views.
 */
import { CreateRedEnvelopePackRequest } from '@chatmall/shared';
import { startJobs, type RunningJobs } from '../src/main/jobs';
import type { StaffPrincipal } from '../src/modules/auth/principal';
import { AuditLogEntity } from '../src/modules/auth/audit-log.entity';
import { CouponEntity } from '../src/modules/coupons/coupon.entity';
import { CouponTemplateEntity } from '../src/modules/coupons/coupon-template.entity';
import {
  RedEnvelopeGrabEntity,
  RedEnvelopePackEntity,
  RedEnvelopeShareEntity,
} from '../src/modules/red-envelopes/red-envelope.entity';
import { packKeys } from '../src/modules/red-envelopes/red-envelope.pool';
import { nicknameOf } from '../src/modules/red-envelopes/red-envelope.service';
import { grabList } from '../src/modules/red-envelopes/red-envelope.stats';
import { startStack, testConfig, type TestStack } from './support/harness';
import { api, makeBuyer, makeStaff } from './support/people';
import { createPack, makeBuyers, packRequest, until } from './support/redpack';
import { startSandbox, type RunningSandbox } from './support/sandbox';

let sandbox: RunningSandbox;
let stack: TestStack;
let jobs: RunningJobs;
let marketer: { auth: { authorization: string } };

beforeAll(async () => {
  sandbox = await startSandbox();
  stack = await startStack({
    config: testConfig({
      WECHAT_API_BASE: sandbox.url,
      RED_ENVELOPE_GRABS_PER_BUYER_PER_MINUTE: '4',
      RED_ENVELOPE_GRABS_PER_IP_PER_MINUTE: '100000',
    }),
  });
  jobs = await startJobs(stack.app, { only: ['redEnvelopes'] });
  marketer = await makeStaff(stack.db, 'marketer');
}, 60_000);
afterAll(async () => {
  await jobs?.stop();
  await stack?.close();
  await sandbox?.close();
});

const grabsOf = (packId: string) => stack.db.getRepository(RedEnvelopeGrabEntity).findBy({ packId });
const grab = (packId: string, auth: Record<string, string>, body: unknown = {}) =>
  api(stack.baseUrl, 'POST', `/api/red-envelopes/${packId}/grab`, auth, body);
const open = (packId: string, auth: Record<string, string>, body: unknown = {}) =>
  api(stack.baseUrl, 'POST', `/api/red-envelopes/${packId}/open`, auth, body);

/** A buyer signed in through WeChat (the sandbox), so the server holds their session key. */
async function wechatBuyer(openid: string) {
  const code = (await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/login`, {}, {})).body.code;
  const res = await api(stack.baseUrl, 'POST', '/api/auth/login', {}, { code });
  expect(res.status).toBe(200);
  const auth = { authorization: `Bearer ${res.body.accessToken}` };
  const me = await api(stack.baseUrl, 'GET', '/api/me', auth);
  return { openid, auth, id: me.body.id as string };
}

/** What wx.getGroupEnterInfo (or wx.getShareInfo) gives this user in this chat, encrypted. */
async function groupInfo(openid: string, groupId: string, opts: { chatType?: number; api?: string } = {}) {
  const res = await api(sandbox.url, 'POST', `/sandbox/mp/users/${openid}/group-share`, {}, { groupId, ...opts });
  expect(res.status).toBe(200);
  return { iv: res.body.iv as string, encryptedData: res.body.encryptedData as string };
}

describe('creating a pack', () => {
  it('draws the shares and persists them with the pack before any grab: sum = budget, one template of that stock', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 12_345, shares: 37, minimumShare: 7 });
    const shares = await stack.db
      .getRepository(RedEnvelopeShareEntity)
      .find({ where: { packId: pack.id }, order: { shareIndex: 'ASC' } });
    expect(shares.map((s) => s.shareIndex)).toEqual([...Array(37).keys()]);
    expect(shares.reduce((n, s) => n + s.amount, 0)).toBe(12_345);
    expect(Math.min(...shares.map((s) => s.amount))).toBeGreaterThanOrEqual(7);
    expect(await grabsOf(pack.id)).toHaveLength(0);
    // Loaded into Redis: every share in the pool.
    expect(await stack.redis.llen(packKeys(pack.id)[1])).toBe(37);
    const t = await stack.db.getRepository(CouponTemplateEntity).findOneByOrFail({ id: pack.couponTemplateId });
    expect(t).toMatchObject({ totalStock: 37, perBuyerLimit: 1, status: 'PUBLISHED', issued: 0 });
    expect(Boolean(t.claimable)).toBe(false);
    const audit = await stack.db.getRepository(AuditLogEntity).findOneBy({ entityId: pack.id });
    expect(audit?.action).toBe('red_envelope.create');
    const row = await stack.db.getRepository(RedEnvelopePackEntity).findOneByOrFail({ id: pack.id });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(23.9 * 3600_000);
  });

  it('refuses a budget below shares × minimum and a coupon window that ends before the pack, naming the field; a buyer may not create', async () => {
    const res = await api(stack.baseUrl, 'POST', '/api/admin/red-envelopes', marketer.auth, {
      title: 't',
      budget: 99,
      shares: 10,
      split: 'equal',
      minimumShare: 10,
      coupon: {
        title: 'c',
        threshold: { kind: 'none' },
        scope: { type: 'shop' },
        validity: { kind: 'days', days: 1 },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { path: string }) => f.path)).toContain('body.budget');
    const from = new Date().toISOString();
    const until = new Date(Date.now() + 3600_000).toISOString();
    const short = await api(stack.baseUrl, 'POST', '/api/admin/red-envelopes', marketer.auth, {
      ...packRequest({ expiresInHours: 24 }),
      coupon: { ...packRequest().coupon, validity: { kind: 'window', from, until } },
    });
    expect(short.status).toBe(400);
    expect(short.body.fields[0].path).toBe('body.coupon.validity.until');
    const buyer = await makeBuyer(stack.db);
    const denied = await api(stack.baseUrl, 'POST', '/api/admin/red-envelopes', buyer.auth, {});
    expect(denied.status).toBe(403);
  });
});

describe("a pack's coupon template belongs to the pack", () => {
  it('names its pack (origin), and the coupon routes refuse to edit, publish, stop or give it: 409 saying why', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { title: '周年庆群红包', budget: 300, shares: 3 });
    const t = await api(stack.baseUrl, 'GET', `/api/admin/coupon-templates/${pack.couponTemplateId}`, marketer.auth);
    expect(t.body).toMatchObject({
      status: 'PUBLISHED',
      origin: { kind: 'red_envelope', packId: pack.id, packTitle: '周年庆群红包' },
    });
    const created = stack.db.getRepository(AuditLogEntity);
    expect((await created.findBy({ entityId: pack.couponTemplateId })).map((a) => a.action).sort()).toEqual([
      'coupon_template.create',
      'coupon_template.publish',
    ]);
    const buyer = await makeBuyer(stack.db, 'given');
    const base = `/api/admin/coupon-templates/${pack.couponTemplateId}`;
    const refused = [
      await api(stack.baseUrl, 'PATCH', base, marketer.auth, { title: '改个名', totalStock: 1000 }),
      await api(stack.baseUrl, 'POST', `${base}/stop`, marketer.auth),
      await api(stack.baseUrl, 'POST', `${base}/publish`, marketer.auth),
      await api(stack.baseUrl, 'POST', `${base}/issue`, marketer.auth, {
        buyerId: buyer.id,
        requestKey: 'give-pack-1',
      }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('这是红包「周年庆群红包」的券，请在红包里修改');
      expect(res.body.message).toContain('belongs to red envelope');
    }
    const after = await stack.db.getRepository(CouponTemplateEntity).findOneByOrFail({ id: pack.couponTemplateId });
    expect(after).toMatchObject({ title: '群红包券', totalStock: 3, status: 'PUBLISHED', issued: 0 });
    expect(await stack.db.getRepository(CouponEntity).countBy({ templateId: pack.couponTemplateId })).toBe(0);

    // The marketer's own templates carry no origin and stay editable.
    const own = await api(stack.baseUrl, 'POST', '/api/admin/coupon-templates', marketer.auth, {
      title: '自己的券',
      benefit: { kind: 'no_threshold', amountOff: 100 },
      scope: { type: 'shop' },
      validity: { kind: 'days', days: 3 },
      totalStock: 5,
      perBuyerLimit: 1,
      stacksWithMemberDiscount: false,
      claimable: true,
    });
    expect(own.body.origin).toBeNull();
    expect(
      (await api(stack.baseUrl, 'POST', `/api/admin/coupon-templates/${own.body.id}/publish`, marketer.auth)).status,
    ).toBe(200);
    const list = await api(stack.baseUrl, 'GET', '/api/admin/coupon-templates?limit=100', marketer.auth);
    const byId = new Map(list.body.items.map((i: { id: string; origin: unknown }) => [i.id, i.origin]));
    expect(byId.get(pack.couponTemplateId)).toEqual({
      kind: 'red_envelope',
      packId: pack.id,
      packTitle: '周年庆群红包',
    });
    expect(byId.get(own.body.id)).toBeNull();
  });

  it('is written in the pack’s transaction: a pack that fails to insert leaves no template behind', async () => {
    const staff = await stack.app.services.sessions.resolve(marketer.auth.authorization.slice('Bearer '.length));
    expect(staff?.kind).toBe('staff');
    const marker = `孤儿券${Date.now() % 100000}`;
    const before = await stack.db.getRepository(CouponTemplateEntity).count();
    // A title too long for its column: the pack's insert fails after the template's.
    const valid = CreateRedEnvelopePackRequest.parse(
      packRequest({ coupon: { ...packRequest().coupon, title: marker } }),
    );
    await expect(
      stack.app.services.redEnvelopes.create({}, staff as StaffPrincipal, { ...valid, title: '长'.repeat(41) }),
    ).rejects.toThrow(/too long|title/i);
    expect(await stack.db.getRepository(CouponTemplateEntity).countBy({ title: marker })).toBe(0);
    expect(await stack.db.getRepository(CouponTemplateEntity).count()).toBe(before);
  });
});

describe('grabbing', () => {
  it('answers the amount at once; the job records the grab and issues a coupon worth the share', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 1_000, shares: 3, minimumShare: 100 });
    const [a, b] = await makeBuyers(stack.db, 2, 'grab');
    const first = await grab(pack.id, a.auth);
    expect(first.status).toBe(200);
    expect(first.body.outcome).toBe('GRABBED');
    const amount = first.body.amount as number;
    expect(amount).toBeGreaterThanOrEqual(100);
    // Again: the same amount, nothing more.
    expect((await grab(pack.id, a.auth)).body).toMatchObject({ outcome: 'ALREADY_GRABBED', amount });

    const [row] = await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 1 && rows[0].couponId !== null,
    );
    const coupon = await stack.db.getRepository(CouponEntity).findOneByOrFail({ id: row.couponId! });
    expect(coupon).toMatchObject({
      buyerId: a.id,
      source: 'red_envelope',
      sourceRef: `${pack.id}:${a.id}`,
      templateId: pack.couponTemplateId,
    });
    expect(coupon.benefit).toEqual({ kind: 'amount_off', amountOff: amount, threshold: amount * 5 });

    await grab(pack.id, b.auth);
    const view = await api(stack.baseUrl, 'GET', `/api/red-envelopes/${pack.id}`, a.auth);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ state: 'ALREADY_GRABBED', grabbedCount: 2, shares: 3, luckiestFinal: false });
    expect(view.body.mine).toMatchObject({ amount, coupon: { id: coupon.id, status: 'USABLE' } });
    expect(view.body.grabs).toHaveLength(2);
    expect(view.body.grabs.filter((g: { luckiest: boolean }) => g.luckiest)).toHaveLength(1);
    const best = Math.max(...view.body.grabs.map((g: { amount: number }) => g.amount));
    expect(view.body.grabs.find((g: { luckiest: boolean }) => g.luckiest).amount).toBe(best);
    expect(view.body.grabs.find((g: { isMe: boolean }) => g.isMe).amount).toBe(amount);
    expect(view.body.sharePath).toBe(`/pkg-redpack/pages/red-envelope/index?id=${pack.id}&from=${a.id}`);
  });

  it('answers ALL_GONE once every share is taken, and the page says so', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 300, shares: 2, minimumShare: 100 });
    const buyers = await makeBuyers(stack.db, 3, 'gone');
    const answers = await Promise.all(buyers.map((b) => grab(pack.id, b.auth)));
    expect(answers.map((r) => r.body.outcome).sort()).toEqual(['ALL_GONE', 'GRABBED', 'GRABBED']);
    const loser = buyers[answers.findIndex((r) => r.body.outcome === 'ALL_GONE')];
    const view = await api(stack.baseUrl, 'GET', `/api/red-envelopes/${pack.id}`, loser.auth);
    expect(view.body).toMatchObject({ state: 'ALL_GONE', grabbedAmount: 300, luckiestFinal: true, mine: null });
  });

  it('more than the per-buyer limit a minute answers 429 with Retry-After', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 300, shares: 3, minimumShare: 100 });
    const [b] = await makeBuyers(stack.db, 1, 'fast');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await grab(pack.id, b.auth));
    expect(statuses.slice(0, 4).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(statuses[4].status).toBe(429);
    const res = await fetch(`${stack.baseUrl}/api/red-envelopes/${pack.id}/grab`, {
      method: 'POST',
      headers: { ...b.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('an unknown pack is a 404; a malformed group payload is a 400 naming body.group', async () => {
    const [b] = await makeBuyers(stack.db, 1, 'bad');
    expect((await grab('rp_nosuchpack', b.auth)).status).toBe(404);
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 300, shares: 3, minimumShare: 100 });
    const res = await open(pack.id, b.auth, { group: { iv: 'AAAAAAAAAAAAAAAAAAAAAA==', encryptedData: 'bm90IGl0' } });
    expect(res.status).toBe(400);
    expect(res.body.fields[0].path).toBe('body.group');
  });
});

describe('Redis and the database (reconciliation)', () => {
  it('a pack whose keys Redis lost is rebuilt from the shares minus the recorded grabs; earlier grabbers stay deduplicated', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 1_000, shares: 5, minimumShare: 100 });
    const buyers = await makeBuyers(stack.db, 4, 'lost');
    const first = await grab(pack.id, buyers[0].auth);
    await grab(pack.id, buyers[1].auth);
    await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 2,
    );
    await stack.redis.del(...packKeys(pack.id));

    // The next grab finds the pack gone and loads it from the database first.
    expect((await grab(pack.id, buyers[2].auth)).body.outcome).toBe('GRABBED');
    expect(await stack.redis.llen(packKeys(pack.id)[1])).toBe(2);
    expect((await grab(pack.id, buyers[0].auth)).body).toMatchObject({
      outcome: 'ALREADY_GRABBED',
      amount: first.body.amount,
    });
    await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 3,
    );
    const recorded = await grabsOf(pack.id);
    const left = await stack.redis.lrange(packKeys(pack.id)[1], 0, -1);
    const indexes = [...recorded.map((g) => g.shareIndex), ...left.map((e) => Number(e.split(':')[0]))];
    expect(indexes.sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('a grab Redis accepted whose job never ran is recorded, with its coupon, by the reconciliation', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 500, shares: 5, minimumShare: 50 });
    const [b] = await makeBuyers(stack.db, 1, 'nojob');
    // The script ran (as the route runs it) but no job was queued: the process died right after.
    const pool = stack.app.services.redEnvelopePool;
    const out = await pool.grab(pack.id, b.id, { chat: 'none', groupId: '', sharer: '' });
    expect(out.kind).toBe('GRABBED');
    expect(await grabsOf(pack.id)).toHaveLength(0);

    const done = await stack.app.services.redEnvelopes.reconcile(new Date(), 0);
    expect(done.replayed).toBeGreaterThanOrEqual(1);
    const [row] = await grabsOf(pack.id);
    expect(row).toMatchObject({ buyerId: b.id, amount: out.kind === 'GRABBED' ? out.grab.amount : -1 });
    const coupon = await stack.db.getRepository(CouponEntity).findOneByOrFail({ id: row.couponId! });
    expect(coupon.sourceRef).toBe(`${pack.id}:${b.id}`);
    // Again: nothing more.
    await stack.app.services.redEnvelopes.reconcile(new Date(), 0);
    expect(await stack.db.getRepository(CouponEntity).countBy({ sourceRef: `${pack.id}:${b.id}` })).toBe(1);
  });
});

describe('group-only packs (acceptance 3)', () => {
  it('only members of the group it was shared into, and groups they shared it onward to, may grab', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, {
      budget: 1_000,
      shares: 10,
      minimumShare: 50,
      groupOnly: true,
    });
    const alice = await wechatBuyer('oRpAlice0001');
    const bob = await wechatBuyer('oRpBob00001');
    const carol = await wechatBuyer('oRpCarol0001');
    const dave = await wechatBuyer('oRpDave00001');

    // Alice opens it first, in group A (getGroupEnterInfo): group A is the pack's group.
    const a = await open(pack.id, alice.auth, { group: await groupInfo(alice.openid, 'tGroupA') });
    expect(a.body.state).toBe('CAN_GRAB');
    expect((await grab(pack.id, alice.auth, { group: await groupInfo(alice.openid, 'tGroupA') })).body.outcome).toBe(
      'GRABBED',
    );

    // Bob, in another group no member shared it into: refused, with the message the page shows.
    const outsider = await open(pack.id, bob.auth, { group: await groupInfo(bob.openid, 'tGroupB') });
    expect(outsider.body.state).toBe('GROUP_ONLY');
    expect(outsider.body.message).toMatch(/仅限分享群内成员领取/);
    const refused = await grab(pack.id, bob.auth, { group: await groupInfo(bob.openid, 'tGroupB') });
    expect(refused.body).toMatchObject({ outcome: 'GROUP_ONLY', amount: null });
    expect(refused.body.message).toMatch(/only for members of the group/);
    // Claiming to be in group A with someone else's payload does not work: it is decrypted with Bob's key.
    const forged = await grab(pack.id, bob.auth, { group: await groupInfo(alice.openid, 'tGroupA') });
    expect(forged.status).toBe(400);

    // Alice shares it onward into group C: Carol, opening there from Alice's card, may grab (old getShareInfo shape).
    const c = await open(pack.id, carol.auth, {
      sharer: alice.id,
      group: await groupInfo(carol.openid, 'tGroupC', { api: 'getShareInfo' }),
    });
    expect(c.body.state).toBe('CAN_GRAB');
    expect(
      (
        await grab(pack.id, carol.auth, {
          sharer: alice.id,
          group: await groupInfo(carol.openid, 'tGroupC', { api: 'getShareInfo' }),
        })
      ).body.outcome,
    ).toBe('GRABBED');
    // …and Bob, now opening from group C, too.
    expect((await grab(pack.id, bob.auth, { group: await groupInfo(bob.openid, 'tGroupC') })).body.outcome).toBe(
      'GRABBED',
    );

    // Never from a single chat, nor outside WeChat.
    const single = await grab(pack.id, dave.auth, {
      sharer: alice.id,
      group: await groupInfo(dave.openid, 'tGroupA', { chatType: 1 }),
    });
    expect(single.body.outcome).toBe('NOT_FROM_GROUP');
    expect((await grab(pack.id, dave.auth)).body.outcome).toBe('NOT_FROM_GROUP');

    // The shares were recorded: sharer → group → pack, and who brought whom.
    await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 3,
    );
    const detail = await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${pack.id}`, marketer.auth);
    expect(detail.status).toBe(200);
    const { stats } = detail.body;
    expect(stats.grabbed.count).toBe(3);
    const fromAlice = stats.links.find((l: { sharerId: string | null }) => l.sharerId === alice.id);
    expect(fromAlice).toMatchObject({ opens: 1, grabs: 1 });
    const carolNode = stats.tree.find((n: { id: string }) => n.id === carol.id);
    expect(carolNode.parentId).toBe(alice.id);
    expect(stats.tree.find((n: { id: string }) => n.id === alice.id)).toMatchObject({ parentId: 'origin', brought: 1 });
  }, 30_000);
});

describe('expiry', () => {
  it('an expired pack refuses grabs and returns its unclaimed shares', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, { budget: 500, shares: 5, minimumShare: 50 });
    const buyers = await makeBuyers(stack.db, 3, 'exp');
    for (const b of buyers.slice(0, 2)) expect((await grab(pack.id, b.auth)).body.outcome).toBe('GRABBED');
    await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 2,
    );
    const grabbedAmount = (await grabsOf(pack.id)).reduce((n, g) => n + g.amount, 0);

    // Time passes: the pack's end is now in the past (in the database and in Redis).
    const past = new Date(Date.now() - 60_000);
    await stack.db.getRepository(RedEnvelopePackEntity).update({ id: pack.id }, { expiresAt: past });
    await stack.redis.hset(packKeys(pack.id)[0], 'expiresAt', String(past.getTime()));
    expect((await grab(pack.id, buyers[2].auth)).body.outcome).toBe('EXPIRED');

    const out = await stack.app.services.redEnvelopes.reconcile(new Date(), 0);
    expect(out.settled).toBeGreaterThanOrEqual(1);
    const row = await stack.db.getRepository(RedEnvelopePackEntity).findOneByOrFail({ id: pack.id });
    expect(row).toMatchObject({ status: 'EXPIRED', returnedShares: 3, returnedAmount: 500 - grabbedAmount });
    expect(await stack.redis.llen(packKeys(pack.id)[1])).toBe(0);
    expect((await grab(pack.id, buyers[2].auth)).body.outcome).toBe('EXPIRED');
    const detail = await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${pack.id}`, marketer.auth);
    expect(detail.body.stats).toMatchObject({
      funded: { count: 5, amount: 500 },
      grabbed: { count: 2, amount: grabbedAmount },
      returned: { count: 3, amount: 500 - grabbedAmount },
      left: { count: 0, amount: 0 },
    });
    const view = await api(stack.baseUrl, 'GET', `/api/red-envelopes/${pack.id}`, buyers[2].auth);
    expect(view.body).toMatchObject({ state: 'EXPIRED', luckiestFinal: true });

    // Its template stops issuing with it, audited as the system; the coupons already issued stay.
    const t = await stack.db.getRepository(CouponTemplateEntity).findOneByOrFail({ id: pack.couponTemplateId });
    expect(t).toMatchObject({ status: 'STOPPED', issued: 2 });
    const stop = await stack.db
      .getRepository(AuditLogEntity)
      .findOneByOrFail({ entityId: pack.couponTemplateId, action: 'coupon_template.stop' });
    expect(stop).toMatchObject({ actorId: 'system', actorRole: 'system' });
    const late = await stack.app.services.coupons.issue(
      {},
      {
        templateId: pack.couponTemplateId,
        buyerId: buyers[2].id,
        source: 'red_envelope',
        sourceRef: `${pack.id}:late`,
      },
    );
    expect(late).toMatchObject({ ok: false, reason: 'NOT_ISSUING' });
    // Settling again changes nothing (and does not stop it twice).
    expect(await stack.app.services.redEnvelopes.settle(pack.id)).toBe(false);
    expect(
      await stack.db
        .getRepository(AuditLogEntity)
        .countBy({ entityId: pack.couponTemplateId, action: 'coupon_template.stop' }),
    ).toBe(1);
  });
});

describe('the console’s grab list', () => {
  it('lists the recorded grabs newest first with their times and sharers; of equal amounts the earliest grab is the luckiest', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, {
      budget: 400,
      shares: 4,
      split: 'equal',
      minimumShare: 100,
    });
    const [a, b, c] = await makeBuyers(stack.db, 3, 'list');
    // c opens the card a shared (a signed-in buyer), then all three grab.
    expect((await open(pack.id, c.auth, { sharer: a.id })).status).toBe(200);
    for (const x of [a, b, c]) expect((await grab(pack.id, x.auth)).body.outcome).toBe('GRABBED');
    await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 3,
    );
    // Equal shares: only the times tell the luckiest. b grabbed first, then c, then a.
    const t0 = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const repo = stack.db.getRepository(RedEnvelopeGrabEntity);
    await repo.update({ packId: pack.id, buyerId: b.id }, { grabbedAt: at(0) });
    await repo.update({ packId: pack.id, buyerId: c.id }, { grabbedAt: at(1) });
    await repo.update({ packId: pack.id, buyerId: a.id }, { grabbedAt: at(2) });

    const detail = await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${pack.id}`, marketer.auth);
    expect(detail.status).toBe(200);
    expect(detail.body.grabs).toEqual([
      {
        buyerId: a.id,
        nickname: nicknameOf(a.id),
        amount: 100,
        grabbedAt: at(2).toISOString(),
        sharerId: null,
        luckiest: false,
      },
      {
        buyerId: c.id,
        nickname: nicknameOf(c.id),
        amount: 100,
        grabbedAt: at(1).toISOString(),
        sharerId: a.id,
        luckiest: false,
      },
      {
        buyerId: b.id,
        nickname: nicknameOf(b.id),
        amount: 100,
        grabbedAt: at(0).toISOString(),
        sharerId: null,
        luckiest: true,
      },
    ]);
    // A buyer may not read it.
    expect((await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${pack.id}`, a.auth)).status).toBe(403);
  });

  it('the largest amount is the luckiest; within one second the share dealt first; at most 200 listed, newest first', () => {
    const t = new Date('2026-11-30T05:00:00Z');
    const g = (buyerId: string, shareIndex: number, amount: number, s: number) =>
      Object.assign(new RedEnvelopeGrabEntity(), {
        packId: 'rp_x',
        buyerId,
        shareIndex,
        amount,
        grabbedAt: new Date(t.getTime() + s * 1000),
      });
    const list = grabList([g('b1', 3, 50, 0), g('b2', 1, 80, 5), g('b3', 2, 80, 5), g('b4', 0, 80, 9)], () => null);
    expect(list.map((x) => [x.buyerId, x.luckiest])).toEqual([
      ['b4', false],
      ['b3', false],
      ['b2', true],
      ['b1', false],
    ]);
    const many = Array.from({ length: 250 }, (_, i) => g(`m${i}`, i, 10, i));
    const listed = grabList(many, () => null);
    expect(listed).toHaveLength(200);
    expect(listed[0].buyerId).toBe('m249');
    expect(listed[199].buyerId).toBe('m50');
    // The luckiest of all (m0, the earliest of equal amounts) is no longer on the page; none is marked there.
    expect(listed.some((x) => x.luckiest)).toBe(false);
  });
});

describe('new buyers only, and attribution of paid orders', () => {
  it('refuses a buyer with a paid order; a coupon from the pack used on a paid order counts for the pack', async () => {
    const pack = await createPack(stack.baseUrl, marketer.auth, {
      budget: 300,
      shares: 3,
      minimumShare: 50,
      newBuyersOnly: true,
      coupon: {
        title: '新客红包券',
        threshold: { kind: 'none' },
        scope: { type: 'shop' },
        validity: { kind: 'days', days: 7 },
      },
    });
    const orders = stack.app.services.orders;
    const veteran = await makeBuyer(stack.db, 'veteran');
    const paid = await orders.place({}, veteran.id, {
      clientKey: 'rp-veteran-1',
      items: [{ skuId: 'sku_dianhong1', quantity: 1 }],
      addressId: veteran.addressId,
    });
    // Placed, not paid: still a new buyer.
    expect(await orders.hasPaidOrder(veteran.id)).toBe(false);
    expect(await orders.markPaid({}, paid.orderNo, paid.price.payable, new Date())).toEqual({ ok: true });
    expect(await orders.hasPaidOrder(veteran.id)).toBe(true);
    // The module asks orders one question (hasPaidOrder), not a list per status.
    const listed = jest.spyOn(orders, 'list');
    const asked = jest.spyOn(orders, 'hasPaidOrder');
    const refused = await grab(pack.id, veteran.auth);
    expect(refused.body).toMatchObject({ outcome: 'NOT_NEW_BUYER', amount: null });
    expect((await open(pack.id, veteran.auth)).body.state).toBe('NOT_NEW_BUYER');
    expect(asked).toHaveBeenCalledWith(veteran.id);
    expect(listed).not.toHaveBeenCalled();
    listed.mockRestore();
    asked.mockRestore();

    const newcomer = await makeBuyer(stack.db, 'newcomer');
    const got = await grab(pack.id, newcomer.auth);
    expect(got.body.outcome).toBe('GRABBED');
    const [row] = await until(
      () => grabsOf(pack.id),
      (rows) => rows.length === 1 && rows[0].couponId !== null,
    );
    const order = await orders.place({}, newcomer.id, {
      clientKey: 'rp-newcomer-1',
      items: [{ skuId: 'sku_dianhong1', quantity: 1 }],
      addressId: newcomer.addressId,
      coupon: { couponId: row.couponId! },
    });
    expect(order.coupon).toEqual({ couponId: row.couponId, discount: got.body.amount });
    expect(await orders.markPaid({}, order.orderNo, order.price.payable, new Date())).toEqual({ ok: true });
    // The order.paid subscriber (its effect, run here directly; twice counts once).
    expect(stack.app.subscribers.subscriptions()['order.paid']).toContain('red-envelope-attribution');
    expect(await stack.app.services.redEnvelopes.attributeOrder(order.orderNo)).toBe(true);
    expect(await stack.app.services.redEnvelopes.attributeOrder(order.orderNo)).toBe(false);
    expect(await stack.app.services.redEnvelopes.attributeOrder(paid.orderNo)).toBe(false);

    const detail = await api(stack.baseUrl, 'GET', `/api/admin/red-envelopes/${pack.id}`, marketer.auth);
    expect(detail.body.stats).toMatchObject({
      orders: 1,
      gmv: order.price.payable,
      used: { count: 1, amount: got.body.amount },
    });
    const list = await api(stack.baseUrl, 'GET', '/api/admin/red-envelopes?limit=50', marketer.auth);
    expect(list.body.items.find((p: { id: string }) => p.id === pack.id)).toMatchObject({
      orders: 1,
      gmv: order.price.payable,
      grabbed: { count: 1, amount: got.body.amount },
    });
  });
});
