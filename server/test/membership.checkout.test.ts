/**
 * Points and balance at checkout (acceptance 2), against the sandbox playing WeChat Pay: the
 * preview shows each step; placing takes the points and the balance in the order's transaction
 * and asks WeChat Pay for the rest only; refunds in part and then in full return each part to
 * where it came from (points as points, balance principal and bonus, WeChat's refund amount),
 * exactly, with the level recomputed; an order the balance pays in full is paid at placement
 * and refunded without WeChat; an order cancelled unpaid gives its points and balance back.
 */
import { newId, type ProgrammeSettings } from '@chatmall/shared';
import { MemberEntity } from '../src/modules/membership/membership.entity';
import { defaultProgramme } from '../src/modules/membership/programme.service';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { RefundEntity } from '../src/modules/payments/refund.entity';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(90_000);
let p: PayStack;
let owner: Awaited<ReturnType<typeof makeStaff>>;
const settings: ProgrammeSettings = {
  ...defaultProgramme,
  enabled: true,
  levels: [
    { name: '普通会员', threshold: 0, discountPercent: 0, pointsMultiplierPercent: 100, freeShipping: false },
    { name: '银卡', threshold: 10_000, discountPercent: 0, pointsMultiplierPercent: 100, freeShipping: false },
  ],
  pointsRule: { points: 100, fen: 100, maxSharePercent: 50 },
  topUpTiers: [{ pay: 10_000, bonus: 1_000 }],
};

beforeAll(async () => {
  p = await startPayStack();
  owner = await makeStaff(p.stack.db, 'owner');
  expect((await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', owner.auth, settings)).status).toBe(200);
  const { code } = (await p.sandboxCall('POST', `/sandbox/mp/users/${p.buyer.openid}/phone-code`, {})).body;
  expect((await api(p.apiUrl, 'POST', '/api/membership/join', p.buyer.auth, { phoneCode: code })).status).toBe(200);
  await p.sandboxCall('POST', '/sandbox/pay/settings', { refundOutcome: 'SUCCESS' });
}, 90_000);
afterAll(async () => p?.close());

const key = () => newId('order').slice(4, 30);
const member = () => p.stack.db.getRepository(MemberEntity).findOneByOrFail({ buyerId: p.buyer.id });
const orderRow = (id: string) => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id });
const items = [{ skuId: 'sku_jinjunmei1', quantity: 2 }]; // ¥88.00 × 2, ships free: ¥176.00

async function fund(points: number, pay: number | null) {
  const m = await member();
  if (points)
    await api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
      delta: points,
      reason: '活动赠送 promotion',
      requestKey: key(),
    });
  if (pay) {
    const t = await api(p.apiUrl, 'POST', '/api/membership/top-ups', p.buyer.auth, { pay, requestKey: key() });
    await p.sandboxCall('POST', `/sandbox/pay/prepay/${t.body.prepayId}/pay`);
    await waitFor(member, (x) => x.balancePrincipal >= m.balancePrincipal + pay);
  }
}

async function refund(orderId: string, amount: number) {
  const req = await api(p.apiUrl, 'POST', `/api/orders/${orderId}/refunds`, p.buyer.auth, {
    amount,
    reason: '不想要了 Changed my mind',
  });
  expect(req.status).toBe(200);
  expect(
    (await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, { restock: [] })).status,
  ).toBe(200);
  return waitFor(
    () => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id: req.body.id }),
    (r) => r.status === 'SUCCESS',
  );
}
const wechatRefunded = async (outRefundNo: string) =>
  (await p.app.kernel.wechat.pay.client.queryRefund(outRefundNo)).amount.refund;

it('points + balance + WeChat Pay, refunded in part then in full: each part back exactly, level recomputed', async () => {
  await fund(1_000, 10_000); // 1000 points (¥10), ¥100 + ¥10 bonus
  const preview = await api(p.apiUrl, 'POST', '/api/checkout/preview', p.buyer.auth, {
    items,
    points: 'max',
    useBalance: true,
  });
  expect(preview.status).toBe(200);
  expect(preview.body.payment).toEqual({ points: 1_000, pointsFen: 1_000, balance: 11_000, wechat: 5_600 });
  expect(preview.body.steps.map((s: { kind: string; amount: number }) => [s.kind, s.amount])).toEqual([
    ['items', 17_600],
    ['shipping', 0],
    ['points', -1_000],
    ['balance', -11_000],
    ['wechat_pay', 5_600],
  ]);

  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: key(),
    items,
    addressId: p.buyer.addressId,
    points: 'max',
    useBalance: true,
  });
  expect(placed.status).toBe(200);
  const row = await orderRow(placed.body.id);
  expect([row.pointsUsed, row.pointsFen, row.balancePrincipal, row.balanceBonus, row.wechatAmount]).toEqual([
    1_000, 1_000, 10_000, 1_000, 5_600,
  ]);
  const taken = await member();
  expect([taken.points, taken.balancePrincipal, taken.balanceBonus]).toEqual([0, 0, 0]);

  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  const atWechat = await p.sandboxCall('GET', `/sandbox/pay/orders/${placed.body.orderNo}`);
  expect(atWechat.body.amount.total).toBe(5_600);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  await waitFor(
    () => orderRow(placed.body.id),
    (o) => o.status === 'PAID',
  );
  // Points on the money paid (¥166: balance and WeChat), the level up on ¥176 of spend.
  const paid = await waitFor(member, (x) => x.points > 0 && x.levelIndex === 1);
  expect([paid.points, paid.spendTotal, paid.levelIndex]).toEqual([166, 17_600, 1]);

  // Half: of ¥88, ¥60 is not WeChat's (12000/17600): ¥5 points, ¥50 principal, ¥5 bonus; ¥28 to WeChat.
  const half = await refund(placed.body.id, 8_800);
  expect(half.parts).toEqual({
    points: 500,
    pointsFen: 500,
    balancePrincipal: 5_000,
    balanceBonus: 500,
    wechat: 2_800,
  });
  expect(await wechatRefunded(half.outRefundNo)).toBe(2_800);
  const afterHalf = await waitFor(member, (x) => x.balancePrincipal === 5_000 && x.points !== 166);
  // 500 points back, 83 of the 166 earned taken back.
  expect([afterHalf.points, afterHalf.balancePrincipal, afterHalf.balanceBonus, afterHalf.levelIndex]).toEqual([
    166 + 500 - 83,
    5_000,
    500,
    0,
  ]);

  const rest = await refund(placed.body.id, 8_800);
  expect(rest.parts).toEqual({
    points: 500,
    pointsFen: 500,
    balancePrincipal: 5_000,
    balanceBonus: 500,
    wechat: 2_800,
  });
  expect(await wechatRefunded(rest.outRefundNo)).toBe(2_800);
  const all = await waitFor(member, (x) => x.balancePrincipal === 10_000 && x.points === 1_000);
  expect([all.points, all.balancePrincipal, all.balanceBonus, all.spendTotal, all.levelIndex]).toEqual([
    1_000, 10_000, 1_000, 0, 0,
  ]);
  expect((await orderRow(placed.body.id)).status).toBe('REFUNDED');
});

it('an order the balance pays in full is paid at placement; its refund goes back to the balance without WeChat', async () => {
  const before = await member(); // ¥110 from the first test
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: key(),
    items: [{ skuId: 'sku_jinjunmei1', quantity: 1 }], // ¥88 + ¥10 shipping below ¥99
    addressId: p.buyer.addressId,
    useBalance: true,
  });
  expect(placed.status).toBe(200);
  expect(placed.body.status).toBe('PAID');
  const row = await orderRow(placed.body.id);
  expect(row.wechatAmount).toBe(0);
  const spent = await member();
  expect(before.balancePrincipal + before.balanceBonus - (spent.balancePrincipal + spent.balanceBonus)).toBe(
    row.payable,
  );
  expect((await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth)).status).toBe(409);

  const r = await refund(placed.body.id, row.payable);
  expect(r.parts?.wechat).toBe(0);
  expect(r.refundId).toBeNull(); // WeChat Pay was not asked
  const back = await waitFor(member, (x) => x.balancePrincipal === before.balancePrincipal);
  expect([back.balancePrincipal, back.balanceBonus]).toEqual([before.balancePrincipal, before.balanceBonus]);
});

it('asking for more balance or points than held at placement is a 409 on the field and places nothing', async () => {
  const m = await member();
  const ordersBefore = await p.stack.db.getRepository(OrderEntity).countBy({ buyerId: p.buyer.id });
  // Five orders at once, each priced with the points and balance the member held when it was priced.
  const results = await Promise.all(
    Array.from({ length: 5 }, () =>
      api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
        clientKey: key(),
        items: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
        addressId: p.buyer.addressId,
        useBalance: true,
        points: 'max',
      }),
    ),
  );
  const ok = results.filter((r) => r.status === 200);
  // ¥110 covers one ¥98 order (with 490 points) and not a second in full: each order takes what it was priced with.
  for (const r of results.filter((x) => x.status !== 200))
    expect([r.status, r.body.code, r.body.fields[0].path]).toEqual(
      r.body.code === 'INSUFFICIENT_POINTS'
        ? [409, 'INSUFFICIENT_POINTS', 'body.points']
        : [409, 'INSUFFICIENT_BALANCE', 'body.useBalance'],
    );
  expect(ok.length).toBeGreaterThanOrEqual(1);
  expect(await p.stack.db.getRepository(OrderEntity).countBy({ buyerId: p.buyer.id })).toBe(ordersBefore + ok.length);
  const after = await member();
  expect(after.points).toBeGreaterThanOrEqual(0);
  expect(after.balancePrincipal + after.balanceBonus).toBeGreaterThanOrEqual(0);
  const [w] = await p.stack.db.query(
    'SELECT COALESCE(SUM(principal),0) AS p, COALESCE(SUM(bonus),0) AS b FROM wallet_entries WHERE member_id = ?',
    [m.id],
  );
  expect([Number(w.p), Number(w.b)]).toEqual([after.balancePrincipal, after.balanceBonus]);
});

it('an unpaid order cancelled gives back its points and balance once', async () => {
  await fund(2_000, 10_000);
  const before = await member();
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: key(),
    items: [{ skuId: 'sku_jinjunmei1', quantity: 3 }],
    addressId: p.buyer.addressId,
    points: 1_500,
    useBalance: true,
  });
  expect(placed.status).toBe(200);
  expect(placed.body.status).toBe('PENDING_PAYMENT');
  const taken = await member();
  expect(before.points - taken.points).toBe(1_500);
  expect((await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/cancel`, p.buyer.auth)).status).toBe(200);
  const back = await waitFor(member, (x) => x.points === before.points);
  expect([back.points, back.balancePrincipal, back.balanceBonus]).toEqual([
    before.points,
    before.balancePrincipal,
    before.balanceBonus,
  ]);
});

it('100 orders at once, each redeeming 100 points against 1,000 held: 10 placed, 90 INSUFFICIENT_POINTS, points end at 0 and the ledger sums to it', async () => {
  const m = await member();
  const adjust = await api(p.apiUrl, 'POST', `/api/admin/membership/members/${m.id}/points-adjustments`, owner.auth, {
    delta: 1_000 - m.points,
    reason: '测试调整 set to 1,000',
    requestKey: key(),
  });
  expect(adjust.status).toBe(200);
  expect((await member()).points).toBe(1_000);
  const results = await Promise.all(
    Array.from({ length: 100 }, () =>
      api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
        clientKey: key(),
        items: [{ skuId: 'sku_jinjunmei1', quantity: 1 }],
        addressId: p.buyer.addressId,
        points: 100,
      }),
    ),
  );
  const placed = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status !== 200);
  expect(placed).toHaveLength(10);
  expect(refused).toHaveLength(90);
  for (const r of refused)
    expect([r.status, r.body.code, r.body.fields[0].path]).toEqual([409, 'INSUFFICIENT_POINTS', 'body.points']);
  for (const r of placed) expect((await orderRow(r.body.id)).pointsUsed).toBe(100);
  const after = await member();
  expect(after.points).toBe(0);
  const [{ total }] = await p.stack.db.query(
    'SELECT COALESCE(SUM(delta), 0) AS total FROM points_entries WHERE member_id = ?',
    [m.id],
  );
  expect(Number(total)).toBe(0);
  const [{ held }] = await p.stack.db.query(
    'SELECT COALESCE(SUM(remaining), 0) AS held FROM points_lots WHERE member_id = ?',
    [m.id],
  );
  expect(Number(held)).toBe(0);
}, 120_000);
