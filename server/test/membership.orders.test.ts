/**
 * Points and levels follow the member's orders, through the outbox's subscribers (the pay
 * stack's events worker): an order paid earns points at the member's level and adds its spend
 * (a level-up is `member.level_changed`), each refund takes back points in proportion to the
 * money refunded so far (a full refund takes back exactly what was earned) and lowers the
 * spend (and the level); a redelivered event changes nothing.
 */
import { newId, type ProgrammeSettings } from '@chatmall/shared';
import type { Job } from 'bullmq';
import { Subscribers } from '../src/modules/events';
import { MemberEntity } from '../src/modules/membership/membership.entity';
import { defaultProgramme } from '../src/modules/membership/programme.service';
import { OrderEntity } from '../src/modules/orders/order.entity';
import { RefundEntity } from '../src/modules/payments/refund.entity';
import { api, makeStaff } from './support/people';
import { startPayStack, waitFor, type PayStack } from './support/pay-stack';

jest.setTimeout(60_000);
let p: PayStack;
let owner: Awaited<ReturnType<typeof makeStaff>>;
const settings: ProgrammeSettings = {
  ...defaultProgramme,
  enabled: true,
  levels: [
    { name: '普通会员', threshold: 0, discountPercent: 0, pointsMultiplierPercent: 100, freeShipping: false },
    { name: '银卡', threshold: 10_000, discountPercent: 2, pointsMultiplierPercent: 150, freeShipping: false },
  ],
  earning: { pointsPerYuan: 1, when: 'paid' },
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

const member = () => p.stack.db.getRepository(MemberEntity).findOneByOrFail({ buyerId: p.buyer.id });
const orderOf = (id: string) => p.stack.db.getRepository(OrderEntity).findOneByOrFail({ id });
const levelEvents = async () =>
  (await p.stack.db.query("SELECT payload FROM outbox_events WHERE topic = 'member.level_changed' ORDER BY id")).map(
    (r: { payload: string | object }) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload),
  ) as { direction: string; toName: string }[];

/** A paid order of 2 × 金骏眉 50g (¥88.00 each, free shipping: ¥176.00). */
async function paidOrder() {
  const placed = await api(p.apiUrl, 'POST', '/api/orders', p.buyer.auth, {
    clientKey: newId('order').slice(4, 30),
    items: [{ skuId: 'sku_jinjunmei1', quantity: 2 }],
    addressId: p.buyer.addressId,
  });
  expect(placed.status).toBe(200);
  const pay = await api(p.apiUrl, 'POST', `/api/orders/${placed.body.id}/pay`, p.buyer.auth);
  await p.sandboxCall('POST', `/sandbox/pay/prepay/${pay.body.prepayId}/pay`);
  await waitFor(
    () => orderOf(placed.body.id),
    (o) => o.status === 'PAID',
  );
  return placed.body as { id: string; orderNo: string; price: { payable: number } };
}

async function refund(orderId: string, amount: number) {
  const req = await api(p.apiUrl, 'POST', `/api/orders/${orderId}/refunds`, p.buyer.auth, {
    amount,
    reason: '不想要了 Changed my mind',
  });
  expect(req.status).toBe(200);
  await api(p.apiUrl, 'POST', `/api/admin/refunds/${req.body.id}/approve`, owner.auth, { restock: [] });
  await waitFor(
    () => p.stack.db.getRepository(RefundEntity).findOneByOrFail({ id: req.body.id }),
    (r) => r.status === 'SUCCESS',
  );
}

it('a paid order earns points at the member’s level, adds its spend and lifts the level (one level_changed); the next is priced with the new level’s discount', async () => {
  const order = await paidOrder();
  expect(order.price.payable).toBe(17_600);
  const m = await waitFor(member, (x) => x.points > 0);
  // 176 whole yuan × 1 point at 普通会员 (×1.0): the level-up comes with this order, not before it.
  expect([m.points, m.spendTotal, m.growth, m.levelIndex]).toEqual([176, 17_600, 176, 1]);
  expect(await levelEvents()).toEqual([expect.objectContaining({ direction: 'up', toName: '银卡' })]);
  const history = await api(p.apiUrl, 'GET', '/api/membership/me/points', p.buyer.auth);
  expect(history.body.items[0]).toMatchObject({ kind: 'EARN', delta: 176, balanceAfter: 176, orderNo: order.orderNo });
});

it('refunds take back points in proportion, then exactly the rest; spend and level come down', async () => {
  const before = await member();
  // At 银卡: 2% off (¥3.52), so ¥172.48 paid; 172 whole yuan × 1.5 = 258 points.
  const order = await paidOrder();
  expect(order.price.payable).toBe(17_248);
  const earned = await waitFor(member, (x) => x.points > before.points);
  expect(earned.points - before.points).toBe(258);

  await refund(order.id, 5_000); // 5000 / 17248 of 258 = 74.8 → 74
  const half = await waitFor(member, (x) => x.points < earned.points);
  expect(earned.points - half.points).toBe(74);
  expect(half.spendTotal).toBe(earned.spendTotal - 5_000);

  await refund(order.id, 12_248);
  const all = await waitFor(member, (x) => x.points < half.points);
  expect(all.points).toBe(before.points); // exactly the 258 back, in two parts
  expect(all.spendTotal).toBe(before.spendTotal);

  // The first order refunded in full drops the member below 银卡's ¥100.
  const first = (
    await p.stack.db.getRepository(OrderEntity).find({ where: { buyerId: p.buyer.id }, order: { id: 'ASC' } })
  )[0];
  await refund(first.id, 17_600);
  const down = await waitFor(member, (x) => x.levelIndex === 0);
  expect([down.points, down.spendTotal, down.levelIndex]).toEqual([0, 0, 0]);
  expect((await levelEvents()).map((e) => e.direction)).toEqual(['up', 'down']);
});

it('an order.paid delivered again changes nothing', async () => {
  const order = await paidOrder();
  const m = await waitFor(member, (x) => x.spendTotal > 0);
  const subs = new Subscribers();
  p.app.modules.find((x) => x.name === 'membership')?.subscribe?.(subs);
  const [row] = await p.stack.db.query("SELECT id FROM outbox_events WHERE topic = 'order.paid' AND event_key = ?", [
    order.orderNo,
  ]);
  // Straight to the handlers (their effect records bypassed): the ledger's keys still hold.
  const processor = subs.processor(p.stack.db, p.stack.log);
  await p.stack.db.query("DELETE FROM outbox_effects WHERE event_id = ? AND effect = 'membership-paid'", [row.id]);
  await processor({ data: { eventId: row.id } } as Job);
  const again = await member();
  expect([again.points, again.spendTotal, again.levelIndex]).toEqual([m.points, m.spendTotal, m.levelIndex]);
});

it('points earned on completion: a refund before completion is netted off when the points arrive, the rest after', async () => {
  const completed: ProgrammeSettings = { ...settings, earning: { pointsPerYuan: 1, when: 'completed' } };
  expect((await api(p.apiUrl, 'PUT', '/api/admin/membership/programme', owner.auth, completed)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 2_100)); // the programme's read cache
  const before = await member();
  const order = await paidOrder();
  await new Promise((r) => setTimeout(r, 500));
  expect((await member()).points).toBe(before.points); // nothing on payment
  await refund(order.id, 4_400); // a quarter, before it completes
  const shipped = await api(p.apiUrl, 'POST', `/api/admin/orders/${order.id}/ship`, owner.auth, {
    carrier: '顺丰',
    trackingNo: 'SF1234567890',
  });
  expect(shipped.status).toBe(200);
  expect((await api(p.apiUrl, 'POST', `/api/orders/${order.id}/confirm-receipt`, p.buyer.auth)).status).toBe(200);
  // 银卡 (the third test's order lifted it): ¥172.48 paid, 172 × 1.5 = 258; a quarter-ish refunded
  // before completion (4400 / 17248 of 258 = 65.8 → 65) is netted off: 193 arrive.
  expect([before.levelIndex, order.price.payable]).toEqual([1, 17_248]);
  const got = await waitFor(member, (x) => x.points !== before.points);
  expect(got.points - before.points).toBe(258 - 65);
  await refund(order.id, order.price.payable - 4_400);
  const all = await waitFor(member, (x) => x.points === before.points);
  expect(all.points).toBe(before.points);
});
