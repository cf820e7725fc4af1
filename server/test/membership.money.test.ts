/**
 * Membership money on MariaDB against the sandbox playing WeChat and WeChat Pay: the owner's
 * programme, joining with the phone-number code, top-ups through their own notify path (ten
 * concurrent deliveries credit once; a refund returns principal and removes the bonus), 100
 * concurrent balance payments and 100 concurrent points debits against balances that cover 10,
 * and the liability report equal to the ledger's sums.
 */
import { newId, type ProgrammeSettings } from '@chatmall/shared';
import { MemberEntity, TopUpEntity } from '../src/modules/membership/membership.entity';
import { makeMemberCode } from '../src/modules/membership/member-code';
import { defaultProgramme } from '../src/modules/membership/programme.service';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(60_000);
let p: PayStack;
let owner: Awaited<ReturnType<typeof makeStaff>>;
let clerk: Awaited<ReturnType<typeof makeStaff>>;
const settings: ProgrammeSettings = { ...defaultProgramme, enabled: true };

beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
  clerk = await makeStaff(p.stack.db, 'clerk');
  const saved = await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', owner.auth, settings);
  expect(saved.status).toBe(200);
}, 90_000);
afterAll(async () => p?.close());

const key = () => newId('order').slice(4, 30);
const memberRow = (buyerId: string) => p.stack.db.getRepository(MemberEntity).findOneByOrFail({ buyerId });

async function join(auth = p.buyer.auth, openid = p.buyer.openid, body: Record<string, unknown> = {}) {
  const { code } = (await p.sandboxCall('POST', `/sandbox/mp/users/${openid}/phone-code`, { phone: '13912345678' }))
    .body;
  return api(p.apiUrl, 'POST', '/api/membership/join', auth, { phoneCode: code, ...body });
}

/** Sums of the two ledgers for one member, straight from their tables. */
async function ledgerSums(memberId: string) {
  const [w] = await p.stack.db.query(
    'SELECT COALESCE(SUM(principal),0) AS p, COALESCE(SUM(bonus),0) AS b FROM wallet_entries WHERE member_id = ?',
    [memberId],
  );
  const [pts] = await p.stack.db.query('SELECT COALESCE(SUM(delta),0) AS d FROM points_entries WHERE member_id = ?', [
    memberId,
  ]);
  const [lots] = await p.stack.db.query('SELECT COALESCE(SUM(remaining),0) AS r FROM points_lots WHERE member_id = ?', [
    memberId,
  ]);
  return { principal: Number(w.p), bonus: Number(w.b), points: Number(pts.d), lots: Number(lots.r) };
}

/** Top up one tier and pay it at the sandbox's cashier; resolves once the balance is credited. */
async function topUp(pay: number) {
  const res = await api(p.apiUrl, 'POST', '/api/membership/top-ups', p.buyer.auth, { pay, requestKey: key() });
  expect(res.status).toBe(200);
  expect((await p.sandboxCall('POST', `/sandbox/pay/prepay/${res.body.prepayId}/pay`)).status).toBe(200);
  await waitFor(
    () => p.stack.db.getRepository(TopUpEntity).findOneByOrFail({ id: res.body.topUp.id }),
    (t) => t.status === 'PAID',
  );
  return res.body as { topUp: { id: string; outTradeNo: string }; prepayId: string };
}

describe('programme settings', () => {
  it('only the owner saves; a marketer reads; bad levels are 400s on their fields and change nothing', async () => {
    const marketer = await makeStaff(p.stack.db, 'marketer');
    expect((await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', marketer.auth, settings)).status).toBe(403);
    expect((await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', clerk.auth, settings)).status).toBe(403);
    const read = await api(p.apiUrl, 'GET', '/api/admin/membership/programme', marketer.auth);
    expect([read.status, read.body.settings.enabled]).toEqual([200, true]);
    const before = read.body.version;

    const bad = await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', owner.auth, {
      ...settings,
      levels: [settings.levels[0], { ...settings.levels[1], threshold: 0 }],
      topUpTiers: [settings.topUpTiers[0], settings.topUpTiers[0]],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { path: string }) => f.path).sort()).toEqual([
      'body.levels.1.threshold',
      'body.topUpTiers.1.pay',
    ]);
    const after = await api(p.apiUrl, 'GET', '/api/admin/membership/programme', owner.auth);
    expect(after.body.version).toBe(before);
  });
});

describe('joining', () => {
  it('joins with the phone-number code (masked for the buyer, whole in the console, found by its last digits); joining twice answers the member', async () => {
    const res = await join(p.buyer.auth, p.buyer.openid, { name: '王五' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phone: '139****5678', name: '王五', points: 0, level: { index: 0 } });
    expect(res.body.memberNo).toMatch(/^\d{10}$/);
    const again = await join();
    expect([again.status, again.body.id]).toEqual([200, res.body.id]);
    const me = await api(p.apiUrl, 'GET', '/api/membership/me', p.buyer.auth);
    expect(me.body.member.id).toBe(res.body.id);
    // The console sees the whole number, and finds the member by its last digits.
    const detail = await api(p.apiUrl, 'GET', `/api/admin/membership/members/${res.body.id}`, owner.auth);
    expect(detail.body.phone).toBe('13912345678');
    const found = await api(p.apiUrl, 'GET', '/api/admin/membership/members?q=5678', owner.auth);
    expect(found.body.items.map((m: { id: string }) => m.id)).toContain(res.body.id);
  });

  it('a phone code issued to another user is a 400 on body.phoneCode and makes no member; the user’s own code joins once', async () => {
    const other = `oOther${Date.now().toString(36)}`;
    const { code } = (await p.sandboxCall('POST', `/sandbox/mp/users/${other}/login`, {})).body;
    const login = await api(p.apiUrl, 'POST', '/api/auth/login', {}, { code });
    const auth = { authorization: `Bearer ${login.body.accessToken as string}` };
    const theirs = (await p.sandboxCall('POST', `/sandbox/mp/users/${p.buyer.openid}/phone-code`, {})).body.code;
    const res = await api(p.apiUrl, 'POST', '/api/membership/join', auth, { phoneCode: theirs });
    expect([res.status, res.body.fields]).toEqual([400, [{ path: 'body.phoneCode', message: expect.any(String) }]]);
    expect(JSON.stringify(res.body)).not.toMatch(/138\d{8}|139\d{8}/);
    expect((await api(p.apiUrl, 'GET', '/api/membership/me', auth)).body.member).toBeNull();
    // Their own code, traded once, does not work a second time.
    const own = (await p.sandboxCall('POST', `/sandbox/mp/users/${other}/phone-code`, {})).body.code;
    const first = await api(p.apiUrl, 'POST', '/api/membership/join', auth, { phoneCode: own });
    expect(first.status).toBe(200);
    const me = await api(p.apiUrl, 'GET', '/api/membership/me', auth);
    const reused = await api(p.apiUrl, 'POST', '/api/membership/join', auth, { phoneCode: own });
    // Joined already: the member comes back without asking WeChat again.
    expect([reused.status, reused.body.id]).toEqual([200, me.body.member.id]);
  });
});

describe('top-ups (acceptance 3)', () => {
  it('a top-up’s notification delivered ten times at once credits principal and bonus once', async () => {
    const before = await memberRow(p.buyer.id);
    const t = await topUp(10_000);
    const deliveries = (await p.sandboxCall('GET', '/sandbox/pay/notifications')).body as {
      id: string;
      eventType: string;
      notifyUrl: string;
    }[];
    const ours = deliveries.filter((d) => d.notifyUrl.endsWith('/api/membership/top-ups/notify')).pop()!;
    expect(ours).toBeDefined();
    await Promise.all(
      Array.from({ length: 10 }, () => p.sandboxCall('POST', `/sandbox/pay/notifications/${ours.id}/redeliver`)),
    );
    await new Promise((r) => setTimeout(r, 1500));
    const after = await memberRow(p.buyer.id);
    expect([after.balancePrincipal - before.balancePrincipal, after.balanceBonus - before.balanceBonus]).toEqual([
      10_000, 1_000,
    ]);
    const wallet = await api(p.apiUrl, 'GET', '/api/membership/me/wallet', p.buyer.auth);
    expect(wallet.body.items.filter((e: { ref: string }) => e.ref === t.topUp.outTradeNo)).toHaveLength(1);
  });

  it('a forged notification on the top-up path is refused (401) and credits nothing', async () => {
    const before = await memberRow(p.buyer.id);
    const res = await fetch(`${p.apiUrl}/api/membership/top-ups/notify`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'wechatpay-timestamp': String(Math.floor(Date.now() / 1000)),
        'wechatpay-nonce': 'x',
        'wechatpay-signature': 'AAAA',
        'wechatpay-serial': 'nope',
      },
      body: JSON.stringify({ id: 'x', event_type: 'TRANSACTION.SUCCESS', resource: {} }),
    });
    expect(res.status).toBe(401);
    const after = await memberRow(p.buyer.id);
    expect(after.balancePrincipal + after.balanceBonus).toBe(before.balancePrincipal + before.balanceBonus);
  });

  it('a top-up refund returns the principal through WeChat Pay and removes its bonus; a second refund changes nothing', async () => {
    const t = await topUp(50_000);
    const before = await memberRow(p.buyer.id);
    const clerkTry = await api(p.apiUrl, 'POST', `/api/admin/membership/top-ups/${t.topUp.id}/refund`, clerk.auth);
    expect(clerkTry.status).toBe(403);
    const res = await api(p.apiUrl, 'POST', `/api/admin/membership/top-ups/${t.topUp.id}/refund`, owner.auth);
    expect(res.status).toBe(200);
    const after = await memberRow(p.buyer.id);
    expect([before.balancePrincipal - after.balancePrincipal, before.balanceBonus - after.balanceBonus]).toEqual([
      50_000, 8_000,
    ]);
    const row = await waitFor(
      () => p.stack.db.getRepository(TopUpEntity).findOneByOrFail({ id: t.topUp.id }),
      (r) => r.status === 'REFUNDED',
    );
    expect(row.status).toBe('REFUNDED');
    const atWechat = await p.sandboxCall('GET', `/sandbox/pay/orders/${t.topUp.outTradeNo}`);
    expect(JSON.stringify(atWechat.body)).toContain('50000');
    const again = await api(p.apiUrl, 'POST', `/api/admin/membership/top-ups/${t.topUp.id}/refund`, owner.auth);
    expect(again.status).toBe(200);
    const still = await memberRow(p.buyer.id);
    expect([still.balancePrincipal, still.balanceBonus]).toEqual([after.balancePrincipal, after.balanceBonus]);
  });
});

describe('exact under concurrency (acceptance 1)', () => {
  it('100 concurrent balance payments at the counter against a balance that covers 10: 10 succeed, 90 INSUFFICIENT_BALANCE, ends at 0', async () => {
    const m = await memberRow(p.buyer.id);
    const total = m.balancePrincipal + m.balanceBonus; // ¥110 from the first top-up
    expect(total).toBe(11_000);
    const each = total / 10;
    // One fresh code per sale, as the member centre would show them (distinct by second and nonce).
    const codes = new Set<string>();
    for (let t = Date.now(); codes.size < 100; t -= 250) codes.add(makeMemberCode(m, t).code);
    const results = await Promise.all(
      [...codes].map((code) =>
        api(p.apiUrl, 'POST', '/api/admin/membership/counter/payments', clerk.auth, {
          code,
          amount: each,
          requestId: key(),
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(90);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.code} ${r.body.fields?.[0]?.path}`))).toEqual(
      new Set(['409 INSUFFICIENT_BALANCE body.amount']),
    );
    const after = await memberRow(p.buyer.id);
    expect([after.balancePrincipal, after.balanceBonus]).toEqual([0, 0]);
    const sums = await ledgerSums(m.id);
    expect([sums.principal, sums.bonus]).toEqual([0, 0]);
  });

  it('100 concurrent points debits against points that cover 10: 10 succeed, 90 INSUFFICIENT_POINTS, ends at 0', async () => {
    const m = await memberRow(p.buyer.id);
    const give = await api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
      delta: 1000,
      reason: '开业赠送 opening gift',
      requestKey: key(),
    });
    expect(give.status).toBe(200);
    const start = (await memberRow(p.buyer.id)).points;
    const each = start / 10;
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
          delta: -each,
          reason: '兑换礼品 gift redeemed',
          requestKey: key(),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status !== 200);
    expect(new Set(refused.map((r) => `${r.status} ${r.body.code} ${r.body.fields?.[0]?.path}`))).toEqual(
      new Set(['409 INSUFFICIENT_POINTS body.delta']),
    );
    expect(refused).toHaveLength(90);
    const after = await memberRow(p.buyer.id);
    const sums = await ledgerSums(m.id);
    expect([after.points, sums.points, sums.lots]).toEqual([0, 0, 0]);
    // Each adjustment is audited with its actor and reason.
    const [{ n }] = await p.stack.db.query(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'membership.points.adjust' AND entity_id = ?",
      [m.id],
    );
    expect(Number(n)).toBe(11);
  });

  it('an adjustment retried with its request key applies once; a clerk may not adjust', async () => {
    const m = await memberRow(p.buyer.id);
    const body = { delta: 50, reason: '补录 correction', requestKey: key() };
    const path = `/api/admin/membership/members/${m.id}/points-adjustments`;
    const [a, b] = await Promise.all([
      api(p.apiUrl, 'POST', path, owner.auth, body),
      api(p.apiUrl, 'POST', path, owner.auth, body),
    ]);
    expect([a.status, b.status, a.body.id]).toEqual([200, 200, b.body.id]);
    expect((await memberRow(p.buyer.id)).points).toBe(m.points + 50);
    expect((await api(p.apiUrl, 'POST', path, clerk.auth, { ...body, requestKey: key() })).status).toBe(403);
  });
});

describe('liability (acceptance 8)', () => {
  it('equals the ledger’s sums of principal and bonus, and the members’ cached balances, on a seeded history', async () => {
    // More history: a second top-up, a partial counter payment.
    await topUp(10_000);
    const m = await memberRow(p.buyer.id);
    const code = makeMemberCode(m).code;
    const pay = await api(p.apiUrl, 'POST', '/api/admin/membership/counter/payments', clerk.auth, {
      code,
      amount: 3_333,
      requestId: key(),
    });
    expect(pay.status).toBe(200);
    const report = await api(p.apiUrl, 'GET', '/api/admin/membership/liability', owner.auth);
    expect(report.status).toBe(200);
    const [w] = await p.stack.db.query(
      'SELECT COALESCE(SUM(principal),0) AS p, COALESCE(SUM(bonus),0) AS b FROM wallet_entries',
    );
    const [c] = await p.stack.db.query(
      'SELECT COALESCE(SUM(balance_principal),0) AS p, COALESCE(SUM(balance_bonus),0) AS b FROM members',
    );
    expect(report.body.ledger).toEqual({
      principal: Number(w.p),
      bonus: Number(w.b),
      total: Number(w.p) + Number(w.b),
    });
    expect(report.body.cached).toEqual(report.body.ledger);
    expect(Number(c.p)).toBe(report.body.ledger.principal);
    // 10000 + 1000 spent to 0, 50000 + 8000 refunded, then 10000 + 1000 less 3333 in proportion.
    expect(report.body.ledger.total).toBe(11_000 - 3_333);
    expect(report.body.ledger.bonus).toBe(1_000 - Math.floor((3_333 * 1_000) / 11_000));
    expect(report.body.toppedUp).toBe(70_000);
    expect(report.body.refunded).toBe(50_000);
    expect((await api(p.apiUrl, 'GET', '/api/admin/membership/liability', clerk.auth)).status).toBe(403);
  });
});

describe('nothing lost', () => {
  it('a top-up whose notification never came is credited once by the reconciliation, and a second pass changes nothing', async () => {
    await p.sandboxCall('POST', '/sandbox/pay/settings', { dropNextNotifications: 1 });
    const before = await memberRow(p.buyer.id);
    const res = await api(p.apiUrl, 'POST', '/api/membership/top-ups', p.buyer.auth, {
      pay: 10_000,
      requestKey: key(),
    });
    expect((await p.sandboxCall('POST', `/sandbox/pay/prepay/${res.body.prepayId}/pay`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const topUps = p.stack.db.getRepository(TopUpEntity);
    expect((await topUps.findOneByOrFail({ id: res.body.topUp.id })).status).toBe('PENDING');
    const { wallet } = p.app.services;
    expect(await wallet.reconcile(new Date(), 0)).toEqual({ credited: 1, refunds: 0, closed: 0 });
    expect(await wallet.reconcile(new Date(), 0)).toEqual({ credited: 0, refunds: 0, closed: 0 });
    const after = await memberRow(p.buyer.id);
    expect([after.balancePrincipal - before.balancePrincipal, after.balanceBonus - before.balanceBonus]).toEqual([
      10_000, 1_000,
    ]);
    expect((await topUps.findOneByOrFail({ id: res.body.topUp.id })).status).toBe('PAID');
  });

  it('a top-up never paid is closed at WeChat Pay and here once its window passes, and asked about no more', async () => {
    const res = await api(p.apiUrl, 'POST', '/api/membership/top-ups', p.buyer.auth, {
      pay: 10_000,
      requestKey: key(),
    });
    expect(res.status).toBe(200);
    const { wallet } = p.app.services;
    expect((await wallet.reconcile(new Date(), 0)).closed).toBe(0); // still within its 15 minutes
    const later = new Date(Date.now() + 16 * 60_000);
    expect((await wallet.reconcile(later, 0)).closed).toBe(1);
    expect((await p.stack.db.getRepository(TopUpEntity).findOneByOrFail({ id: res.body.topUp.id })).status).toBe(
      'CLOSED',
    );
    const atWechat = await p.sandboxCall('GET', `/sandbox/pay/orders/${res.body.topUp.outTradeNo}`);
    expect(atWechat.body.trade_state).toBe('CLOSED');
    expect((await wallet.reconcile(later, 0)).closed).toBe(0);
  });
});
